"""Measure single stages of the build on a generated project, in one process.

    python benchmarks/stages.py PROJECT clean   [--sample 300]   cleaning throughput, one core
    python benchmarks/stages.py PROJECT pairs   [--sample 300]   grouping cost per article and pair
    python benchmarks/stages.py PROJECT render                   render and write every article
    python benchmarks/stages.py PROJECT topics-edit [--snapshot PKL]  topic assignment, clean and after an edit
    python benchmarks/stages.py PROJECT group-edit --snapshot PKL     regroup after one edited article
    python benchmarks/stages.py PROJECT render-edit --snapshot S  render clean, then after one edit

Takes a project made by corpus.py; prints one JSON object. ``clean`` reads and cleans a spread
sample of the seed files after the build's own ``prepare`` and a warm-up (the language models
and date parser are loaded before the clock starts): articles per CPU second of this process. ``pairs`` fingerprints the sample's articles
and compares random pairs of them, which with the corpus size gives the all-pairs grouping's
cost, ``fingerprint × N + compare × N(N-1)/2``: an estimate, for corpora whose grouping does not
finish in the benchmark's time. ``render`` takes every article from the project's cache (a
previous build cleaned them), makes each its own story (the grouping is the one stage it
skips), sorts them into topics and times ``render_site`` and ``write_site``, then a second write
of the same files: how the stages after grouping scale. ``topics-edit`` takes the grouped stories
(a snapshot pickle's "stories", from benchmarks/snapshot.py, else the project's cache grouped now) and
times ``assign_topics`` with an empty cache (a clean build), then again through that cache after
each of three edits of one published story (a sentence added, rewritten about another topic,
rewritten about none), and checks each against a clean run of the edited stories. ``group-edit``
takes the cleaned articles of a snapshot (``benchmarks/snapshot.py PROJECT OUT.pkl``; the project's config gives the
topics), groups them all with a fresh group cache, saves the cache to a pieces file and opens it
again (as a build's store does: group/state.py), edits one article's body, groups again with
the opened cache (which reads the pieces it needs as it goes) and saves what changed: the sum,
``edit_group_stage``, is what one edit costs the group stage; its stories are checked against a
clean grouping of the edited list.
``render-edit`` takes the stories of a
snapshot (``benchmarks/snapshot.py`` makes one: a pickle whose "stories" are a build's grouped stories)
and times the build's own render stage (``Builder.render``, with its page memo, staging and link
book; the link check and the write after it are run but not timed) twice in this process: from nothing, then, after that site is written, again once one
story's primary article has a new title (what an edit of one seed file most often changes),
with the pages rendered and reused each time; then a second edit of another story
(``second_edit``: its staging takes the spare folder the first edit's write left, as a build
after the first one after a clean build does).
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.clean import prepare  # noqa: E402
from generator.seed_file import clean_file  # noqa: E402
from generator.config import load_config  # noqa: E402


def sample_files(seeds: Path, size: int) -> list[Path]:
    files = sorted(p for p in seeds.iterdir() if p.is_file())
    step = max(1, len(files) // size)
    return files[::step][:size]


def cleaned(project: Path, size: int) -> tuple[list, float, int, float]:
    """The sample's articles, wall seconds, file count and CPU seconds of this process."""
    config = load_config(project / "digest.toml")
    files = sample_files(project / "seeds", size + 5)
    prepare(config)  # what the build loads before the first file: rules, both detectors, dateparser
    for path in files[:5]:  # warm-up: imports and first-call costs of the readers
        clean_file(path, path.name, config)
    start, cpu = time.perf_counter(), time.process_time()
    articles = [a for path in files[5:] for a in clean_file(path, path.name, config)[0]]
    return articles, time.perf_counter() - start, len(files) - 5, time.process_time() - cpu


def measure_clean(project: Path, size: int) -> dict:
    """Per core is articles over CPU seconds: a figure that other work on the machine does not move."""
    articles, seconds, count, cpu = cleaned(project, size)
    return {"files": count, "articles": len(articles), "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3),
            "articles_per_second_one_core": round(len(articles) / cpu, 1)}


