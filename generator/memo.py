"""Render a page again only when something its templates can read has changed.

The site's render reuses its pages a unit at a time (``render/units.py``), by keys of the views
they show; what it takes from here is the carried state, the old folder's files (``Kept``,
``old_bytes``), ``made_file`` (the feeds, an edition's email file) and ``template_reads`` (what a
template reads, and its sources). Keying each page by what its templates read (``render``, below)
is the finer tool the units replaced, kept for a caller that renders pages one by one.

Takes the Jinja environment, a template name and the page's context; gives the page's bytes,
reused from the previous site when the page's key is one the previous build rendered. The key
hashes the code version, the source of every template the page's template can reach (extends,
include, import) and the value at every context path those templates read. The paths come from
the templates' syntax trees: ``{{ copy.title }}`` reads ("copy", "title"), a loop over
``topic.stories`` reads all of ("topic", "stories"), a bare ``{{ others }}`` or a value handed to
a filter or a macro reads the whole of ("others",). So an article page, whose context holds its
whole topic but which only shows the topic's title and link, is not rendered again when another
story of the topic changes. Names that templates bind themselves (loop variables, macro
arguments) are looked up in the context too and found missing, which only adds a harmless
dependency. A template named through a variable makes its pages depend on the whole context.

A value the page would only need if it were rendered can be given as a ``render.deferred.Deferred``
(a function and its inputs): its key is the function's name and its inputs, so an unchanged page
costs neither making it nor reading it. The cost of a key is so in proportion to the number of
values the page reads, each written once per build: a frozen record, a tuple or a frozenset
shared by many pages (the site, a topic, a story) is written once and stood for by a digest, and
what a template reads of a record along plain attribute chains (``copy.title``, ``copy.date.iso``)
is fetched in one ``operator.attrgetter`` call. A record the render can name by a digest of what
it is made from (a story's view, an article: ``render.digests``) is vouched for (``vouch``) and
written as that digest, never field by field, so a listing of every story costs a short string
per story; what a template reads along a chain of it is still read from the record itself.

Besides page keys the memo carries values from one build's render to the next (``carried``,
``carry``: each feed's items' digests, each title's slug), each kept under the code version and
checked against the old files before use.

Reused bytes are read back from the old output folder and checked against the hash recorded
when they were written, or, when the write stage can vouch for the old file (its size and time
are those it left), handed on unread as ``Kept``; a missing or changed file, or a value of a type
this module cannot hash, means the page is simply rendered.
"""
from __future__ import annotations

import dataclasses
import hashlib
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath

import jinja2
from jinja2 import nodes

from .cache import file_hash, key
from .render.deferred import Deferred, made
from .render.theme import render_template

MISSING = object()  # what a template finds at a path the context does not have
UNREADABLE = object()  # a path whose lookup raised: rendering will say why, if it gets there
SCALARS = frozenset({str, int, float, bool, type(None)})  # written by repr, which tells them apart


class Unhashable(Exception):
    """A context value of a type the page key cannot account for."""


@dataclass(frozen=True)
class Kept:
    """A page whose bytes are those of the old output folder's ``source`` file (hash ``digest``),
    handed on unread: the write links that file into the new folder."""

    source: str
    digest: str


