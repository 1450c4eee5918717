"""The curator's notes: a short Markdown "why it matters" per story, kept in ``content/notes/``.

Takes the folder beside the config (``read_notes``) and, later, the grouped stories
(``attach_notes``); gives frozen ``Note`` records and, for each story a note names, that note,
plus one line for every note that cannot be shown. A note names a story by one of its files, in
YAML front matter::

    ---
    file: feeds/outlet.xml     # seeds-relative, like the config's overrides
    item: https://outlet.example/post/   # only for a file holding several articles
    ---
    Why this matters, in Markdown.

A file, not a story id, so the note follows the story whatever its id, slug or primary: any copy's
file will do. A note whose file is gone, whose story is not published, or whose file holds several
stories and no ``item`` says which, is not shown; the build says so in one line. Nothing here
renders: ``render/text.note_html`` sanitizes the Markdown.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .model import Story

NOTES_FOLDER = Path("content") / "notes"  # beside the config file
MAX_NOTE_BYTES = 20_000  # a note is a paragraph or two; more is a mistake, not a note
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


@dataclass(frozen=True)
class Note:
    source: str  # where the note is, relative to the config's folder: "content/notes/x.md"
    file: str  # the seeds-relative file it names
    item: str | None
    markdown: str


@dataclass(frozen=True)
class Notes:
    """Every note read, and one line for each file in the folder that is no usable note."""

    notes: tuple[Note, ...] = ()
    problems: tuple[str, ...] = ()


def read_notes(root: Path) -> Notes:
    """The notes in ``<root>/content/notes/*.md``, in file name order (no folder: none)."""
    folder = Path(root) / NOTES_FOLDER
    if not folder.is_dir():
        return Notes()
    notes, problems = [], []
    for path in sorted(folder.glob("*.md")):
        where = (NOTES_FOLDER / path.name).as_posix()
        try:
            notes.append(parse_note(where, _read(path)))
        except ValueError as exc:
            problems.append(f"note skipped: {where}: {exc}")
    return Notes(tuple(notes), tuple(problems))


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read it ({exc.__class__.__name__})") from None
    if len(data) > MAX_NOTE_BYTES:
        raise ValueError(f"{len(data)} bytes; a note holds at most {MAX_NOTE_BYTES}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None


def parse_note(where: str, text: str) -> Note:
    """One note from its text; ``ValueError`` says what is missing or wrong."""
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match:
        raise ValueError("no front matter naming its story (a first line '---', then 'file: <seeds file>')")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise ValueError(f"front matter is not valid YAML: {str(exc).splitlines()[0]}") from None
    meta = meta if isinstance(meta, dict) else {}
    file, item = meta.get("file"), meta.get("item")
    if not isinstance(file, str) or not file.strip():
        raise ValueError("front matter has no 'file:' naming one of the story's seeds files")
    if item is not None and not isinstance(item, str):
        raise ValueError("front matter 'item:' must be text (the item's guid, id or link)")
    body = text.lstrip("\ufeff")[match.end():].strip()
    if not body:
        raise ValueError("the note says nothing")
    return Note(where, _seeds_path(file), item.strip() if item else None, body)


def _seeds_path(file: str) -> str:
    """The path as the build names sources: forward slashes, no leading ``./``."""
    path = file.strip().replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


@dataclass(frozen=True)
class Attached:
    """Which note each story shows (by story id), and why the others show nowhere."""

    by_story: dict[str, Note]
    problems: tuple[str, ...]


def attach_notes(notes: Notes, stories: Iterable[Story]) -> Attached:
    """Each note on the published story holding its file (and item); one line for each that is not."""
    owners: dict[str, set[str]] = {}  # file -> ids of stories with a copy from it
    items: dict[tuple[str, str], str] = {}  # (file, item) -> story id
    unpublished: set[str] = set()
    for story in stories:
        for copy in story.copies:
            source = copy.article.source
            if story.topic is None:
                unpublished.add(source)
                continue
            owners.setdefault(source, set()).add(story.id)
            if copy.article.item:
                items[(source, copy.article.item)] = story.id
    by_story: dict[str, Note] = {}
    problems = list(notes.problems)
    for note in notes.notes:
        story_id, reason = _owner(note, owners, items, unpublished)
        if story_id is None:
            problems.append(f"note not shown: {note.source} names {note.file!r}: {reason}")
        elif story_id in by_story:
            problems.append(f"note not shown: {note.source}: its story already shows {by_story[story_id].source}")
        else:
            by_story[story_id] = note
    return Attached(by_story, tuple(problems))


def _owner(note: Note, owners: dict[str, set[str]], items: dict[tuple[str, str], str],
           unpublished: set[str]) -> tuple[str | None, str]:
    if note.item is not None:
        found = items.get((note.file, note.item))
        return (found, "") if found else (None, f"no published article with item {note.item!r} in that file")
    ids = owners.get(note.file, set())
    if len(ids) == 1:
        return next(iter(ids)), ""
    if ids:
        return None, f"that file holds {len(ids)} stories; add 'item:' to say which"
    if note.file in unpublished:
        return None, "its story is not published (no topic claimed it)"
    return None, "no article of this build comes from that file (renamed, removed or skipped?)"
