"""Score a ScrapingHub build on the classifier's training half and on its held-out half apart.

    python ../shared/tools/score_extraction.py --work /tmp/sh    # build once, keep the folder
    python benchmarks/score_halves.py --work /tmp/sh [--worst 10]

Reads each page's body back from the built site the way ``score_extraction.py`` does (its own
functions), splits the pages with ``scripts/train_blocks.train_half`` and prints the benchmark's
F1/precision/recall for each half; ``--worst N`` lists the N pages of lowest F1 (for reading,
not tuning: the held-out half is never looked at to change a weight).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from train_blocks import train_half  # noqa: E402


def _tool(shared: Path):
    spec = importlib.util.spec_from_file_location("score_extraction", shared / "tools" / "score_extraction.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--worst", type=int, default=0)
    args = ap.parse_args()
    tool = _tool(args.shared)
    bench = args.shared / "benchmarks" / "scrapinghub"
    site = args.work / "site"
    feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    ids = [p.name.split(".")[0] for p in sorted((bench / "html").glob("*.html.gz"))]
    bodies = {key: "" for key in ids}
    for entry in feed["items"]:
        digest = entry["_digest"]
        for copy in [{**digest, "url": entry["url"]}, *digest.get("coverage", [])]:
            url = copy["url"]
            rel = url[len(tool.BASE_URL):] if url.startswith(tool.BASE_URL) else url.lstrip("/")
            page = site / rel / "index.html"
            if page.exists():
                bodies[Path(copy["source"]).stem] = tool.body_of(page)
    ev = tool.load_evaluate(bench)
    truth = ev.load_json(bench / "ground-truth.json")
    for name, keys in (("training half", [k for k in ids if train_half(k)]),
                       ("held-out half", [k for k in ids if not train_half(k)])):
        random.seed(0)
        m = ev.evaluate({k: truth[k] for k in keys}, {k: {"articleBody": bodies[k]} for k in keys}, 200)
        print(f"{name}: {len(keys)} pages  F1 {m['f1']:.3f}  precision {m['precision']:.3f}  recall {m['recall']:.3f}")
    if args.worst:
        scored = []
        for key in ids:
            tp, fp, fn = ev.string_shingle_matching(truth[key].get("articleBody") or "", bodies[key])
            p = tp / (tp + fp) if tp + fp else 1.0
            r = tp / (tp + fn) if tp + fn else 1.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            scored.append((f, key, p, r))
        for f, key, p, r in sorted(scored)[:args.worst]:
            half = "train" if train_half(key) else "held-out"
            print(f"  {key[:12]} {half:8} F1 {f:.2f} P {p:.2f} R {r:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
