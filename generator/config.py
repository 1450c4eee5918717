"""Load and check ``digest.toml``: the site, its curated topics and the curator's overrides.

Takes a path; gives a frozen ``SiteConfig`` with the Markdown prose (and the curator's notes in
``content/notes/``) already read, or raises
``ConfigError`` whose message names the file and the key at fault.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from slugify import slugify

from .notes import Notes, read_notes

DEFAULT_LANGUAGES = ("en", "fr", "es", "de", "it", "pt")


class ConfigError(Exception):
    """A config problem, already phrased as one line naming the file and the key."""


@dataclass(frozen=True)
class Facet:
    """A set of terms of which at least one must appear for a topic to match."""

    name: str
    terms: tuple[str, ...]
    weight: float = 1.0


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    intro_markdown: str
    description: str
    facets: tuple[Facet, ...]
    examples: tuple[str, ...] = ()  # seeds-relative files that show what the topic is about


@dataclass(frozen=True)
class Overrides:
    """Curator decisions that win over every automatic one. Files are seeds-relative paths."""

    pin: tuple[tuple[str, str], ...] = ()  # (file, topic slug)
    exclude: tuple[str, ...] = ()
    same_story: tuple[tuple[str, ...], ...] = ()
    separate: tuple[tuple[str, ...], ...] = ()
    primary: tuple[str, ...] = ()


@dataclass(frozen=True)
class SiteConfig:
    path: Path
    title: str
    description: str
    base_url: str  # always ends with "/"
    language: str
    author: str
    languages: tuple[str, ...]
    theme: str
    topics: tuple[Topic, ...]
    intro_markdown: str = ""
    about_markdown: str = ""
    topic_threshold: float = 1.0
    overrides: Overrides = field(default_factory=Overrides)
    # The curator's notes in content/notes/ (notes.py): read with the config, so a changed note
    # changes the config and with it the site's key, as a changed intro does.
    notes: Notes = field(default_factory=Notes)

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def base_path(self) -> str:
        """The path part of the base URL ("/" or "/digest/"): prefix of every internal link."""
        return urlsplit(self.base_url).path or "/"

    def topic(self, slug: str) -> Topic:
        return next(t for t in self.topics if t.slug == slug)

    def with_overrides(self, base_url: str | None = None, theme: str | None = None) -> "SiteConfig":
        changes = {}
        if base_url:
            changes["base_url"] = check_base_url(base_url, "--base-url")
        if theme:
            changes["theme"] = theme
        return replace(self, **changes) if changes else self


def check_base_url(value: str, where: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{where}: base_url must be an absolute http(s) URL, got {value!r}")
    return value if value.endswith("/") else value + "/"


def load_config(path: Path) -> SiteConfig:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return _parse(data, path)


def _parse(data: dict, path: Path) -> SiteConfig:
    reader = _Keys(data, path)
    site = reader.table("site")
    topics = tuple(_topic(reader, t, i, path) for i, t in enumerate(reader.list("topics", required=True)))
    if not topics:
        raise ConfigError(f"{path}: [[topics]]: at least one topic is needed")
    slugs = [t.slug for t in topics]
    if len(set(slugs)) != len(slugs):
        raise ConfigError(f"{path}: topics: duplicate slug in {slugs}")
    languages = tuple(reader.get(site, "site.languages", list, DEFAULT_LANGUAGES))
    language = reader.get(site, "site.language", str, "en")
    if language not in languages:
        languages = (language, *languages)
    config = SiteConfig(
        path=path,
        title=reader.get(site, "site.title", str),
        description=reader.get(site, "site.description", str, ""),
        base_url=check_base_url(reader.get(site, "site.base_url", str), f"{path}: site.base_url"),
        language=language,
        author=reader.get(site, "site.author", str, ""),
        languages=languages,
        theme=reader.get(site, "site.theme", str, "default"),
        topics=topics,
        intro_markdown=reader.markdown(site, "site.intro"),
        about_markdown=reader.markdown(site, "site.about"),
        topic_threshold=float(reader.get(site, "site.topic_threshold", (int, float), 1.0)),
        overrides=_overrides(reader, data.get("overrides", {}), slugs),
        notes=read_notes(path.parent),
    )
    return config


def _topic(reader: "_Keys", table: dict, index: int, path: Path) -> Topic:
    where = f"topics[{index}]"
    slug = reader.get(table, f"{where}.slug", str)
    if slug != slugify(slug):
        raise ConfigError(f"{path}: {where}.slug: {slug!r} is not a slug (try {slugify(slug)!r})")
    facets = []
    for j, facet in enumerate(reader.get(table, f"{where}.facets", list)):
        fwhere = f"{where}.facets[{j}]"
        if not isinstance(facet, dict):
            raise ConfigError(f"{path}: {fwhere}: must be a table with name and terms")
        terms = reader.get(facet, f"{fwhere}.terms", list)
        if not terms or not all(isinstance(t, str) and t.strip() for t in terms):
            raise ConfigError(f"{path}: {fwhere}.terms: must be a non-empty list of strings")
        facets.append(Facet(
            name=reader.get(facet, f"{fwhere}.name", str, f"facet{j}"),
            terms=tuple(terms),
            weight=float(reader.get(facet, f"{fwhere}.weight", (int, float), 1.0)),
        ))
    if not facets:
        raise ConfigError(f"{path}: {where}.facets: a topic needs at least one facet")
    return Topic(
        slug=slug,
        title=reader.get(table, f"{where}.title", str),
        intro_markdown=reader.markdown(table, f"{where}.intro"),
        description=reader.get(table, f"{where}.description", str, ""),
        facets=tuple(facets),
        examples=_examples(reader, table, where, path),
    )


def _examples(reader: "_Keys", table: dict, where: str, path: Path) -> tuple[str, ...]:
    """A topic's example files: seeds-relative paths, never absolute or climbing out of seeds/."""
    examples = reader.get(table, f"{where}.examples", list, [])
    for example in examples:
        if not isinstance(example, str) or not example.strip():
            raise ConfigError(f"{path}: {where}.examples: must be a list of file paths in the seeds folder")
        if example.startswith(("/", "\\")) or ".." in example.replace("\\", "/").split("/"):
            raise ConfigError(f"{path}: {where}.examples: {example!r} is not a path inside the seeds folder")
    return tuple(examples)


