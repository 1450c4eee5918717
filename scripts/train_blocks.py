"""Train the block classifier and write its weights to ``generator/data/block_weights.json``.

    python scripts/train_blocks.py [--shared ../shared] [--check]

Labelled blocks come from three sources, never from ``corpus/dev2`` (the held-out check):

- the ScrapingHub benchmark pages whose id hashes to the TRAINING half (``train_half``: the first
  byte of sha256(id) is even); a block is kept iff its text is in the page's human-marked body.
  The other half is only ever scored (``benchmarks/score_halves.py``);
- the dev set gold (``corpus/dev``): a block holding a ``must_contain`` string is kept, one holding
  a ``must_not_contain`` string is dropped, others are not used;
- the generated multilingual set of ``scripts/block_corpus.py`` (fixed seed).

Blocks are cut and described exactly as a build does (``generator.clean.classifier_units`` and
``block_features``). Two logistic regressions are fitted with scikit-learn (one for HTML pages after
trafilatura, one for every other form), standardised, and exported as plain numbers; a build
reads them with ``generator.clean.block_classifier`` and needs no scikit-learn. Same inputs, same
weights: the generated set has a fixed seed and the solver is deterministic. ``--check`` only
prints the training figures.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from generator.clean import classifier_units  # noqa: E402
from generator.clean.block_features import FEATURES, context, features, units  # noqa: E402
from generator.clean.rules import load_rules  # noqa: E402
from generator.ingest import read_file, seed_files, seed_source  # noqa: E402
from generator.ingest.document import Document  # noqa: E402
from generator.ingest.html_blocks import CELL_SEPARATOR  # noqa: E402
from generator.ingest import read_document  # noqa: E402
from generator.model import Block  # noqa: E402

import block_corpus  # noqa: E402

OUT = ROOT / "generator" / "data" / "block_weights.json"
SEED = 13
# Below this keep probability a block is dropped. HTML: trafilatura already chose the content, so
# only a confident "boilerplate" removes a block; the other forms were screened by nobody.
DROP_BELOW = {"html": 0.15, "text": 0.3}
SPACE = re.compile(r"\s+")


def train_half(page_id: str) -> bool:
    """The fixed half of the ScrapingHub pages used for training (the rest is held out)."""
    return hashlib.sha256(page_id.encode()).digest()[0] % 2 == 0


def _norm(text: str) -> str:
    return SPACE.sub(" ", text).strip().casefold()


def _grams(text: str) -> set:
    tokens = text.split()
    if len(tokens) < 3:
        return {text[i:i + 4] for i in range(max(1, len(text) - 3))}
    return {" ".join(tokens[i:i + 3]) for i in range(len(tokens) - 2)}


def in_body(block: str, body: str, body_grams: set) -> bool:
    """Whether a block's text is part of the marked body: contained, or nearly all its shingles."""
    text = _norm(block.replace(CELL_SEPARATOR, " "))  # a marked body gives a row's cells spaced
    if not text:
        return False
    if text in body:
        return True
    grams = _grams(text)
    return len(grams) >= 3 and len(grams & body_grams) / len(grams) >= 0.8


def _rows(blocks: list[Block], labels: list[bool | None], title: str | None, text_form: bool, rules, source: str):
    ctx = context(blocks, title, text_form)
    for i, label in enumerate(labels):
        if label is not None:
            yield features(blocks, i, ctx, rules), label, source, units(blocks[i].text)


def scrapinghub(shared: Path, rules):
    bench = shared / "benchmarks" / "scrapinghub"
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    for path in sorted((bench / "html").glob("*.html.gz")):
        key = path.name.split(".")[0]
        body = (truth.get(key) or {}).get("articleBody") or ""
        if not train_half(key) or not body:
            continue
        with gzip.open(path, "rb") as f:
            text = f.read().decode("utf-8", "replace")
        articles, _ = read_document(Document(f"{key}.html", text))
        norm_body = "\n".join(_norm(line) for line in body.splitlines())
        grams = set().union(*(_grams(_norm(line)) for line in body.splitlines() if line.strip()))
        for raw in articles:
            blocks, text_form = classifier_units(raw)
            labels = [None if b.kind == "link" else in_body(b.text, norm_body, grams) for b in blocks]
            yield from _rows(blocks, labels, raw.title, text_form, rules, "scrapinghub")


def dev(shared: Path, rules):
    folder = shared / "corpus" / "dev"
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))["articles"]
    for path in seed_files(folder / "seeds"):
        source = seed_source(path, folder / "seeds")
        articles, _ = read_file(path, source)
        entries = [g for g in gold if g["file"] == source]
        for raw in articles:
            entry = next((g for g in entries if g.get("item") == raw.item), entries[0] if len(entries) == 1 else None)
            if entry is None:
                continue
            blocks, text_form = classifier_units(raw)
            labels = [_dev_label(b.text, entry) for b in blocks]
            yield from _rows(blocks, labels, raw.title, text_form, rules, "dev-text" if text_form else "dev-html")


