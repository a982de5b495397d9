"""Cross-document event coreference on ECB+: `python -m parley.eval ecbplus PATH [--split dev|train|all]
[--topics given|predicted|both] [--method singletons,lemma]`.

PATH is the ECB+ release directory: `ECB+/<topic>/<topic>_<n>ecb.xml` and `..._<n>ecbplus.xml` (CAT XML) and
`ECBplus_coreference_sentences.csv`. We follow standard practice (Cybulska & Vossen 2015, Barhom et al. 2019,
Cattan et al. 2021), so figures compare with the literature:
- event mentions are the anchored markables tagged ACTION_* or NEG_ACTION_*, kept only in the sentences the
  CSV lists (the rest of each text was not annotated exhaustively);
- gold clusters come from CROSS_DOC_COREF (labelled by the target instance's corpus-wide `instance_id`) and
  INTRA_DOC_COREF (labelled by document and target markable, since those targets have no instance id);
  every other event mention is a singleton;
- dev topics are 2 5 12 18 21 23 34 35 and train the other topics up to 35; topics 36-45 are the test split,
  which this harness never reads (it is not in the development data, and tuning on it would spoil it).

Gold mentions are given to the clusterer, which only groups them. With topics given it runs once per topic
(nothing can link across topics, the easier and more common setting); with topics predicted it runs once
over the whole split. Scores are MUC, B-cubed, CEAF-e and CoNLL F1 (parley.eval.corefscore).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from parley.eval.corefscore import Score, conll

if TYPE_CHECKING:  # spaCy is imported only when a clusterer parses: reading and scoring stay quick
    from spacy.language import Language
    from spacy.tokens import Span, Token

DEV_TOPICS: frozenset[str] = frozenset({"2", "5", "12", "18", "21", "23", "34", "35"})
LAST_DEV_TRAIN_TOPIC = 35  # 36-45 are the test topics
SPLITS = ("train", "dev", "all")
SENTENCES_CSV = "ECBplus_coreference_sentences.csv"
EVENT_TAGS = ("ACTION_", "NEG_ACTION_")


class EcbFormatError(ValueError):
    """An ECB+ file that breaks an assumption the reader relies on (named by file)."""


@dataclass(frozen=True)
class GoldMention:
    key: str  # "1_10ecb.xml:3:12-13": document file, sentence, first and last token id (t_id)
    topic: str  # "1"
    subtopic: str  # "1_ecb" or "1_ecbplus": ECB+ added a second seminal event to every topic
    doc_id: str  # "1_10ecb"
    sentence_index: int  # as in the XML `sentence` attribute and the CSV
    text: str  # == sentence_text[start:end]
    start: int
    end: int
    sentence_text: str
    cluster: str  # gold label: instance id, "INTRA:<doc>:<m_id>" or "SINGLETON:<key>"
    tag: str  # e.g. ACTION_OCCURRENCE


@dataclass
class EcbDocument:
    doc_id: str
    topic: str
    subtopic: str
    sentences: dict[int, str]  # every sentence, tokens joined by single spaces
    annotated: set[int]  # sentences listed in the CSV


Clusterer = Callable[[list[EcbDocument], list[GoldMention]], dict[str, str]]


# --- reading ----------------------------------------------------------------------------------------------


def _corpus_paths(root: str | Path) -> tuple[Path, Path]:
    """The topic directory and the sentence CSV; `root` may be the release directory or its `ECB+` folder."""
    root = Path(root)
    xml_dir = root / "ECB+" if (root / "ECB+").is_dir() else root
    csv_path = next((p for p in (root / SENTENCES_CSV, root.parent / SENTENCES_CSV) if p.is_file()), None)
    if csv_path is None or not xml_dir.is_dir():
        raise FileNotFoundError(f"{root}: expected an ECB+ release with an ECB+/ folder and {SENTENCES_CSV}")
    return xml_dir, csv_path


def topics_present(root: str | Path) -> list[str]:
    """Topic folders that exist, in numeric order (standard releases lack 15 and 17)."""
    xml_dir, _ = _corpus_paths(root)
    return sorted((p.name for p in xml_dir.iterdir() if p.is_dir() and p.name.isdigit()), key=int)


def split_topics(root: str | Path, split: str) -> list[str]:
    """Topics of a split among those present; topics above 35 (test) belong to no split here."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; choose from {', '.join(SPLITS)}")
    topics = [t for t in topics_present(root) if int(t) <= LAST_DEV_TRAIN_TOPIC]
    if split == "all":
        return topics
    return [t for t in topics if (t in DEV_TOPICS) == (split == "dev")]


