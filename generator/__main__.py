"""``python -m generator``: see cli.py."""
import sys

from .cli import main

if __name__ == "__main__":  # not when a worker process re-imports the main module (spawn, forkserver)
    sys.exit(main())
