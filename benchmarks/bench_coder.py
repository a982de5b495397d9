"""Event coder cost as a share of spaCy parsing time, on the seeds and the ConfliBERT sentences.

    /work/main/.venv/bin/python benchmarks/bench_coder.py [--limit N] [--repeat R]

Parses every text once with `nlp.pipe`, then runs `EventCoder.code_doc` on the parsed docs, in one run, and
prints both times and coder/parse. Target: the coder adds at most 25% to parsing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from parley.eval.conflibert import read_class_file
from parley.extract.coder import EventCoder
from parley.nlp import load_pipeline

SHARED = Path(__file__).resolve().parents[2] / "shared"


def corpus(limit: int) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))]
    class_file = SHARED / "data" / "dev" / "conflibert" / "cameo_class_train.tsv"
    if class_file.exists():
        texts += [text for text, _ in read_class_file(class_file)]
    return texts[:limit] if limit else texts


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="coder passes (the best one is reported)")
    args = parser.parse_args(argv)
    texts = corpus(args.limit)
    if not texts:
        print(f"no texts under {SHARED}", file=sys.stderr)
        return 2
    nlp = load_pipeline()
    coder = EventCoder()
    nlp("warm up the pipeline.")
    start = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=64))
    parse_seconds = time.perf_counter() - start
    coder_seconds = float("inf")
    for _ in range(max(1, args.repeat)):
        start = time.perf_counter()
        mentions = sum(len(coder.code_doc(doc, str(i))) for i, doc in enumerate(docs))
        coder_seconds = min(coder_seconds, time.perf_counter() - start)
    n_tokens = sum(len(d) for d in docs)
    print(f"texts={len(texts)} tokens={n_tokens} mentions={mentions}")
    print(f"parse={parse_seconds:.2f}s coder={coder_seconds:.2f}s coder/parse={coder_seconds / parse_seconds:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