def measure_pairs(project: Path, size: int, pairs: int = 3000) -> dict:
    from generator.group.fingerprint import Vocabulary, compare, fingerprint

    articles, _, _, _ = cleaned(project, size)
    start = time.perf_counter()
    prints = [fingerprint(a) for a in articles]
    per_print = (time.perf_counter() - start) / len(prints)
    vocab = Vocabulary(prints)
    rng = random.Random(1)
    chosen = [tuple(rng.sample(range(len(prints)), 2)) for _ in range(pairs)]
    start = time.perf_counter()
    for i, j in chosen:
        compare(prints[i], prints[j], vocab)
    per_pair = (time.perf_counter() - start) / pairs
    n = sum(1 for p in (project / "seeds").iterdir() if p.is_file())
    return {"fingerprint_ms": round(per_print * 1000, 3), "pair_ms": round(per_pair * 1000, 4), "corpus_files": n,
            "estimated_grouping_seconds": round(per_print * n + per_pair * n * (n - 1) / 2, 1)}


def measure_render(project: Path) -> dict:
    from generator.cache import CACHE_DIR, Store, scan_seeds
    from generator.group.stories import story_id
    from generator.group.topics import assign_topics
    from generator.incremental import Builder
    from generator.model import Copy, Story
    from generator.render import render_site
    from generator.write import write_site

    config = load_config(project / "digest.toml")
    seeds = project / "seeds"
    start = time.perf_counter()
    articles, _, _ = Builder(Store(project / CACHE_DIR)).clean(config, seeds, scan_seeds(seeds).hashes)
    loaded = time.perf_counter() - start
    stories = assign_topics([Story(story_id([a]), (Copy(a, "original"),)) for a in articles], config)
    start = time.perf_counter()
    files = render_site(config, [s for s in stories if s.topic])
    rendered = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        write_site(files, Path(tmp) / "site")
        written = time.perf_counter() - start
        start = time.perf_counter()
        write_site(files, Path(tmp) / "site")
        unchanged = time.perf_counter() - start
    return {"articles": len(articles), "files": len(files), "load_from_cache_seconds": round(loaded, 2),
            "render_seconds": round(rendered, 2), "write_seconds": round(written, 2),
            "write_unchanged_seconds": round(unchanged, 2)}


def _stories(project: Path, snapshot: Path | None) -> list:
    if snapshot:
        import pickle

        with snapshot.open("rb") as f:
            return pickle.load(f)["stories"]
    from generator.cache import CACHE_DIR, Store, scan_seeds
    from generator.group.stories import find_stories
    from generator.incremental import Builder

    config, seeds = load_config(project / "digest.toml"), project / "seeds"
    articles, _, _ = Builder(Store(project / CACHE_DIR)).clean(config, seeds, scan_seeds(seeds).hashes)
    return find_stories(articles, config.overrides, config.language)


def _edits(story, config) -> dict:
    """Three edits of a story's first copy: a sentence more; rewritten about another topic (its
    facets' first terms); rewritten about nothing the topics name."""
    from dataclasses import replace

    from generator.model import Block, Copy

    article = story.copies[0].article
    other = next(t for t in config.topics if t.slug != story.topic)
    about = " and ".join(f.terms[0] for f in other.facets)

    def edited(title: str, *blocks) -> object:
        copy = Copy(replace(article, title=title, blocks=tuple(blocks)), story.copies[0].relation)
        return replace(story, copies=(copy, *story.copies[1:]))

    return {"sentence": edited(article.title, *article.blocks, Block("p", "A reader wrote in to say the figures were out of date.")),
            "other_topic": edited(f"News of {about}", Block("p", f"This report is about {about}, and {about} again.")),
            "off_topic": edited("A hiking trail opens above the valley",
                                Block("p", "The trail crosses the high pastures where shepherds graze their herds."))}


