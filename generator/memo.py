"""What the render carries from one build to the next, and the old output folder's files.

The site's render reuses its pages a unit at a time (``render/units.py``), by keys of the views
they show; what it takes from here is the carried state (``carried``: what the last build's
render left; ``carry``: what this one leaves), the old folder's files (``Kept``, ``old_bytes``),
``made_file`` (a file no template makes: a feed, an edition's email file) and ``template_reads``
(what a template reads, and a key of its sources).

``made_file(path, parts, make)`` hands back the last build's file at ``path`` when it was made
under the same key: the memo's salt (the code version and every config field the render reads)
with ``parts``, short strings (digests) naming everything ``make`` reads besides. Whoever calls
it must name every such input in ``parts``: that is what keeps a clean and an incremental build
byte-identical.

``template_reads`` gives the context paths a template and those it reaches read, from their
syntax trees: ``{{ copy.title }}`` reads ("copy", "title"), a loop over ``topic.stories`` reads all
of ("topic", "stories"), a bare ``{{ others }}`` or a value handed to a filter or a macro reads
the whole of ("others",). A template named through a variable reads everything (None). What a
template's source names and reads is remembered by its source, in the process and in the carry
(``PageMemo.facts``), since parsing is most of the cost and the sources rarely change.

Reused bytes are read back from the old output folder and checked against the hash recorded
when they were written, or, when the write stage can vouch for the old file (its size and time
are those it left), handed on unread as ``Kept``; a missing or changed file means the file is
simply made again.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import nodes

from .cache import file_hash, key

FACTS = "templates"  # the carried entry: each template source's names and read paths


@dataclass(frozen=True)
class Kept:
    """A page whose bytes are those of the old output folder's ``source`` file (hash ``digest``),
    handed on unread: the write links that file into the new folder."""

    source: str
    digest: str


class PageMemo:
    """The previous build's made files by key, and the ones this build makes. ``trust(source,
    digest)``: whether an old file is known to still hold those bytes without reading it (the
    write stage's listing); such files are given as ``Kept``, the others are read and checked."""

    def __init__(self, salt: str, previous: Mapping[str, str], old_root: Path,
                 trust: Callable[[str, str], bool] | None = None, carried: Mapping[str, object] | None = None,
                 bytecode: Path | None = None):
        self.salt = salt
        # values the last build's render left for this one (feed_files.py: each feed's items),
        # and the ones this build leaves for the next; each is checked against the old files
        self.carried = carried or {}
        self.carry: dict[str, object] = {}
        self.trust = trust
        self.previous = previous  # made file's key -> content hash
        self.old_root = Path(old_root)
        self.bytecode = bytecode  # a folder for the templates' compiled code (theme.py), if any
        self.pages: dict[str, str] = {}  # this build's made file keys -> content hash
        self.rendered = self.reused = 0
        facts = self.carried.get(FACTS)
        self._known_facts = facts if isinstance(facts, dict) else {}
        self.carry[FACTS] = {}  # the facts of the sources read this build only, so it never grows

    def made_file(self, path: str, parts: tuple[str, ...], make: Callable[[], bytes]) -> bytes | Kept:
        """The file at ``path`` that ``make()`` gives, a pure function of the salt and ``parts``:
        handed back from the previous build when they are the same."""
        made_key = key(self.salt, "made", path, *parts)
        content = self._old_file(made_key, path)
        if content is None:
            content = make()
        self.pages[made_key] = digest_of(content)
        return content

    def facts(self, env: jinja2.Environment, name: str, source: str) -> tuple[tuple[str, ...] | None, frozenset]:
        """``_facts`` of a template's source, the last build's when it had the same source."""
        fact_key = key(repr(_syntax(env)), name, source)
        used = self.carry[FACTS]
        found = used.get(fact_key) or self._known_facts.get(fact_key)
        if found is None:
            found = _facts(env, name, source)
        used[fact_key] = found
        return found

    def old_bytes(self, relative: str, digest: str) -> bytes | None:
        """The bytes of the old output folder's file ``relative`` if it holds ``digest``."""
        try:
            content = self.old_root.joinpath(*relative.split("/")).read_bytes()
        except OSError:
            return None
        trusted = self.trust is not None and self.trust(relative, digest)
        return content if trusted or file_hash(content) == digest else None

    def _old_file(self, made_key: str, path: str) -> bytes | Kept | None:
        digest = self.previous.get(made_key)
        if digest is None:
            return None
        if self.trust is not None and self.trust(path, digest):
            return Kept(path, digest)
        return self.old_bytes(path, digest)


def digest_of(content: bytes | Kept) -> str:
    """The content hash of a file made now or kept from the last build."""
    return content.digest if isinstance(content, Kept) else file_hash(content)


def template_reads(env: jinja2.Environment, name: str, memo: PageMemo | None = None) -> tuple[frozenset | None, str]:
    """The context paths a template and every template it reaches read (None: all of them), and a
    key of those templates' sources. A template that cannot be loaded or parsed reads everything:
    rendering it will raise the located error. ``memo``: its carried facts spare the parsing."""
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
            names, read = memo.facts(env, current, source) if memo is not None else _facts(env, current, source)
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
    syntax = _syntax(env)
    found = _FACTS.get((syntax, name, source))
    if found is None:
        tree = env.parse(source, name)
        names = _template_names(tree)
        found = _FACTS[(syntax, name, source)] = (None if names is None else tuple(names)), frozenset(_read_paths(tree))
    return found


def _syntax(env: jinja2.Environment) -> tuple:
    """The settings that decide how a source parses."""
    return (env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
            env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
            env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks, tuple(sorted(env.extensions)))


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