def annotated_sentences(csv_path: Path) -> dict[str, set[int]]:
    """doc id ("1_10ecbplus") -> sentence numbers whose mentions and coreference were fully annotated."""
    selected: dict[str, set[int]] = defaultdict(set)
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            selected[f"{row['Topic'].strip()}_{row['File'].strip()}"].add(int(row["Sentence Number"]))
    return dict(selected)


def _doc_order(path: Path) -> tuple[int, int, int]:
    """1_2ecb before 1_10ecb before 1_1ecbplus: numeric, ECB texts before the ECB+ ones, as in the papers."""
    topic, rest = path.stem.split("_", 1)
    plus = rest.endswith("ecbplus")
    number = rest[: -len("ecbplus")] if plus else rest[: -len("ecb")]
    return int(topic), int(plus), int(number) if number.isdigit() else 0


def _token_text(raw: str | None) -> str:
    """A few tokens hold tabs or thin spaces ("Awards\\t", "7\\u2009½"); collapse them so that a sentence
    is its tokens joined by single spaces. A whitespace-only token becomes empty."""
    return " ".join((raw or "").split())


def _sentences(root: ET.Element) -> tuple[dict[int, str], dict[str, tuple[int, int, int]]]:
    """Sentence texts, and each token id -> (sentence, start, end) in its sentence's text."""
    words: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for token in root.iter("token"):
        words[int(token.get("sentence"))].append((token.get("t_id"), _token_text(token.text)))
    texts: dict[int, str] = {}
    offsets: dict[str, tuple[int, int, int]] = {}
    for index, tokens in sorted(words.items()):
        text = ""
        for t_id, word in tokens:
            if word and text:
                text += " "
            offsets[t_id] = (index, len(text), len(text) + len(word))
            text += word
        texts[index] = text
    return texts, offsets


def _relation_labels(root: ET.Element, doc_id: str) -> dict[str, str]:
    """Source markable id -> gold cluster label.

    Relation targets are unanchored descriptors: a CROSS_DOC_COREF target carries the corpus-wide
    instance id; an INTRA_DOC_COREF target has none and its id only means something within the document.
    A markable in two relations keeps the first (one case in ECB+ 1.0, an entity, not an event).
    """
    markables = {m.get("m_id"): m for m in _children(root, "Markables")}
    labels: dict[str, str] = {}
    for relation in _children(root, "Relations"):
        target = relation.find("target")
        target_id = target.get("m_id") if target is not None else None
        instance = markables[target_id].get("instance_id") if target_id in markables else None
        if relation.tag == "CROSS_DOC_COREF" and instance:
            label = instance
        else:
            label = f"INTRA:{doc_id}:{target_id or relation.get('r_id')}"
        for source in relation.findall("source"):
            labels.setdefault(source.get("m_id"), label)
    return labels


def _children(root: ET.Element, name: str) -> list[ET.Element]:
    section = root.find(name)
    return list(section) if section is not None else []


