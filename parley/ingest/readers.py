"""Readers for each input format, chosen from a registry by file suffix.

Each reader turns raw bytes, or a file it streams itself, into `Document`s, or yields an `InputError` naming
the file (and line or row) and the reason, so that one bad file never stops a batch.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import zlib
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from parley.config import DEFAULT, Settings
from parley.errors import InputError
from parley.ingest.normalize import document_id, english_ratio, looks_binary, normalize_text
from parley.records import Document
from parley.resolve.time import infer_publication_date, parse_date

Item = Document | InputError
# Reads a whole file (or standard input) held in memory: small text formats.
Reader = Callable[[str, bytes, Settings, "date | None"], Iterator[Item]]
# Opens the file itself and streams it, so memory stays flat however large the file (compressed, columnar formats).
FileReader = Callable[[Path, Settings, "date | None"], Iterator[Item]]
READERS: dict[str, Reader] = {}  # suffix -> reader of bytes; standard input is read with these
FILE_READERS: dict[str, FileReader] = {}  # suffix -> reader of a file: every format a file or folder may hold

# Rows per record batch read from a Parquet file: bounds memory whatever the file size (a few MB of text per batch).
PARQUET_BATCH_ROWS = 1024


def reader(*suffixes: str) -> Callable[[Reader], Reader]:
    def register(func: Reader) -> Reader:
        for suffix in suffixes:
            READERS[suffix] = func
            FILE_READERS[suffix] = _whole_file(func)
        return func

    return register


def file_reader(*suffixes: str) -> Callable[[FileReader], FileReader]:
    def register(func: FileReader) -> FileReader:
        for suffix in suffixes:
            FILE_READERS[suffix] = func
        return func

    return register


def _whole_file(read: Reader) -> FileReader:
    def read_file(path: Path, settings: Settings, default_date: date | None) -> Iterator[Item]:
        yield from read(str(path), path.read_bytes(), settings, default_date)

    return read_file


def _format(path: Path) -> str | None:
    """The registered suffix of a file name, longest first (".jsonl.gz" before ".gz"); "" for no suffix, None
    when the format is not supported."""
    suffixes = [s.lower() for s in path.suffixes]
    for start in range(len(suffixes)):
        candidate = "".join(suffixes[start:])
        if candidate in FILE_READERS:
            return candidate
    return None if suffixes else ""


def _decode(source: str, raw: bytes) -> str:
    if not raw.strip():
        raise InputError(source, "empty file")
    if looks_binary(raw):
        raise InputError(source, "binary content, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(source, f"not valid UTF-8 (byte {exc.start}); re-encode the file as UTF-8") from None


def make_document(
    source: str,
    text: str,
    settings: Settings,
    *,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: date | None = None,
    default_date: date | None = None,
) -> Document:
    """Validate and normalise one report; the publication date comes from metadata, --date, or the text."""
    text = normalize_text(text)
    if len(text) < settings.min_chars:
        raise InputError(source, f"no usable text ({len(text)} characters)")
    if english_ratio(text) < settings.min_english_ratio:
        raise InputError(source, "text does not look like English (Parley reads English news)")
    date_source = None
    if published is not None:
        date_source = "metadata"
    elif default_date is not None:
        published, date_source = default_date, "cli"
    else:
        published = infer_publication_date(text)
        date_source = "inferred" if published else None
    return Document(
        doc_id=document_id(text, normalized=True),
        text=text,
        source=source,
        title=normalize_text(title) if title else None,
        url=url or None,
        outlet=outlet or None,
        published=published,
        date_source=date_source,
    )


@reader(".txt", ".text", "")
def read_text(source: str, raw: bytes, settings: Settings, default_date: date | None) -> Iterator[Item]:
    text = _decode(source, raw).lstrip("\n\r\t ")
    first, _, rest = text.partition("\n")
    title = None
    # A short first line without final punctuation is the headline, as in most saved articles.
    if rest.strip() and len(first.strip()) <= settings.max_headline_chars and not first.rstrip().endswith((".", '"', "”")):
        title = first.strip()
    yield make_document(source, text, settings, title=title, default_date=default_date)


@reader(".html", ".htm", ".xhtml")
def read_html(source: str, raw: bytes, settings: Settings, default_date: date | None) -> Iterator[Item]:
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    html = _decode(source, raw)
    if "<" not in html:
        raise InputError(source, "no HTML markup found")
    try:
        extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
        raise InputError(source, f"malformed HTML ({exc.__class__.__name__})") from None
    meta = extracted.as_dict() if hasattr(extracted, "as_dict") else (extracted or {})
    text = meta.get("text") or ""
    if not text.strip():
        raise InputError(source, "malformed HTML or no main text found")
    title = meta.get("title")
    # trafilatura keeps the <h1> as the first line; the title is metadata, not body text.
    if title and text.startswith(title):
        text = text[len(title):].lstrip("\n")
    published = parse_date(meta.get("date")) if meta.get("date") else None
    yield make_document(
        source, text, settings, title=title, url=meta.get("url"),
        outlet=meta.get("sitename") or meta.get("hostname"), published=published, default_date=default_date,
    )


def _optional_str(value: Any) -> str | None:
    """A metadata field (title, url, outlet): kept when it is a non-empty string, else dropped."""
    return value if isinstance(value, str) and value.strip() else None


def _published(where: str, value: Any) -> date | None:
    """A `published` value: a date or timestamp as is, anything else parsed as text (ISO first)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):  # before `date`: a datetime is a date too
        return value.date()
    if isinstance(value, date):
        return value
    published = parse_date(str(value))
    if published is None:
        raise InputError(where, f"unreadable published date {value!r}")
    return published


