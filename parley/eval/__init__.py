"""Evaluation commands against development data: `python -m parley.eval NAME PATH [options]`."""

import importlib

# name -> module with `main(argv: list[str]) -> int`
EVALUATIONS = {
    "conflibert": "parley.eval.conflibert",  # event quad class, event type, source/target spans
    "actors": "parley.eval.actor_coverage",  # share of source/target spans resolved to a country code
    "ecbplus": "parley.eval.ecbplus",  # cross-document event coreference on ECB+: MUC, B3, CEAF-e, CoNLL F1
    "meantime": "parley.eval.meantime",  # modality against MEANTIME factuality
    "negotiation": "parley.eval.negotiation",  # the negotiation model against an answer key (expected.yaml)
    "plover": "parley.eval.plover",  # human-coded PLOVER sentences through the `parley code` path
    "quotes": "parley.eval.quotes",  # quote spans, speakers and cues through the `parley quotes` path
}


def run(name: str, argv: list[str]) -> int:
    if name not in EVALUATIONS:
        raise SystemExit(f"unknown evaluation {name!r}; choose from {', '.join(sorted(EVALUATIONS))}")
    return importlib.import_module(EVALUATIONS[name]).main(argv)
