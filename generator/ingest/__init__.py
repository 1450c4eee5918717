"""Read every file in the seeds folder into raw articles, sniffing each file's form from its content.

Takes a folder; gives ``RawArticle`` records (one per article: a file may hold several) and
``Rejection`` records (one line per file that yields nothing). The readers are registered in
``READERS``, tried in order; the first whose ``accepts`` says yes reads the file. A new input
form is one new module with a reader class, added to this table. A reader may also return
``Rejection`` records beside its articles, for items it left out (``limits.first_items``).
Every limit a file can hit is in ``generator.limits``.

A page ``add`` fetched has its provenance record beside it (``provenance``): the reader sees the
page's final URL (``Document.origin``), and its article gets what the page does not state itself
from the record (address, so the outlet; a date of last resort). The record is not a seed, nor is
a ``README`` at the top of the seeds folder (the one ``init`` writes says what goes there).
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Protocol

from .. import limits
from ..limits import MAX_FILE_BYTES, LimitExceeded
from ..model import RawArticle, Rejection
from .document import Document, Unreadable
from .provenance import SUFFIX, BadRecord, Provenance, is_record, read_record, with_origin

# A note on what the folder holds, not an article: README, README.md, readme.txt…
README = re.compile(r"(?i)^readme(\.(md|markdown|txt|rst))?$")
# Characters a file name may hold that would break a one-line message or a terminal.
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


class Reader(Protocol):
    name: str

    def accepts(self, doc: Document) -> bool: ...

    def read(self, doc: Document) -> list[RawArticle | Rejection]: ...


def _readers() -> tuple[Reader, ...]:
    """The readers, in the order they are tried. Imported when the first file is read, not with
    this package: the build names every seed file (``seed_source``) on each run, and an edit reads
    one, so the readers' libraries (feeds, Markdown, HTML) load only when a file is read."""
    from .feeds import FeedReader, JsonFeedReader
    from .html_page import HtmlPageReader
    from .markdown_doc import MarkdownReader
    from .plain_text import PlainTextReader
    from .wordpress import WordPressReader

    return (JsonFeedReader(), WordPressReader(), FeedReader(), HtmlPageReader(), MarkdownReader(), PlainTextReader())


def __getattr__(name: str):
    """``READERS``, made on first use (``_readers``) and kept as this module's own from then on."""
    if name == "READERS":
        made = globals()["READERS"] = _readers()
        return made
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def seed_files(folder: Path) -> list[Path]:
    """Every file under the folder that is not a folder, in a stable order; hidden files, links,
    provenance records and the folder's own README are skipped. FIFOs, devices and sockets are
    listed, so that each gets its line (``read_file`` reads only regular files)."""
    found: list[Path] = []
    _walk(Path(folder), found, top=True)
    return found


def _walk(folder: Path, found: list[Path], top: bool = False) -> None:
    """A folder's files (sorted), then its subfolders' (sorted), as ``os.walk`` orders them; a
    link is neither listed nor followed. ``scandir`` tells links and folders apart without a
    ``stat`` per file (a no-change build of 10,000 files lists them all)."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:  # unreadable, or gone since it was listed: as os.walk, nothing under it
        return
    folders = []
    for entry in entries:
        if _skipped(entry.name) or entry.is_symlink():
            continue
        try:
            is_folder = entry.is_dir()
        except OSError:
            is_folder = False
        if is_folder:
            folders.append(entry.name)
        elif not (top and README.match(entry.name)):
            found.append(folder / entry.name)
    for name in folders:
        _walk(folder / name, found)


def _skipped(name: str) -> bool:
    """A file or folder name the seed listing passes over, and all under it: hidden, or a
    provenance record (``seed_files`` and ``scanned_seeds`` both ask)."""
    return name.startswith(".") or is_record(name)


def scanned_seeds(scanned: dict[str, str]) -> list[str]:
    """The seeds-relative paths ``seed_files`` lists, in its order, taken from a scan of the same
    folder (``cache.scan_seeds``: every file by relative path, in the same walk order, a link's
    hash "link") instead of listing the folder again: the same skips of hidden entries, links,
    provenance records (files or folders so named) and the top folder's README."""
    found = []
    for relative, digest in scanned.items():
        if digest == "link":
            continue
        if relative.startswith(".") or "/." in relative or SUFFIX in relative:  # else no part is skipped
            if any(map(_skipped, relative.split("/"))):
                continue
        if "/" not in relative and README.match(relative):
            continue
        found.append(relative)
    return found