def read_document(path: Path, annotated: set[int]) -> tuple[EcbDocument, list[GoldMention]]:
    """One CAT XML file: the document, and its event mentions in annotated sentences, in text order."""
    root = ET.parse(path).getroot()
    doc_id = path.stem
    topic = doc_id.split("_", 1)[0]
    subtopic = f"{topic}_{'ecbplus' if doc_id.endswith('ecbplus') else 'ecb'}"
    texts, offsets = _sentences(root)
    labels = _relation_labels(root, doc_id)
    mentions = []
    for markable in _children(root, "Markables"):
        anchors = [a.get("t_id") for a in markable.findall("token_anchor")]
        if not markable.tag.startswith(EVENT_TAGS) or not anchors:
            continue  # entities, times, locations; unanchored markables are instance descriptors
        if any(t not in offsets for t in anchors):
            raise EcbFormatError(f"{path}: markable {markable.get('m_id')} anchors an unknown token")
        anchors.sort(key=lambda t: offsets[t][1])
        sentence = offsets[anchors[0]][0]
        if any(offsets[t][0] != sentence for t in anchors):
            raise EcbFormatError(f"{path}: markable {markable.get('m_id')} spans sentences")
        if sentence not in annotated:
            continue
        # A few mentions are discontinuous ("checked ... into"); the span runs from first to last token.
        start, end = offsets[anchors[0]][1], offsets[anchors[-1]][2]
        key = f"{path.name}:{sentence}:{anchors[0]}-{anchors[-1]}"
        mentions.append(GoldMention(
            key=key, topic=topic, subtopic=subtopic, doc_id=doc_id, sentence_index=sentence,
            text=texts[sentence][start:end], start=start, end=end, sentence_text=texts[sentence],
            cluster=labels.get(markable.get("m_id"), f"SINGLETON:{key}"), tag=markable.tag,
        ))
    mentions.sort(key=lambda m: (m.sentence_index, m.start, m.end))
    return EcbDocument(doc_id, topic, subtopic, texts, set(annotated) & texts.keys()), mentions


def read_ecbplus(root: str | Path, topics: Iterable[str] | None = None) -> tuple[list[EcbDocument], list[GoldMention]]:
    """Documents and gold event mentions of the given topics (default: every topic folder present)."""
    xml_dir, csv_path = _corpus_paths(root)
    selected = annotated_sentences(csv_path)
    wanted = topics_present(root) if topics is None else [str(t) for t in topics]
    documents, mentions = [], []
    for topic in wanted:
        folder = xml_dir / topic
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder}: no such ECB+ topic")
        for path in sorted(folder.glob("*.xml"), key=_doc_order):
            document, found = read_document(path, selected.get(path.stem, set()))
            documents.append(document)
            mentions.extend(found)
    keys = Counter(m.key for m in mentions)
    duplicated = [k for k, n in keys.items() if n > 1]
    if duplicated:
        raise EcbFormatError(f"{len(duplicated)} mention spans annotated twice, e.g. {duplicated[0]}")
    return documents, mentions


# --- baselines --------------------------------------------------------------------------------------------


def singletons(documents: list[EcbDocument], mentions: list[GoldMention]) -> dict[str, str]:
    """Every mention alone: the floor, and what MUC scores 0."""
    return {m.key: m.key for m in mentions}


@dataclass(frozen=True)
class ParsedMention:
    key: str
    head_lemma: str  # lowercased
    head_pos: str
    head: Token  # the mention's syntactic head
    span: Span  # the mention, widened to whole spaCy tokens (ECB+ and spaCy tokens agree on all of ECB+ 1.0)
    sentence: Span  # the whole parsed sentence


@lru_cache(maxsize=1)
def _pipeline() -> Language:
    """Loaded once per process: clusterers run once per topic."""
    from parley.nlp import load_pipeline

    return load_pipeline()


