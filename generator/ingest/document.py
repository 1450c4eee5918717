"""The decoded text of one seed file, with the parsed views readers sniff from (JSON, markup)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property

import re

from .provenance import Provenance
from .sniff import Markup, markup

_NOT_JSON = object()
# "{", or "[" then a value that is followed by "," or "]" ("[2024 in review](…)" is Markdown).
JSON_START = re.compile(r'\{|\[\s*(?:[\[{\]]|$|"(?:[^"\\\n]|\\.)*"\s*[,\]]|-?\d[\d.eE+-]*\s*[,\]]|(?:true|false|null)\s*[,\]])')


class Unreadable(ValueError):
    """The file is of a known form but yields no article; the message is the one-line reason."""


@dataclass(frozen=True)
class Document:
    source: str  # path relative to the seeds folder
    text: str
    origin: Provenance | None = None  # where ``add`` fetched it from, when it did

    @cached_property
    def head(self) -> str:
        """The first characters, lower-cased and stripped: enough to sniff a form."""
        return self.text[:2048].lstrip("\ufeff \t\n").lower()

    @cached_property
    def markup(self) -> Markup:
        """The root element after the prolog and how much of the text is markup (``sniff``)."""
        return markup(self.text)

    @cached_property
    def json(self):
        """The parsed JSON, or ``_NOT_JSON`` when the text does not start like JSON.

        Starts like JSON but does not parse: raises ``Unreadable`` with the parser's reason.
        """
        if not self.looks_like_json:
            return _NOT_JSON
        try:
            return json.loads(self.text)
        except json.JSONDecodeError as exc:
            raise Unreadable(f"broken JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
        except RecursionError:
            raise Unreadable("broken JSON: nested too deeply") from None

    @property
    def looks_like_json(self) -> bool:
        # "[Home](https://…)" is Markdown, not a JSON array: an array opens with a value.
        return bool(JSON_START.match(self.head))


NOT_JSON = _NOT_JSON
