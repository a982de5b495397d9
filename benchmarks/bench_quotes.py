"""Quote extraction cost against spaCy parsing, and quote fusion cost as the number of quote mentions grows.

    .venv/bin/python benchmarks/bench_quotes.py [--copies N] [--mentions M]

1. Parses the gold passages (tests/data/quotes_gold.jsonl) and the seeds, `--copies` times, with `nlp.pipe`,
   then runs `QuoteExtractor.extract` on the parsed docs, in one run: prints extractor/parse.
   Target: extraction adds at most 25% to parsing.
2. Fuses M synthetic quote mentions (every quote reported by about three outlets, with small wording
   changes), then 4*M, in one run: prints seconds per 1,000 mentions at both sizes and their ratio. Target:
   the ratio stays near 1 (linear in the number of mentions, not quadratic).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from parley.extract.quotes import QuoteExtractor
from parley.fuse.quotes import fuse_quotes
from parley.nlp import load_pipeline
from parley.records import ActorRef, Document, QuoteMention

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
WORDS = ("peace talks ceasefire border troops sanctions minister envoy progress mediation proposal deal "
         "security aid energy strikes withdrawal region parties week decision government people future").split()


def texts(copies: int) -> list[str]:
    found = [json.loads(line)["text"] for line in (ROOT / "tests" / "data" / "quotes_gold.jsonl").open(encoding="utf-8")]
    found += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))]
    return found * copies


def synthetic_mentions(n: int, seed: int = 7) -> tuple[list[QuoteMention], list[Document]]:
    rng = random.Random(seed)
    mentions, docs = [], {}
    for i in range(n):
        quote = i // 3  # about three outlets per quote
        own = random.Random(quote)  # the quote's own words, shared by its three mentions
        words = [own.choice(WORDS) + str(own.randrange(500)) for _ in range(12)]
        if rng.random() < 0.5:
            words[rng.randrange(len(words))] = "not"  # a small wording difference
        doc_id = f"d{i % max(1, n // 5)}"
        docs.setdefault(doc_id, Document(doc_id=doc_id, text="", source=f"{doc_id}.txt", outlet=doc_id))
        text = " ".join(words)
        speaker = ActorRef(text="X", start=0, end=1, name=f"Person {quote % 50}", actor_id=f"person:p{quote % 50}",
                           kind="person", code="USA")
        mentions.append(QuoteMention(doc_id, 0, text, i * 100, i * 100 + len(text), "direct", speaker, "said",
                                     mention_id=f"m{i}"))
    return mentions, list(docs.values())


def fusion_seconds(n: int) -> tuple[float, int]:
    mentions, docs = synthetic_mentions(n)
    by_doc = {d.doc_id: d for d in docs}
    start = time.perf_counter()
    quotes, _ = fuse_quotes(mentions, {d.doc_id: d.doc_id for d in docs}, by_doc)
    return time.perf_counter() - start, len(quotes)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument("--mentions", type=int, default=20000)
    args = parser.parse_args(argv)
    nlp = load_pipeline()
    extractor = QuoteExtractor()
    corpus = texts(args.copies)
    nlp("warm up the pipeline.")
    start = time.perf_counter()
    docs = list(nlp.pipe(corpus, batch_size=64))
    parse = time.perf_counter() - start
    start = time.perf_counter()
    found = sum(len(extractor.extract(doc, str(i))) for i, doc in enumerate(docs))
    extract = time.perf_counter() - start
    print(f"extraction: {len(docs)} texts, {found} quote mentions; parse {parse:.2f}s, extract {extract:.2f}s, "
          f"extract/parse {extract / parse:.1%}")
    small, n_small = fusion_seconds(args.mentions)
    large, n_large = fusion_seconds(4 * args.mentions)
    per_small, per_large = small / args.mentions * 1000, large / (4 * args.mentions) * 1000
    print(f"fusion: {args.mentions} mentions -> {n_small} quotes in {small:.2f}s ({per_small * 1000:.1f} ms per 1,000); "
          f"{4 * args.mentions} -> {n_large} in {large:.2f}s ({per_large * 1000:.1f} ms per 1,000); "
          f"per-mention cost ratio {per_large / per_small:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
