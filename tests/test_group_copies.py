"""Copy groups (group/copies.py): articles that hold most of each other's evidence lines verbatim
are one group, and how common a name is counts the groups holding it, not the copies.

Inputs are invented short reports built with test_group_stories.make."""
from __future__ import annotations

from generator.group.fingerprint import Vocabulary, fingerprint
from test_group_stories import make

BRIDGE = ("The Tarnow bridge over the Ilse will shut for 9 weeks from 3 June, the council of Vendholm said.",
          "Engineers found cracks in the 1912 steel arches during the spring inspection.",
          "Buses will cross at the Mellor ferry landing instead, adding 25 minutes to the trip.",
          "The repairs will cost 3.4 million kronor, paid from the road budget.")
FOLLOW_UP = ("Vendholm will vote next month on a new cycle lane along the Ilse embankment.",
             "The lane would link the Mellor ferry landing with the Hedda school, councillor Ane Brask said.",
             "Cyclists asked for it after the Tarnow bridge closure forced them onto the main road.",
             "The Tarnow bridge over the Ilse will shut for 9 weeks from 3 June, the council of Vendholm said.",
             "Engineers found cracks in the 1912 steel arches during the spring inspection.",
             "The council expects 600 riders a day on the lane in summer.")


def test_verbatim_copies_are_one_group_and_a_follow_up_quoting_two_lines_is_not():
    copies = [make(f"bridge-{n}.txt", BRIDGE, title="Tarnow bridge to shut for repairs") for n in range(4)]
    later = make("cycle-lane.txt", FOLLOW_UP, title="Vendholm weighs a cycle lane by the Ilse")
    vocab = Vocabulary([fingerprint(a) for a in [*copies, later]])
    assert vocab.group == [0, 0, 0, 0, 4] and vocab.groups == 2


def test_a_name_four_copies_hold_is_held_by_one_story():
    copies = [make(f"bridge-{n}.txt", BRIDGE, title="Tarnow bridge to shut for repairs") for n in range(4)]
    later = make("cycle-lane.txt", FOLLOW_UP, title="Vendholm weighs a cycle lane by the Ilse")
    vocab = Vocabulary([fingerprint(a) for a in [*copies, later]])
    assert (vocab.neutral["tarnow"], vocab.stories("tarnow")) == (5, 2)  # the copies, and the follow-up
    # the lines the follow-up repeats are background in it (five articles hold them): only the copies count
    assert (vocab.neutral["#1912"], vocab.stories("#1912")) == (4, 1)
    assert vocab.stories("brask") == vocab.neutral["brask"] == 1
    assert vocab.stories("absent") == 0


def test_the_leader_of_a_group_is_the_copy_ranked_first():
    copies = [make(f"bridge-{n}.txt", BRIDGE) for n in range(3)]
    vocab = Vocabulary([fingerprint(a) for a in copies], rank=[2, 0, 1])
    assert vocab.group == [1, 1, 1]
