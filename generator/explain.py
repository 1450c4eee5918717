"""``python -m generator explain FILE``: why a file landed in its story and topic.

Takes the seeds folder, config and one file; prints what cleaning found, which of its sentences
count as evidence (and the background or template lines set aside), every pair score that links
the file to another (with the shared names and numbers; a pair the candidate index never offered
is marked as not scored; with how much of each headline the other tells, the overlap of their
rare names, numbers and quotes, and the lines they share verbatim), the story it joined with each copy's relation and why each merge
happened, and each topic's facet evidence and score against the threshold, the story's
similarity to the topic against its members' bars, and the decision.
"""
from __future__ import annotations

import sys
from pathlib import Path

from .seed_file import clean_seeds
from .config import load_config
from .group.candidates import candidate_pairs
from .group.fingerprint import Vocabulary, compare, fingerprint, split_sentences
from .group.stories import days_apart, find_stories, grouping_order, relate
from .group.topics import assign_topics


def run_explain(args) -> int:
    config = load_config(args.config)
    seeds = Path(args.seeds)
    wanted = _relative(Path(args.file), seeds)
    articles, rejections = clean_seeds(seeds, config)
    for rejection in rejections:
        if rejection.source.split(" [")[0] == wanted:
            print(f"{wanted}: rejected — {rejection.reason}")
            return 0
    mine = [a for a in articles if a.source == wanted]
    if not mine:
        print(f"error: {wanted}: not a file in {seeds}", file=sys.stderr)
        return 1
    if wanted in config.overrides.exclude:
        print(f"{wanted}: excluded by the curator (overrides.exclude)")
        return 0
    stories = assign_topics(find_stories(articles, config.overrides, config.language), config)
    for article in mine:
        for line in explain_article(article, articles, stories, config):
            print(line)
    return 0


def _relative(path: Path, seeds: Path) -> str:
    try:
        return path.resolve().relative_to(seeds.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def explain_article(article, articles, stories, config) -> list[str]:
    lines = [f"{article.source}{' [' + article.item + ']' if article.item else ''}",
             f"  cleaned: title {article.title!r}{' (derived)' if article.title_derived else ''}; "
             f"date {article.date.iso if article.date else 'unknown'}; author {article.author or 'unknown'}; "
             f"publisher {article.publisher or 'unknown'}; language {article.language}"
             + ("; machine translated" if article.machine_translated else "")]
    compared, rank = grouping_order(articles, config.overrides)
    prints = [fingerprint(a) for a in compared]
    vocab = Vocabulary(prints, rank)  # as the build makes it: copy groups are led by rank
    scored = set(candidate_pairs(prints, vocab, rank))
    me = next(i for i, a in enumerate(compared) if a.key == article.key)
    lines += _evidence_lines(article, prints[me], vocab)
    lines.append("  pairs:")
    for j, other in enumerate(compared):
        if j == me:
            continue
        scores = compare(prints[me], prints[j], vocab)
        relation = relate(scores, days_apart(article, other))
        if relation or scores.names >= 0.2 or scores.words >= 0.15:
            verdict = f"→ {relation[0]} ({relation[1]:.2f})" if relation else "→ no link"
            if (min(me, j), max(me, j)) not in scored:
                verdict = "→ not scored (shares no rare line, shingle or names: not a candidate)"
            lines.append(f"    {other.source}{' [' + other.item + ']' if other.item else ''}: "
                         f"shingles {scores.containment:.2f}, words {scores.words:.2f}, "
                         f"word alignment {scores.word_alignment:.2f}, names {scores.names:.2f}, "
                         f"name alignment {scores.name_alignment:.2f}, headline told {scores.headline:.2f}, "
                         f"event overlap {scores.event:.2f} ({scores.quotes} quoted spans), lines copied {scores.copied}, "
                         f"figures kept {scores.figures:.2f} "
                         f"{verdict}; shared: {', '.join(scores.shared) or '-'}")
    story = next(s for s in stories if any(c.article.key == article.key for c in s.copies))
    lines.append(f"  story {story.id}: {len(story.copies)} cop{'y' if len(story.copies) == 1 else 'ies'}")
    for copy in story.copies:
        lines.append(f"    {copy.relation:<11} {copy.article.source} {copy.article.item or ''}".rstrip())
    lines += [f"    {line}" for line in story.evidence if line.startswith("joined ")]
    lines.append(f"  topic: {story.topic or 'none (not published)'} (score {story.topic_score:.2f}, threshold {config.topic_threshold:g})")
    lines += [f"    {line}" for line in story.evidence if "/" in line or line.startswith("pinned")]
    return lines


def _evidence_lines(article, print_, vocab) -> list[str]:
    """How many of the article's sentences count as evidence, and the lines set aside as
    background or template (shared by many articles, or by many with other numbers)."""
    kept = {id(s) for s in vocab.kept(print_)}
    texts = split_sentences(article)
    aside = [(text, s) for text, s in zip(texts, print_.sentences) if id(s) not in kept]
    lines = [f"  evidence: {len(kept)} of {len(print_.sentences)} sentences; set aside as background or template: {len(aside)}"]
    for text, s in aside[:6]:
        lines.append(f"    - {text[:90]!r} (in {vocab.exact[s.exact]} articles, its shape in {vocab.template[s.template]})")
    return lines
