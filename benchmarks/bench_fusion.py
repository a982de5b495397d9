"""How the cost of fusion grows with the database, and what an incremental update costs against a rebuild.

    .venv/bin/python benchmarks/bench_fusion.py [--sizes 1000 10000 100000] [--day 0.01] [--no-store]
    .venv/bin/python benchmarks/bench_fusion.py --one-story 250 500 1000 2000

The seeds (../shared/seeds) and examples/ are analysed once with the real pipeline. Synthetic corpora are
then made from their analysed sentences, without spaCy: a story ("topic") takes about 25 sentences of the
pool and gives their words its own spellings (every word but function words and the words fusion matches
on: triggers, lemmas, cues, the word after a trigger, days, months and numbers, all kept as they are, so that
offsets stay valid), and each of its documents takes 6-10 of those sentences, with their event mentions,
quote mentions and actor mentions (offsets moved, ids new). Dates move by whole weeks (weekdays named in
the text stay true) over a year; a story runs for a few days; one document in ten is a reprint of another of
its story (a copy). Each size runs in a fresh process, twice:

1. in memory, the stages `rebuild_derived` runs, each timed: stories (profile and group), copies (MinHash
   LSH), quotes, events and conflicts, positions, negotiations, actors; and the peak resident memory;
2. with a DuckDB store (unless --no-store): the documents stored, a full `rebuild_derived`; then one "day"
   of news (the `--day` share of documents, the latest published) stored and `update_derived` run, timed by
   step; then a full rebuild over the same documents, timed, and the rows of the two compared.

Prints a line per size and stage, and the per-document cost ratios between consecutive sizes (1.0 =
linear; the ratio of the sizes = quadratic). `--one-story` instead times the per-story stages on one story
of K documents published over four days, for each K: the growth within a story, which blocking by story
does not bound.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from parley.records import (  # noqa: E402
    ActorRef, AnalyzedDocument, Document, Sentence, mention_from_dict, quote_mention_from_dict,
)

STAGES = ("stories", "copies", "quotes", "events", "positions", "negotiations", "actors")
_WORD = re.compile(r"[A-Za-z]+")
_KEEP = set("""monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december today yesterday tomorrow week weeks month months year years day days
hour hours one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred
thousand million billion dozen dozens""".split())


# --- the pool: analysed sentences ---------------------------------------------------------------------------

@dataclass
class PoolSentence:
    """One analysed sentence with what was found in it, offsets relative to the sentence's start."""

    text: str
    mentions: list[dict]
    quotes: list[dict]
    actors: list[dict]
    published: date | None


def analyse_sources() -> tuple[list[PoolSentence], set[str]]:
    """The seeds and examples through the real pipeline: their sentences, and the words to keep as they are."""
    from parley.config import Settings
    from parley.ingest import iter_documents
    from parley.pipeline import Pipeline

    pipeline = Pipeline(Settings(progress=False))
    paths = [str(SHARED / "seeds"), str(ROOT / "examples")]
    items = [(d.text, d) for d in iter_documents(paths, pipeline.settings) if isinstance(d, Document)]
    pool: list[PoolSentence] = []
    keep = set(_KEEP)
    for analysed in pipeline.analyze_all(items):
        pool += _sentences(analysed)
        for m in analysed.mentions:
            keep.update(w.lower() for w in _WORD.findall(m.trigger.text + " " + (m.lemma or "")))
            after = m.sentence[m.sentence.find(m.trigger.text) + len(m.trigger.text):].split()[:1]
            keep.update(w.lower() for w in _WORD.findall(" ".join(after)))
            if m.date:
                keep.update(w.lower() for w in _WORD.findall(m.date.text or ""))
        for q in analysed.quotes:
            keep.update(w.lower() for w in _WORD.findall(q.cue or ""))
    return pool, keep


def _sentences(analysed: AnalyzedDocument) -> list[PoolSentence]:
    found = []
    for s in analysed.sentences:
        def inside(start: int, end: int) -> bool:
            return s.start <= start and end <= s.end

        found.append(PoolSentence(
            text=s.text.rstrip(),
            mentions=[_moved(m.to_dict(), -s.start) for m in analysed.mentions
                      if m.sentence_index == s.index and inside(m.trigger.start, m.trigger.end)],
            quotes=[_moved(q.to_dict(), -s.start) for q in analysed.quotes
                    if q.sentence_index == s.index and inside(q.start, q.end)],
            actors=[_moved(a.to_dict(), -s.start) for a in analysed.actors if inside(a.start, a.end)],
            published=analysed.document.published))
    return found