def source_of(relative: str) -> str:
    """``seed_source`` of a file given by its seeds-relative POSIX path (as ``scanned_seeds`` gives)."""
    return UNPRINTABLE.sub(_escape, relative)


def seed_source(path: Path, folder: Path) -> str:
    """A file's path relative to the seeds folder, as the site and the build's messages name it.

    Control characters and bytes that are not UTF-8 (``os`` gives them as lone surrogates) are
    written as ``\\xNN`` escapes, so a file name can neither break a one-line message nor the
    UTF-8 of a feed. Other names are kept exactly.
    """
    base, full = str(folder), str(path)
    if full.startswith(base) and full[len(base):len(base) + 1] == os.sep and base not in ("", "."):
        relative = full[len(base) + 1:].replace(os.sep, "/")  # the path as seed_files built it
    else:
        relative = path.relative_to(folder).as_posix()
    return UNPRINTABLE.sub(_escape, relative)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, as os.fsdecode gives it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def read_file(path: Path, source: str) -> tuple[list[RawArticle], list[Rejection]]:
    """Read one seed file: its articles, or the one line saying why it has none. An unusable
    provenance record beside it is a line of its own; the file is still read, without it."""
    from .decode import NotText, decode  # with the readers: its libraries load only to read a file

    origin, problems = _origin(path, source)  # first: its charset comes before any guess
    try:
        text = decode(limits.read_regular_file(path), origin.charset if origin else None)
    except (NotText, LimitExceeded) as exc:
        return [], problems + [Rejection(source, str(exc))]
    except OSError as exc:
        return [], problems + [Rejection(source, f"cannot read file: {exc.strerror or exc}")]
    limits.check_time("decoding")
    articles, rejections = read_document(Document(source, text, origin))
    return articles, problems + rejections


def _origin(path: Path, source: str) -> tuple[Provenance | None, list[Rejection]]:
    try:
        return read_record(path), []
    except BadRecord as exc:
        return None, [Rejection(record_source(source), str(exc))]


def record_source(source: str) -> str:
    """How the build names a seed's provenance record: its path relative to the seeds folder
    (``provenance.record_path`` as a string: the build names one per seed file, 10,000 a run)."""
    return source + SUFFIX


def read_document(doc: Document) -> tuple[list[RawArticle], list[Rejection]]:
    readers = globals().get("READERS") or __getattr__("READERS")
    reader = next(r for r in readers if r.accepts(doc))
    try:
        found = reader.read(doc)
    except (Unreadable, LimitExceeded) as exc:
        return [], [Rejection(doc.source, str(exc))]
    except RecursionError:
        return [], [Rejection(doc.source, f"{reader.name}: structure nested too deeply")]
    articles = [a for a in found if isinstance(a, RawArticle)]
    rejections = [r for r in found if isinstance(r, Rejection)]
    if not articles:
        reasons = "; ".join([f"{reader.name}: no article in it", *(r.reason for r in rejections)])
        return [], [Rejection(doc.source, reasons)]
    limits.check_time(f"reading ({reader.name})")
    if doc.origin is not None:
        articles = [with_origin(a, doc.origin) for a in articles]
    return articles, rejections


def read_seeds(folder: Path) -> tuple[list[RawArticle], list[Rejection]]:
    articles: list[RawArticle] = []
    rejections: list[Rejection] = []
    for path in seed_files(folder):
        found, rejected = read_file(path, seed_source(path, folder))
        articles.extend(found)
        rejections.extend(rejected)
    return articles, rejections


__all__ = ["READERS", "MAX_FILE_BYTES", "Document", "read_seeds", "read_file", "read_document",
           "seed_files", "seed_source", "record_source"]
