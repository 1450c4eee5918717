"""What the render carries from one build to the next, and the names it is carried under.

Takes the cache ``Store`` and the page memo's ``carry`` (``memo.PageMemo``: each unit's pages,
each article's digest, each feed's items, the slugs, what each template reads); stores it a part
at a time (``RENDER_PARTS``), writing only the parts this build changed, and gives it back whole.
Also names each article by its origin for the render (``article_origins``), from what the clean
stage knows of it: its file's cache key, its place in the file, the blocks its outlet's furniture
left it. A carried part is only ever a shortcut checked against what it stands for (old files by
hash, sources by content, origins by what made them), so parts of different builds may meet.
"""
from __future__ import annotations

# The parts of the render's carry (render/units.py, digests.py, feed_files.py, urls.py, memo.py),
# each stored apart; "rest" holds any other.
RENDER_PARTS = ("units", "articles", "feeds", "slugs", "assigned", "templates", "rest")


def carried(store, name: str) -> dict:
    """The carry the last render stored under ``name``, its parts together again."""
    found = {}
    for part in RENDER_PARTS:
        value = store.get(f"render-{part}", name)
        if value is not None:
            found[part] = value
    rest = found.pop("rest", None)
    return {**rest, **found} if isinstance(rest, dict) else found


def keep(store, name: str, memo) -> None:
    """The memo's carry stored under ``name``, each part only if it is not the one it carried in."""
    carry, last = _parted(memo.carry), _parted(memo.carried)
    for part in RENDER_PARTS:
        if part in carry and (part not in last or last[part] != carry[part]):
            store.put(f"render-{part}", name, carry[part])
            store.keep_latest(f"render-{part}", 2)


def _parted(carry) -> dict:
    parted = dict(carry)
    parted["rest"] = {part: parted.pop(part) for part in list(parted) if part not in RENDER_PARTS}
    return parted


def article_origins(articles: list, names: list[str], outcomes: dict, fresh: set) -> dict[int, tuple]:
    """Each article by identity, with a name of exactly what made it: its file's cache key and
    place in the file (``names``: ``<file key>/<n>``), and the blocks its outlet's furniture
    left it (``outcomes``); the render carries its digest under that name (render/digests.py),
    so an unchanged article is not digested again. Articles of ``fresh`` file keys (changed since
    the scan, so their results are not stored under that key) are left out: they are digested."""
    kept = {member: keep for outcome in outcomes.values()
            for member, keep in zip(outcome.members, outcome.kept) if keep is not None}
    origins = {}
    for article, name in zip(articles, names):
        if name.rsplit("/", 1)[0] in fresh:
            continue
        keep = kept.get(name)
        origins[id(article)] = (article, name if keep is None else f"{name}|{','.join(map(str, keep))}")
    return origins
