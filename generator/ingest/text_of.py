"""Plain text of a small HTML snippet (titles, excerpts): tags dropped, entities decoded."""
from __future__ import annotations

import html
import re

TAG = re.compile(r"<[^>]*>")
CODE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
SPACE = re.compile(r"\s+")
ELLIPSIS_TAIL = re.compile(r"\s*(\[(?:&hellip;|…|\.\.\.)\]|\[…\])\s*$")


def html_text(snippet: str | None) -> str:
    if not snippet:
        return ""
    text = html.unescape(TAG.sub(" ", CODE.sub(" ", snippet)))
    text = SPACE.sub(" ", text).strip()
    text = ELLIPSIS_TAIL.sub("…", text)
    # "film <em>Her</em> again" becomes "film Her again"; no space before punctuation.
    return re.sub(r"\s+([,.;:!?])", r"\1", text)