class PageMemo:
    """The previous build's pages by key, and the ones this build makes. ``trust(source,
    digest)``: whether an old file is known to still hold those bytes without reading it (the
    write stage's listing); such pages are given as ``Kept``, the others are read and checked."""

    def __init__(self, salt: str, previous: Mapping[str, str], old_files: Mapping[str, str], old_root: Path,
                 trust: Callable[[str, str], bool] | None = None, carried: Mapping[str, object] | None = None):
        self.salt = salt
        # values the last build's render left for this one (feed_files.py: each feed's items),
        # and the ones this build leaves for the next; each is checked against the old files
        self.carried = carried or {}
        self.carry: dict[str, object] = {}
        self.trust = trust
        self.previous = previous  # page key -> content hash
        self.old_files = old_files  # content hash -> path in the old output folder
        self.old_root = Path(old_root)
        self.pages: dict[str, str] = {}  # this build's page key -> content hash
        self.rendered = self.reused = 0
        self._reads: dict[str, tuple[list | None, str]] = {}
        self._encoder = Encoder()
        self._groups: dict[tuple[int, tuple], tuple[object, str]] = {}

    def render(self, env: jinja2.Environment, name: str, context: dict) -> bytes | Kept:
        page_key = self._page_key(env, name, context)
        content = self._old_page(page_key) if page_key else None
        if content is None:
            content = render_template(env, name, made(context))
            self.rendered += 1
        else:
            self.reused += 1
        if page_key:
            self.pages[page_key] = digest_of(content)
        return content

    def _page_key(self, env: jinja2.Environment, name: str, context: dict) -> str | None:
        if name not in self._reads:
            paths, sources = template_reads(env, name)
            readers = None if paths is None else tuple(_Reader(root, found) for root, found in _by_root(paths))
            self._reads[name] = readers, sources
        readers, sources = self._reads[name]
        try:
            if readers is None:
                values = [f"{k!r}={self._encoder.text(v)}" for k, v in sorted(context.items())]
            else:
                values = [self._group_text(env, context, reader) for reader in readers]
        except Unhashable:
            return None
        return key(self.salt, sources, name, "\n".join(values))

    def _group_text(self, env: jinja2.Environment, context: dict, reader: _Reader) -> str:
        """The text of what a template reads under one context name. Under a frozen value shared by
        many pages (the site, a topic, a story) it is the same on each, so it is made once."""
        value = context.get(reader.root, MISSING)
        if value is MISSING:
            return reader.missing  # a name the template binds itself, or one this page lacks
        if type(value) is Deferred:
            return f"{reader.head}={self._encoder.text(value)}"  # all of it: what it is made from
        shared = type(value) is tuple or type(value) is frozenset or _frozen_record(value)
        found = self._groups.get((id(value), reader.paths)) if shared else None
        if found is None:
            text = reader.text(env, value, self._encoder)
            if not shared:
                return text
            found = self._groups[(id(value), reader.paths)] = (value, text)  # kept alive: its id stays its own
        return found[1]

    def vouch(self, value, digest: str) -> None:
        """Write ``value`` (a frozen record) in every key as ``digest``, a digest of what it is
        made from (``render.digests``): equal digests must mean equal values."""
        self._encoder.vouch(value, digest)

    def made_file(self, name: str, inputs: tuple, make: Callable[[], bytes]) -> bytes | Kept:
        """A file that no template makes (a feed), ``make()`` being a pure function of ``inputs``:
        handed back from the previous build when they are equal, like a page."""
        try:
            made_key = key(self.salt, "made", name, self._encoder.text(inputs))
        except Unhashable:
            made_key = None
        content = self._old_page(made_key) if made_key else None
        if content is None:
            content = make()
        if made_key:
            self.pages[made_key] = digest_of(content)
        return content

    def old_bytes(self, relative: str, digest: str) -> bytes | None:
        """The bytes of the old output folder's file ``relative`` if it holds ``digest``."""
        try:
            content = self.old_root.joinpath(*relative.split("/")).read_bytes()
        except OSError:
            return None
        trusted = self.trust is not None and self.trust(relative, digest)
        return content if trusted or file_hash(content) == digest else None

    def _old_page(self, page_key: str) -> bytes | Kept | None:
        digest = self.previous.get(page_key)
        relative = self.old_files.get(digest) if digest else None
        if relative is None:
            return None
        if self.trust is not None and self.trust(relative, digest):
            return Kept(relative, digest)
        try:
            content = self.old_root.joinpath(*relative.split("/")).read_bytes()
        except OSError:
            return None
        return content if file_hash(content) == digest else None


class _Reader:
    """What one template reads under one context name: the name alone (all of its value), plain
    attribute chains (fetched together by one ``attrgetter``) and other paths (item lookups)."""

    def __init__(self, root: str, paths: tuple):
        self.root, self.paths = root, paths
        self.head = repr(paths)
        self.missing = f"{self.head}=<missing>"
        self.whole = any(len(p) == 1 for p in paths)
        self.chains = tuple(p for p in paths if len(p) > 1 and all(type(s) is str for s in p[1:]))
        self.others = tuple(p for p in paths if len(p) > 1 and p not in self.chains)
        self.getter = operator.attrgetter(*(".".join(p[1:]) for p in self.chains)) if self.chains else None

    def text(self, env: jinja2.Environment, value, encoder: Encoder) -> str:
        parts = [self.head]
        if self.whole:
            parts.append(encoder.text(value))
        if self.getter is not None:
            parts.append(self._chains(env, value, encoder))
        parts += [encoder.text(_follow(env, value, p[1:])) for p in self.others]
        return "\n".join(parts)

    def _chains(self, env: jinja2.Environment, value, encoder: Encoder) -> str:
        """The values at the attribute chains: in one C call where every step is an attribute
        (what Jinja tries first, so the values are the ones it finds), else one Jinja lookup each."""
        try:
            found = self.getter(value)
        except Exception:  # a step Jinja would look up as an item, or find undefined
            return "S" + "\x1f".join(encoder.text(_follow(env, value, p[1:])) for p in self.chains)
        return "F" + encoder.scalars_or_texts(found if len(self.chains) > 1 else (found,))


