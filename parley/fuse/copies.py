"""Independence of sources: documents whose word shingles overlap strongly (MinHash LSH) are copies of one
report (a wire story reprinted by five outlets), and count once as corroboration."""

from __future__ import annotations

import re

from datasketch import MinHash, MinHashLSH

from parley.config import DEFAULT
from parley.records import Document

_WORD = re.compile(r"\w+")


def _minhash(text: str, num_perm: int = 64) -> MinHash:
    words = _WORD.findall(text.lower())
    mh = MinHash(num_perm=num_perm, seed=7)
    for i in range(max(1, len(words) - 4)):
        mh.update(" ".join(words[i:i + 5]).encode("utf-8"))
    return mh


def copy_groups(documents: list[Document], threshold: float = DEFAULT.copy_threshold) -> dict[str, str]:
    """doc_id -> id of its group of copies (wire reprints, near-identical rewrites)."""
    lsh = MinHashLSH(threshold=threshold, num_perm=64)
    parent = {d.doc_id: d.doc_id for d in documents}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for d in sorted(documents, key=lambda d: d.doc_id):
        mh = _minhash(d.text)
        for other in lsh.query(mh):
            parent[find(d.doc_id)] = find(other)
        lsh.insert(d.doc_id, mh)
    return {doc_id: find(doc_id) for doc_id in parent}


