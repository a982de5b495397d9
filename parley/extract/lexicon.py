"""The event lexicon: PLOVER ontology, trigger frames, word classes and cues, loaded from versioned YAML.

`load_lexicon()` reads parley/data/plover/ontology.yaml and parley/data/lexicon/*.yaml and validates every
entry; a bad file or entry raises `DataFileError` naming the file and the entry. Code elsewhere only
matches; what a word means lives in the data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable


from parley.datafiles import read_yaml
from parley.config import DATA_DIR
from parley.errors import DataFileError

ONTOLOGY_FILE = DATA_DIR / "plover" / "ontology.yaml"
LEXICON_DIR = DATA_DIR / "lexicon"
CLASSES_FILE = "classes.yaml"
CUES_FILE = "cues.yaml"
FRAME_FILES = "frames_*.yaml"  # other stages keep their own files in the same folder

POS_VALUES = {"verb", "noun"}
SLOT_NAMES = ("prt", "prep", "obj", "pobj", "xcomp")
FRAME_KEYS = {"lemma", "pos", "event", "mode", "context", "cameo", "weight", "modality", "note", *SLOT_NAMES}
# The reading a frame's own verb gives its event ("weigh sanctions": the sanctions are only considered).
FRAME_MODALITIES = {"hedged", "future", "conditional", "negated"}
CAMEO_PATTERN = re.compile(r"^\d{2,4}$")
DEFAULT_WEIGHT = 0.7


@dataclass(frozen=True)
class Frame:
    """One trigger pattern: a lemma in a syntactic frame, and the PLOVER coding it gives."""

    lemmas: tuple[str, ...]
    pos: str
    event: str | None  # None: the frame says "not an event" (it suppresses less specific frames)
    mode: str | None
    context: tuple[str, ...]
    cameo: str | None
    weight: float
    slots: tuple[tuple[str, frozenset[str] | None], ...]  # (slot, allowed lemmas); None = slot present
    origin: str  # "file.yaml#index", for messages and debugging
    modality: str | None = None  # overrides an "asserted" reading of the trigger

    @property
    def specificity(self) -> int:
        return len(self.slots)


@dataclass(frozen=True)
class Ontology:
    events: dict[str, dict[str, Any]]
    contexts: frozenset[str]
    cameo_quad: dict[str, int]

    def quad(self, event: str) -> int:
        return int(self.events[event]["quad"])

    def quad_of_cameo(self, cameo: str | None) -> int | None:
        if not cameo:
            return None
        return self.cameo_quad.get(cameo[:2])


@dataclass(frozen=True)
class Lexicon:
    ontology: Ontology
    frames: dict[tuple[str, str], tuple[Frame, ...]]  # (lemma, pos) -> frames, most specific first
    classes: dict[str, frozenset[str]]
    cues: dict[str, Any] = field(default_factory=dict)

    def frames_for(self, lemma: str, pos: str) -> tuple[Frame, ...]:
        return self.frames.get((lemma, pos), ())

    def cue_set(self, name: str) -> frozenset[str]:
        return self.cues.get(name, frozenset())

    @property
    def trigger_lemmas(self) -> frozenset[tuple[str, str]]:
        return frozenset(self.frames)


def _read_yaml(path: Path) -> dict[str, Any]:
    return read_yaml(path)


def _string_list(value: Any, path: Path, where: str) -> list[str]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(v, str) and v.strip() for v in items):
        raise DataFileError(str(path), f"{where}: expected a non-empty string or list of strings, got {value!r}"
                            " (quote YAML words such as on/off/yes/no)")
    return [v.strip().lower() for v in items]


def load_ontology(path: Path = ONTOLOGY_FILE) -> Ontology:
    data = _read_yaml(path)
    events = data.get("events")
    if not isinstance(events, dict) or not events:
        raise DataFileError(str(path), "missing 'events' mapping")
    for name, spec in events.items():
        if not isinstance(spec, dict) or spec.get("quad") not in (1, 2, 3, 4):
            raise DataFileError(str(path), f"event {name}: needs quad 1-4")
        if not isinstance(spec.get("modes", []), list):
            raise DataFileError(str(path), f"event {name}: modes must be a list")
    contexts = _string_list(data.get("contexts"), path, "contexts")
    cameo_quad = data.get("cameo_quad") or {}
    if not all(isinstance(k, str) and v in (0, 1, 2, 3, 4) for k, v in cameo_quad.items()):
        raise DataFileError(str(path), "cameo_quad: expected 'NN': 0-4 entries")
    return Ontology(events=events, contexts=frozenset(contexts), cameo_quad=dict(cameo_quad))


def _load_classes(path: Path) -> dict[str, frozenset[str]]:
    data = _read_yaml(path)
    classes = data.get("classes")
    if not isinstance(classes, dict):
        raise DataFileError(str(path), "missing 'classes' mapping")
    return {name: frozenset(_string_list(words, path, f"class {name}")) for name, words in classes.items()}


def _load_cues(path: Path) -> dict[str, Any]:
    data = _read_yaml(path)
    cues: dict[str, Any] = {}
    for key, value in data.items():
        if key == "version":
            continue
        if isinstance(value, list):
            cues[key] = frozenset(_string_list(value, path, key))
        elif isinstance(value, dict):
            cues[key] = {k: frozenset(_string_list(v, path, f"{key}.{k}")) for k, v in value.items()}
        else:
            raise DataFileError(str(path), f"{key}: expected a list or a mapping of lists")
    return cues


def _resolve_words(value: Any, classes: dict[str, frozenset[str]], path: Path, where: str) -> frozenset[str]:
    words: set[str] = set()
    for item in _string_list(value, path, where):
        if item.startswith("@"):
            if item[1:] not in classes:
                raise DataFileError(str(path), f"{where}: unknown word class {item!r}")
            words |= classes[item[1:]]
        else:
            words.add(item)
    return frozenset(words)


def _parse_frame(entry: Any, index: int, path: Path, ontology: Ontology,
                 classes: dict[str, frozenset[str]]) -> list[Frame]:
    where = f"frame #{index}"
    if not isinstance(entry, dict):
        raise DataFileError(str(path), f"{where}: expected a mapping, got {entry!r}")
    where = f"frame #{index} ({entry.get('lemma')!r})"
    unknown = set(entry) - FRAME_KEYS
    if unknown:
        raise DataFileError(str(path), f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    if "lemma" not in entry or "event" not in entry:
        raise DataFileError(str(path), f"{where}: needs 'lemma' and 'event' (event may be null)")
    lemmas = tuple(_string_list(entry["lemma"], path, where))
    pos_values = _string_list(entry.get("pos", "verb"), path, where)
    poses = ["verb", "noun"] if pos_values == ["any"] else pos_values
    if any(p not in POS_VALUES for p in poses):
        raise DataFileError(str(path), f"{where}: pos must be verb, noun or any, got {entry.get('pos')!r}")
    event = entry["event"]
    mode = entry.get("mode")
    if event is not None:
        if event not in ontology.events:
            raise DataFileError(str(path), f"{where}: unknown PLOVER event type {event!r}")
        if mode is not None and mode not in ontology.events[event].get("modes", []):
            raise DataFileError(str(path), f"{where}: mode {mode!r} is not a mode of {event}")
    elif mode is not None:
        raise DataFileError(str(path), f"{where}: a null event cannot have a mode")
    context = tuple(_string_list(entry["context"], path, where)) if entry.get("context") else ()
    bad = [c for c in context if c not in ontology.contexts]
    if bad:
        raise DataFileError(str(path), f"{where}: unknown context(s) {', '.join(bad)}")
    cameo = entry.get("cameo")
    if cameo is not None and not (isinstance(cameo, str) and CAMEO_PATTERN.match(cameo)):
        raise DataFileError(str(path), f"{where}: cameo must be a quoted 2-4 digit code, got {cameo!r}")
    weight = entry.get("weight", DEFAULT_WEIGHT)
    if not isinstance(weight, (int, float)) or not 0.0 < weight <= 1.0:
        raise DataFileError(str(path), f"{where}: weight must be in (0, 1], got {weight!r}")
    slots = tuple(
        (slot, _resolve_words(entry[slot], classes, path, f"{where} {slot}"))
        for slot in SLOT_NAMES if slot in entry
    )
    modality = entry.get("modality")
    if modality is not None and modality not in FRAME_MODALITIES:
        raise DataFileError(str(path), f"{where}: modality must be one of {', '.join(sorted(FRAME_MODALITIES))}")
    origin = f"{path.name}#{index}"
    return [
        Frame(lemmas, pos, event, mode, context, cameo, float(weight), slots, origin, modality) for pos in poses
    ]


def load_lexicon(lexicon_dir: Path = LEXICON_DIR, ontology_file: Path = ONTOLOGY_FILE) -> Lexicon:
    """Load and validate every lexicon file; raises DataFileError on the first bad entry."""
    ontology = load_ontology(ontology_file)
    classes = _load_classes(lexicon_dir / CLASSES_FILE)
    cues = _load_cues(lexicon_dir / CUES_FILE)
    index: dict[tuple[str, str], list[Frame]] = {}
    frame_files = sorted(lexicon_dir.glob(FRAME_FILES))
    if not frame_files:
        raise DataFileError(str(lexicon_dir), "no frame files")
    for path in frame_files:
        data = _read_yaml(path)
        entries = data.get("frames")
        if not isinstance(entries, list):
            raise DataFileError(str(path), "missing 'frames' list")
        for i, entry in enumerate(entries):
            for frame in _parse_frame(entry, i, path, ontology, classes):
                for lemma in frame.lemmas:
                    index.setdefault((lemma, frame.pos), []).append(frame)
    frames = {key: tuple(sorted(fs, key=lambda f: -f.specificity)) for key, fs in index.items()}
    return Lexicon(ontology=ontology, frames=frames, classes=classes, cues=cues)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The packaged lexicon, loaded once (read-only)."""
    return load_lexicon()


def iter_frames(lexicon: Lexicon) -> Iterable[Frame]:
    seen: set[int] = set()
    for frames in lexicon.frames.values():
        for frame in frames:
            if id(frame) not in seen:
                seen.add(id(frame))
                yield frame
