"""Turn a seed file's bytes into text, or say why they are not text.

Takes bytes; gives a ``str`` with a single newline convention and repaired mojibake, or raises
``NotText``. Order: byte-order marks (UTF-8, UTF-16, UTF-32), then the charset the server declared
(``declared``: the ``Content-Type`` of a page ``add`` fetched, as the HTML standard orders them:
a BOM, then the transport's label), then UTF-16/32 without a mark,
told by where the NUL bytes fall (text in those encodings has NULs in the high bytes of each
code unit, at one fixed offset, and none at the others; binary data has them anywhere),
then strict UTF-8, then Windows-1252
(what browsers use for unlabelled legacy pages, per the WHATWG encoding standard), and only then
charset-normalizer's guess. Mojibake ("â€™") is repaired with ftfy's ``fix_encoding`` alone, and
only when ftfy judges the text broken, so good text is never rewritten (no quote straightening).
"""
from __future__ import annotations

import codecs
import re

import charset_normalizer
import ftfy
from ftfy.badness import is_bad

BINARY_SIGNATURES = (
    b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"BZh", b"\x7fELF",
    b"RIFF", b"OggS", b"ID3", b"\x00\x00\x01\x00", b"7z\xbc\xaf", b"Rar!",
)
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)


CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")  # the C0 controls but tab, newline, form feed, return


class NotText(ValueError):
    """The bytes are not a text document; the message is the reason for the rejection line."""


def decode(data: bytes, declared: str | None = None) -> str:
    if not data.strip():
        raise NotText("empty file")
    for signature in BINARY_SIGNATURES:
        if data.startswith(signature):
            raise NotText("binary data, not a text document")
    text = _decode_bytes(data, _codec(declared))
    if _control_ratio(text) > 0.02:
        raise NotText("binary data, not a text document")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii() and is_bad(text):  # every mojibake ftfy knows has a non-ASCII character
        text = ftfy.fix_encoding(text)
    return text


def _decode_bytes(data: bytes, declared: str | None) -> str:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                raise NotText(f"invalid {encoding} after its byte-order mark") from None
    if declared:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass  # a wrong label: the bytes say more than the header (browsers would show mojibake)
    if b"\x00" in data[:4096]:
        wide = _wide_encoding(data[:4096])
        if wide is None:
            raise NotText("binary data, not a text document")
        try:
            return data.decode(wide)
        except UnicodeDecodeError:
            raise NotText(f"binary data, not a text document (looks like {wide} but does not decode)") from None
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    guess = charset_normalizer.from_bytes(data).best()
    if guess is None:
        raise NotText("undecodable bytes: no text encoding fits")
    return str(guess)


def _codec(label: str | None) -> str | None:
    """Python's codec for a charset label, or None for no label or one Python does not know. A
    label that is no text encoding (a codec such as "rot13" or "zlib") counts as none."""
    if not label:
        return None
    try:
        info = codecs.lookup(label.strip().strip('"\''))
    except (LookupError, ValueError):
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None


# (encoding, code-unit width, offsets in a unit that are NUL for every BMP character, the offset
# of the low byte, which is NUL only for U+0000). The top byte of a UTF-32 unit is always NUL.
WIDE = (("utf-32-le", 4, (3, 2), 0), ("utf-32-be", 4, (0, 1), 3),
        ("utf-16-le", 2, (1,), 0), ("utf-16-be", 2, (0,), 1))
WIDE_STRAY_NULS = 0.01  # share of NULs allowed at the low-byte offset
WIDE_MIN_NULS = 0.05  # UTF-16 high bytes: NUL for ASCII spaces, digits and punctuation at least


def _wide_encoding(sample: bytes) -> str | None:
    """UTF-16/32 without a byte-order mark, from the NUL pattern; None when it fits none.

    In UTF-16-LE, "Hi" is ``48 00 69 00``: the NULs fall at odd offsets (all of them for Latin
    text, the spaces and digits for others) and never at even ones. Binary data has NULs at
    every offset. UTF-32 is tried first: its top byte is NUL in every unit.
    """
    for encoding, width, high, low in WIDE:
        usable = sample[: len(sample) - len(sample) % width]
        units = len(usable) // width
        if units < 2:
            continue
        share = [usable[k::width].count(0) / units for k in range(width)]
        needed = (0.99, 0.9) if width == 4 else (WIDE_MIN_NULS,)
        if all(share[k] >= n for k, n in zip(high, needed)) and share[low] <= WIDE_STRAY_NULS:
            return encoding
    return None


def _control_ratio(text: str) -> float:
    sample = text[:8192]
    return len(CONTROLS.findall(sample)) / max(1, len(sample))
