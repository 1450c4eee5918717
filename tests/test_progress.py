"""Stage timings as `build -v` prints them: a part of a stage is shown, and counted once."""
from __future__ import annotations

from generator.progress import Timings


def test_a_part_timed_inside_a_stage_is_listed_but_not_added_to_the_total_again():
    timings = Timings()
    with timings.stage("write") as note:
        with timings.stage("search", inside=True) as inner:
            inner("2 shards, 1 indexed")
        note("3 written")
    (search, inner_time, inner_note), (write, outer_time, outer_note) = timings.stages
    assert (search, inner_note, write) == ("search", "2 shards, 1 indexed", "write")
    own = float(outer_note.split("; ")[1].split(" s ")[0])
    assert outer_note == f"3 written; {own:.2f} s of it besides search"  # its own share is shown
    assert abs(own - (outer_time - inner_time)) < 0.006
    assert timings.total() == outer_time  # the write's time already holds the search's


def test_a_stage_with_no_part_inside_says_nothing_of_one():
    timings = Timings()
    with timings.stage("write", inside=False) as note:
        note("nothing changed")
    with timings.stage("links") as note:
        note("0 broken")
    assert [what for _, _, what in timings.stages] == ["nothing changed", "0 broken"]
