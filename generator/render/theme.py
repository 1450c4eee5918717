"""Find the theme, load its templates and static files, and report template errors by file and line.

Takes the config and the folders that hold themes; gives a Jinja2 ``Environment`` whose loader
tries the user's ``templates/`` beside the config first, then the chosen theme, then the default
theme (so a theme only needs the templates it changes; ``default/base.html`` names the default
theme's own, for a theme's template to extend), and the static files as
``{"static/<path>": bytes}`` merged in the same order (the user's ``static/`` wins). Any
template problem becomes a ``RenderError`` whose message starts with ``file:line:``.
"""
from __future__ import annotations

import re
import traceback
from collections.abc import Sequence
from pathlib import Path

import jinja2

from ..cache import THEMES
from ..config import SiteConfig

REPO_THEMES = THEMES  # the generator's own (cache.py: in the package when installed, else the checkout's)
DEFAULT_THEME = "default"
STATIC = "static"
_THEME_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class RenderError(Exception):
    """A theme or template problem, phrased as ``file:line: what is wrong`` where possible."""


def theme_search_path(config: SiteConfig, theme_dirs: Sequence[Path] | None) -> tuple[Path, ...]:
    """Folders that hold themes, first match wins: the given ones, else the site's then the repo's."""
    if theme_dirs is not None:
        return tuple(Path(d) for d in theme_dirs)
    return (config.root / "themes", REPO_THEMES)


def theme_layers(config: SiteConfig, theme_dirs: Sequence[Path] | None = None) -> tuple[Path, ...]:
    """The theme folders to use, most specific first: the chosen theme, then the default one."""
    search = theme_search_path(config, theme_dirs)
    names = [config.theme] if config.theme == DEFAULT_THEME else [config.theme, DEFAULT_THEME]
    return tuple(_find_theme(name, search) for name in names)


def _find_theme(name: str, search: Sequence[Path]) -> Path:
    if not _THEME_NAME.match(name):
        raise RenderError(f"theme {name!r}: a theme name is one folder name")
    for folder in search:
        if (folder / name / "templates").is_dir():
            return folder / name
    places = ", ".join(str(f) for f in search)
    raise RenderError(f"theme {name!r}: no {name}/templates folder in {places}")


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates in memory for the process's life, by template and source checksum (a
    changed template compiles again): serve renders with a new environment in every build, and
    compiling the theme's templates each time was most of a one-story render."""

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


COMPILED = _CompiledTemplates()


class _CompiledOnDisk(jinja2.FileSystemBytecodeCache):
    """The process's compiled templates, then those a build left in the cache folder (Jinja
    checks each against its template's source and its own and Python's versions), so a build in
    a new process does not compile the templates again."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        COMPILED.load_bytecode(bucket)
        if bucket.code is None:
            super().load_bytecode(bucket)
            if bucket.code is not None:
                COMPILED.dump_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        COMPILED.dump_bytecode(bucket)
        try:
            super().dump_bytecode(bucket)
        except OSError:  # a cache folder it cannot write to: the next build compiles again
            pass


def environment(config: SiteConfig, layers: Sequence[Path], bytecode: Path | None = None) -> jinja2.Environment:
    """Templates by name, first match wins: the user's, the chosen theme's, the default's. A
    theme's own templates are also reachable as ``<theme>/<name>``, so a theme's ``base.html``
    can extend ``default/base.html`` and change only some blocks (Pelican's ``!theme``).
    ``bytecode``: a folder to keep the compiled templates in from build to build."""
    folders = [config.root / "templates", *(layer / "templates" for layer in layers)]
    by_theme = {layer.name: jinja2.FileSystemLoader(str(layer / "templates")) for layer in layers}
    loader = jinja2.ChoiceLoader([*(jinja2.FileSystemLoader(str(f)) for f in folders if f.is_dir()),
                                  jinja2.PrefixLoader(by_theme)])
    return jinja2.Environment(
        loader=loader,
        bytecode_cache=COMPILED if bytecode is None else _on_disk(bytecode),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _on_disk(folder: Path) -> jinja2.BytecodeCache:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return COMPILED
    return _CompiledOnDisk(str(folder))


def render_template(env: jinja2.Environment, name: str, context: dict) -> bytes:
    """One template rendered to UTF-8 bytes; any Jinja problem becomes a located ``RenderError``."""
    try:
        return env.get_template(name).render(context).encode("utf-8")
    except jinja2.TemplateError as exc:
        raise template_error(exc, name) from exc


def template_error(exc: jinja2.TemplateError, name: str) -> RenderError:
    filename = getattr(exc, "filename", None) or getattr(exc, "name", None)
    lineno = getattr(exc, "lineno", None)
    if lineno is None:
        filename, lineno = _template_frame(exc, filename or name)
    message = exc.message or exc.__class__.__name__
    if isinstance(exc, jinja2.TemplateNotFound):
        message = f"template not found: {exc.message}"
    return RenderError(f"{filename}:{lineno}: {message}")


def _template_frame(exc: BaseException, fallback: str) -> tuple[str, int | str]:
    """Where in a template a runtime error happened: Jinja puts template frames in the traceback."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.endswith(".py")]
    if not frames:
        return fallback, "?"
    return frames[-1].filename, frames[-1].lineno or "?"


def static_files(config: SiteConfig, layers: Sequence[Path]) -> dict[str, bytes]:
    """Every static file under ``static/``: default theme, then chosen theme, then the user's."""
    folders = [*(layer / STATIC for layer in reversed(layers)), config.root / STATIC]
    files: dict[str, bytes] = {}
    for folder in folders:
        if folder.is_dir():
            files.update(_read_tree(folder))
    return dict(sorted(files.items()))


def _read_tree(folder: Path) -> dict[str, bytes]:
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not path.is_symlink() and not any(p.startswith(".") for p in relative.parts):
            found[f"{STATIC}/{relative.as_posix()}"] = path.read_bytes()
    return found
