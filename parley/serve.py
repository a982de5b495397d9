"""`parley serve`: the report's views live over a database, with filters, and a JSON API for the same data.

A small WSGI application (the standard library's `wsgiref` runs it; any WSGI server can). It binds to localhost
unless told otherwise, and opens the database read-only for each read rather than holding it open: DuckDB lets
one process write a file only while no other holds it, so `parley analyze` can add reports while the app runs,
and the app rereads the store when the file has changed.

    GET /                         the web app
    GET /static/<asset>           its styles and scripts (vendored chart library included)
    GET /api                      this list
    GET /api/report?<filters>     every view: events, conflicts, negotiations, quotes, sources, network, options
    GET /api/<view>?<filters>     one of them (events, conflicts, negotiations, quotes, sources, network, options)
    GET /api/documents/<doc_id>   a document's sentences with character offsets (the evidence reader)

Filters: actor, issue, event_type, outlet, date_from, date_to (YYYY-MM-DD), q (words), and limit.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from typing import Any, Callable, Iterable
from urllib.parse import parse_qsl, unquote
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from socketserver import ThreadingMixIn

from parley.errors import ParleyError
from parley.report.filters import Filters
from parley.report.html import ASSETS, asset, render_app
from parley.report.views import Catalogue, build_views, document_view
from parley.store import Store

VIEWS = ("events", "conflicts", "negotiations", "quotes", "sources", "network", "options")
DEFAULT_LIMIT, MAX_LIMIT = 500, 5000
CONTENT_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
SECURITY_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"),
]

Response = tuple[str, list[tuple[str, str]], bytes]


class HTTPError(Exception):
    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status


class ParleyApp:
    """The WSGI application over one database file."""

    def __init__(self, db: str):
        if not os.path.exists(db):
            raise ParleyError(f"{db}: no such database; run `parley analyze ... --db {db}` first")
        self.db = db
        self._lock = threading.Lock()
        self._cached: tuple[tuple[int, int], Catalogue] | None = None
        with Store(db, read_only=True):
            pass  # fail now, with the store's message, if this is not a Parley database

    # -- data ------------------------------------------------------------------------------------------------
    def _version(self) -> tuple[int, int]:
        stats = [os.stat(p) for p in (self.db, self.db + ".wal") if os.path.exists(p)]
        return (max(s.st_mtime_ns for s in stats), sum(s.st_size for s in stats))

    def catalogue(self) -> Catalogue:
        """The store's contents, reread when the database file has changed since the last request."""
        with self._lock:
            version = self._version()
            if self._cached is None or self._cached[0] != version:
                self._cached = (version, self._with_store(Catalogue))
            return self._cached[1]

    def _with_store(self, read: Callable[[Store], Any]) -> Any:
        try:
            with Store(self.db, read_only=True) as store:
                return read(store)
        except ParleyError as exc:
            raise HTTPError("503 Service Unavailable", f"{exc} (is `parley analyze` writing to it?)") from None

    # -- routing ---------------------------------------------------------------------------------------------
    def route(self, path: str, params: dict[str, str]) -> Response:
        if path in ("/", "/index.html"):
            return _html(render_app())
        if path.startswith("/static/"):
            name = path[len("/static/"):]
            if name not in ASSETS:
                raise HTTPError("404 Not Found", f"no asset {name}")
            kind = CONTENT_TYPES[os.path.splitext(name)[1]]
            return "200 OK", [("Content-Type", kind), ("Cache-Control", "max-age=3600")], asset(name).encode()
        if path in ("/api", "/api/"):
            return _json({"endpoints": ["/api/report"] + [f"/api/{v}" for v in VIEWS] + ["/api/documents/<doc_id>"],
                          "filters": list(Filters.__dataclass_fields__) + ["limit"], "database": self.db})
        if path.startswith("/api/documents/"):
            doc_id = unquote(path[len("/api/documents/"):])
            doc = self._with_store(lambda store: document_view(store, doc_id))
            if doc is None:
                raise HTTPError("404 Not Found", f"no document {doc_id!r} in {self.db}")
            return _json(doc)
        if path == "/api/report" or path.removeprefix("/api/") in VIEWS:
            views = self._views(params)
            return _json(views if path == "/api/report" else {"filters": views["filters"],
                                                              path.removeprefix("/api/"): views[path.removeprefix("/api/")]})
        raise HTTPError("404 Not Found", f"no such page: {path}")

    def _views(self, params: dict[str, str]) -> dict[str, Any]:
        try:
            filters = Filters.from_query(params)
            limit = int(params.get("limit") or DEFAULT_LIMIT)
        except ParleyError as exc:
            raise HTTPError("400 Bad Request", str(exc)) from None
        except ValueError:
            raise HTTPError("400 Bad Request", f"limit must be a whole number, not {params.get('limit')!r}") from None
        if not 1 <= limit <= MAX_LIMIT:
            raise HTTPError("400 Bad Request", f"limit must be between 1 and {MAX_LIMIT}")
        return build_views(self.catalogue(), filters, limit=limit)

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            status, headers, body = _error("405 Method Not Allowed", "only GET is served")
        else:
            params = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
            try:
                status, headers, body = self.route(environ.get("PATH_INFO") or "/", params)
            except HTTPError as exc:
                status, headers, body = _error(exc.status, str(exc))
        start_response(status, headers + SECURITY_HEADERS + [("Content-Length", str(len(body)))])
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else body]


def _json(value: Any, status: str = "200 OK") -> Response:
    body = json.dumps(value, ensure_ascii=False, default=str).encode()
    return status, [("Content-Type", "application/json; charset=utf-8")], body


def _html(text: str) -> Response:
    return "200 OK", [("Content-Type", "text/html; charset=utf-8")], text.encode()


def _error(status: str, message: str) -> Response:
    return _json({"error": message, "status": int(status.split()[0])}, status)


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # one line per request, on stderr
        sys.stderr.write(f"{self.address_string()} {format % args}\n")


def make_app_server(db: str, host: str = "127.0.0.1", port: int = 8765, quiet: bool = False) -> WSGIServer:
    """A server for the app, not yet serving (port 0 picks a free port: see `server.server_port`)."""
    handler = type("Handler", (_QuietHandler,), {"log_message": lambda *a: None}) if quiet else _QuietHandler
    return make_server(host, port, ParleyApp(db), server_class=_ThreadingServer, handler_class=handler)
