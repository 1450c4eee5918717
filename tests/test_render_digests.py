"""An article's digest: equal records give equal digests, any field that differs a different one."""
from __future__ import annotations

import pickle
from dataclasses import dataclass, replace

from generator.model import Block, PartialDate
from generator.render.digests import article_digest
from render_helpers import article


def test_equal_articles_give_one_digest_whether_made_or_read_back():
    made = article("a.txt", "A title", date=PartialDate(2024, 5, 1))
    assert article_digest(made) == article_digest(pickle.loads(pickle.dumps(made)))


def test_every_field_and_every_block_counts():
    base = article("a.txt", "A title", date=PartialDate(2024, 5, 1))
    variants = [replace(base, title="A title."), replace(base, date=PartialDate(2024, 5)), replace(base, date=None),
                replace(base, item=""), replace(base, machine_translated=True),
                replace(base, blocks=base.blocks[:-1]),
                replace(base, blocks=(replace(base.blocks[0], html=base.blocks[0].text), *base.blocks[1:])),
                replace(base, blocks=(replace(base.blocks[0], kind="li"), *base.blocks[1:]))]
    digests = {article_digest(v) for v in variants}
    assert len(digests) == len(variants) and article_digest(base) not in digests


@dataclass(frozen=True)
class MarkedBlock(Block):
    mark: str = ""


def test_a_block_of_another_kind_is_digested_whole():
    base = article("a.txt", "A title")
    one = replace(base, blocks=(MarkedBlock("p", "Text.", mark="x"),))
    other = replace(base, blocks=(MarkedBlock("p", "Text.", mark="y"),))
    assert article_digest(one) != article_digest(other)
