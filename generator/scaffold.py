"""``python -m generator init DIR``: a new digest that builds at once.

Takes a folder (made if missing; it must be empty unless ``force``); gives the files of
``generator/data/scaffold/``: ``digest.toml`` with one example topic and every key of the config
reference, commented; ``content/`` (home intro, about page, the topic's intro); an empty
``seeds/`` whose README says what goes there (``ingest.seed_files`` skips it); ``templates/``
with a small override of the about page that the build uses; ``netlify.toml``; ``.gitignore``;
and ``requirements.txt`` naming where pip finds the generator, for a host that installs it.
The site's title is made from the folder's name. Refusals are one line naming the folder.
"""
from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path

SCAFFOLD = Path(__file__).parent / "data" / "scaffold"
RENAMED = {"gitignore": ".gitignore"}  # dot files do not travel well as package data
DISTRIBUTION = "digest-generator"


class InitRefused(Exception):
    """The folder cannot take a new digest; the message says why."""


def run_init(args) -> int:
    try:
        written = init(Path(args.dir), force=args.force)
    except InitRefused as exc:
        print(f"error: {args.dir}: {exc}", file=sys.stderr)
        return 1
    print(f"new digest in {args.dir}: {len(written)} files; next: cd {args.dir} && python -m generator add URL, "
          "then python -m generator build")
    return 0


def init(folder: Path, force: bool = False) -> list[Path]:
    """Write the scaffold into ``folder``; the files written, in order."""
    if folder.exists() and not folder.is_dir():
        raise InitRefused("exists and is not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise InitRefused("folder is not empty (pass --force to write into it anyway)")
    files = scaffold_files(title_for(folder))
    try:
        for relative, data in files.items():
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    except OSError as exc:
        raise InitRefused(f"cannot write: {exc.strerror or exc}") from None
    return [folder / relative for relative in files]


def scaffold_files(title: str) -> dict[str, bytes]:
    """Every file of a new digest by its path, the title filled in."""
    files = {}
    for path in sorted(SCAFFOLD.rglob("*")):
        if path.is_file():
            relative = path.relative_to(SCAFFOLD)
            relative = relative.with_name(RENAMED.get(relative.name, relative.name)).as_posix()
            files[relative] = path.read_bytes()
    files["digest.toml"] = files["digest.toml"].replace(b"{title}", json.dumps(title, ensure_ascii=False).encode("utf-8"))
    files["requirements.txt"] = requirements().encode("utf-8")
    return files


def title_for(folder: Path) -> str:
    """"harbour-news" gives "Harbour News"; a folder with no usable name, "A new digest"."""
    words = folder.resolve().name.replace("-", " ").replace("_", " ").split()
    return " ".join(w[:1].upper() + w[1:] for w in words) or "A new digest"


def requirements() -> str:
    """What a host installs before it builds: the generator from where this copy came from when
    pip recorded a repository (PEP 610), else a line for the curator to fill in."""
    head = "# What a host (Netlify: netlify.toml) installs before it builds this digest: the generator.\n"
    source = _installed_from()
    if source:
        return head + f"{DISTRIBUTION} @ {source}\n"
    return head + ("# Name where pip finds it, for example a git repository:\n"
                   f"# {DISTRIBUTION} @ git+https://github.com/OWNER/REPOSITORY\n")


def _installed_from() -> str | None:
    try:
        text = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
        found = json.loads(text) if text else {}
    except (metadata.PackageNotFoundError, json.JSONDecodeError):
        return None
    vcs = found.get("vcs_info") if isinstance(found, dict) else None
    if not isinstance(vcs, dict) or vcs.get("vcs") != "git" or not isinstance(found.get("url"), str):
        return None
    commit = vcs.get("commit_id")
    return f"git+{found['url']}" + (f"@{commit}" if isinstance(commit, str) else "")
