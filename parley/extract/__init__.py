"""Extract stage: event mentions and quotes, sentence by sentence, from a parsed document."""

from parley.extract.coder import EventCoder
from parley.extract.quotes import QuoteExtractor

__all__ = ["EventCoder", "QuoteExtractor"]