def _record_document(where: str, record: Mapping[str, Any], settings: Settings, default_date: date | None) -> Document:
    """One article given as fields (a JSON object, a Parquet row), its "text" already checked to be a string."""
    return make_document(
        where, record["text"], settings, title=_optional_str(record.get("title")), url=_optional_str(record.get("url")),
        outlet=_optional_str(record.get("outlet")), published=_published(where, record.get("published")),
        default_date=default_date,
    )


def _jsonl_records(source: str, lines: Iterable[str], settings: Settings, default_date: date | None) -> Iterator[Item]:
    """JSON Lines, one article per line; a bad line gives an `InputError` naming `file:line` and the rest goes on.
    Raises `InputError` for the file when it holds no records at all."""
    seen = False
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        seen = True
        where = f"{source}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"malformed JSON ({exc.msg})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield InputError(where, 'each line must be a JSON object with a "text" string')
            continue
        yield _document_or_error(where, record, settings, default_date)
    if not seen:
        raise InputError(source, "empty file")


@reader(".jsonl", ".ndjson")
def read_jsonl(source: str, raw: bytes, settings: Settings, default_date: date | None) -> Iterator[Item]:
    # Lines end at \n, \r\n or \r only, as when streaming a file (str.splitlines would also split a record at a
    # U+2028 or form feed inside a JSON string).
    yield from _jsonl_records(source, io.StringIO(_decode(source, raw), newline=None), settings, default_date)


@file_reader(".jsonl.gz", ".jsonl.gzip", ".ndjson.gz")
def read_jsonl_gz(path: Path, settings: Settings, default_date: date | None) -> Iterator[Item]:
    """Gzip-compressed JSON Lines, decompressed as a stream, line by line: never the whole file in memory. A
    damaged stream ends the file with an `InputError` after the documents read before the damage."""
    source = str(path)
    # utf-8-sig: a byte-order mark is dropped, as for .jsonl.
    with gzip.open(path, "rt", encoding="utf-8-sig") as stream:
        yield from _jsonl_records(source, _gzip_lines(source, stream), settings, default_date)


def _gzip_lines(source: str, stream: Iterable[str]) -> Iterator[str]:
    """The lines of a decompressing stream; a damaged stream raises `InputError` for the file, after the lines
    read before the damage."""
    lineno = 0
    try:
        for lineno, line in enumerate(stream, 1):
            yield line
    except EOFError:
        raise InputError(source, f"truncated gzip file (the compressed data ends after line {lineno})") from None
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise InputError(source, f"not a valid gzip file or corrupt after line {lineno} ({exc})") from None
    except UnicodeDecodeError:
        # Decoding goes a chunk at a time, so the lines of the damaged chunk before the bad byte are not read.
        raise InputError(source, f"not valid UTF-8 ({lineno} lines read before it); re-encode the file as UTF-8") from None


_PARQUET_FIELDS = ("text", "title", "url", "outlet", "published")  # an "id" column is ignored, as in JSON Lines