def _by_root(paths: frozenset) -> tuple[tuple[str, tuple], ...]:
    """The paths grouped by the context name they start from, in a fixed order."""
    roots: dict[str, list] = {}
    for path in sorted(paths, key=repr):
        roots.setdefault(path[0], []).append(path)
    return tuple((root, tuple(found)) for root, found in sorted(roots.items()))


def digest_of(content: bytes | Kept) -> str:
    """The content hash of a file made now or kept from the last build."""
    return content.digest if isinstance(content, Kept) else file_hash(content)


def template_reads(env: jinja2.Environment, name: str) -> tuple[frozenset | None, str]:
    """The context paths a template and every template it reaches read (None: all of them), and a
    key of those templates' sources. A template that cannot be loaded or parsed reads everything:
    rendering it will raise the located error."""
    paths: set[tuple] = set()
    sources: list[str] = []
    pending, seen = [name], set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            source = env.loader.get_source(env, current)[0]
            names, read = _facts(env, current, source)
        except jinja2.TemplateError:
            return None, key(*sources, current)
        sources += [current, source]
        if names is None:
            return None, key(*sources)
        pending += names
        paths |= read
    return frozenset(paths), key(*sources)


_FACTS: dict[tuple, tuple] = {}


def _facts(env: jinja2.Environment, name: str, source: str) -> tuple[tuple[str, ...] | None, frozenset]:
    """What one template's source names and reads; remembered by its source and the syntax
    settings, since serve rebuilds often and parsing is most of the cost."""
    syntax = (env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
              env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
              env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks, tuple(sorted(env.extensions)))
    found = _FACTS.get((syntax, name, source))
    if found is None:
        tree = env.parse(source, name)
        names = _template_names(tree)
        found = _FACTS[(syntax, name, source)] = (None if names is None else tuple(names)), frozenset(_read_paths(tree))
    return found


def _template_names(tree: nodes.Template) -> list[str] | None:
    """Templates this one extends, includes or imports; None when one is named by a variable."""
    found = []
    for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        if not isinstance(node.template, nodes.Const) or not isinstance(node.template.value, str):
            return None
        found.append(node.template.value)
    return found


def _read_paths(tree: nodes.Template) -> set[tuple]:
    parents: dict[int, nodes.Node] = {}
    stack = [tree]
    while stack:
        node = stack.pop()
        for child in node.iter_child_nodes():
            parents[id(child)] = node
            stack.append(child)
    return {_path(name, parents) for name in tree.find_all(nodes.Name) if name.ctx == "load"}


def _path(name: nodes.Name, parents: dict[int, nodes.Node]) -> tuple:
    """The longest attribute chain read from a name: ``a.b["c"].d`` gives ("a", "b", "c", "d")."""
    path, node = [name.name], name
    while True:
        parent = parents.get(id(node))
        if isinstance(parent, nodes.Getattr) and parent.node is node:
            path.append(parent.attr)
        elif (isinstance(parent, nodes.Getitem) and parent.node is node and isinstance(parent.arg, nodes.Const)
              and isinstance(parent.arg.value, (str, int))):
            path.append(parent.arg.value)
        else:
            break
        node = parent
    if isinstance(parents.get(id(node)), nodes.Call) and parents[id(node)].node is node and len(path) > 1:
        path.pop()  # a method call: it may read anything of the object it is called on
    return tuple(path)


def resolve(env: jinja2.Environment, context: Mapping, path: tuple):
    """The value a template finds at a path, with Jinja's own attribute-then-item lookup."""
    if path[0] not in context:
        return MISSING
    return _follow(env, context[path[0]], path[1:])


def _follow(env: jinja2.Environment, value, steps: tuple):
    for step in steps:
        try:
            value = env.getattr(value, step) if isinstance(step, str) else env.getitem(value, step)
        except Exception:
            return UNREADABLE
        if isinstance(value, jinja2.Undefined):
            return MISSING
    return value


