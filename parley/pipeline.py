"""The pipeline: ingest -> nlp -> extract -> resolve -> store, then fuse -> negotiation over the store.

Per-document stages run on one document at a time and are committed one document per transaction, so a bad
file or a crash never loses what is already stored. Cross-document stages (fuse, negotiation, actors) are then
brought up to date with the new documents (`parley.fuse.derive.update_derived`): only the stories, copies,
quotes and actors they can change are recomputed, and the result is what a full rebuild would give, so re-runs
stay idempotent.
"""

from __future__ import annotations

import gc
import hashlib
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Iterator

from tqdm import tqdm

from parley.config import DEFAULT, Settings
from parley.errors import InputError
from parley.extract import EventCoder, QuoteExtractor
from parley.fuse.derive import assign_stories, rebuild_derived, update_derived
from parley.ingest import iter_documents
from parley.nlp import load_pipeline, parse, span_text
from parley.records import AnalyzedDocument, Document, Sentence
from parley.resolve.actors import ActorResolver
from parley.resolve import resolve_mentions
from parley.store import Store


@dataclass
class RunSummary:
    documents_read: int = 0
    documents_new: int = 0
    documents_known: int = 0
    errors: list[InputError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


# Allocations between two collections of the youngest generation while a run analyses and fuses (Python's
# default: 700). Both make many short-lived objects and few reference cycles: collecting less often frees the
# same garbage a little later, in a fifth of the collector's time (about 0.3 s per 200 documents saved).
GC_YOUNG_THRESHOLD = 10_000


@contextmanager
def _young_collections_every(allocations: int) -> Iterator[None]:
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], allocations), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


@contextmanager
def analysis_collector() -> Iterator[None]:
    """The garbage collector as `Pipeline.run` sets it while documents are parsed and analysed: collections of
    the young generation less often, and everything long-lived so far (model, lexicons, gazetteer) frozen, so
    that the collector skips it (half of its time). Not for fusion, which keeps many objects alive: with
    nothing counted as old, the collector would run full collections over them far more often. Unfrozen
    after, the objects are also finalised normally when the process exits. Benchmarks time spaCy alone
    under it too, so that a ratio to it measures Parley's own work."""
    with _young_collections_every(GC_YOUNG_THRESHOLD):
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()


def _stable_id(*parts: object) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


