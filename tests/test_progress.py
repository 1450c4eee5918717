"""Stage timings as `build -v` prints them: a part of a stage is shown, and counted once."""
from __future__ import annotations

from generator.progress import Timings


def test_a_part_timed_inside_a_stage_is_listed_but_not_added_to_the_total_again():
    timings = Timings()
    with timings.stage("write") as note:
        with timings.stage("search", inside=True) as inner:
            inner("2 shards, 1 indexed")
        note("3 written")
    assert [(name, what) for name, _, what in timings.stages] == [("search", "2 shards, 1 indexed"), ("write", "3 written")]
    assert timings.total() == timings.stages[1][1]  # the write's time already holds the search's