def _char_span(doc, start: int, end: int) -> Span:
    """The spaCy tokens covering [start, end); spaCy may split an ECB+ token ("33-year-old") further."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is not None and len(span):
        return span
    covered = [t.i for t in doc if t.idx < max(end, start + 1) and t.idx + len(t) > start]
    return doc[covered[0]: covered[-1] + 1] if covered else doc[len(doc) - 1:]


def span_head(span: Span) -> Token:
    """The token whose syntactic head lies outside the span; if a non-constituent span has several, the
    one nearest the sentence root (spaCy's `Span.root`); the last token if nothing else applies."""
    outside = [t for t in span if t.head.i == t.i or not span.start <= t.head.i < span.end]
    if len(outside) == 1:
        return outside[0]
    return span.root if outside else span[-1]


def parse_mentions(documents: list[EcbDocument], mentions: list[GoldMention],
                   nlp: Language | None = None) -> dict[str, ParsedMention]:
    """Parse each sentence holding a mention once (nlp.pipe) and find every mention's head, so clusterers
    can share one parse."""
    from parley.nlp import parse

    nlp = nlp if nlp is not None else _pipeline()
    by_sentence: dict[tuple[str, int], list[GoldMention]] = defaultdict(list)
    for mention in mentions:
        by_sentence[(mention.doc_id, mention.sentence_index)].append(mention)
    items = [(group[0].sentence_text, group) for group in by_sentence.values()]
    parsed = {}
    for doc, group in parse(nlp, items):
        sentence = doc[:]
        for mention in group:
            span = _char_span(doc, mention.start, mention.end)
            head = span_head(span)
            parsed[mention.key] = ParsedMention(mention.key, head.lemma_.lower(), head.pos_, head, span, sentence)
    return parsed


def same_lemma(documents: list[EcbDocument], mentions: list[GoldMention], nlp: Language | None = None) -> dict[str, str]:
    """The standard same-head-lemma baseline: mentions whose heads share a lowercased lemma are one cluster."""
    parsed = parse_mentions(documents, mentions, nlp)
    return {key: f"lemma:{p.head_lemma}" for key, p in parsed.items()}


def parley_events(documents: list[EcbDocument], mentions: list[GoldMention]) -> dict[str, str]:
    """Parley's own fusion (stories, then events): see parley.eval.ecbplus_parley."""
    from parley.eval.ecbplus_parley import cluster

    return cluster(documents, mentions)


# name -> clusterer; `python -m parley.eval ecbplus --method NAME` picks from here
METHODS: dict[str, Clusterer] = {
    "singletons": singletons,
    "lemma": same_lemma,
    "parley": parley_events,
}


# --- evaluation -------------------------------------------------------------------------------------------


def predict(clusterer: Clusterer, documents: list[EcbDocument], mentions: list[GoldMention],
            topic_given: bool = True) -> dict[str, str]:
    """Run the clusterer once per gold topic (labels prefixed by topic, so topics never merge) or once on all."""
    if not topic_given:
        return dict(clusterer(documents, mentions))
    docs_by_topic: dict[str, list[EcbDocument]] = defaultdict(list)
    mentions_by_topic: dict[str, list[GoldMention]] = defaultdict(list)
    for document in documents:
        docs_by_topic[document.topic].append(document)
    for mention in mentions:
        mentions_by_topic[mention.topic].append(mention)
    pred = {}
    for topic, topic_docs in docs_by_topic.items():
        if mentions_by_topic[topic]:
            labels = clusterer(topic_docs, mentions_by_topic[topic])
            pred.update({key: f"{topic}/{label}" for key, label in labels.items()})
    return pred


def _clusters(labels: dict[str, str]) -> tuple[int, int]:
    """(clusters, singletons) of a clustering."""
    sizes = Counter(labels.values())
    return len(sizes), sum(1 for n in sizes.values() if n == 1)


def evaluate_on(clusterer: Clusterer, documents: list[EcbDocument], mentions: list[GoldMention],
                topic_given: bool = True) -> dict[str, Any]:
    """Scores and counts for already-read documents and mentions; `seconds` times the clusterer alone."""
    began = time.perf_counter()
    pred = predict(clusterer, documents, mentions, topic_given)
    seconds = time.perf_counter() - began
    gold = {m.key: m.cluster for m in mentions}
    gold_clusters, gold_singletons = _clusters(gold)
    pred_clusters, pred_singletons = _clusters(pred)
    return {
        **conll(gold, pred),
        "topics": len({d.topic for d in documents}),
        "documents": len(documents),
        "annotated_documents": sum(1 for d in documents if d.annotated),
        "mentions": len(mentions),
        "gold_clusters": gold_clusters,
        "gold_singletons": gold_singletons,
        "predicted_clusters": pred_clusters,
        "predicted_singletons": pred_singletons,
        "seconds": seconds,
    }


def evaluate(clusterer: Clusterer, root: str | Path, split: str = "dev", topic_given: bool = True) -> dict[str, Any]:
    """Read a split of ECB+ and score the clusterer on it (see `evaluate_on`; `read_seconds` times reading)."""
    began = time.perf_counter()
    documents, mentions = read_ecbplus(root, split_topics(root, split))
    read_seconds = time.perf_counter() - began
    return {**evaluate_on(clusterer, documents, mentions, topic_given), "read_seconds": read_seconds}


# --- command ----------------------------------------------------------------------------------------------

SETTINGS = {"given": (True,), "predicted": (False,), "both": (True, False)}


def _row(method: str, topic_given: bool, result: dict[str, Any]) -> dict[str, Any]:
    return {"method": method, "setting": "topics given" if topic_given else "topics predicted", **result}


def format_table(split: str, rows: list[dict[str, Any]]) -> str:
    first = rows[0]
    lines = [
        f"ECB+ {split}: {first['topics']} topics, {first['documents']} documents "
        f"({first['annotated_documents']} with annotated sentences), {first['mentions']} event mentions, "
        f"{first['gold_clusters']} gold clusters ({first['gold_singletons']} singletons)",
        f"{'method':12} {'setting':17} {'MUC F1':>7} {'B3 F1':>7} {'CEAF-e F1':>9} {'CoNLL F1':>8} "
        f"{'clusters':>8} {'singletons':>10} {'seconds':>7}",
    ]
    for r in rows:
        lines.append(
            f"{r['method']:12} {r['setting']:17} {100 * r['muc'].f1:7.1f} {100 * r['b_cubed'].f1:7.1f} "
            f"{100 * r['ceaf_e'].f1:9.1f} {100 * r['conll_f1']:8.1f} {r['predicted_clusters']:8d} "
            f"{r['predicted_singletons']:10d} {r['seconds']:7.1f}"
        )
    lines.append("precision / recall:")
    for r in rows:
        parts = "  ".join(f"{name} {100 * r[key].p:.1f}/{100 * r[key].r:.1f}"
                          for name, key in (("MUC", "muc"), ("B3", "b_cubed"), ("CEAF-e", "ceaf_e")))
        lines.append(f"{r['method']:12} {r['setting']:17} {parts}")
    return "\n".join(lines)


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (vars(v) if isinstance(v, Score) else v) for k, v in row.items()}


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m parley.eval ecbplus", description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="ECB+ release directory (holding ECB+/ and the sentence CSV)")
    parser.add_argument("--split", choices=SPLITS, default="dev")
    parser.add_argument("--topics", choices=sorted(SETTINGS), default="given",
                        help="cluster within each gold topic, over the whole split, or both")
    parser.add_argument("--method", default="singletons,lemma",
                        help=f"comma-separated, from: {', '.join(METHODS)} (default: singletons,lemma)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(list(argv))
    methods = [m for m in args.method.split(",") if m]
    unknown = [m for m in methods if m not in METHODS]
    if unknown or not methods:
        parser.error(f"unknown method {', '.join(unknown) or '(none)'}; choose from {', '.join(METHODS)}")
    try:
        documents, mentions = read_ecbplus(args.path, split_topics(args.path, args.split))
    except (OSError, EcbFormatError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"read {len(documents)} documents, {len(mentions)} event mentions", file=sys.stderr, flush=True)
    rows = []
    for method in methods:
        for topic_given in SETTINGS[args.topics]:
            print(f"  {method}, topics {'given' if topic_given else 'predicted'}", file=sys.stderr, flush=True)
            rows.append(_row(method, topic_given, evaluate_on(METHODS[method], documents, mentions, topic_given)))
    print(json.dumps([_jsonable(r) for r in rows], indent=2) if args.json else format_table(args.split, rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
