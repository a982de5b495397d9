"""Ingest: each format, identity of documents, publication dates, and bad input."""

import gzip
import io
import json
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from parley.errors import InputError
from parley.ingest import document_id, iter_documents, read_path, read_stdin, readers

ARTICLE = (
    "Ukraine and Russia exchange prisoners\n"
    "Ukraine and Russia exchanged 200 prisoners of war on Friday, officials in Kyiv said, in the largest swap "
    "since the talks in Istanbul began.\n"
)


def docs_and_errors(items):
    items = list(items)
    return [i for i in items if not isinstance(i, InputError)], [i for i in items if isinstance(i, InputError)]


def test_text_file_headline_and_body(tmp_path):
    path = tmp_path / "swap.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    (doc,), errors = docs_and_errors(read_path(path))
    assert not errors
    assert doc.title == "Ukraine and Russia exchange prisoners"
    assert "200 prisoners of war" in doc.text
    assert doc.source == str(path)


def test_first_line_that_is_a_sentence_is_not_a_headline(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Russia launched drones at Odesa overnight, officials said.\nTwo people were hurt.\n")
    (doc,), _ = docs_and_errors(read_path(path))
    assert doc.title is None


def test_html_main_text_and_metadata(tmp_path):
    html = (
        "<html><head><title>Talks resume | Lakeside Post</title><meta property='og:site_name' content='Lakeside Post'>"
        "<meta name='date' content='2025-03-11'><link rel='canonical' href='https://lakeside.example/talks'></head>"
        "<body><nav>Home | World | Sport</nav><article><h1>Talks resume</h1>"
        "<p>Negotiators from Kyiv and Moscow met in Istanbul on Tuesday for the first direct talks in three years.</p>"
        "<p>The Turkish foreign minister said both delegations had agreed to exchange prisoners.</p></article>"
        "<footer>Copyright Lakeside Post</footer></body></html>"
    )
    path = tmp_path / "talks.html"
    path.write_text(html, encoding="utf-8")
    (doc,), errors = docs_and_errors(read_path(path))
    assert not errors
    assert doc.outlet == "Lakeside Post"
    assert doc.url == "https://lakeside.example/talks"
    assert doc.published == date(2025, 3, 11) and doc.date_source == "metadata"
    assert "Istanbul" in doc.text and "Copyright" not in doc.text and "Sport" not in doc.text


def test_jsonl_records_fields_and_bad_lines(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"text": "The European Union imposed new sanctions on Russian banks on Monday, diplomats said.",
                    "title": "EU sanctions", "outlet": "Brussels Wire", "url": "https://bw.example/1",
                    "published": "2025-02-24"}),
        "{not json",
        json.dumps({"title": "no text here"}),
        json.dumps({"text": "NATO defence ministers met in Brussels to discuss air defence for Ukraine."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, errors = docs_and_errors(read_path(path, default_date=date(2025, 2, 13)))
    assert [d.outlet for d in docs] == ["Brussels Wire", None]
    assert docs[0].published == date(2025, 2, 24) and docs[0].date_source == "metadata"
    assert docs[1].published == date(2025, 2, 13) and docs[1].date_source == "cli"
    assert [e.source for e in errors] == [f"{path}:2", f"{path}:3"]
    assert "malformed JSON" in errors[0].reason


def test_directory_is_read_recursively_in_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b" / "c.txt").write_text(ARTICLE.replace("200", "300"))
    (tmp_path / "notes.md").write_text("ignored: not a supported suffix inside folders")
    docs, errors = docs_and_errors(read_path(tmp_path))
    assert [Path(d.source).name for d in docs] == ["a.txt", "c.txt"]
    assert not errors


def test_stdin_plain_text_and_jsonl():
    (doc,), _ = docs_and_errors(read_stdin(stream=io.BytesIO(ARTICLE.encode())))
    assert doc.source == "<stdin>" and doc.title
    line = json.dumps({"text": "Israel and Hamas agreed to a ceasefire in Gaza on Wednesday, mediators said."})
    (doc,), _ = docs_and_errors(read_stdin(stream=io.BytesIO(line.encode())))
    assert "ceasefire" in doc.text


def test_same_article_same_id_whatever_the_whitespace():
    assert document_id("Talks  resumed\r\non Monday. ") == document_id("Talks resumed\non Monday.")
    assert document_id("Talks resumed on Monday.") != document_id("Talks collapsed on Monday.")


def test_publication_date_precedence(tmp_path):
    path = tmp_path / "dated.txt"
    path.write_text("KYIV, May 2, 2025 - Ukraine's parliament voted on Thursday to ratify the minerals agreement.\n")
    (doc,), _ = docs_and_errors(read_path(path))
    assert doc.date_source == "inferred" and doc.published == date(2025, 5, 2)
    (doc,), _ = docs_and_errors(read_path(path, default_date=date(2025, 5, 9)))
    assert doc.date_source == "cli" and doc.published == date(2025, 5, 9)


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\n  ", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("latin1.txt", "Les n\xe9gociations ont repris \xe0 Gen\xe8ve mardi soir.".encode("latin-1"), "UTF-8"),
        ("french.txt", "Les négociations entre la Russie et l'Ukraine ont repris mardi à Genève, selon des diplomates."
         .encode(), "English"),
        ("broken.html", b"<html><body><div><p></div></span>", "HTML"),
        ("data.pdf", b"%PDF-1.4 whatever", "unsupported"),
    ],
)
def test_bad_input_names_file_and_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    docs, errors = docs_and_errors(read_path(path))
    assert not docs
    (error,) = errors
    assert error.source == str(path)
    assert reason in error.reason