@file_reader(".parquet")
def read_parquet(path: Path, settings: Settings, default_date: date | None) -> Iterator[Item]:
    """A Parquet table of articles, one per row, read in record batches of `PARQUET_BATCH_ROWS` rows and only the
    columns used, so memory stays flat however large the file. Each document's source is `file:row` (from 1)."""
    import pyarrow as pa  # imported here: only Parquet needs it
    import pyarrow.parquet as pq

    source = str(path)
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        if isinstance(exc, OSError) and exc.errno is not None:
            raise  # the file system's error (permissions, ...): read_path reports it as "cannot read file"
        raise InputError(source, f"not a valid Parquet file ({exc})") from None
    with parquet:
        schema = parquet.schema_arrow
        if "text" not in schema.names:
            found = ", ".join(schema.names[:10]) + (", ..." if len(schema.names) > 10 else "")
            raise InputError(source, f'no "text" column (columns: {found or "none"})')
        text_type = schema.field("text").type
        if pa.types.is_dictionary(text_type):
            text_type = text_type.value_type
        if not (pa.types.is_string(text_type) or pa.types.is_large_string(text_type)
                or pa.types.is_string_view(text_type)):
            raise InputError(source, f'the "text" column holds {text_type}, not strings')
        if parquet.metadata.num_rows == 0:
            raise InputError(source, "empty file (no rows)")
        columns = [name for name in _PARQUET_FIELDS if name in schema.names]
        for row, record in enumerate(_parquet_rows(source, parquet, columns), 1):
            where = f"{source}:{row}"
            if not isinstance(record["text"], str):
                yield InputError(where, 'no text (the "text" value is missing)')
                continue
            yield _document_or_error(where, record, settings, default_date)


def _document_or_error(where: str, record: Mapping[str, Any], settings: Settings, default_date: date | None
                       ) -> Document | InputError:
    """A record's document, or the error that names its line or row: one bad record never stops the file."""
    try:
        return _record_document(where, record, settings, default_date)
    except InputError as exc:
        return exc


def _parquet_rows(source: str, parquet, columns: list[str]) -> Iterator[dict[str, Any]]:
    """Rows as dicts, one record batch of `PARQUET_BATCH_ROWS` rows in memory at a time; damaged data raises
    `InputError` for the file, after the rows read before the damage."""
    import pyarrow as pa

    row = 0
    try:
        for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=columns):
            values = [_pylist(batch.column(name)) for name in columns]
            for row_values in zip(*values):
                row += 1
                yield dict(zip(columns, row_values))
    except (pa.ArrowException, OSError) as exc:
        raise InputError(source, f"corrupt Parquet data after row {row} ({exc})") from None


def _pylist(column) -> list[Any]:
    """The values of an Arrow column as Python objects."""
    import pyarrow as pa

    # Nanosecond timestamps would need pandas to become Python objects; a publication date needs no such precision.
    if pa.types.is_timestamp(column.type) and column.type.unit == "ns":
        column = column.cast(pa.timestamp("us", column.type.tz), safe=False)
    return column.to_pylist()


def read_path(path: Path, settings: Settings = DEFAULT, default_date: date | None = None) -> Iterator[Item]:
    """Documents from one file, or every readable file under a folder (recursively, in name order)."""
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if child.name.startswith(".") or not _format(child):  # None: unsupported; "": no suffix
                continue
            yield from read_path(child, settings, default_date)
        return
    source = str(path)
    if not path.exists():
        yield InputError(source, "no such file or folder")
        return
    fmt = _format(path)
    if fmt is None:
        yield InputError(
            source, f"unsupported file type {path.suffix!r} (use .txt, .html, .jsonl, .jsonl.gz or .parquet)")
        return
    try:
        yield from FILE_READERS[fmt](path, settings, default_date)
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield InputError(source, f"cannot read file ({exc.strerror or exc})")


def read_stdin(settings: Settings = DEFAULT, default_date: date | None = None, stream=None) -> Iterator[Item]:
    """Standard input: JSON Lines when the first non-blank character is '{', else one plain-text report."""
    raw = (stream or sys.stdin.buffer).read()
    fmt = ".jsonl" if raw.lstrip()[:1] == b"{" else ".txt"
    try:
        yield from READERS[fmt]("<stdin>", raw, settings, default_date)
    except InputError as exc:
        yield exc


def iter_documents(paths: Iterable[str], settings: Settings = DEFAULT, default_date: date | None = None) -> Iterator[Item]:
    for p in paths:
        if p == "-":
            yield from read_stdin(settings, default_date)
        else:
            yield from read_path(Path(p), settings, default_date)
