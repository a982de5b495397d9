"""Whole-pipeline throughput and memory, as ratios measured in one run.

    .venv/bin/python benchmarks/bench_pipeline.py [--copies 40]

Builds a corpus of distinct documents from the bundled examples (each copy gets a unique line, so every
document is new to the store), then times (a) spaCy parsing alone and (b) `parley analyze` end to end into a
fresh DuckDB file, and prints documents per second, the pipeline/parse time ratio and peak memory.
"""

from __future__ import annotations

import argparse
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
from parley.store import Store  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=40, help="variants of each example document")
    parser.add_argument("--workers", type=int, default=1,
                        help="also time `analyze --workers N` in the same run and print its speed-up over one process")
    parser.add_argument("--dask", action="store_true",
                        help="also time `analyze --engine dask` on a LocalCluster of --workers processes")
    args = parser.parse_args()
    base = [d for d in iter_documents([str(ROOT / "examples")]) if isinstance(d, Document)]
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for i in range(args.copies):
            for j, d in enumerate(base):
                (corpus / f"{i:04d}_{j}.txt").write_text(
                    f"{d.title or 'Report'}\n{d.text}\nThis is benchmark variant {i} of report {j}.\n", encoding="utf-8")
        texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.iterdir())]
        n_chars = sum(map(len, texts))
        pipeline = Pipeline(Settings(progress=True))
        t0 = time.perf_counter()
        for _ in pipeline.nlp.pipe(texts, batch_size=32):
            pass
        parse_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        with Store(str(Path(tmp) / "bench.duckdb")) as store:
            summary = pipeline.run([str(corpus)], store)
        total_s = time.perf_counter() - t0
        parallel_s = None
        if args.workers > 1:
            t0 = time.perf_counter()
            with Store(str(Path(tmp) / "workers.duckdb")) as store:
                Pipeline(Settings(progress=False, workers=args.workers), nlp=pipeline.nlp).run([str(corpus)], store)
            parallel_s = time.perf_counter() - t0
        dask_s = None
        if args.dask:
            t0 = time.perf_counter()
            with Store(str(Path(tmp) / "dask.duckdb")) as store:
                Pipeline(Settings(progress=False, workers=args.workers, engine="dask"), nlp=pipeline.nlp).run(
                    [str(corpus)], store)
            dask_s = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents: {summary.documents_new} ({n_chars / 1000:.0f}k characters), errors: {len(summary.errors)}")
    print(f"spaCy parse alone: {parse_s:.2f} s; parley analyze end to end: {total_s:.2f} s")
    print(f"throughput: {summary.documents_new / total_s:.1f} documents/s")
    print(f"ratio analyze / parse: {total_s / parse_s:.2f}")
    print(f"peak memory (RSS): {peak_mb:.0f} MB")
    print(f"counts: {summary.counts}")
    if parallel_s:
        print(f"--workers {args.workers}: {parallel_s:.2f} s end to end; speed-up over one process: "
              f"{total_s / parallel_s:.2f} (peak RSS above is the parent's; each worker loads its own pipeline)")
    if dask_s:
        print(f"--engine dask (LocalCluster, {args.workers} worker processes, cluster start included): {dask_s:.2f} s; "
              f"local one process / dask: {total_s / dask_s:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
