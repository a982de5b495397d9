"""What the report and the web app cost on a database: time to build the views, to write the report file, its
size, and the API's answer time with the catalogue cached and after the database changed.

    .venv/bin/python benchmarks/bench_report.py --db parley.duckdb
    .venv/bin/python benchmarks/bench_report.py --copies 20     # builds a database from variants of examples/

Ratios are printed against the time to read the store once, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parley.config import Settings  # noqa: E402
from parley.ingest import iter_documents  # noqa: E402
from parley.pipeline import Pipeline  # noqa: E402
from parley.records import Document  # noqa: E402
from parley.report.html import render_report  # noqa: E402
from parley.report.views import Catalogue, build_views  # noqa: E402
from parley.serve import ParleyApp  # noqa: E402
from parley.store import Store  # noqa: E402


def _corpus_db(copies: int, folder: Path) -> str:
    base = [d for d in iter_documents([str(ROOT / "examples")]) if isinstance(d, Document)]
    corpus = folder / "corpus"
    corpus.mkdir()
    for i in range(copies):
        for j, d in enumerate(base):
            (corpus / f"{i:04d}_{j}.txt").write_text(
                f"{d.title or 'Report'}\n{d.text}\nThis is benchmark variant {i} of report {j}.\n", encoding="utf-8")
    path = str(folder / "bench.duckdb")
    with Store(path) as store:
        Pipeline(Settings(progress=True)).run([str(corpus)], store)
    return path


def _timed(fn, repeat: int = 3):
    best, value = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t0)
    return best, value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an analysed database (default: build one from --copies variants of examples/)")
    parser.add_argument("--copies", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or _corpus_db(args.copies, Path(tmp))
        with Store(db, read_only=True) as store:
            counts = store.counts()
            read_s, catalogue = _timed(lambda: Catalogue(store))
            views_s, views = _timed(lambda: build_views(catalogue))
            report_s, page = _timed(lambda: render_report(store))
        app = ParleyApp(db)
        app.catalogue()
        cached_s, _ = _timed(lambda: app.route("/api/events", {"actor": "USA"}), repeat=5)
        app._cached = None  # as after `parley analyze` changed the file
        cold_s, _ = _timed(lambda: (setattr(app, "_cached", None), app.route("/api/report", {}))[1], repeat=3)
        doc_id = views["events"][0]["evidence"][0]["doc_id"] if views["events"] else None
        doc_s = _timed(lambda: app.route(f"/api/documents/{doc_id}", {}), repeat=5)[0] if doc_id else float("nan")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {counts['documents']} documents, {counts['events']} events, {counts['quotes']} quotes")
    print(f"read the store once (Catalogue)        {read_s * 1000:8.1f} ms   (1.00)")
    print(f"build every view                       {views_s * 1000:8.1f} ms   ({views_s / read_s:.2f})")
    print(f"write the report file                  {report_s * 1000:8.1f} ms   ({report_s / read_s:.2f})"
          f"   {len(page.encode()) / 1e6:.2f} MB, of which data {len(json.dumps(views)) / 1e6:.2f} MB")
    print(f"API /api/events?actor=USA, cached      {cached_s * 1000:8.1f} ms   ({cached_s / read_s:.2f})")
    print(f"API /api/report after a change         {cold_s * 1000:8.1f} ms   ({cold_s / read_s:.2f})")
    print(f"API /api/documents/<id>                {doc_s * 1000:8.1f} ms")
    print(f"peak resident memory                   {peak_mb:8.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
