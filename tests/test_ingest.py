"""Ingest: each format, identity of documents, publication dates, and bad input."""

import io
import json
from datetime import date
from pathlib import Path

import pytest

from parley.errors import InputError
from parley.ingest import document_id, iter_documents, read_path, read_stdin

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
