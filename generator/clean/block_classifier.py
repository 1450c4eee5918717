"""Say how likely each block of an article is article text, from learned weights.

Takes the article's blocks, its title and whether it is a text form (plain text, blob, feed,
fragment) or an HTML page; gives one probability per block that a careful editor keeps it.
The weights are a logistic regression trained by ``scripts/train_blocks.py`` (scikit-learn) and
exported to ``generator/data/block_weights.json``; inference here is a dot product and a sigmoid
in plain Python, so a build imports no numerical library. Each form has its own weights: on HTML
trafilatura has already removed most boilerplate, in text nothing has.
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..model import Block
from .block_features import FEATURES, DocContext, context, features
from .rules import Rules

WEIGHTS = Path(__file__).resolve().parent.parent / "data" / "block_weights.json"


@dataclass(frozen=True)
class FormModel:
    """One form's standardisation and coefficients, and its decision thresholds."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    drop_below: float  # keep probability under which a block is dropped

    def probability(self, x: tuple[float, ...]) -> float:
        # A list, not a generator, for speed; the same terms summed in the same order.
        z = self.intercept + sum([c * (v - m) / s for c, v, m, s in zip(self.coef, x, self.mean, self.scale)])
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


@lru_cache(maxsize=1)
def load_models() -> dict[str, FormModel]:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{WEIGHTS.name}: trained on other features; run scripts/train_blocks.py")
    return {form: FormModel(tuple(m["mean"]), tuple(m["scale"]), tuple(m["coef"]), m["intercept"],
                            m["drop_below"])
            for form, m in data["models"].items()}


def form_of(text_form: bool) -> str:
    return "text" if text_form else "html"


def keep_probabilities(blocks: list[Block], title: str | None, text_form: bool, rules: Rules) -> list[float]:
    model = load_models()[form_of(text_form)]
    ctx = context(blocks, title, text_form)
    return [model.probability(features(blocks, i, ctx, rules)) for i in range(len(blocks))]


class KeepOdds(Mapping):
    """Each block's keep probability by the block's identity, worked out the first time it is
    asked (the article's context at the first ask): the same numbers ``keep_probabilities``
    gives, since a block's features depend on the context and on no other block's probability.
    The layout asks only about the body's blocks, so the head and end matter of a scrape (most
    of its blocks, often) are never judged."""

    def __init__(self, blocks: list[Block], title: str | None, text_form: bool, rules: Rules):
        self._blocks, self._title, self._text_form, self._rules = blocks, title, text_form, rules
        self._at = {id(b): i for i, b in enumerate(blocks)}  # a block listed twice: its last place
        self._model = load_models()[form_of(text_form)]
        self._ctx: DocContext | None = None
        self._odds: dict[int, float] = {}

    def __getitem__(self, key: int) -> float:
        found = self._odds.get(key)
        if found is None:
            at = self._at[key]
            if self._ctx is None:
                self._ctx = context(self._blocks, self._title, self._text_form)
            found = self._odds[key] = self._model.probability(features(self._blocks, at, self._ctx, self._rules))
        return found

    def __iter__(self) -> Iterator[int]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)


def drop_below(text_form: bool) -> float:
    return load_models()[form_of(text_form)].drop_below