def _overrides(reader: "_Keys", table: dict, slugs: list[str]) -> Overrides:
    if not isinstance(table, dict):
        raise ConfigError(f"{reader.path}: overrides: must be a table")
    pins = reader.get(table, "overrides.pin", dict, {})
    for file, slug in pins.items():
        if slug not in slugs:
            raise ConfigError(f"{reader.path}: overrides.pin.{file!r}: unknown topic {slug!r}")

    def groups(key: str) -> tuple[tuple[str, ...], ...]:
        value = reader.get(table, f"overrides.{key}", list, [])
        if not all(isinstance(g, list) and len(g) >= 2 and all(isinstance(f, str) for f in g) for g in value):
            raise ConfigError(f"{reader.path}: overrides.{key}: must be a list of lists of two or more files")
        return tuple(tuple(g) for g in value)

    return Overrides(
        pin=tuple(sorted(pins.items())),
        exclude=tuple(reader.get(table, "overrides.exclude", list, [])),
        same_story=groups("same_story"),
        separate=groups("separate"),
        primary=tuple(reader.get(table, "overrides.primary", list, [])),
    )


@dataclass(frozen=True)
class _Keys:
    """Typed look-ups that fail with the file and the dotted key in the message."""

    data: dict
    path: Path

    def table(self, key: str) -> dict:
        value = self.data.get(key)
        if not isinstance(value, dict):
            raise ConfigError(f"{self.path}: [{key}]: missing table")
        return value

    def list(self, key: str, required: bool = False) -> list:
        value = self.data.get(key)
        if value is None and not required:
            return []
        if not isinstance(value, list):
            raise ConfigError(f"{self.path}: {key}: must be a list of tables ([[{key}]])")
        return value

    _MISSING = object()

    def get(self, table: dict, dotted: str, kind, default=_MISSING):
        name = dotted.rsplit(".", 1)[-1]
        if name not in table:
            if default is self._MISSING:
                raise ConfigError(f"{self.path}: {dotted}: missing required key")
            return default
        value = table[name]
        if not isinstance(value, kind) or (kind is str and not value.strip()):
            expected = kind.__name__ if isinstance(kind, type) else "number"
            raise ConfigError(f"{self.path}: {dotted}: expected a non-empty {expected}, got {value!r}")
        return value

    def markdown(self, table: dict, dotted: str) -> str:
        """Read the Markdown file a key names, relative to the config file."""
        name = self.get(table, dotted, str, "")
        if not name:
            return ""
        target = (self.path.parent / name)
        try:
            return target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{self.path}: {dotted}: cannot read {name!r}: {exc.__class__.__name__}") from None