def _moved(value, delta: int, rename=None, when=None):
    """A record's dict form with every offset moved by `delta`, its words renamed, its dates moved."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in ("start", "end") and isinstance(v, int):
                out[k] = v + delta
            elif k in ("text", "sentence", "name") and isinstance(v, str) and rename:
                out[k] = rename(v)
            elif k in ("value", "end_value") and isinstance(v, str) and when:
                out[k] = when(v)
            else:
                out[k] = _moved(v, delta, rename, when)
        return out
    if isinstance(value, list):
        return [_moved(v, delta, rename, when) for v in value]
    return value


# --- synthetic corpora --------------------------------------------------------------------------------------

class Topic:
    """A story of the synthetic corpus: its sentences, its spellings, its dates."""

    def __init__(self, number: int, pool: list[PoolSentence], keep: set[str], day: date, rng: random.Random):
        from spacy.lang.en.stop_words import STOP_WORDS

        self.number, self.day = number, day
        self.stop = STOP_WORDS
        self.keep = keep
        self.spelling: dict[str, str] = {}
        chosen = sorted(rng.sample(range(len(pool)), min(25, len(pool))))
        # Dates move by whole weeks, so that "on Tuesday" stays a Tuesday.
        self.shift = timedelta(weeks=round((day - date(2025, 4, 28)).days / 7))
        self.sentences = [self._own(pool[i]) for i in chosen]

    def _rename_word(self, m: re.Match) -> str:
        word = m.group()
        lower = word.lower()
        if len(word) < 3 or lower in self.stop or lower in self.keep:
            return word
        if lower not in self.spelling:
            digest = hashlib.blake2b(f"{self.number}|{lower}".encode(), digest_size=32).digest()
            self.spelling[lower] = "".join("bcdfgklmnprstvz"[b % 15] if i % 2 == 0 else "aeiou"[b % 5]
                                           for i, b in enumerate(digest[:len(word)]))
        new = self.spelling[lower]
        return new.upper() if word.isupper() else new.capitalize() if word[0].isupper() else new

    def rename(self, text: str) -> str:
        return _WORD.sub(self._rename_word, text)  # same length word for word: offsets stay valid

    def move_date(self, iso: str) -> str:
        try:
            return (date.fromisoformat(iso) + self.shift).isoformat()
        except ValueError:
            return iso

    def _own(self, s: PoolSentence) -> PoolSentence:
        return PoolSentence(self.rename(s.text),
                            [_moved(m, 0, self.rename, self.move_date) for m in s.mentions],
                            [_moved(q, 0, self.rename, self.move_date) for q in s.quotes],
                            [_moved(a, 0, self.rename) for a in s.actors], s.published)


def _id(*parts) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]


def make_document(topic: Topic, sentences: list[PoolSentence], doc_id: str, published: date,
                  outlet: str, tail: str = "") -> AnalyzedDocument:
    """One synthetic document from a topic's sentences (three to a paragraph), with what was found in them."""
    text, records, mentions, quotes, actors = "", [], [], [], []
    for index, s in enumerate(sentences):
        if index:
            text += "\n" if index % 3 == 0 else " "
        start = len(text)
        text += s.text
        records.append(Sentence(doc_id, index, start, len(text), s.text))
        for m in s.mentions:
            d = _moved(m, start)
            d.update(doc_id=doc_id, sentence_index=index, mention_id=_id(doc_id, m["mention_id"]))
            mentions.append(mention_from_dict(d))
        for q in s.quotes:
            d = _moved(q, start)
            d.update(doc_id=doc_id, sentence_index=index, mention_id=_id(doc_id, q["mention_id"]))
            quotes.append(quote_mention_from_dict(d))
        actors += [ActorRef(**{**_moved(a, start), "members": []}) for a in s.actors]
    text += tail
    document = Document(doc_id=doc_id, text=text, source=f"synthetic/{topic.number}/{doc_id}", outlet=outlet,
                        published=published, date_source="metadata")
    return AnalyzedDocument(document, records, mentions, quotes, actors)


START = date(2025, 1, 6)
YEAR_DAYS = 365


