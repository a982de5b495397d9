"""Ingest stage: files, folders and standard input -> `Document` records (or `InputError`s)."""

from parley.ingest.readers import FILE_READERS, READERS, iter_documents, read_path, read_stdin
from parley.ingest.normalize import document_id, normalize_text

__all__ = ["FILE_READERS", "READERS", "iter_documents", "read_path", "read_stdin", "document_id", "normalize_text"]
