"""Story grouping: how well `group_stories` recovers ECB+ sub-topics, and how its cost grows with size.

    .venv/bin/python benchmarks/bench_stories.py [--sizes 1000 10000] [--tune]

1. ECB+ (../shared/data/dev/ecbplus, read in place): every topic has two sub-topics, the `ecb.xml` files
   (one story) and the `ecbplus.xml` files (a similar event, another instance: another earthquake). Documents
   are rebuilt from the tokens, undated. Prints purity, inverse purity, B-cubed F1, adjusted Rand index and
   predicted/gold story counts, over all documents of the train and of the dev topics clustered together,
   and averaged per topic (each topic clustered alone). `--tune` also prints the threshold sweep on train.
2. Synthetic news: N documents made by recombining real sentences (ECB+ texts if present, and examples/)
   into stories, 50 documents a day; prints milliseconds per document for `profile` and `group_stories`
   (dated, then the same documents undated) at each size, how well the made stories are found, and the
   ratio of per-document cost between the largest and smallest size (1 = linear).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import math
import random
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS

from parley.fuse import stories
from parley.fuse.stories import group_stories, profile
from parley.ingest import iter_documents
from parley.records import Document

ROOT = Path(__file__).resolve().parents[1]
ECBPLUS = ROOT.parent / "shared" / "data" / "dev" / "ecbplus" / "ECB+"
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)*\b")
DEV_TOPICS = {2, 5, 12, 18, 21, 23, 34, 35}
TOPICS = range(1, 36)


# --- ECB+ -----------------------------------------------------------------------------------------------

def read_ecb(path: Path) -> Document:
    sentences: dict[int, list[str]] = defaultdict(list)
    for token in ET.parse(path).getroot().iter("token"):
        sentences[int(token.get("sentence", "0"))].append(token.text or "")
    text = "\n".join(" ".join(words) for _, words in sorted(sentences.items()))
    return Document(doc_id=path.stem, text=text, source=str(path))


def ecb_corpus() -> dict[int, list[tuple[Document, str]]]:
    """topic -> [(document, gold sub-topic)]; the gold sub-topic is "<topic>ecb" or "<topic>ecbplus"."""
    corpus: dict[int, list[tuple[Document, str]]] = {}
    for topic in TOPICS:
        folder = ECBPLUS / str(topic)
        if not folder.is_dir():
            continue
        docs = []
        for path in sorted(folder.glob("*.xml")):
            gold = f"{topic}ecbplus" if path.name.endswith("ecbplus.xml") else f"{topic}ecb"
            docs.append((read_ecb(path), gold))
        corpus[topic] = docs
    return corpus


# --- Metrics --------------------------------------------------------------------------------------------

def purity(pred: dict[str, str], gold: dict[str, str]) -> float:
    """Share of documents in the majority gold class of their predicted cluster."""
    clusters: dict[str, Counter[str]] = defaultdict(Counter)
    for doc, c in pred.items():
        clusters[c][gold[doc]] += 1
    return sum(max(c.values()) for c in clusters.values()) / len(pred)


def bcubed_f1(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    pred_members: dict[str, set[str]] = defaultdict(set)
    gold_members: dict[str, set[str]] = defaultdict(set)
    for doc in pred:
        pred_members[pred[doc]].add(doc)
        gold_members[gold[doc]].add(doc)
    p = r = 0.0
    for doc in pred:
        same = len(pred_members[pred[doc]] & gold_members[gold[doc]])
        p += same / len(pred_members[pred[doc]])
        r += same / len(gold_members[gold[doc]])
    p, r = p / len(pred), r / len(pred)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def adjusted_rand(pred: dict[str, str], gold: dict[str, str]) -> float:
    def pairs(n: int) -> float:
        return n * (n - 1) / 2

    table = Counter((pred[d], gold[d]) for d in pred)
    a = Counter(pred.values())
    b = Counter(gold[d] for d in pred)
    index = sum(pairs(n) for n in table.values())
    sum_a, sum_b = sum(pairs(n) for n in a.values()), sum(pairs(n) for n in b.values())
    expected = sum_a * sum_b / pairs(len(pred)) if len(pred) > 1 else 0.0
    top = (sum_a + sum_b) / 2
    return 1.0 if top == expected else (index - expected) / (top - expected)


def scores(pred: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    p, r, f = bcubed_f1(pred, gold)
    return {"purity": purity(pred, gold), "inv_purity": purity(gold, pred), "b3_p": p, "b3_r": r, "b3_f1": f,
            "ari": adjusted_rand(pred, gold), "pred": len(set(pred.values())), "gold": len(set(gold.values()))}


def evaluate(corpus, topics, profiles, threshold: float) -> tuple[dict[str, float], dict[str, float]]:
    """(all chosen topics clustered together, mean of each topic clustered alone)."""
    gold = {d.doc_id: g for t in topics for d, g in corpus[t]}
    together = scores(group_stories([profiles[d] for d in gold], threshold=threshold), gold)
    per_topic: dict[str, float] = defaultdict(float)
    for t in topics:
        g = {d.doc_id: s for d, s in corpus[t]}
        for k, v in scores(group_stories([profiles[d] for d in g], threshold=threshold), g).items():
            per_topic[k] += v / len(topics)
    return together, dict(per_topic)


def show(label: str, s: dict[str, float]) -> None:
    print(f"  {label:<26} purity {s['purity']:.3f}  inv.purity {s['inv_purity']:.3f}  "
          f"B3 P/R/F1 {s['b3_p']:.3f}/{s['b3_r']:.3f}/{s['b3_f1']:.3f}  ARI {s['ari']:.3f}  "
          f"stories {s['pred']:.1f} (gold {s['gold']:.0f})")


def bench_ecb(corpus, tune: bool) -> None:
    profiles = {d.doc_id: profile(d) for docs in corpus.values() for d, _ in docs}
    train = [t for t in corpus if t not in DEV_TOPICS]
    dev = [t for t in corpus if t in DEV_TOPICS]
    n_train = sum(len(corpus[t]) for t in train)
    n_dev = sum(len(corpus[t]) for t in dev)
    print(f"ECB+ topics 1-35: {len(train)} train topics ({n_train} documents), {len(dev)} dev topics "
          f"({n_dev} documents); threshold {stories.THRESHOLD}, name weight {stories.NAME_WEIGHT}")
    if tune:
        print("  threshold sweep on train (together: B3 F1 / ARI / stories; per topic: B3 F1 / ARI):")
        for threshold in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
            together, per_topic = evaluate(corpus, train, profiles, threshold)
            print(f"    {threshold:.2f}: together {together['b3_f1']:.3f} / {together['ari']:.3f} / "
                  f"{together['pred']:.0f}   per topic {per_topic['b3_f1']:.3f} / {per_topic['ari']:.3f}")
    for name, topics in (("train", train), ("dev", dev)):
        together, per_topic = evaluate(corpus, topics, profiles, stories.THRESHOLD)
        show(f"{name}, all together", together)
        show(f"{name}, per topic (mean)", per_topic)
    # Baseline for the per-topic figures: topics are easy to tell apart, sub-topics are the hard part.
    gold = {d.doc_id: g for t in dev for d, g in corpus[t]}
    by_topic = {d: g.removesuffix("plus").removesuffix("ecb") for d, g in gold.items()}
    show("dev, one story per topic", scores(by_topic, gold))


# --- Timing ---------------------------------------------------------------------------------------------

def sentence_pools(corpus) -> list[list[str]]:
    """Groups of sentences that belong together (one document's, or one ECB+ sub-topic's)."""
    pools: list[list[str]] = []
    for docs in corpus.values():
        by_story: dict[str, list[str]] = defaultdict(list)
        for d, g in docs:
            by_story[g] += [s for s in d.text.split("\n") if len(s) > 40]
        pools += [p for p in by_story.values() if p]
    examples = [d for d in iter_documents([str(ROOT / "examples")]) if isinstance(d, Document)]
    pools.append([s for d in examples for s in re.split(r"(?<=\.)\s+|\n", d.text) if len(s) > 40])
    return pools


def synthetic(n: int, pools: list[list[str]], seed: int = 11) -> list[Document]:
    """n documents in stories of about 8. A story takes 15 sentences of one pool and gives their proper
    names new, invented spellings of its own (another instance of the same kind of event, as in ECB+); each
    of its documents takes 6-10 of those sentences and one unrelated one, within three days of the story's
    date. A news database grows by time, not density: dates span n / 50 days (50 documents a day)."""
    rng = random.Random(seed)
    docs: list[Document] = []
    start = date(2024, 1, 1)
    for number in itertools.count():
        if len(docs) >= n:
            break
        pool = rng.choice(pools)
        names: dict[str, str] = {}

        def rename(m: re.Match) -> str:
            if m.group().lower() in STOP_WORDS:
                return m.group()
            return names.setdefault(m.group(), "".join(rng.choice("bdgklmnprstvz") + rng.choice("aeiou")
                                                       for _ in range(rng.randint(2, 4))).capitalize())

        story = [_CAPITALISED.sub(rename, s) for s in rng.sample(pool, min(15, len(pool)))]
        day = start + timedelta(days=rng.randrange(max(1, n // 50)))
        for _ in range(rng.randint(2, 14)):
            body = rng.sample(story, min(len(story), rng.randint(6, 10))) + [rng.choice(rng.choice(pools))]
            rng.shuffle(body)
            i = len(docs)
            docs.append(Document(doc_id=f"s{i:06d}", text="\n".join(body), source=f"story {number}",
                                 published=day + timedelta(days=rng.randrange(4))))
    return docs[:n]


def bench_timing(pools, sizes: list[int]) -> None:
    """Dated documents (the news case), then the same documents undated (every story open at once, as in
    ECB+: only the index caps keep the cost per document bounded)."""
    per_doc: dict[str, list[float]] = defaultdict(list)
    for n in sizes:
        docs = synthetic(n, pools)
        t0 = time.perf_counter()
        profiles = [profile(d) for d in docs]
        t1 = time.perf_counter()
        groups = group_stories(profiles)
        t2 = time.perf_counter()
        undated = [dataclasses.replace(p, published=None) for p in profiles]
        t3 = time.perf_counter()
        undated_groups = group_stories(undated)
        t4 = time.perf_counter()
        gold = {d.doc_id: d.source for d in docs}  # the story each document was made from
        per_doc["dated"].append((t2 - t0) / n)
        per_doc["undated"].append((t1 - t0 + t4 - t3) / n)
        print(f"  {n:>6} documents: profile {1000 * (t1 - t0) / n:.3f} ms/document; group dated "
              f"{1000 * (t2 - t1) / n:.3f} ms/document, undated {1000 * (t4 - t3) / n:.3f} ms/document; "
              f"total {t2 - t0:.1f} s dated, {t1 - t0 + t4 - t3:.1f} s undated")
        for kind, found in (("dated", groups), ("undated", undated_groups)):
            print(f"          {kind}: {len(set(found.values()))} stories found, {len(set(gold.values()))} made; "
                  f"B3 F1 against the made stories {bcubed_f1(found, gold)[2]:.3f}")
    if len(sizes) > 1:
        growth = sizes[-1] / sizes[0]
        for kind, costs in per_doc.items():
            ratio = costs[-1] / costs[0]
            print(f"  {kind}: per-document cost (profile + group) ratio {sizes[-1]} / {sizes[0]} = {ratio:.2f} "
                  f"(1 = linear, {growth:.0f} = quadratic; log-log slope {1 + math.log(ratio) / math.log(growth):.2f})")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--tune", action="store_true", help="print the threshold sweep on train topics")
    args = parser.parse_args()
    corpus = ecb_corpus() if ECBPLUS.is_dir() else {}
    if corpus:
        bench_ecb(corpus, args.tune)
    else:
        print(f"ECB+ not found at {ECBPLUS}: skipping the clustering figures")
    print(f"Timing on synthetic documents ({'ECB+ and examples/' if corpus else 'examples/'} sentences):")
    bench_timing(sentence_pools(corpus), args.sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