def corpus(n: int, pool: list[PoolSentence], keep: set[str], seed: int = 5) -> Iterator[AnalyzedDocument]:
    """n documents over a year, in stories of 2-40 documents a few days long; one in ten a copy. Made one
    story at a time, so that a caller can store them as they come."""
    rng = random.Random(seed)
    made = 0
    outlets = [f"Outlet {i}" for i in range(60)]
    number = 0
    while made < n:
        topic = Topic(number, pool, keep, START + timedelta(days=rng.randrange(YEAR_DAYS)), rng)
        own: list[AnalyzedDocument] = []
        for _ in range(rng.randint(2, 40)):
            published = topic.day + timedelta(days=rng.randrange(4))
            doc_id = _id("synthetic", seed, made)
            if own and rng.random() < 0.1:  # a reprint of an earlier report of the story
                original = rng.choice(own)
                picked = [s for s in topic.sentences if s.text in original.document.text]
                doc = make_document(topic, picked, doc_id, published, rng.choice(outlets),
                                    tail=f"\nReporting by {rng.choice(outlets)} staff.")
            else:
                picked = sorted(rng.sample(topic.sentences, min(len(topic.sentences), rng.randint(6, 10))),
                                key=topic.sentences.index)
                doc = make_document(topic, picked, doc_id, published, rng.choice(outlets))
            own.append(doc)
            yield doc
            made += 1
            if made >= n:
                break
        number += 1


# --- measuring -------------------------------------------------------------------------------------------------

def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def timed(into: dict, name: str):
    t0 = time.perf_counter()
    yield
    into[name] = into.get(name, 0.0) + time.perf_counter() - t0


def in_memory(docs: list[AnalyzedDocument]) -> dict:
    """The stages of a full rebuild, in memory, each timed."""
    from parley import negotiation
    from parley.fuse import anchor_spans
    from parley.fuse.actors import canonical_actors
    from parley.fuse.copies import band_keys, copy_sources, link_copies
    from parley.fuse.events import fuse_events
    from parley.fuse.quotes import fuse_quotes
    from parley.fuse.stories import group_stories, profile

    documents = [a.document for a in docs]
    by_doc = {d.doc_id: d for d in documents}
    order = lambda m: (m.doc_id, m.sentence_index, m.trigger.start, m.mention_id)  # noqa: E731 (the store's)
    mentions = sorted((m for a in docs for m in a.mentions), key=order)
    quote_mentions = sorted((q for a in docs for q in a.quotes), key=lambda q: (q.doc_id, q.start, q.mention_id))
    actor_rows = [{"doc_id": a.document.doc_id, "start_char": r.start, "end_char": r.end, "text": r.text,
                   "code": r.code, "sector": r.sector, "name": r.name, "actor_id": r.actor_id, "role": r.role,
                   "kind": r.kind} for a in docs for r in a.actors]
    seconds: dict[str, float] = {}
    before = rss_mb()
    with timed(seconds, "stories"):
        stories = group_stories([profile(d) for d in documents])
    with timed(seconds, "copies"):
        groups = link_copies({d.doc_id: band_keys(d.text) for d in documents})
        copy_sources(documents, groups)
    with timed(seconds, "quotes"):
        quotes, _ = fuse_quotes(quote_mentions, groups, by_doc)
    with timed(seconds, "events"):
        events, links, conflicts = fuse_events(mentions, groups, by_doc, stories, quote_spans=anchor_spans(quotes))
    with timed(seconds, "positions"):
        event_of = {mention_id: event_id for event_id, mention_id, _ in links}
        positions = negotiation.positions(mentions, event_of, by_doc, groups, stories)
    with timed(seconds, "negotiations"):
        negotiation.negotiations(documents, mentions, events, links, conflicts, positions, groups, stories)
    with timed(seconds, "actors"):
        canonical_actors(actor_rows)
    sizes = {}
    for story in stories.values():
        sizes[story] = sizes.get(story, 0) + 1
    return {"seconds": seconds, "rss_before_mb": before, "peak_mb": peak_mb(), "mentions": len(mentions),
            "quote_mentions": len(quote_mentions), "stories": len(sizes), "largest_story": max(sizes.values()),
            "events": len(events), "quotes": len(quotes), "copies": sum(g != d for d, g in groups.items())}


DIFF_TABLES = ("events", "event_links", "quotes", "quote_links", "conflicts", "positions", "actors", "copies",
               "negotiations", "fused_documents", "copy_bands", "quote_shingles", "quote_relays")


