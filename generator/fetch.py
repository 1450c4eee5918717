"""``python -m generator add URL… [--from FILE]``: fetch pages into the seeds folder, with their provenance.

Takes URLs; for each, gives a seed file holding the response's bytes exactly as they came, under a
name made from the URL (python-slugify, plus a short hash of the URL, so two URLs never share a
name and no name climbs out of the folder), and beside it a provenance record
(``ingest.provenance``: the URL asked for, the final one after redirects, the time in UTC,
``Content-Type``, ``Last-Modified``), which the build reads for the article's address, outlet and
date of last resort. This is the only command that uses the network; the build never does.

What is refused, with one line naming the URL and the reason, and nothing added: a scheme other
than http/https (also on a redirect), more than ``MAX_REDIRECTS`` redirects, no answer within the
timeout (per socket operation, and ``TOTAL_SECONDS`` in all), more than the build's own
``limits.MAX_FILE_BYTES``, a type that is not text or HTML, a compressed body, an HTTP error, a
response that is not HTTP or ends before its declared length. A
URL already added (asked for, or reached after redirects, by a record in the folder) is not
fetched again. Both files are written under hidden temporary names (which the build skips) and
renamed into place, the page first: an interrupted add leaves no half file.

stdlib ``urllib``: it does all of this with no new dependency, and honours ``http_proxy``.
"""
from __future__ import annotations

import hashlib
import http.client
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from slugify import slugify

from .ingest.provenance import SUFFIX, BadRecord, Provenance, now_utc, parse_record, record_path
from .limits import MAX_FILE_BYTES

TIMEOUT_SECONDS = 20.0
TOTAL_SECONDS = 60.0  # a server that sends a byte at a time cannot hold the command longer
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
SCHEMES = ("http", "https")
# Text the readers read: pages, plain text and Markdown, and the feeds and JSON dumps they parse.
TEXT_TYPES = {"application/xhtml+xml", "application/xml", "application/rss+xml", "application/atom+xml",
              "application/json", "application/feed+json"}
EXTENSIONS = {"text/html": ".html", "application/xhtml+xml": ".html", "text/plain": ".txt",
              "text/markdown": ".md", "application/json": ".json", "application/feed+json": ".json"}
NAME_CHARS = 60
USER_AGENT = "digest-generator (add)"


class Refused(Exception):
    """A URL that adds nothing; the message is the reason."""


@dataclass(frozen=True)
class Fetched:
    body: bytes
    origin: Provenance


@dataclass(frozen=True)
class Limits:
    timeout: float = TIMEOUT_SECONDS
    total: float = TOTAL_SECONDS
    max_bytes: int = MAX_FILE_BYTES
    max_redirects: int = MAX_REDIRECTS


def run_add(args) -> int:
    """The ``add`` command: 0 when every URL is in the folder (added now or before), else 1."""
    seeds = Path(args.seeds)
    if not seeds.is_dir():
        print(f"error: {seeds}: seeds folder not found (run init, or pass --seeds)", file=sys.stderr)
        return 1
    try:
        urls = [*args.urls, *(_listed(Path(args.from_file)) if args.from_file else [])]
    except OSError as exc:
        print(f"error: {args.from_file}: cannot read the URL list: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if not urls:
        print("error: no URL given (name some, or pass --from FILE)", file=sys.stderr)
        return 2
    limits = Limits(timeout=args.timeout or TIMEOUT_SECONDS)
    failed = 0
    for url in urls:
        try:
            print(add(url, seeds, limits))
        except Refused as exc:
            failed += 1
            print(f"error: {_printable(url)}: {_printable(' '.join(str(exc).split()))}", file=sys.stderr)
    return 1 if failed else 0


def add(url: str, seeds: Path, limits: Limits = Limits()) -> str:
    """Fetch one URL into the folder; the line to print. Raises ``Refused``."""
    check_scheme(url)
    known = added_urls(seeds)
    if _key(url) in known:
        return f"already added: {_printable(url)} ({known[_key(url)]})"
    fetched = fetch(url, limits)
    if _key(fetched.origin.url) in known:
        return f"already added: {_printable(url)} (as {fetched.origin.url}: {known[_key(fetched.origin.url)]})"
    name = seed_name(url, fetched.origin.content_type)
    save(seeds, name, fetched)
    return f"added {_printable(url)} -> {seeds / name}"


def check_scheme(url: str) -> None:
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise Refused(f"not a URL: {exc}") from None
    if parts.scheme.lower() not in SCHEMES:
        raise Refused(f"scheme {parts.scheme or '(none)'!r} refused: only http and https are fetched")
    if not parts.hostname:
        raise Refused("no host in the URL")


def fetch(url: str, limits: Limits) -> Fetched:
    opener = urllib.request.build_opener(_Redirects(limits.max_redirects))
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
    started = time.monotonic()
    try:
        with opener.open(request, timeout=limits.timeout) as response:
            headers = response.headers
            content_type = _check_headers(headers, limits)
            body = _read_body(response, limits, started)
            final = response.geturl()
    except urllib.error.HTTPError as exc:
        raise Refused(_http_error(exc, limits)) from None
    except urllib.error.URLError as exc:
        raise Refused(_network_reason(exc.reason)) from None
    except (TimeoutError, OSError) as exc:
        raise Refused(_network_reason(exc)) from None
    except http.client.IncompleteRead:
        raise Refused("bad response: the connection closed before the page's end") from None
    except (http.client.HTTPException, ValueError) as exc:  # not HTTP, more than 100 headers…
        raise Refused(f"bad response: {exc.__class__.__name__}") from None
    return Fetched(body, Provenance(url, final, now_utc(), content_type, headers.get("Last-Modified")))


class _Redirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, most: int) -> None:
        self.max_redirections = most
        self.max_repeats = most

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        try:
            check_scheme(newurl)
        except Refused as exc:
            raise Refused(f"redirected to {_printable(newurl)}: {exc}") from None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _http_error(exc: urllib.error.HTTPError, limits: Limits) -> str:
    if 300 <= exc.code < 400 and str(exc.msg).startswith(urllib.request.HTTPRedirectHandler.inf_msg):
        return f"too many redirects (more than {limits.max_redirects})"
    return f"HTTP {exc.code} {exc.reason}".strip()


