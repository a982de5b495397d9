"""The `parley` command: a thin layer over the library (pipeline, store, export, report, coder)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any, Iterator, TextIO

from parley import __version__
from parley.config import DEFAULT, Settings
from parley.errors import ParleyError


def _date_arg(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from None


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, not {value!r}")
    return number


def cmd_analyze(args: argparse.Namespace) -> int:
    from parley.pipeline import Pipeline
    from parley.store import Store

    settings = Settings(db_path=args.db, progress=not args.quiet, workers=args.workers, engine=args.engine,
                        dask_scheduler=args.scheduler)
    pipeline = Pipeline(settings)
    with Store(args.db) as store:
        summary = pipeline.run(args.paths, store, default_date=args.date)
    for error in summary.errors:
        print(f"error: {error}", file=sys.stderr)
    c = summary.counts
    print(
        f"{summary.documents_new} new documents ({summary.documents_known} already stored, "
        f"{len(summary.errors)} failed) -> {args.db}: {c['documents']} documents, {c['event_mentions']} event "
        f"mentions, {c['events']} events, {c['quote_mentions']} quote mentions, {c['quotes']} quotes, "
        f"{c['conflicts']} conflicts, "
        f"{c['positions']} positions, {c['actors']} actors"
    )
    return 1 if summary.errors else 0


def cmd_export(args: argparse.Namespace) -> int:
    from parley.export import export
    from parley.store import Store

    with Store(args.db, read_only=True) as store:
        n = export(store, args.what, args.format, args.out)
    if args.out:
        print(f"{n} {args.what} -> {args.out}", file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from parley.report import gather, render_report, render_text
    from parley.store import Store

    html_out = args.out if args.out and args.out.lower().endswith((".html", ".htm")) else args.html
    with Store(args.db, read_only=True) as store:
        text = render_text(gather(store), top=args.top)
        html = render_report(store, limit=args.limit, title=args.title) if html_out else None
    if args.out and not html_out:
        _write(args.out, text)
        print(f"text report -> {args.out}", file=sys.stderr)
    elif not html_out or args.html:
        print(text)
    if html_out:
        _write(html_out, html)
        print(f"HTML report -> {html_out} (self-contained: open it in any browser)", file=sys.stderr)
    return 0


def _write(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
    except OSError as exc:
        raise ParleyError(f"{path}: cannot write the report ({exc.strerror})") from None


def cmd_serve(args: argparse.Namespace) -> int:
    from parley.serve import make_app_server

    server = make_app_server(args.db, args.host, args.port)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving {args.db} to the network on {args.host}; it has no authentication",
              file=sys.stderr)
    print(f"Parley serving {args.db} on http://{args.host}:{server.server_port}/ (JSON API under /api; "
          "Ctrl-C stops)", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _code_inputs(stream: TextIO) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    for lineno, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield lineno, None, f"malformed JSON ({exc.msg})"
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield lineno, record if isinstance(record, dict) else None, 'expected an object with a "text" string'
            continue
        yield lineno, record, None


def _analyze_lines(analyzer, path: str | None) -> int:
    stream = sys.stdin if path in (None, "-") else open(path, encoding="utf-8")
    name = "<stdin>" if stream is sys.stdin else path
    failures = 0
    with stream:
        for lineno, record, error in analyzer.analyze_lines(_code_inputs(stream)):
            if error:
                failures += 1
                print(f"error: {name}:{lineno}: {error}", file=sys.stderr)
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 1 if failures else 0


def cmd_code(args: argparse.Namespace) -> int:
    from parley.coding import SentenceCoder

    return _analyze_lines(SentenceCoder(Settings(progress=False)), args.input)


def cmd_quotes(args: argparse.Namespace) -> int:
    from parley.coding import QuoteReader

    return _analyze_lines(QuoteReader(Settings(progress=False)), args.input)


def _read_roles(path: str) -> dict[str, list[str]]:
    from parley.datafiles import read_yaml
    from parley.errors import DataFileError
    from parley.negotiation.model import ROLES

    data = read_yaml(path)
    unknown = set(data) - set(ROLES)
    if unknown:
        raise DataFileError(path, f"unknown role(s) {', '.join(sorted(unknown))}; use {', '.join(ROLES)}")
    for role, codes in data.items():
        if not isinstance(codes, list) or not all(isinstance(c, str) and c.strip() for c in codes):
            raise DataFileError(path, f"{role} must be a list of actor codes (USA, RUS, EU, ...)")
    return {role: [c.strip() for c in codes] for role, codes in data.items()}


def cmd_negotiation(args: argparse.Namespace) -> int:
    from parley.pipeline import rebuild_derived
    from parley.report.negotiation import render_negotiations
    from parley.store import Store

    if args.roles:
        roles = _read_roles(args.roles)
        with Store(args.db) as store:
            store.set_roles(roles)
            rebuild_derived(store, Settings(db_path=args.db, progress=False))
    with Store(args.db, read_only=True) as store:
        if args.json:
            for record in store.records("negotiations"):
                sys.stdout.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        else:
            print(render_negotiations(store, args.issue))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parley", description=__doc__)
    parser.add_argument("--version", action="version", version=f"parley {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("analyze", help="ingest reports and run the whole pipeline into the database")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (.txt, .html, .jsonl); - for stdin")
    p.add_argument("--db", default=DEFAULT.db_path, help="DuckDB file (default: %(default)s)")
    p.add_argument("--date", type=_date_arg, help="publication date for reports whose metadata gives none")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--workers", type=_positive, default=1,
                   help="processes that parse and analyse documents (default: %(default)s; one spaCy pipeline each)")
    p.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="where documents are analysed: here, or on a Dask cluster (default: %(default)s)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: the scheduler's address (default: a local cluster of --workers processes)")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("export", help="write stored records as JSON Lines, CSV or Parquet")
    p.add_argument("--db", default=DEFAULT.db_path)
    p.add_argument("--what", required=True,
                   choices=["documents", "events", "mentions", "quotes", "quote-mentions", "conflicts", "positions",
                            "negotiations", "actors"])
    p.add_argument("--format", default="jsonl", choices=["jsonl", "csv", "parquet"])
    p.add_argument("--out", help="output file (default: standard output)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("report", help="a readable summary of the database: text, or a self-contained HTML page")
    p.add_argument("--db", default=DEFAULT.db_path)
    p.add_argument("--out", metavar="FILE", help="write the report here: FILE.html for the HTML report, else text")
    p.add_argument("--html", metavar="FILE", help="print the text summary and also write the HTML report to FILE")
    p.add_argument("--top", type=int, default=15, help="how many events the text summary lists")
    p.add_argument("--limit", type=_positive, default=500,
                   help="how many events the HTML report carries, most corroborated first (default: %(default)s)")
    p.add_argument("--title", default="Parley report", help="the HTML report's title")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("serve", help="the report's views live over the database, with filters and a JSON API")
    p.add_argument("--db", default=DEFAULT.db_path)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s, this machine only)")
    p.add_argument("--port", type=int, default=8765, help="port (default: %(default)s; 0 picks a free one)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("negotiation", help="where each negotiation stands: parties, issues, positions, the gap")
    p.add_argument("--db", default=DEFAULT.db_path)
    p.add_argument("--roles", metavar="FILE",
                   help="YAML with parties, mediators, third_parties (lists of codes): overrides inferred roles")
    p.add_argument("--issue", help="show one issue only (an id from parley/data/negotiation/issues.yaml)")
    p.add_argument("--json", action="store_true", help="the whole model as JSON Lines, one negotiation per line")
    p.set_defaults(func=cmd_negotiation)

    p = sub.add_parser("code", help="code sentences: JSON Lines {id, text, date?} in, {id, events} out")
    p.add_argument("input", nargs="?", help="JSON Lines file, or - / nothing for standard input")
    p.set_defaults(func=cmd_code)

    p = sub.add_parser("quotes", help="find quotes and their speakers: JSON Lines {id, text, date?} in, {id, quotes} out")
    p.add_argument("input", nargs="?", help="JSON Lines file, or - / nothing for standard input")
    p.set_defaults(func=cmd_quotes)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ParleyError as exc:
        print(f"parley: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
