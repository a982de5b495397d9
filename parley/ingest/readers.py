"""Readers for each input format, chosen from a registry by file suffix.

Each reader turns raw bytes into `Document`s, or yields an `InputError` naming the file (and line) and the
reason, so that one bad file never stops a batch.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator

from parley.config import DEFAULT, Settings
from parley.errors import InputError
from parley.ingest.normalize import document_id, english_ratio, looks_binary, normalize_text
from parley.records import Document
from parley.resolve.time import infer_publication_date, parse_date

Item = Document | InputError
Reader = Callable[[str, bytes, Settings, "date | None"], Iterator[Item]]
READERS: dict[str, Reader] = {}


def reader(*suffixes: str) -> Callable[[Reader], Reader]:
    def register(func: Reader) -> Reader:
        for suffix in suffixes:
            READERS[suffix] = func
        return func

    return register


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
        doc_id=document_id(text),
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


@reader(".jsonl", ".ndjson")
def read_jsonl(source: str, raw: bytes, settings: Settings, default_date: date | None) -> Iterator[Item]:
    content = _decode(source, raw)
    for lineno, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"malformed JSON ({exc.msg})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield InputError(where, 'each line must be a JSON object with a "text" string')
            continue
        published = None
        if record.get("published"):
            published = parse_date(str(record["published"]))
            if published is None:
                yield InputError(where, f"unreadable published date {record['published']!r}")
                continue
        try:
            yield make_document(
                where, record["text"], settings, title=record.get("title"), url=record.get("url"),
                outlet=record.get("outlet"), published=published, default_date=default_date,
            )
        except InputError as exc:
            yield exc


def read_path(path: Path, settings: Settings = DEFAULT, default_date: date | None = None) -> Iterator[Item]:
    """Documents from one file, or every readable file under a folder (recursively, in name order)."""
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if child.name.startswith(".") or child.suffix.lower() not in READERS or child.suffix == "":
                continue
            yield from read_path(child, settings, default_date)
        return
    source = str(path)
    if not path.exists():
        yield InputError(source, "no such file or folder")
        return
    read = READERS.get(path.suffix.lower())
    if read is None:
        yield InputError(source, f"unsupported file type {path.suffix!r} (use .txt, .html or .jsonl)")
        return
    try:
        raw = path.read_bytes()
        yield from read(source, raw, settings, default_date)
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield InputError(source, f"cannot read file ({exc.strerror})")


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
