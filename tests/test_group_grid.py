"""The counts the corpus weights read: exact when small, on a geometric grid above."""
from __future__ import annotations

import math

from generator.group.grid import PRECISION, cell, level


def test_small_counts_are_read_exactly():
    assert [level(n) for n in range(2 ** PRECISION)] == list(range(2 ** PRECISION))


def test_a_level_is_never_further_from_its_count_than_the_grid_allows():
    for n in range(1, 200_000, 7):
        assert abs(level(n) - n) <= n * 2 ** -PRECISION


def test_levels_keep_the_order_of_counts():
    levels = [level(n) for n in range(100_000)]
    assert levels == sorted(levels)


def test_an_idf_from_levels_stays_within_the_stated_bound():
    bound = 2 * math.log(1 + 2 ** -PRECISION)
    for size in (70, 999, 10_000, 123_457):
        for df in range(0, size + 1, max(1, size // 300)):
            exact = math.log((size + 1) / (df + 0.5))
            read = math.log((level(size) + 1) / (level(df) + 0.5))
            assert abs(read - exact) <= bound
            assert read > 0  # a word in every article still weighs something, as before


def test_a_count_moving_by_one_moves_its_level_about_once_a_cell():
    for f in (100, 1_000, 5_000, 40_000):
        moves = sum(level(n + 1) != level(n) for n in range(f, 2 * f))
        # over [f, 2f) about f / cell steps are crossed; each +1 crosses with 1 / cell(n)
        assert moves <= sum(1 / cell(n) for n in range(f, 2 * f)) + 2
        assert 2 ** (PRECISION - 1) / (2 * f) <= moves / f <= 2 ** PRECISION / f
