"""Where an added seed came from: the small JSON record ``add`` writes beside the page it saved.

Takes a seed file's path; gives its ``Provenance`` (None when it has no record beside it), or
raises ``BadRecord`` with the one-line reason. ``with_origin`` fills what a whole-file article
does not state itself from its record: its address (the final URL after redirects), through it
the outlet (the cleaner names an outlet from the URL's domain when nothing else does), and a date
of last resort (the server's ``Last-Modified``, used only when neither the file's metadata nor its
text gives one). The page's own statements always win: the record only fills gaps.

A record is named ``<seed file name>.provenance.json``; ``seed_files`` never lists it as a seed.
"""
from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from ..model import PartialDate, RawArticle

SUFFIX = ".provenance.json"
MAX_RECORD_BYTES = 64 * 1024  # a record holds five short fields
FIELDS = ("requested", "url", "fetched", "content_type", "last_modified")


class BadRecord(ValueError):
    """A provenance record that cannot be used; the message is the reason."""


@dataclass(frozen=True)
class Provenance:
    requested: str  # the URL the curator asked for
    url: str  # the final URL, after redirects: the article's original address
    fetched: str  # when, in UTC (ISO 8601)
    content_type: str
    last_modified: str | None = None  # the server's Last-Modified header, as sent

    def to_json(self) -> str:
        return json.dumps({name: getattr(self, name) for name in FIELDS}, indent=2, ensure_ascii=False) + "\n"

    @property
    def charset(self) -> str | None:
        """The ``charset`` parameter of ``Content-Type`` ("text/html; charset=windows-1251"), if any."""
        message = Message()
        message["Content-Type"] = self.content_type or "text/plain"
        found = message.get_param("charset")
        return found if isinstance(found, str) and found else None

    @property
    def fallback_date(self) -> PartialDate | None:
        """The day of ``Last-Modified`` in UTC, or None when the header is absent or unreadable."""
        if not self.last_modified:
            return None
        try:
            moment = parsedate_to_datetime(self.last_modified)
        except (TypeError, ValueError, IndexError):
            return None
        moment = moment.astimezone(timezone.utc) if moment.tzinfo else moment
        return PartialDate(moment.year, moment.month, moment.day)


def record_path(seed: Path) -> Path:
    return seed.with_name(seed.name + SUFFIX)


def is_record(name: str) -> bool:
    return name.endswith(SUFFIX)


def parse_record(text: str) -> Provenance:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise BadRecord(f"provenance record is not JSON: {getattr(exc, 'msg', exc)}") from None
    if not isinstance(data, dict):
        raise BadRecord("provenance record is not a JSON object")
    values = {}
    for name in FIELDS:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise BadRecord(f"provenance record: {name} is not a string")
        values[name] = value
    for name in ("requested", "url"):
        if not _web_url(values[name]):
            raise BadRecord(f"provenance record: {name} is not an http(s) URL")
    return Provenance(values["requested"], values["url"], values["fetched"] or "",
                      values["content_type"] or "", values["last_modified"])


def read_record(seed: Path) -> Provenance | None:
    """The record beside a seed file, None without one; ``BadRecord`` when it is unusable."""
    path = record_path(seed)
    try:
        status = os.lstat(path)
    except OSError:  # none; or the seed's name is too long to have one beside it
        return None
    if not stat.S_ISREG(status.st_mode):  # a link, a FIFO…: never opened
        return None
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_RECORD_BYTES + 1)
    except OSError as exc:
        raise BadRecord(f"cannot read provenance record: {exc.strerror or exc}") from None
    if len(data) > MAX_RECORD_BYTES:
        raise BadRecord("provenance record is too large")
    try:
        return parse_record(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRecord("provenance record is not UTF-8") from None


def with_origin(raw: RawArticle, origin: Provenance) -> RawArticle:
    """A whole-file article with the gaps its record fills; feed items keep their own fields (the
    record's URL is the feed's, not theirs)."""
    if raw.item is not None:
        return raw
    url = raw.url if _web_url(raw.url) else origin.url
    if raw.url and not _web_url(raw.url) and raw.url.startswith("/") and not raw.url.startswith("//"):
        url = urljoin(origin.url, raw.url)  # a root-relative canonical: the page's own, on its site
    return replace(raw, url=url, fallback_date=raw.fallback_date or origin.fallback_date)


def now_utc() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _web_url(value: str | None) -> bool:
    if not value:
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)
