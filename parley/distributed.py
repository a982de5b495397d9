"""The per-document stages (nlp, extract, resolve) on a Dask cluster: `parley analyze --engine dask
[--scheduler ADDRESS]`.

Documents go to the workers in chunks; each worker keeps one Parley pipeline (one spaCy model) for all its
tasks, analyses its chunk and writes the results as a Parquet shard (one row per document: its id, source and
the analysed record, pickled); the driver reads each shard back in input order and the pipeline stores it as
it stores local results. Without a scheduler address a `LocalCluster` of `settings.workers` processes runs
on this machine: the same code path tests use. At most two chunks per worker are in flight, so the driver's
memory stays flat however long the input.
"""

from __future__ import annotations

import pickle
import tempfile
from collections import deque
from pathlib import Path
from typing import Iterable, Iterator

from parley.config import Settings
from parley.errors import InputError, ParleyError
from parley.pipeline import Pipeline, chunks
from parley.records import AnalyzedDocument, Document

_PIPELINES: dict[tuple, object] = {}  # per worker process: settings -> its Pipeline


def _worker_pipeline(settings: Settings):
    key = (settings.models, settings.batch_size)
    if key not in _PIPELINES:
        _PIPELINES[key] = Pipeline(Settings(models=settings.models, batch_size=settings.batch_size, progress=False))
    return _PIPELINES[key]


def analyze_chunk_to_shard(chunk: list[tuple[str, Document]], settings: Settings, shard: str) -> str:
    """Run on a worker: analyse a chunk and write it as a Parquet shard; returns the shard's path."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = []
    for item in _worker_pipeline(settings).analyze_all(chunk):
        source = item.source if isinstance(item, InputError) else item.document.source
        rows.append({"source": source, "failed": isinstance(item, InputError), "record": pickle.dumps(item)})
    pq.write_table(pa.Table.from_pylist(rows, schema=pa.schema(
        [("source", pa.string()), ("failed", pa.bool_()), ("record", pa.binary())])), shard)
    return shard


def read_shard(path: str) -> list[AnalyzedDocument | InputError]:
    import pyarrow.parquet as pq

    return [pickle.loads(row["record"]) for row in pq.read_table(path).to_pylist()]


def analyze_on_dask(items: Iterable[tuple[str, Document]], settings: Settings,
                    client=None) -> Iterator[AnalyzedDocument | InputError]:
    """Analysed documents in input order, computed on Dask workers through Parquet shards."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - a declared dependency
        raise ParleyError("the dask engine needs the 'distributed' package (pip install distributed)") from None
    cluster = None
    if client is None:
        if settings.dask_scheduler:
            try:
                client = Client(settings.dask_scheduler, timeout="20s")
            except OSError as exc:
                raise ParleyError(f"cannot reach the Dask scheduler at {settings.dask_scheduler} ({exc})") from None
        else:
            cluster = LocalCluster(n_workers=max(1, settings.workers), threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
    owned = cluster is not None
    workers = max(1, len(client.scheduler_info().get("workers", {})) or settings.workers)
    try:
        with tempfile.TemporaryDirectory(prefix="parley-shards-") as shards:
            in_flight: deque = deque()
            for n, chunk in enumerate(chunks(items, settings.batch_size)):
                shard = str(Path(shards) / f"shard-{n:06d}.parquet")
                in_flight.append(client.submit(analyze_chunk_to_shard, chunk, settings, shard, pure=False))
                if len(in_flight) >= 2 * workers:
                    yield from read_shard(in_flight.popleft().result())
            while in_flight:
                yield from read_shard(in_flight.popleft().result())
    finally:
        if owned:
            client.close()
            cluster.close()
