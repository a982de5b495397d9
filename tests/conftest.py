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


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory, pipeline) -> str:
    """The bundled example corpus analysed once into a real DuckDB file (no ../shared needed)."""
    from parley.store import Store

    path = str(tmp_path_factory.mktemp("examples") / "examples.duckdb")
    with Store(path) as store:
        summary = pipeline.run([str(EXAMPLES)], store)
        assert not summary.errors
    return path


HOSTILE_TITLE = '</script><script>window.__pwned = "title"</script>'
HOSTILE_TEXT = ('Russia rejected the proposal <img src=x onerror="window.__pwned=\'text\'"> on Monday. '
                '"We will never accept </script><script>window.__pwned=\'quote\'</script> terms," said Sergey Lavrov. '
                'Ukraine demanded a 30-day ceasefire on Tuesday.')


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory, pipeline) -> str:
    """A database whose article title and text try to inject markup and scripts."""
    import json

    from parley.store import Store

    folder = tmp_path_factory.mktemp("hostile")
    (folder / "articles.jsonl").write_text(json.dumps({
        "id": "x1", "title": HOSTILE_TITLE, "text": HOSTILE_TEXT, "outlet": "<b>Evil Outlet</b>",
        "published": "2025-04-22"}) + "\n", encoding="utf-8")
    path = str(folder / "hostile.duckdb")
    with Store(path) as store:
        summary = pipeline.run([str(folder / "articles.jsonl")], store)
        assert not summary.errors
    return path


@pytest.fixture()
def served(request):
    """`parley serve` on a free port for the database named by the test's `db` parameter: yields its base URL."""
    import threading

    from parley.serve import make_app_server

    server = make_app_server(request.getfixturevalue(request.param), port=0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