def measure_topics_edit(project: Path, snapshot: Path | None) -> dict:
    from generator.group.topic_cache import TopicCache
    from generator.group.topics import assign_topics

    config = load_config(project / "digest.toml")
    stories = _stories(project, snapshot)

    def outcome(found) -> list:
        return [(s.id, s.topic, s.topic_score, s.evidence) for s in found]

    cache = TopicCache()
    start, cpu = time.perf_counter(), time.process_time()
    clean = assign_topics(stories, config, cache)
    result = {"stories": len(stories), "clean_seconds": round(time.perf_counter() - start, 3),
              "clean_cpu_seconds": round(time.process_time() - cpu, 3)}
    at = next(i for i in range(len(stories) // 2, len(stories)) if clean[i].topic and len(stories[i].copies) == 1)
    for name, story in _edits(clean[at], config).items():
        edited = [*stories[:at], story, *stories[at + 1:]]
        start, cpu = time.perf_counter(), time.process_time()
        found = assign_topics(edited, config, cache)
        seconds, cpu = round(time.perf_counter() - start, 3), round(time.process_time() - cpu, 3)
        again = assign_topics(edited, config)
        result[name] = {"seconds": seconds, "cpu_seconds": cpu, "equals_clean": outcome(found) == outcome(again),
                        "topic": [clean[at].topic, found[at].topic]}


def _edited(articles: list, at: int) -> list:
    """The articles with one body block of the ``at``-th rewritten (a sentence added)."""
    import dataclasses

    article = articles[at]
    where = next(i for i, b in enumerate(article.blocks) if b.kind == "p")
    block = article.blocks[where]
    block = dataclasses.replace(block, text=block.text + " The harbour board confirmed the figures on Tuesday.")
    blocks = article.blocks[:where] + (block,) + article.blocks[where + 1:]
    return articles[:at] + [dataclasses.replace(article, blocks=blocks)] + articles[at + 1:]


def _grouped(articles: list, config, cache) -> tuple[list, tuple, tuple]:
    """``group_all``'s steps, timed apart: stories, topics, each (wall, CPU seconds)."""
    from generator.group.stories import find_stories
    from generator.group.topic_profile import known_stems, learn_stems
    from generator.group.topics import assign_topics

    learn_stems(cache.stems)
    start, cpu = time.perf_counter(), time.process_time()
    stories = find_stories(articles, config.overrides, config.language, cache)
    found, found_cpu = time.perf_counter(), time.process_time()
    stories = assign_topics(stories, config, cache.topics)
    cache.stems = known_stems()
    return stories, (found - start, found_cpu - cpu), (time.perf_counter() - found, time.process_time() - found_cpu)


def measure_group_edit(project: Path, snapshot: Path, check: bool = True) -> dict:
    """Group, keep the cache in a pieces file as the build's store does (group/state.py), load it
    back as the next build's process would, edit one article, group again, save again."""
    from generator.group import group_all
    from generator.group.pair_cache import GroupCache
    from generator.group.pieces import Pieces
    from generator.group.state import load, save

    config = load_config(project / "digest.toml")
    with open(snapshot, "rb") as handle:
        articles = pickle.load(handle)["articles"]
    cache = GroupCache()
    _, clean_stories, clean_topics = _grouped(articles, config, cache)
    with tempfile.TemporaryDirectory(prefix="group-edit-") as tmp:
        path = Path(tmp) / "state.sqlite"
        rows, dumped = _timed(lambda: save(cache, Pieces(path)))
        cache_bytes = path.stat().st_size
        cache, loaded = _timed(lambda: load(Pieces(path)))
        edited = _edited(articles, len(articles) // 2)
        stories, edit_stories, edit_topics = _grouped(edited, config, cache)
        rows_again, dumped_again = _timed(lambda: save(cache, Pieces(path)))

    def seconds(pair: tuple) -> dict:
        return {"wall": round(pair[0], 3), "cpu": round(pair[1], 3)}

    stage = [sum(x) for x in zip(loaded, edit_stories, edit_topics, dumped_again)]
    result = {"articles": len(articles), "clean_stories": seconds(clean_stories), "clean_topics": seconds(clean_topics),
              "cache_bytes": cache_bytes, "cache_rows": rows, "cache_save": seconds(dumped),
              "cache_load": seconds(loaded), "edit_stories": seconds(edit_stories), "edit_topics": seconds(edit_topics),
              "edit_pairs_scored": cache.misses, "edit_rows_written": rows_again,
              "edit_cache_save": seconds(dumped_again), "edit_group_stage": seconds(stage)}
    if check:
        fresh = group_all(edited, config, GroupCache())
        result["same_as_clean"] = [(s, s.evidence) for s in stories] == [(s, s.evidence) for s in fresh]
    return result


def _timed(work) -> tuple:
    """``work()``'s result and its (wall, CPU) seconds."""
    start, cpu = time.perf_counter(), time.process_time()
    found = work()
    return found, (time.perf_counter() - start, time.process_time() - cpu)


def measure_render_edit(project: Path, snapshot: Path, profile: Path | None = None, limit: int | None = None) -> dict:
    import dataclasses
    import pickle

    from generator.cache import Store
    from generator.incremental import Builder
    from generator.progress import Timings

    config = load_config(project / "digest.toml")
    with open(snapshot, "rb") as handle:
        stories = pickle.load(handle)["stories"][:limit]
    published = [s for s in stories if s.topic]
    with tempfile.TemporaryDirectory(prefix="render-edit-") as tmp:
        builder = Builder(Store(Path(tmp) / "cache"), Timings())
        out = Path(tmp) / "site"
        builder._origins = _origins(stories)  # what the clean stage gives the render (render_carry.article_origins)
        clean = _timed_render(builder, config, stories, out, None, profile and profile.with_suffix(".clean"))
        edits = []
        for at in (len(published) // 2, len(published) // 3):  # the second finds the spare folder the first left
            manifest = builder._manifest(out)
            edited = next(s for s in stories if s is published[at])
            article = dataclasses.replace(edited.primary.article, title=edited.primary.article.title + " (updated)")
            copies = (dataclasses.replace(edited.primary, article=article), *edited.copies[1:])
            stories = [dataclasses.replace(s, copies=copies) if s is edited else s for s in stories]
            published = [s for s in stories if s.topic]
            builder._origins = _origins(stories, besides=article)  # the edited article was cleaned now: none
            edits.append(_timed_render(builder, config, stories, out, manifest, profile if not edits else
                                       profile and profile.with_suffix(".second")))
        carried = _carried_sizes(builder, out)
        edit, second = edits
    return {"stories": len(published), "clean": clean, "one_edit": edit, "second_edit": second, "carried": carried}


def _origins(stories, besides=None) -> dict:
    """Each article of the snapshot by identity, named by its key, as if cleaned in an earlier
    build (the clean stage names it by its file's cache key), but ``besides``, cleaned now."""
    return {id(c.article): (c.article, f"snapshot/{c.article.key}") for s in stories for c in s.copies
            if c.article is not besides}


def _carried_sizes(builder, out: Path) -> dict:
    """The render's carried state (read and written whole every build) and the site manifest:
    their pickled bytes, and the seconds to load and to dump each."""
    import pickle

    from generator.incremental import _carry_name, _out_key
    from generator.render_carry import RENDER_PARTS

    sizes = {}
    kinds = [(f"render-{part}", _carry_name(out)) for part in RENDER_PARTS] + [("sites", _out_key(out))]
    for kind, name in kinds:
        start = time.perf_counter()
        value = builder.store.get(kind, name)
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        sizes[kind] = {"bytes": len(data), "load": round(loaded, 3), "dump": round(time.perf_counter() - start, 3)}
    return sizes


def _timed_render(builder, config, stories, out: Path, manifest, profile: Path | None = None) -> dict:
    """One ``Builder.render`` into a new staging of ``out``, then the write (not timed) that the
    next build's memo reads from; ``profile``: a file for cProfile's statistics of the render."""
    import cProfile

    from generator.incremental import Report, Scanned

    staging = builder.stage(out, Scanned({}, "", manifest, False))
    profiler = cProfile.Profile() if profile else None
    helpers = os.times()
    start, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    rendered = builder.render(config, stories, staging, manifest)
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    memo_line = builder.timings.stages[-1][2]
    builder.links(rendered)  # as a build does: it keeps each page's links for the next one's check
    helpers = os.times().children_user + os.times().children_system - helpers.children_user - helpers.children_system
    builder.write(Scanned({}, "", manifest, False), Report((), (), (), ""), rendered, staging)
    # the render's helper processes (render/split.py, linkbook.py), if it started any: their CPU seconds
    return {"files": rendered.files, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
            "helper_cpu_seconds": round(helpers, 2), "note": memo_line}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("what", choices=("clean", "pairs", "render", "topics-edit", "group-edit", "render-edit"))
    parser.add_argument("--limit", type=int, help="render-edit: only the first N stories of the snapshot")
    parser.add_argument("--profile", type=Path, help="render-edit: cProfile the edit's render into this file "
                        "(and the clean one into its name with the suffix .clean)")
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--snapshot", type=Path,
                        help="topics-edit, group-edit, render-edit: a pickle made by benchmarks/snapshot.py")
    parser.add_argument("--no-check", action="store_true", help="group-edit: skip the clean grouping it is checked against")
    args = parser.parse_args()
    if args.what == "clean":
        result = measure_clean(args.project, args.sample)
    elif args.what == "group-edit":
        if args.snapshot is None:
            parser.error("group-edit needs --snapshot (made by benchmarks/snapshot.py)")
        result = measure_group_edit(args.project, args.snapshot, not args.no_check)
    elif args.what == "pairs":
        result = measure_pairs(args.project, args.sample)
    elif args.what == "topics-edit":
        result = measure_topics_edit(args.project, args.snapshot)
    elif args.what == "render":
        result = measure_render(args.project)
    else:
        if args.snapshot is None:
            parser.error("render-edit needs --snapshot (made by benchmarks/snapshot.py)")
        result = measure_render_edit(args.project, args.snapshot, args.profile, args.limit)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
