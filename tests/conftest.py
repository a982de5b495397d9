from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def nlp():
    from parley.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "seeds").is_dir():
        pytest.skip("../shared is not available")
    return SHARED


@pytest.fixture(scope="session")
def pipeline(nlp):
    from parley.config import Settings
    from parley.pipeline import Pipeline

    return Pipeline(Settings(progress=False), nlp=nlp)


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory, pipeline):
    """The five reference reports analysed once into a real DuckDB file, opened read-only."""
    from parley.store import Store

    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not available")
    path = str(tmp_path_factory.mktemp("seeds") / "seeds.duckdb")
    with Store(path) as store:
        summary = pipeline.run([str(seeds)], store)
        assert not summary.errors
    store = Store(path, read_only=True)
    yield store
    store.close()