def test_bad_file_does_not_stop_the_batch(tmp_path):
    (tmp_path / "a_bad.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "b_good.txt").write_text(ARTICLE)
    docs, errors = docs_and_errors(iter_documents([str(tmp_path), str(tmp_path / "missing.txt")]))
    assert len(docs) == 1 and len(errors) == 2
    assert "no such file" in errors[1].reason


# Compressed JSON Lines and Parquet: streamed, never the whole file in memory.

SANCTIONS = "The European Union imposed new sanctions on Russian banks on Monday, diplomats said."
AIR_DEFENCE = "NATO defence ministers met in Brussels to discuss air defence for Ukraine."
CEASEFIRE = "Israel and Hamas agreed to a ceasefire in Gaza on Wednesday, mediators said in Doha."


def test_jsonl_line_separators_inside_strings_do_not_split_records(tmp_path):
    path = tmp_path / "feed.jsonl"
    line = json.dumps({"text": SANCTIONS.replace(" on Monday", "\u2028on Monday\x0c"), "title": "EU\u2028sanctions"},
                      ensure_ascii=False)
    path.write_text(line + "\r\n" + json.dumps({"text": AIR_DEFENCE}) + "\n", encoding="utf-8")
    docs, errors = docs_and_errors(read_path(path, default_date=date(2025, 2, 13)))
    assert not errors and [d.source for d in docs] == [f"{path}:1", f"{path}:2"]


def test_jsonl_gz_records_and_bad_line(tmp_path):
    path = tmp_path / "feed.jsonl.gz"
    lines = [
        json.dumps({"text": SANCTIONS, "title": "EU sanctions", "outlet": "Brussels Wire", "published": "2025-02-24"}),
        "{not json",
        json.dumps({"text": AIR_DEFENCE}),
    ]
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    docs, errors = docs_and_errors(read_path(path, default_date=date(2025, 2, 13)))
    assert [d.source for d in docs] == [f"{path}:1", f"{path}:3"]
    assert docs[0].title == "EU sanctions" and docs[0].outlet == "Brussels Wire"
    assert docs[0].published == date(2025, 2, 24) and docs[1].date_source == "cli"
    (error,) = errors
    assert error.source == f"{path}:2" and "malformed JSON" in error.reason


def test_truncated_jsonl_gz_keeps_what_was_read(tmp_path):
    # Two gzip members (a valid gzip stream): the first whole, the second cut in half, as by an interrupted copy.
    first = "\n".join(json.dumps({"text": t}) for t in (SANCTIONS, AIR_DEFENCE)) + "\n"
    second = gzip.compress((json.dumps({"text": CEASEFIRE}) + "\n").encode())
    path = tmp_path / "cut.jsonl.gzip"
    path.write_bytes(gzip.compress(first.encode()) + second[: len(second) // 2])
    items = list(read_path(path, default_date=date(2025, 2, 13)))
    assert [i.source for i in items[:2]] == [f"{path}:1", f"{path}:2"]
    assert all(not isinstance(i, InputError) for i in items[:2])
    (error,) = items[2:]
    assert isinstance(error, InputError) and error.source == str(path)
    assert "truncated" in error.reason and "after line 2" in error.reason


def test_not_gzip_names_the_file(tmp_path):
    path = tmp_path / "plain.jsonl.gz"
    path.write_text(json.dumps({"text": SANCTIONS}) + "\n")
    docs, (error,) = docs_and_errors(read_path(path))
    assert not docs and error.source == str(path) and "not a valid gzip file" in error.reason


def write_parquet(path, **columns):
    pq.write_table(pa.table(columns), path)


def test_parquet_rows_fields_and_empty_text(tmp_path):
    path = tmp_path / "articles.parquet"
    write_parquet(
        path,
        id=pa.array(["a1", "a2", "a3", "a4"]),
        text=pa.array([SANCTIONS, AIR_DEFENCE, "", CEASEFIRE]),
        title=pa.array(["EU sanctions", None, "Empty", "Gaza ceasefire"]),
        outlet=pa.array(["Brussels Wire", "Defence Daily", None, None]),
        published=pa.array([date(2025, 2, 24), date(2025, 2, 13), None, None], pa.date32()),
    )
    docs, errors = docs_and_errors(read_path(path, default_date=date(2025, 1, 15)))
    assert [d.source for d in docs] == [f"{path}:1", f"{path}:2", f"{path}:4"]
    assert [d.title for d in docs] == ["EU sanctions", None, "Gaza ceasefire"]
    assert [d.outlet for d in docs] == ["Brussels Wire", "Defence Daily", None]
    assert [d.published for d in docs] == [date(2025, 2, 24), date(2025, 2, 13), date(2025, 1, 15)]
    assert [d.date_source for d in docs] == ["metadata", "metadata", "cli"]
    assert docs[0].doc_id == document_id(SANCTIONS)  # identity is the text, whatever the "id" column says
    (error,) = errors
    assert error.source == f"{path}:3" and "no usable text" in error.reason


def test_parquet_published_as_timestamp_or_string(tmp_path):
    stamps = tmp_path / "stamps.parquet"
    write_parquet(stamps, text=pa.array([SANCTIONS]),
                  published=pa.array([1_740_398_400_123_456_789], pa.timestamp("ns", tz="UTC")))  # 2025-02-24 12:00
    (doc,), _ = docs_and_errors(read_path(stamps))
    assert doc.published == date(2025, 2, 24) and doc.date_source == "metadata"
    strings = tmp_path / "strings.parquet"
    write_parquet(strings, text=pa.array([SANCTIONS, AIR_DEFENCE]), published=pa.array(["2025-02-24T09:30:00Z", "2025-02-30"]))
    (doc,), (error,) = docs_and_errors(read_path(strings))
    assert doc.published == date(2025, 2, 24)
    assert error.source == f"{strings}:2" and "unreadable published date" in error.reason


@pytest.mark.parametrize("content, reason", [(b"text,title\nhello,world\n", "not a valid Parquet file"),
                                             (b"", "not a valid Parquet file")])
def test_not_parquet_names_the_file(tmp_path, content, reason):
    path = tmp_path / "articles.parquet"
    path.write_bytes(content)
    docs, (error,) = docs_and_errors(read_path(path))
    assert not docs and error.source == str(path) and reason in error.reason


def test_parquet_without_text_column(tmp_path):
    path = tmp_path / "no_text.parquet"
    write_parquet(path, body=pa.array([SANCTIONS]), title=pa.array(["EU sanctions"]))
    docs, (error,) = docs_and_errors(read_path(path))
    assert not docs and error.source == str(path)
    assert 'no "text" column' in error.reason and "body" in error.reason


def test_folder_reads_txt_jsonl_gz_and_parquet(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress((json.dumps({"text": SANCTIONS}) + "\n").encode()))
    write_parquet(tmp_path / "c.parquet", text=pa.array([AIR_DEFENCE, CEASEFIRE]))
    (tmp_path / "d.gz").write_bytes(gzip.compress(b"ignored: a gzip file of unknown content"))
    docs, errors = docs_and_errors(read_path(tmp_path, default_date=date(2025, 2, 13)))
    assert not errors
    assert [Path(d.source).name for d in docs] == ["a.txt", "b.jsonl.gz:1", "c.parquet:1", "c.parquet:2"]


def test_parquet_is_read_in_bounded_batches_of_used_columns(tmp_path, monkeypatch):
    path = tmp_path / "big.parquet"
    n = 5000
    texts = [f"{SANCTIONS} Report number {i} of the day." for i in range(n)]
    write_parquet(path, id=pa.array(range(n)), text=pa.array(texts), outlet=pa.array(["Brussels Wire"] * n),
                  published=pa.array([date(2025, 2, 24)] * n, pa.date32()))
    calls, batches = [], []
    original = pq.ParquetFile.iter_batches

    def spy(self, *args, **kwargs):
        calls.append(kwargs)
        for batch in original(self, *args, **kwargs):
            batches.append(batch.num_rows)
            yield batch

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", spy)
    monkeypatch.setattr(readers, "PARQUET_BATCH_ROWS", 1000)
    docs, errors = docs_and_errors(read_path(path))
    assert not errors and len(docs) == n and docs[-1].source == f"{path}:{n}"
    assert [c["batch_size"] for c in calls] == [1000]
    assert sorted(calls[0]["columns"]) == ["outlet", "published", "text"]  # not "id": it is not used
    assert batches == [1000] * 5
