"""The `parley` command end to end, as a user runs it (in-process, real pipeline and database)."""

import json
import subprocess
import sys


from parley.cli import main
from tests.conftest import EXAMPLES


def run_cli(args, stdin: str | None = None):
    proc = subprocess.run([sys.executable, "-m", "parley", *args], input=stdin, capture_output=True, text=True)
    return proc.returncode, proc.stdout, proc.stderr


def test_analyze_reports_failures_per_file_and_exits_nonzero(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Israel and Hamas agreed on Wednesday to extend the Gaza ceasefire, Qatar said.")
    (corpus / "empty.txt").write_text("")
    (corpus / "feed.jsonl").write_text('{"text": "Sudan\'s army shelled El Fasher on Sunday, residents said."}\n{oops\n')
    db = tmp_path / "cli.duckdb"
    code = main(["analyze", str(corpus), "--db", str(db), "--quiet"])
    out, err = capsys.readouterr()
    assert code == 1
    assert f"error: {corpus / 'empty.txt'}: empty file" in err
    assert f"error: {corpus / 'feed.jsonl'}:2: malformed JSON" in err
    assert "2 new documents (0 already stored, 2 failed)" in out
    # Second run: nothing new, same counts.
    main(["analyze", str(corpus), "--db", str(db), "--quiet"])
    out2, _ = capsys.readouterr()
    assert "0 new documents (2 already stored, 2 failed)" in out2
    assert out.split("->")[1] == out2.split("->")[1]


def test_export_to_stdout_and_report(tmp_path, capsys):
    db = tmp_path / "ex.duckdb"
    assert main(["analyze", str(EXAMPLES), "--db", str(db), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["export", "--db", str(db), "--what", "documents"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 6 and all(json.loads(line)["doc_id"] for line in lines)
    html = tmp_path / "report.html"
    assert main(["report", "--db", str(db), "--html", str(html)]) == 0
    report = capsys.readouterr().out
    assert "6 documents" in report and "The Northern Courier" in report
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Where sources disagree" in page
    # The two outlets that put the same words in different mouths are both shown, with their speakers.
    assert "attribution" in page and "Tammy Bruce" in page and "Marco Rubio" in page


def test_missing_database_is_a_clear_error(tmp_path, capsys):
    code = main(["export", "--db", str(tmp_path / "nope.duckdb"), "--what", "events"])
    assert code == 2
    assert "nope.duckdb" in capsys.readouterr().err


def test_code_keeps_line_order_and_reports_bad_lines():
    lines = [
        {"id": "a", "text": "Russian forces launched a missile attack on Kyiv on Thursday.", "date": "2025-04-24"},
        "{broken",
        {"id": "c", "text": "The weather in Paris was mild."},
        {"id": "d", "text": "Ukraine rejected Russia's demand to withdraw from four regions."},
    ]
    stdin = "\n".join(json.dumps(x) if isinstance(x, dict) else x for x in lines) + "\n"
    code, out, err = run_cli(["code", "-"], stdin)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and "<stdin>:2: malformed JSON" in err
    assert [r["id"] for r in rows] == ["a", None, "c", "d"]
    assert rows[2]["events"] == []
    attack = rows[0]["events"][0]
    assert attack["event"] == "ASSAULT"
    assert set(attack) >= {"event", "mode", "context", "actor", "recipient", "cameo", "modality", "trigger",
                           "confidence"}
    assert attack["actor"][0]["code"] == "RUS"
    start, end = attack["trigger"]["start"], attack["trigger"]["end"]
    assert lines[0]["text"][start:end] == attack["trigger"]["text"]
    assert any(e["event"] == "REJECT" for e in rows[3]["events"])


def test_quotes_command_gives_spans_that_point_into_the_text():
    text = "“We will not be the mediators,” spokeswoman Tammy Bruce told reporters on Thursday."
    code, out, err = run_cli(["quotes", "-"], json.dumps({"id": "q", "text": text}) + "\n{broken\n")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and "<stdin>:2: malformed JSON" in err
    (quote,) = rows[0]["quotes"]
    assert quote["kind"] == "direct" and text[quote["start"]:quote["end"]] == quote["text"]
    speaker, cue = quote["speaker"], quote["cue"]
    assert speaker["name"] == "Tammy Bruce" and text[speaker["start"]:speaker["end"]] == speaker["text"]
    assert text[cue["start"]:cue["end"]] == cue["text"] == "told reporters"


def test_negotiation_summary_roles_override_and_positions_export(tmp_path, capsys):
    db = tmp_path / "ex.duckdb"
    assert main(["analyze", str(EXAMPLES), "--db", str(db), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["negotiation", "--db", str(db), "--issue", "ceasefire"]) == 0
    out = capsys.readouterr().out
    assert "parties: Russia (RUS), Ukraine (UKR)" in out and "mediators: United States (USA)" in out
    assert "gap in days: RUS 3 vs UKR 30" in out and "Territory" not in out
    roles = tmp_path / "roles.yaml"
    roles.write_text("parties: [RUS, UKR]\nmediators: [USA]\nthird_parties: [EU]\n", encoding="utf-8")
    assert main(["negotiation", "--db", str(db), "--roles", str(roles), "--json"]) == 0
    (model,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [t["code"] for t in model["third_parties"]] == ["EU"] and model["third_parties"][0]["why"] == "set by the user"
    bad = tmp_path / "bad.yaml"
    bad.write_text("brokers: [USA]\n", encoding="utf-8")
    assert main(["negotiation", "--db", str(db), "--roles", str(bad)]) == 2
    assert "bad.yaml" in capsys.readouterr().err
    assert main(["export", "--db", str(db), "--what", "positions"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and all({"issue", "actor", "stance", "terms", "content", "date", "evidence"} <= set(r) for r in rows)
    assert all(e["doc_id"] and e["span"] for r in rows for e in r["evidence"])
