"""Independence of sources: documents whose word shingles overlap strongly (MinHash LSH) are copies of one
report (a wire story reprinted by five outlets), and count once as corroboration."""

from __future__ import annotations

import re
from functools import lru_cache

from datasketch import MinHash, MinHashLSH

from parley.config import DEFAULT
from parley.fuse.common import DisjointSets
from parley.records import Document

_WORD = re.compile(r"\w+")


@lru_cache(maxsize=8192)  # copy_groups and copy_sources hash the same texts; never mutated after
def _minhash(text: str, num_perm: int = 64) -> MinHash:
    words = _WORD.findall(text.lower())
    mh = MinHash(num_perm=num_perm, seed=7)
    mh.update_batch([" ".join(words[i:i + 5]).encode("utf-8") for i in range(max(1, len(words) - 4))])
    return mh


def copy_groups(documents: list[Document], threshold: float = DEFAULT.copy_threshold) -> dict[str, str]:
    """doc_id -> id of its group of copies (wire reprints, near-identical rewrites)."""
    lsh = MinHashLSH(threshold=threshold, num_perm=64)
    sets = DisjointSets(d.doc_id for d in documents)
    for d in sorted(documents, key=lambda d: d.doc_id):
        mh = _minhash(d.text)
        for other in lsh.query(mh):
            sets.union(other, d.doc_id)
        lsh.insert(d.doc_id, mh)
    return {d.doc_id: sets.find(d.doc_id) for d in documents}




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