def with_store(docs: Iterator[AnalyzedDocument], day_share: float, folder: str) -> dict:
    """A store of the documents but the latest published (about `day_share` of them: the last days of the
    year), rebuilt; then that "day" added incrementally; then rebuilt over everything, compared row for row
    with the update. Documents are stored as they are made: the peak memory is the rebuild's."""
    import gc

    from parley.fuse import derive
    from parley.store import Store

    cutoff = START + timedelta(days=(YEAR_DAYS + 3) * (1 - day_share))  # stories run up to 3 days past their start
    seconds: dict[str, float] = {}
    steps: dict[str, float] = {}
    for name in ("update_copies", "update_quotes", "update_stories", "update_actors"):
        _time_method(derive._Update, name, steps)
    real_assign = derive.assign_stories

    def assign(*args):
        with timed(steps, "assign_stories"):
            return real_assign(*args)

    derive.assign_stories = assign
    day: list[AnalyzedDocument] = []
    with Store(f"{folder}/bench.duckdb") as store:
        with timed(seconds, "store year"):
            batch: list[AnalyzedDocument] = []
            for doc in docs:
                (day if doc.document.published > cutoff else batch).append(doc)
                if len(batch) == 1000:
                    store.save_documents(batch)
                    batch = []
            store.save_documents(batch)
            del batch
            gc.collect()
        with timed(seconds, "rebuild year"):
            derive.rebuild_derived(store)
        steps.clear()
        with timed(seconds, "store day"):
            store.save_documents(day)
        with timed(seconds, "update day"):
            derive.update_derived(store)
        for table in DIFF_TABLES:
            store.con.execute(f"CREATE TEMP TABLE updated_{table} AS SELECT * FROM {table}")
        with timed(seconds, "rebuild year + day"):
            derive.rebuild_derived(store)
        differences = sum(store.con.execute(
            f"SELECT count(*) FROM ((SELECT * FROM {t} EXCEPT ALL SELECT * FROM updated_{t}) UNION ALL "
            f"(SELECT * FROM updated_{t} EXCEPT ALL SELECT * FROM {t}))").fetchone()[0] for t in DIFF_TABLES)
    return {"seconds": seconds, "update_steps": dict(steps), "day": len(day), "peak_mb": peak_mb(),
            "rows_differing": differences}


def _time_method(cls, name: str, into: dict) -> None:
    real = getattr(cls, name)

    def wrapper(self, *args, **kwargs):
        with timed(into, name.removeprefix("update_")):
            return real(self, *args, **kwargs)

    setattr(cls, name, wrapper)


def one_story(sizes: list[int], pool: list[PoolSentence], keep: set[str]) -> None:
    """Growth within one story: k documents of one topic published over four days (a burst of news on one
    event), fused as one story. An incremental update recomputes a story it touches whole, so this is what a
    day of news costs for the story it joins."""
    from parley import negotiation
    from parley.fuse.events import fuse_events

    print("one story of k documents (events, positions and negotiation, in memory):")
    per_mention = []
    for k in sizes:
        rng = random.Random(k)
        topic = Topic(0, pool, keep, START, rng)
        docs = []
        for i in range(k):
            picked = sorted(rng.sample(topic.sentences, rng.randint(6, 10)), key=topic.sentences.index)
            docs.append(make_document(topic, picked, _id("story", i), START + timedelta(days=rng.randrange(4)),
                                      f"Outlet {rng.randrange(60)}"))
        documents = [a.document for a in docs]
        by_doc = {d.doc_id: d for d in documents}
        mentions = sorted((m for a in docs for m in a.mentions),
                          key=lambda m: (m.doc_id, m.sentence_index, m.trigger.start, m.mention_id))
        stories = {d.doc_id: "story" for d in documents}
        groups = {d.doc_id: d.doc_id for d in documents}
        t0 = time.perf_counter()
        events, links, conflicts = fuse_events(mentions, groups, by_doc, stories)
        t1 = time.perf_counter()
        event_of = {mention_id: event_id for event_id, mention_id, _ in links}
        positions = negotiation.positions(mentions, event_of, by_doc, groups, stories)
        negotiation.negotiations(documents, mentions, events, links, conflicts, positions, groups, stories)
        t2 = time.perf_counter()
        per_mention.append(1000 * (t2 - t0) / len(mentions))
        print(f"  {k:>5} documents, {len(mentions):,} mentions, {len(events):,} events (largest "
              f"{max(e.n_mentions for e in events)} mentions): events {t1 - t0:.1f} s, positions and negotiation "
              f"{t2 - t1:.1f} s; {per_mention[-1]:.2f} ms per mention")
    if len(sizes) > 1:
        print(f"  per-mention cost ratio {sizes[-1]} / {sizes[0]} documents: {per_mention[-1] / per_mention[0]:.2f}")


# --- driver ----------------------------------------------------------------------------------------------------

