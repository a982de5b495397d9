"""The event lexicon loads, validates, and rejects bad entries naming file and entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from parley.errors import DataFileError
from parley.extract.lexicon import LEXICON_DIR, ONTOLOGY_FILE, iter_frames, load_lexicon


def test_packaged_lexicon_is_valid_and_covers_every_plover_type():
    lexicon = load_lexicon()
    events = {f.event for f in iter_frames(lexicon) if f.event}
    assert events == set(lexicon.ontology.events)
    assert len(lexicon.ontology.events) == 16


def test_more_specific_frames_come_first():
    lexicon = load_lexicon()
    frames = lexicon.frames_for("call", "verb")
    assert [f.specificity for f in frames] == sorted((f.specificity for f in frames), reverse=True)


def _lexicon_copy(tmp_path: Path, extra: str) -> Path:
    folder = tmp_path / "lexicon"
    shutil.copytree(LEXICON_DIR, folder)
    (folder / "frames_zz_test.yaml").write_text("version: 1\nframes:\n" + extra, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "entry, reason",
    [
        ('  - {lemma: smite, event: SMITE}\n', "unknown PLOVER event type 'SMITE'"),
        ('  - {lemma: smite, event: ASSAULT, mode: ceasefire}\n', "not a mode of ASSAULT"),
        ('  - {lemma: smite, event: ASSAULT, context: [astrology]}\n', "unknown context"),
        ('  - {lemma: smite, event: ASSAULT, cameo: 190}\n', "cameo must be a quoted"),
        ('  - {lemma: smite, event: ASSAULT, colour: red}\n', "unknown field(s) colour"),
        ('  - {lemma: smite, event: ASSAULT, prep: [on]}\n', "quote YAML words"),
        ('  - {lemma: smite, event: ASSAULT, obj: "@nothing"}\n', "unknown word class '@nothing'"),
        ('  - {lemma: smite}\n', "needs 'lemma' and 'event'"),
    ],
)
def test_bad_entries_raise_data_file_error_naming_file_and_entry(tmp_path, entry, reason):
    folder = _lexicon_copy(tmp_path, entry)
    with pytest.raises(DataFileError) as info:
        load_lexicon(folder, ONTOLOGY_FILE)
    assert "frames_zz_test.yaml" in str(info.value)
    assert "smite" in str(info.value)
    assert reason in str(info.value)


def test_null_event_frame_suppresses_the_bare_lemma(tmp_path):
    folder = _lexicon_copy(tmp_path, '  - {lemma: sign, obj: [cheque], event: null}\n')
    lexicon = load_lexicon(folder, ONTOLOGY_FILE)
    assert any(f.event is None and f.specificity == 1 for f in lexicon.frames_for("sign", "verb"))


def test_frame_modality_is_validated(tmp_path):
    for name in ("classes.yaml", "cues.yaml"):
        shutil.copy(LEXICON_DIR / name, tmp_path / name)
    (tmp_path / "frames_test.yaml").write_text(
        "version: 1\nframes:\n  - {lemma: weigh, obj: [sanction], event: SANCTION, cameo: \"163\", modality: maybe}\n")
    with pytest.raises(DataFileError, match="modality must be one of"):
        load_lexicon(tmp_path, ONTOLOGY_FILE)