def _network_reason(reason) -> str:
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return "timed out"
    if isinstance(reason, OSError) and reason.strerror:
        return f"cannot connect: {reason.strerror}"
    return f"cannot fetch: {reason}"


def _check_headers(headers: Message, limits: Limits) -> str:
    content_type = headers.get("Content-Type", "")
    kind = headers.get_content_type() if content_type else ""
    if not (kind.startswith("text/") or kind in TEXT_TYPES):
        raise Refused(f"content type {content_type or '(none)'!r} refused: only text and HTML are added")
    encoding = headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise Refused(f"compressed response ({encoding}) refused: the bytes are saved as they came")
    length = headers.get("Content-Length", "")
    if length.isdigit() and int(length) > limits.max_bytes:
        raise Refused(f"too large: {int(length)} bytes (at most {limits.max_bytes})")
    return content_type


def _read_body(response, limits: Limits, started: float) -> bytes:
    parts, size = [], 0
    while chunk := response.read1(CHUNK):
        size += len(chunk)
        if size > limits.max_bytes:
            raise Refused(f"too large: more than {limits.max_bytes} bytes")
        if time.monotonic() - started > limits.total:
            raise Refused(f"timed out (over {limits.total:g} s in all)")
        parts.append(chunk)
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and size < int(declared):  # http.client's read1 does not say so itself
        raise http.client.IncompleteRead(b"".join(parts), int(declared) - size)
    return b"".join(parts)


def seed_name(url: str, content_type: str) -> str:
    """A file name from the URL: its slug (at most ``NAME_CHARS``), a short hash, an extension."""
    parts = urlsplit(url)
    slug = slugify(f"{parts.hostname or ''} {parts.path} {parts.query}", max_length=NAME_CHARS,
                   word_boundary=True) or "page"
    digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    message = Message()
    message["Content-Type"] = content_type
    return f"{slug}-{digest}{EXTENSIONS.get(message.get_content_type(), '.txt')}"


def save(seeds: Path, name: str, fetched: Fetched) -> None:
    """The page, then its record, each written whole under a hidden name and renamed into place."""
    target = seeds / name
    if target.parent.resolve() != seeds.resolve() or "/" in name or name.startswith("."):
        raise Refused(f"unsafe file name {name!r}")  # a slug cannot be one; kept as a guard
    for path, data in ((target, fetched.body), (record_path(target), fetched.origin.to_json().encode("utf-8"))):
        handle, temporary = tempfile.mkstemp(dir=seeds, prefix=".add-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def added_urls(seeds: Path) -> dict[str, str]:
    """Every URL the folder's records name (asked for, and reached), each to its seed file; a
    record whose page is gone, or that cannot be read, names nothing (the URL is fetched again)."""
    known: dict[str, str] = {}
    for record in sorted(seeds.rglob(f"*{SUFFIX}")):
        seed = record.with_name(record.name[: -len(SUFFIX)])
        if not seed.is_file():
            continue
        try:
            origin = parse_record(record.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, BadRecord):
            continue
        for url in (origin.requested, origin.url):
            known.setdefault(_key(url), seed.relative_to(seeds).as_posix())
    return known


def _key(url: str) -> str:
    """A URL as compared for "already added": without its fragment, scheme and host lower-cased."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def _listed(path: Path) -> list[str]:
    """URLs of a list file: one a line; blank lines and lines starting with # are skipped."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def _printable(url: str) -> str:
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in url)