class Encoder:
    """A canonical text for context values: equal values give equal text in any process, and
    values that differ (in type too: 1, 1.0, True, "1" and Markup("1")) give different text.

    Strings are written with ``repr``, so quotes and escapes keep every text unambiguous. Tuples,
    frozensets and frozen records are written once per build, as a digest of their text ("#" and
    hex, a form no other text takes), and remembered by identity; the objects are kept alive
    alongside, so an identity is never reused by another object while this encoder lives (one
    build). So a value costs its size once per build and a page's key costs in proportion to the
    number of values it reads. A type it does not know raises ``Unhashable``."""

    def __init__(self):
        self._seen: dict[int, tuple[object, str]] = {}
        self._fields: dict[type, tuple[tuple[str, ...], Callable | None]] = {}

    def vouch(self, value, digest: str) -> None:
        """Stand for a frozen record by ``digest`` (hex), given by what made it. "#=" keeps such a
        text apart from the digests of written-out values ("#" and hex)."""
        if not _frozen_record(value):
            raise TypeError(f"only a frozen record can be vouched for, not a {type(value).__qualname__}")
        self._seen[id(value)] = (value, f"#={digest}")

    def text(self, value) -> str:
        kind = type(value)
        if kind is str or kind is int or kind is float or kind is bool or value is None:
            return repr(value)
        if isinstance(value, str):
            return f"{kind.__qualname__}:{str.__repr__(value)}"
        if value is MISSING or value is UNREADABLE:
            return "<missing>" if value is MISSING else "<unreadable>"
        if kind is Deferred:
            return self._deferred(value)
        seen = self._seen.get(id(value))
        if seen is not None:
            return seen[1]
        text = self._compound(value, kind)
        if kind is tuple or kind is frozenset or _frozen_record(value):
            # Stand for the value by a digest of its text: a page key, and any value holding this
            # one, then costs one short string for it however big it is (a topic's stories).
            text = "#" + hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()
            self._seen[id(value)] = (value, text)
        return text

    def _compound(self, value, kind: type) -> str:
        if isinstance(value, (tuple, list)):
            return f"{kind.__name__}(" + ",".join(self.text(item) for item in value) + ")"
        if isinstance(value, dict):
            return "dict(" + ",".join(sorted(f"{self.text(k)}:{self.text(v)}" for k, v in value.items())) + ")"
        if isinstance(value, (frozenset, set)):
            return f"{kind.__name__}(" + ",".join(sorted(self.text(item) for item in value)) + ")"
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return f"{kind.__module__}.{kind.__qualname__}{self._record_fields(value, kind)}"
        if isinstance(value, (bytes, PurePath)):
            return f"{kind.__name__}:{str(value)!r}"
        raise Unhashable(f"cannot account for a {kind.__qualname__} in a page key")

    def _record_fields(self, value, kind: type) -> str:
        """A record's fields in order: ``repr`` of them all when each is a plain scalar (one C
        call for the lot), else each written by ``text``."""
        if kind not in self._fields:
            names = tuple(f.name for f in dataclasses.fields(kind))
            self._fields[kind] = (names, operator.attrgetter(*names) if names else None)
        names, getter = self._fields[kind]
        return self.scalars_or_texts((getter(value) if len(names) > 1 else (getter(value),)) if names else ())

    def scalars_or_texts(self, values: tuple) -> str:
        """The ``repr`` of values, each one that is no plain scalar standing as its text."""
        if set(map(type, values)) <= SCALARS:
            return repr(values)
        return repr(tuple(item if type(item) in SCALARS else _Written(self.text(item)) for item in values))

    def _deferred(self, value: Deferred) -> str:
        """A deferred value by what makes it: a module-level function (the code version covers its
        body) and its inputs. Anything else (a lambda, a bound method) cannot be named: Unhashable."""
        make = value.make
        name = getattr(make, "__qualname__", "<unnamed>")
        if "<" in name or getattr(make, "__self__", None) is not None or not isinstance(value.inputs, tuple):
            raise Unhashable(f"cannot account for the deferred value {name} in a page key")
        return f"deferred {make.__module__}.{name}{self.text(value.inputs)}"


class _Written(str):
    """A value's text inside the ``repr`` of a record's fields: in angle brackets, which no scalar's
    ``repr`` starts with, so a field holding the string "#ab" and one holding a value written
    "#ab" differ."""

    def __repr__(self) -> str:
        return f"<{self}>"


def _frozen_record(value) -> bool:
    params = getattr(type(value), "__dataclass_params__", None)
    return params is not None and params.frozen
