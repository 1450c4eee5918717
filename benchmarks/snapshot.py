"""Pickle a built project's cleaned articles and grouped stories, for timing one stage in a process.

    python benchmarks/snapshot.py PROJECT OUT.pkl

Takes a project built once (its ``.digest-cache/`` holds the cleaned files and the grouping, so
this takes seconds); writes {"articles", "file_keys", "stories"}, which ``stages.py``'s
``group-edit`` and ``topics-edit`` modes read with ``--snapshot``.
"""
from __future__ import annotations

import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.build import make_builder  # noqa: E402
from generator.config import load_config  # noqa: E402


def main() -> None:
    project, out = Path(sys.argv[1]), Path(sys.argv[2])
    config = load_config(project / "digest.toml")
    builder = make_builder(config)
    scanned = builder.scan(config, project / "seeds", project / "site")
    articles, _, file_keys = builder.clean(config, project / "seeds", scanned.hashes)
    stories = builder.group(config, articles, file_keys)
    with out.open("wb") as handle:
        pickle.dump({"articles": articles, "file_keys": file_keys, "stories": stories}, handle, protocol=5)
    print(f"{len(articles)} articles, {len(stories)} stories → {out}")


if __name__ == "__main__":
    main()