def child(mode: str, n: int, pool_file: str, day: float) -> None:
    with open(pool_file, "rb") as f:
        pool, keep = pickle.load(f)
    with tempfile.TemporaryDirectory() as folder:
        if mode == "memory":
            t0 = time.perf_counter()
            docs = list(corpus(n, pool, keep))
            made = time.perf_counter() - t0
            result = in_memory(docs)
            result["corpus_seconds"] = made
        else:
            result = with_store(corpus(n, pool, keep), day, folder)
    print(json.dumps(result))


def run_child(mode: str, n: int, pool_file: str, day: float) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, "--sizes", str(n), "--pool", pool_file,
                          "--day", str(day)], capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"{mode} at {n} documents failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(sizes: list[int], memory: dict[int, dict], store: dict[int, dict]) -> None:
    for n in sizes:
        m = memory[n]
        total = sum(m["seconds"].values())
        print(f"\n{n:,} documents: {m['mentions']:,} event mentions, {m['quote_mentions']:,} quote mentions, "
              f"{m['stories']:,} stories (largest {m['largest_story']}), {m['events']:,} events, "
              f"{m['quotes']:,} quotes, {m['copies']:,} copies; corpus made in {m['corpus_seconds']:.1f} s")
        print(f"  in memory: {total:.1f} s, {1000 * total / n:.2f} ms per document; resident memory "
              f"{m['rss_before_mb']:.0f} MB with the corpus, peak {m['peak_mb']:.0f} MB")
        print("  " + ", ".join(f"{s} {m['seconds'][s]:.2f} s" for s in STAGES))
        if n in store:
            s = store[n]
            sec = s["seconds"]
            print(f"  store: {sec['store year']:.1f} s to store the documents, rebuild {sec['rebuild year']:.1f} s; "
                  f"a day of {s['day']:,} new documents: update "
                  f"{sec['update day']:.2f} s against a rebuild of {sec['rebuild year + day']:.1f} s "
                  f"({sec['rebuild year + day'] / sec['update day']:.0f}x); rows differing "
                  f"{s['rows_differing']}; peak {s['peak_mb']:.0f} MB")
            print("  update steps: " + ", ".join(f"{k} {v:.2f} s" for k, v in s["update_steps"].items()))
    for small, large in zip(sizes, sizes[1:]):
        growth = large / small
        print(f"\nper-document cost ratio {large:,} / {small:,} (1.0 = linear, {growth:.0f} = quadratic):")
        ratios = {s: (memory[large]["seconds"][s] / large) / max(memory[small]["seconds"][s] / small, 1e-12)
                  for s in STAGES}
        total = (sum(memory[large]["seconds"].values()) / large) / (sum(memory[small]["seconds"].values()) / small)
        print("  " + ", ".join(f"{s} {r:.2f}" for s, r in ratios.items()) + f"; all stages {total:.2f}")
        print(f"  peak memory per document: {memory[large]['peak_mb'] / large * small / memory[small]['peak_mb']:.2f}")
        if small in store and large in store:
            u = store[large]["seconds"]["update day"] / store[small]["seconds"]["update day"]
            print(f"  incremental update of a 1% day: {u:.1f}x the time for {growth:.0f}x the documents and "
                  f"{growth:.0f}x the day")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--day", type=float, default=0.01, help="share of documents added by the incremental run")
    parser.add_argument("--no-store", action="store_true", help="skip the store (rebuild and incremental) runs")
    parser.add_argument("--one-story", type=int, nargs="+", metavar="K",
                        help="instead, time the fusion of one story of K documents, for each K")
    parser.add_argument("--child", choices=("memory", "store"), help=argparse.SUPPRESS)
    parser.add_argument("--pool", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.sizes[0], args.pool, args.day)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        pool_file = f"{folder}/pool.pickle"
        t0 = time.perf_counter()
        pool, keep = analyse_sources()
        with open(pool_file, "wb") as f:
            pickle.dump((pool, keep), f)
        print(f"pool: {len(pool)} analysed sentences from the seeds and examples/ ({time.perf_counter() - t0:.0f} s)")
        if args.one_story:
            one_story(args.one_story, pool, keep)
            return 0
        memory, store = {}, {}
        for n in args.sizes:
            memory[n] = run_child("memory", n, pool_file, args.day)
            print(f"  {n:,}: in memory done", flush=True)
            if not args.no_store:
                store[n] = run_child("store", n, pool_file, args.day)
                print(f"  {n:,}: store done", flush=True)
    report(args.sizes, memory, store)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
