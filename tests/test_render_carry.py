"""The render's carry: stored a part at a time, given back whole; articles named by their origin."""
from __future__ import annotations

from generator.cache import Store
from generator.clean.furniture import OutletOutcome
from generator.memo import PageMemo
from generator.render_carry import article_origins, carried, keep


def test_a_carry_is_given_back_whole_and_a_part_left_as_it_was_is_not_written_again(tmp_path):
    store = Store(tmp_path / "cache")
    first = PageMemo("salt", {}, tmp_path)
    first.carry.update({"units": {"u": ()}, "slugs": {"A title": "a-title"}, "other": 1})
    keep(store, "site", first)
    assert carried(store, "site") == first.carry
    second = PageMemo("salt", {}, tmp_path, carried=carried(store, "site"))
    slugs = next((tmp_path / "cache" / "render-slugs").rglob("*.pickle"))
    slugs.write_bytes(b"left as it was")  # a part written again would replace this
    second.carry.update({"units": {"v": ()}, "slugs": {"A title": "a-title"}, "other": 1})
    keep(store, "site", second)
    assert slugs.read_bytes() == b"left as it was"
    assert carried(store, "site")["units"] == {"v": ()} and carried(store, "site")["other"] == 1


def test_an_articles_origin_names_its_file_its_place_and_the_blocks_its_furniture_left():
    articles = [object(), object(), object()]
    names = ["k1/0", "k1/1", "k2/0"]
    outcomes = {"outlet": OutletOutcome(("k1/0", "k1/1"), ((0, 2), None))}
    origins = article_origins(articles, names, outcomes, fresh={"k2"})
    assert origins == {id(articles[0]): (articles[0], "k1/0|0,2"), id(articles[1]): (articles[1], "k1/1")}
    again = article_origins(articles, names, {"outlet": OutletOutcome(("k1/0", "k1/1"), ((0, 1), None))}, set())
    assert again[id(articles[0])][1] != origins[id(articles[0])][1] and id(articles[2]) in again