def _dev_label(text: str, entry: dict) -> bool | None:
    flat = _norm(text)
    keep = any(_norm(s) in flat for s in entry.get("must_contain", []))
    drop = any(_norm(s) in flat for s in entry.get("must_not_contain", []))
    return None if keep == drop else keep


def real_with_boilerplate(shared: Path, rules, text_form: bool):
    """The training half's marked bodies as text-form articles (real prose, with its own cohesion
    and rhythm), with generated boilerplate lines put in: the kept side is real writing."""
    import random

    from generator.clean.block_features import guess_language

    rng = random.Random(SEED)
    truth = json.loads((shared / "benchmarks" / "scrapinghub" / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth):
        body = truth[key].get("articleBody") or ""
        # Lines of prose only: a table cell or a figure alone is not what a text-form article holds.
        paragraphs = [p.strip() for p in body.split("\n") if len(p.split()) >= 5]
        if not train_half(key) or len(paragraphs) < 3:
            continue
        doc = block_corpus.with_boilerplate(paragraphs, guess_language(body), rng)
        blocks = [Block("p", text) for text, _ in doc]
        yield from _rows(blocks, [keep for _, keep in doc], None, text_form, rules, "real+generated")


def generated(rules, text_form: bool):
    for _, doc in block_corpus.documents(SEED):
        blocks = [Block("p", text) for text, _ in doc]
        yield from _rows(blocks, [keep for _, keep in doc], None, text_form, rules, "generated")


# How much each source weighs in a fit, per block, before the block's own length weight: the
# real pages decide the HTML weights; the generated set only fills in what they never show.
SOURCE_WEIGHT = {"scrapinghub": 3.0, "dev-html": 3.0, "dev-text": 4.0, "generated": 0.5, "real+generated": 1.0}


def _weight(row) -> float:
    """Longer blocks weigh more (the benchmark scores words, not blocks), gently."""
    return SOURCE_WEIGHT[row[2]] * (1.0 + math.log1p(row[3]))


def fit(rows: list, name: str) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x = [r[0] for r in rows]
    y = [int(r[1]) for r in rows]
    scaler = StandardScaler().fit(x)
    scale = [s if s > 1e-9 else 1.0 for s in scaler.scale_]
    z = [[(v - m) / s for v, m, s in zip(row, scaler.mean_, scale)] for row in x]
    # The text forms are balanced (boilerplate is the rarer class there, and the one that matters);
    # on HTML the extractor's choice is trusted, so its keep class keeps its weight.
    model = LogisticRegression(C=0.1, max_iter=2000, random_state=SEED,
                               class_weight="balanced" if name == "text" else None)
    model.fit(z, y, sample_weight=[_weight(r) for r in rows])
    predicted = model.predict_proba(z)[:, 1]
    for source in sorted({r[2] for r in rows}):
        picked = [(p, r[1]) for p, r in zip(predicted, rows) if r[2] == source]
        right = sum((p >= DROP_BELOW[name]) == label for p, label in picked)
        lost = sum(p < DROP_BELOW[name] for p, label in picked if label) / max(1, sum(1 for _, l in picked if l))
        leaked = sum(p >= DROP_BELOW[name] for p, label in picked if not label) / max(1, sum(1 for _, l in picked if not l))
        print(f"{name:5} {source:14} {len(picked):6} blocks, {right / len(picked):.3f} right at {DROP_BELOW[name]}"
              f" (kept blocks lost {lost:.3f}, dropped blocks leaked {leaked:.3f})")
    return {"mean": [round(float(m), 6) for m in scaler.mean_], "scale": [round(float(s), 6) for s in scale],
            "coef": [round(float(c), 6) for c in model.coef_[0]], "intercept": round(float(model.intercept_[0]), 6),
            "drop_below": DROP_BELOW[name]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--check", action="store_true", help="print the training figures, write nothing")
    args = ap.parse_args()
    rules = load_rules()
    dev_rows = list(dev(args.shared, rules))
    html = list(scrapinghub(args.shared, rules)) + [r for r in dev_rows if r[2] == "dev-html"] \
        + list(generated(rules, False))
    text = [r for r in dev_rows if r[2] == "dev-text"] + list(generated(rules, True)) \
        + list(real_with_boilerplate(args.shared, rules, True))
    models = {"html": fit(html, "html"), "text": fit(text, "text")}
    data = {"features": list(FEATURES), "trained_on": "scrapinghub train half (sha256(id)[0] even), dev gold, "
            f"generated set seed {SEED}", "models": models}
    if not args.check:
        OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
