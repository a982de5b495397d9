"""Coreference metrics (MUC, B-cubed, CEAF-e, CoNLL F1) over clusterings given as {mention key: cluster label}.

Gold and predicted clusterings cover the same mentions (gold mentions are given to the clusterer), so the
mention-mismatch rules of the reference scorer never apply; what does apply is its handling of degenerate
cases, which we follow (reference-coreference-scorers v8.01, Pradhan et al. 2014):
- a ratio whose denominator is 0 is 0.0 (MUC over all-singleton clusterings has no links to count, so its
  recall or precision is 0, not 1), and F1 is 0.0 when P + R is 0;
- singletons count as clusters in B-cubed and CEAF-e (ECB+ annotates them, unlike OntoNotes).

Pure Python; CEAF-e's optimal alignment uses scipy's `linear_sum_assignment` when scipy is importable
(it is a transitive dependency, not a declared one) and a Hungarian algorithm of our own otherwise.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Hashable, Mapping, Sequence

try:
    from scipy.optimize import linear_sum_assignment as _scipy_assignment
except ImportError:  # pragma: no cover - scipy comes with datasketch today
    _scipy_assignment = None

Clustering = Mapping[Hashable, Hashable]


@dataclass(frozen=True)
class Score:
    p: float
    r: float
    f1: float


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _score(p: float, r: float) -> Score:
    return Score(p, r, _ratio(2 * p * r, p + r))


def _check_keys(gold: Clustering, pred: Clustering) -> None:
    """Metrics here assume gold mentions; a clusterer that drops or invents mentions is a bug to surface."""
    if gold.keys() == pred.keys():
        return
    missing_pred = len(gold.keys() - pred.keys())
    missing_gold = len(pred.keys() - gold.keys())
    raise ValueError(
        f"gold and predicted clusterings cover different mentions: {missing_pred} gold keys missing from the "
        f"prediction, {missing_gold} predicted keys missing from the gold"
    )


def _overlaps(gold: Clustering, pred: Clustering) -> tuple[Counter, Counter, Counter]:
    """(gold label, pred label) -> shared mentions, and the size of every gold and predicted cluster."""
    _check_keys(gold, pred)
    pairs = Counter((gold[key], pred[key]) for key in gold)
    return pairs, Counter(gold.values()), Counter(pred.values())


def _muc_side(pairs: Counter, sizes: Counter, side: int) -> float:
    """Links kept / links needed: each cluster K needs |K| - 1 links and keeps |K| - (parts it is cut into)."""
    parts = Counter(pair[side] for pair in pairs)
    kept = sum(size - parts[label] for label, size in sizes.items())
    needed = sum(size - 1 for size in sizes.values())
    return _ratio(kept, needed)


def muc(gold: Clustering, pred: Clustering) -> Score:
    """Vilain et al. 1995: link-based; blind to singletons, so all-singleton clusterings score 0."""
    pairs, gold_sizes, pred_sizes = _overlaps(gold, pred)
    return _score(_muc_side(pairs, pred_sizes, 1), _muc_side(pairs, gold_sizes, 0))


def b_cubed(gold: Clustering, pred: Clustering) -> Score:
    """Bagga & Baldwin 1998, every mention weighted equally: mean over mentions of |G(m) & P(m)| / |P(m)|
    (precision) and / |G(m)| (recall); summed per (gold, pred) cell, where n mentions each share n."""
    pairs, gold_sizes, pred_sizes = _overlaps(gold, pred)
    n = len(gold)
    p = sum(shared * shared / pred_sizes[q] for (_, q), shared in pairs.items())
    r = sum(shared * shared / gold_sizes[g] for (g, _), shared in pairs.items())
    return _score(_ratio(p, n), _ratio(r, n))


def ceaf_e(gold: Clustering, pred: Clustering) -> Score:
    """Luo 2005, entity-based with phi4(K, R) = 2|K & R| / (|K| + |R|): the one-to-one alignment of gold
    and predicted clusters maximising total similarity, divided by the number of predicted (precision)
    and gold (recall) clusters."""
    pairs, gold_sizes, pred_sizes = _overlaps(gold, pred)
    similarity = {(g, q): 2 * shared / (gold_sizes[g] + pred_sizes[q]) for (g, q), shared in pairs.items()}
    total = sum(_best_alignment(component, similarity) for component in _components(similarity))
    return _score(_ratio(total, len(pred_sizes)), _ratio(total, len(gold_sizes)))


def conll(gold: Clustering, pred: Clustering) -> dict:
    """The CoNLL-2012 score: the mean F1 of MUC, B-cubed and CEAF-e, with the three scores beside it."""
    scores = {"muc": muc(gold, pred), "b_cubed": b_cubed(gold, pred), "ceaf_e": ceaf_e(gold, pred)}
    return {**scores, "conll_f1": sum(s.f1 for s in scores.values()) / 3}


# --- CEAF-e alignment -------------------------------------------------------------------------------------


def _components(similarity: Mapping[tuple, float]) -> list[list[tuple]]:
    """The non-zero (gold, pred) cells grouped by connected component of the bipartite overlap graph.

    Clusters in different components share no mention, so each component's alignment is independent:
    thousands of clusters become many small assignment problems instead of one dense one.
    """
    parent: dict = {}

    def find(node):
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for g, q in similarity:
        parent[find(("g", g))] = find(("p", q))
    groups: dict = defaultdict(list)
    for cell in similarity:
        groups[find(("g", cell[0]))].append(cell)
    return list(groups.values())


def _best_alignment(cells: list[tuple], similarity: Mapping[tuple, float]) -> float:
    """Total similarity of the optimal one-to-one alignment within one component."""
    if len(cells) == 1:
        return similarity[cells[0]]
    rows = sorted({g for g, _ in cells}, key=repr)
    cols = sorted({q for _, q in cells}, key=repr)
    matrix = [[similarity.get((g, q), 0.0) for q in cols] for g in rows]
    return sum(matrix[i][j] for i, j in max_assignment(matrix))


def max_assignment(matrix: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """(row, column) pairs of a maximum-weight assignment of a rectangular matrix (min(rows, cols) pairs)."""
    if not matrix or not matrix[0]:
        return []
    if _scipy_assignment is not None:
        rows, cols = _scipy_assignment(matrix, maximize=True)
        return list(zip(rows.tolist(), cols.tolist()))
    return hungarian_max(matrix)


def hungarian_max(matrix: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Maximum-weight assignment by the Hungarian algorithm with potentials, O(n^2 m) for n <= m.

    The fallback when scipy is missing; kept importable so tests can check it against scipy.
    """
    transposed = len(matrix) > len(matrix[0])
    rows = [list(col) for col in zip(*matrix)] if transposed else [list(row) for row in matrix]
    pairs = _hungarian_min([[-value for value in row] for row in rows])
    return sorted((j, i) for i, j in pairs) if transposed else pairs


def _hungarian_min(cost: list[list[float]]) -> list[tuple[int, int]]:
    """Minimum-cost assignment of every row of an n x m cost matrix (n <= m) to a distinct column.

    Shortest augmenting paths with row/column potentials u, v (1-based, column 0 is the virtual start).
    """
    n, m = len(cost), len(cost[0])
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    match = [0] * (m + 1)  # column -> row matched to it (0 = none)
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        match[0], j0 = i, 0
        minv, used = [inf] * (m + 1), [False] * (m + 1)
        while match[j0]:
            used[j0] = True
            i0, delta, j1 = match[j0], inf, 0
            for j in range(1, m + 1):
                if used[j]:
                    continue
                reduced = cost[i0 - 1][j - 1] - u[i0] - v[j]
                if reduced < minv[j]:
                    minv[j], way[j] = reduced, j0
                if minv[j] < delta:
                    delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
        while j0:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    return sorted((match[j] - 1, j - 1) for j in range(1, m + 1) if match[j])
