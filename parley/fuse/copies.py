"""Independence of sources: documents whose word shingles overlap strongly (MinHash LSH) are copies of one
report (a wire story reprinted by five outlets), and count once as corroboration.

Blocking is MinHash LSH: a document's signature is cut into bands, and two documents that share a band (the
same band index with the same values) are candidates for being copies, as in `datasketch.MinHashLSH`. The
band keys are what the store keeps (`copy_bands`), so a new document is linked to the stored ones that share a
key with it without hashing the stored texts again. A group of copies is a connected component of that
candidate graph, named after its smallest doc_id, so that the name does not depend on the order documents
arrive in (an incremental run and a full rebuild agree).
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from functools import lru_cache
from typing import Iterable

from datasketch import MinHash, MinHashLSH

from parley.config import DEFAULT
from parley.fuse.common import DisjointSets
from parley.records import Document

_WORD = re.compile(r"\w+")
NUM_PERM = 64


# The hash of a shingle: CRC-32, computed in C. datasketch's default (SHA-1 through a Python function, one
# call per shingle) was most of the time fusion spent on copies; datasketch mixes the value before permuting
# it, and distinct shingles of one document rarely share a CRC. Changing it changes the stored band keys,
# hence `MINHASH_HASH` in the fusion fingerprint: a database fused with another hash is rebuilt.
MINHASH_HASH = "crc32"


@lru_cache(maxsize=8)
def _empty_minhash(num_perm: int) -> MinHash:
    """Drawing the permutations costs as much as hashing a short text: they are drawn once, then copied."""
    return MinHash(num_perm=num_perm, seed=7, hashfunc=zlib.crc32)


@lru_cache(maxsize=8192)  # copy_groups and copy_sources hash the same texts; never mutated after
def _minhash(text: str, num_perm: int = NUM_PERM) -> MinHash:
    words = _WORD.findall(text.lower())
    # Each run of 5 words (or all of them, if fewer), joined without a Python loop over the positions.
    shingles = map(" ".join, zip(*(words[i:] for i in range(5)))) if len(words) >= 5 else [" ".join(words)]
    mh = _empty_minhash(num_perm).copy()
    mh.update_batch(list(map(str.encode, shingles)))
    return mh


@lru_cache(maxsize=8)
def _bands(threshold: float) -> list[tuple[int, int]]:
    """The (start, end) of each band: datasketch's choice of bands and rows for this threshold."""
    return MinHashLSH(threshold=threshold, num_perm=NUM_PERM).hashranges


def band_keys(text: str, threshold: float = DEFAULT.copy_threshold) -> list[bytes]:
    """The LSH keys of a text: per band, its index and the signature values in it. Texts that share a key
    are candidate copies."""
    values = _minhash(text).hashvalues
    return [bytes([i]) + values[start:end].tobytes() for i, (start, end) in enumerate(_bands(threshold))]


def link_copies(bands: dict[str, Iterable[bytes]], together: Iterable[Iterable[str]] = ()) -> dict[str, str]:
    """doc_id -> copy group (its smallest doc_id) for every document of `bands` and of `together`.

    `bands` gives the keys of each document; documents sharing a key are linked. `together` lists groups
    already known to be linked (the stored groups an incremental run may extend or merge)."""
    sets = DisjointSets(bands)
    for members in together:
        members = list(members)
        for other in members[1:]:
            sets.union(members[0], other)
    buckets: dict[bytes, list[str]] = defaultdict(list)
    for doc_id, keys in bands.items():
        for key in keys:
            buckets[key].append(doc_id)
    for members in buckets.values():
        for other in members[1:]:
            sets.union(members[0], other)
    smallest: dict[str, str] = {}
    for doc_id in sets.parent:
        root = sets.find(doc_id)
        smallest[root] = min(smallest.get(root, doc_id), doc_id)
    return {doc_id: smallest[sets.find(doc_id)] for doc_id in sets.parent}


def copy_groups(documents: list[Document], threshold: float = DEFAULT.copy_threshold) -> dict[str, str]:
    """doc_id -> id of its group of copies (wire reprints, near-identical rewrites)."""
    return link_copies({d.doc_id: band_keys(d.text, threshold) for d in documents})


def copy_sources(documents: list[Document], groups: dict[str, str]) -> dict[str, dict]:
    """For each document in a group of copies: the group, which document it copies (the earliest published,
    then the first stored: `documents` come in the order they arrived) and how similar they are (MinHash
    Jaccard)."""
    members: dict[str, list[Document]] = {}
    arrival = {d.doc_id: i for i, d in enumerate(documents)}
    for d in documents:
        members.setdefault(groups.get(d.doc_id, d.doc_id), []).append(d)
    found: dict[str, dict] = {}
    for group, docs in members.items():
        if len(docs) < 2:
            continue
        docs.sort(key=lambda d: (d.published is None, str(d.published or ""), arrival[d.doc_id]))
        original = docs[0]
        original_hash = _minhash(original.text)
        found[original.doc_id] = {"group": group, "copy_of": None, "similarity": None,
                                  "copies": [d.doc_id for d in docs[1:]]}
        for d in docs[1:]:
            found[d.doc_id] = {"group": group, "copy_of": original.doc_id, "copies": [],
                               "similarity": round(original_hash.jaccard(_minhash(d.text)), 3)}
    return found
