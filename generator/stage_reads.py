"""What a stage of the pipeline reads of the config and the corpus, and the cache key that follows.

Each stage declares a ``StageReads`` beside its function (``clean.READS``, ``group.READS``,
``render.READS``): the ``SiteConfig`` fields it reads (a property counts as the fields it is
computed from: ``root`` is ``path``, ``base_path`` is ``base_url``) and what of the corpus its
result depends on. The render may also name fields it reads only into values the page memo keys
each output file by (a page's context, a feed's items, an edition's parts): those are left out of
its key, since each file's own key changes with them, so that editing one curator's note renders
the pages that show it, not the whole site. ``config_part(reads, config)`` gives the part of the stage's cache key that
stands for the config, from the declaration alone, so that no list of what a stage reads is kept
anywhere else (``incremental.py`` only combines it with the code version and the corpus' keys).
A test runs each real stage with a config that records what is read of it and fails on any field
not declared (tests/test_stage_reads.py).
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from enum import Enum

from .cache import key
from .config import SiteConfig


class Corpus(Enum):
    """What of the corpus a stage's result depends on, and so what its key is made of."""

    EACH_FILE = "each file"  # one result per seed file, from that file alone (its path and bytes)
    ALL_ARTICLES = "all articles"  # one result from every cleaned article (every file's key)
    STORIES = "stories"  # the grouped stories (the page memo keys each page by what it shows)


CONFIG_FIELDS = frozenset(f.name for f in fields(SiteConfig))


@dataclass(frozen=True)
class StageReads:
    stage: str
    config: tuple[str, ...]  # SiteConfig fields, in a fixed order
    corpus: Corpus
    through_output: tuple[str, ...] = ()  # fields read only into what each output file is keyed by

    @property
    def fields(self) -> frozenset[str]:
        """Every config field the stage reads, keyed or not."""
        return frozenset(self.config) | frozenset(self.through_output)

    def __post_init__(self) -> None:
        unknown = sorted(self.fields - CONFIG_FIELDS)
        if unknown:
            raise ValueError(f"stage {self.stage}: {', '.join(unknown)} is no SiteConfig field")


def config_part(reads: StageReads, config: SiteConfig) -> str:
    """A key for the values of the fields the stage reads: any change to one is a new key."""
    return key(reads.stage, *(f"{name}={getattr(config, name)!r}" for name in reads.config))
