"""``python -m generator``: see cli.py."""
import os
import sys

from .cli import main

if __name__ == "__main__":  # not when a worker process re-imports the main module (spawn, forkserver)
    code = main()
    if sys.argv[1:2] == ["build"] and sys.getprofile() is None and sys.gettrace() is None:
        # Everything a build writes is written and closed by now: the process ends without
        # freeing the millions of objects it loaded one by one (a good part of a second at 10k).
        # Not under a profiler or tracer (cProfile, coverage): they write their results at exit.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