class Pipeline:
    """Holds the loaded components; `analyze_document` is pure (no store), `run` adds ingest and store."""

    def __init__(self, settings: Settings = DEFAULT, nlp=None, coder=None, quotes=None, actors=None):
        self.settings = settings
        self.nlp = nlp or load_pipeline(settings)
        self.coder = coder or EventCoder()
        self.quotes = quotes or QuoteExtractor()
        self.actors = actors or ActorResolver()

    def analyze_document(self, document: Document, doc) -> AnalyzedDocument:
        doc_id = document.doc_id
        sentences = [Sentence(doc_id, i, s.start_char, s.end_char, span_text(s)) for i, s in enumerate(doc.sents)]
        mentions = self.coder.code_doc(doc, doc_id)
        quotes = self.quotes.extract(doc, doc_id)
        for m in mentions:
            m.mention_id = _stable_id(doc_id, m.sentence_index, m.trigger.start, m.event)
        for q in quotes:
            q.mention_id = _stable_id(doc_id, q.kind, q.start, q.end)
        actors, dates = resolve_mentions(self.actors, doc, mentions, quotes, document.published,
                                         inferred=document.date_source == "inferred")
        return AnalyzedDocument(document, sentences, mentions, quotes, actors, dates)

    def run(self, paths: Iterable[str], store: Store, default_date: date | None = None) -> RunSummary:
        """Analyse every new document of `paths` into `store`, streaming: documents are read, parsed and
        stored batch by batch (each batch one transaction), so memory stays flat however large the input,
        and a run cut short keeps what it stored; run again, it skips those and does the rest."""
        summary = RunSummary()
        with analysis_collector():
            self._analyze_into(store, self._fresh(paths, store, default_date, summary), summary)
        with _young_collections_every(GC_YOUNG_THRESHOLD):
            update_derived(store, self.settings)
        summary.counts = store.counts()
        return summary

    def _analyze_into(self, store: Store, fresh: Iterable[tuple[str, Document]], summary: RunSummary) -> None:
        """Analyse the fresh documents and store them batch by batch, counting into `summary`."""
        progress = tqdm(desc="analyzing", unit="doc", disable=not self.settings.progress)
        pending: list[AnalyzedDocument] = []
        if self.settings.engine == "dask":
            from parley.distributed import analyze_on_dask

            analyzed = analyze_on_dask(fresh, self.settings)
        elif self.settings.workers > 1:
            analyzed = self._in_workers(fresh)
        else:
            analyzed = self.analyze_all(fresh)
        for item in analyzed:
            progress.update(1)
            if isinstance(item, InputError):
                summary.errors.append(item)
                continue
            pending.append(item)
            if len(pending) >= self.settings.store_batch:
                summary.documents_new += self._save(store, pending, summary)
                pending = []
        summary.documents_new += self._save(store, pending, summary)
        progress.close()

    def analyze_all(self, items: Iterable[tuple[str, Document]]) -> Iterator[AnalyzedDocument | InputError]:
        """Parse and analyse (text, document) pairs in order; a failure is an InputError for that document."""
        for doc, document in parse(self.nlp, items, self.settings.batch_size):
            try:
                yield self.analyze_document(document, doc)
            except Exception as exc:  # a bug on one document must not cost the batch; report it by file
                yield InputError(document.source, f"analysis failed ({exc.__class__.__name__}: {exc})")

    def _in_workers(self, items: Iterable[tuple[str, Document]]) -> Iterator[AnalyzedDocument | InputError]:
        """`analyze_all` in `settings.workers` processes, one spaCy pipeline each, results in input order.
        At most two chunks per worker are in flight, so memory stays flat however long the input."""
        import multiprocessing

        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
        workers = self.settings.workers
        with context.Pool(workers, initializer=_start_worker, initargs=(self.settings,)) as pool:
            in_flight: deque = deque()
            for chunk in chunks(items, self.settings.batch_size):
                in_flight.append(pool.apply_async(_analyze_chunk, (chunk,)))
                if len(in_flight) >= 2 * workers:
                    yield from in_flight.popleft().get()
            while in_flight:
                yield from in_flight.popleft().get()

    def _fresh(self, paths: Iterable[str], store: Store, default_date: date | None, summary: RunSummary):
        """(text, document) of each document not stored yet, as the readers yield them; errors and documents
        already stored are counted in `summary`."""
        seen: set[str] = set()
        # The store is asked about a batch of documents at a time: one query per document costs about a millisecond.
        for batch in chunks(iter_documents(paths, self.settings, default_date), self.settings.batch_size):
            stored = store.stored_documents(item.doc_id for item in batch if not isinstance(item, InputError))
            for item in batch:
                if isinstance(item, InputError):
                    summary.errors.append(item)
                    continue
                summary.documents_read += 1
                if item.doc_id in seen or item.doc_id in stored:
                    summary.documents_known += 1
                    continue
                seen.add(item.doc_id)
                yield item.text, item

    @staticmethod
    def _save(store: Store, batch: list[AnalyzedDocument], summary: RunSummary) -> int:
        """Save a batch in one transaction; if that fails, fall back to one transaction per document so that
        only the offending document is lost, and it is reported by file."""
        if not batch:
            return 0
        try:
            return store.save_documents(batch)
        except Exception:
            saved = 0
            for analyzed in batch:
                try:
                    saved += store.save_document(analyzed)
                except Exception as exc:
                    summary.errors.append(InputError(analyzed.document.source,
                                                     f"could not be stored ({exc.__class__.__name__}: {exc})"))
            return saved


_WORKER: Pipeline | None = None


def _start_worker(settings: Settings) -> None:
    global _WORKER
    _WORKER = Pipeline(settings)


def _analyze_chunk(chunk: list[tuple[str, Document]]) -> list[AnalyzedDocument | InputError]:
    return list(_WORKER.analyze_all(chunk))


def chunks(items: Iterable, size: int) -> Iterator[list]:
    """Lists of `size` items (the last one shorter), consuming `items` lazily."""
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


__all__ = ["Pipeline", "RunSummary", "assign_stories", "chunks", "rebuild_derived", "update_derived"]
