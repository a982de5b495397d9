"""Coreference metrics against hand-computed values, and the CEAF-e alignment against brute force."""

import itertools
import random
from fractions import Fraction as F

import pytest

from parley.eval import corefscore
from parley.eval.corefscore import Score, b_cubed, ceaf_e, conll, hungarian_max, max_assignment, muc


def clustering(*clusters: str) -> dict[str, int]:
    """clustering("abc", "de") -> {"a": 0, "b": 0, "c": 0, "d": 1, "e": 1}"""
    return {key: label for label, cluster in enumerate(clusters) for key in cluster}


def assert_score(score: Score, p, r, f1):
    assert (score.p, score.r, score.f1) == (pytest.approx(float(p)), pytest.approx(float(r)), pytest.approx(float(f1)))


GOLD = clustering("abc", "de")


def test_perfect_clustering_scores_one_everywhere():
    result = conll(GOLD, {key: f"x{label}" for key, label in GOLD.items()})  # labels need not match, only groups
    for name in ("muc", "b_cubed", "ceaf_e"):
        assert_score(result[name], 1, 1, 1)
    assert result["conll_f1"] == pytest.approx(1.0)


def test_all_singletons_response():
    pred = clustering("a", "b", "c", "d", "e")
    # MUC: no response links, so precision is 0/0 -> 0 and recall 0/3 -> 0 (reference scorer).
    assert_score(muc(GOLD, pred), 0, 0, 0)
    # B3: every mention is alone, so precision 1; recall (3 * 1/3 + 2 * 1/2) / 5 = 2/5; F1 = 0.8/1.4 = 4/7.
    assert_score(b_cubed(GOLD, pred), 1, F(2, 5), F(4, 7))
    # CEAF-e: one singleton aligned to {a,b,c} (phi4 = 2/4), one to {d,e} (2/3): total 7/6;
    # R = 7/6 / 2 gold clusters, P = 7/6 / 5 predicted clusters, F1 = 2 * total / (2 + 5) = 1/3.
    assert_score(ceaf_e(GOLD, pred), F(7, 30), F(7, 12), F(1, 3))


def test_one_big_cluster_response():
    pred = clustering("abcde")
    # MUC: R = (3 - 1 + 2 - 1) / 3 = 1; P = (5 - 2 parts) / 4 = 3/4; F1 = 1.5 / 1.75 = 6/7.
    assert_score(muc(GOLD, pred), F(3, 4), 1, F(6, 7))
    # B3: R = 1; P = (3 * 3/5 + 2 * 2/5) / 5 = 13/25; F1 = 1.04 / 1.52 = 13/19.
    assert_score(b_cubed(GOLD, pred), F(13, 25), 1, F(13, 19))
    # CEAF-e: the one response cluster aligns with {a,b,c}: phi4 = 6/8; P = 3/4 / 1, R = 3/4 / 2, F1 = 1/2.
    assert_score(ceaf_e(GOLD, pred), F(3, 4), F(3, 8), F(1, 2))


def test_all_singletons_on_both_sides_follows_the_reference_scorer():
    gold = clustering("a", "b", "c")
    result = conll(gold, dict(gold))
    assert_score(result["muc"], 0, 0, 0)  # no links anywhere: 0/0 is 0, not 1
    assert_score(result["b_cubed"], 1, 1, 1)
    assert_score(result["ceaf_e"], 1, 1, 1)
    assert result["conll_f1"] == pytest.approx(2 / 3)


def test_non_trivial_case_derived_by_hand():
    # gold G1={a,b,c} G2={d,e} G3={f} G4={g}; response P1={a,b} P2={c,d,e,f} P3={g}
    gold = clustering("abc", "de", "f", "g")
    pred = clustering("ab", "cdef", "g")
    # MUC recall: G1 is cut into 2 parts -> 3-2 = 1 link kept; G2 1 part -> 1; G3, G4 need none: 2 / (2+1) = 2/3.
    # MUC precision: P1 lies in 1 gold part -> 1; P2 spans G1, G2, G3 -> 4-3 = 1; P3 none: 2 / (1+3) = 1/2.
    # F1 = 2 * 1/2 * 2/3 / (1/2 + 2/3) = 4/7.
    assert_score(muc(gold, pred), F(1, 2), F(2, 3), F(4, 7))
    # B3 per mention (precision |G&P|/|P|, recall |G&P|/|G|):
    #   a, b: 2/2, 2/3   c: 1/4, 1/3   d, e: 2/4, 2/2   f: 1/4, 1/1   g: 1, 1
    #   P = (1 + 1 + 1/4 + 1/2 + 1/2 + 1/4 + 1) / 7 = 9/14;  R = (2/3 + 2/3 + 1/3 + 1 + 1 + 1 + 1) / 7 = 17/21
    #   F1 = 2 * 9/14 * 17/21 / (9/14 + 17/21) = 306/427.
    assert_score(b_cubed(gold, pred), F(9, 14), F(17, 21), F(306, 427))
    # CEAF-e phi4 = 2|K&R| / (|K|+|R|): G1-P1 4/5, G1-P2 2/7, G2-P2 4/6, G3-P2 2/5, G4-P3 1.
    # Best alignment G1-P1, G2-P2, G4-P3: total 4/5 + 2/3 + 1 = 37/15.
    # P = 37/15 / 3 = 37/45, R = 37/15 / 4 = 37/60, F1 = 2 * total / (3 + 4) = 74/105.
    assert_score(ceaf_e(gold, pred), F(37, 45), F(37, 60), F(74, 105))
    expected = (F(4, 7) + F(306, 427) + F(74, 105)) / 3
    assert conll(gold, pred)["conll_f1"] == pytest.approx(float(expected))


def test_metrics_are_symmetric_in_precision_and_recall():
    gold, pred = clustering("abc", "de", "f", "g"), clustering("ab", "cdef", "g")
    for metric in (muc, b_cubed, ceaf_e):
        forward, backward = metric(gold, pred), metric(pred, gold)
        assert (forward.p, forward.r) == (pytest.approx(backward.r), pytest.approx(backward.p))


def test_different_keys_raise_with_counts_on_each_side():
    with pytest.raises(ValueError, match="2 gold keys missing from the prediction, 1 predicted keys missing"):
        conll(clustering("abc"), clustering("a", "x"))


def test_empty_clusterings_score_zero():
    result = conll({}, {})
    assert result["conll_f1"] == 0.0
    assert result["b_cubed"] == Score(0.0, 0.0, 0.0)


def test_ceaf_takes_the_optimal_not_the_greedy_alignment():
    # gold G1={a,b,c,d} G2={e}; response P1={a,b,c,e} P2={d}.
    # phi4: G1-P1 6/8, G1-P2 2/5, G2-P1 2/5, G2-P2 0. Greedy takes G1-P1 (3/4) and is left with G2-P2 (0);
    # the optimum G1-P2 + G2-P1 = 4/5. P = R = 4/5 / 2 = 2/5.
    assert_score(ceaf_e(clustering("abcd", "e"), clustering("abce", "d")), F(2, 5), F(2, 5), F(2, 5))


def _brute_force_max(matrix):
    n, m = len(matrix), len(matrix[0])
    if n <= m:
        return max(sum(matrix[i][j] for i, j in enumerate(perm)) for perm in itertools.permutations(range(m), n))
    return max(sum(matrix[i][j] for j, i in enumerate(perm)) for perm in itertools.permutations(range(n), m))


@pytest.mark.parametrize("shape", [(1, 1), (2, 2), (3, 5), (5, 3), (4, 4), (6, 2)])
def test_hungarian_fallback_matches_brute_force(shape):
    rng = random.Random(sum(shape))
    for _ in range(20):
        matrix = [[rng.choice([0.0, 0.0, rng.random()]) for _ in range(shape[1])] for _ in range(shape[0])]
        pairs = hungarian_max(matrix)
        assert len(pairs) == min(shape)
        assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)
        assert sum(matrix[i][j] for i, j in pairs) == pytest.approx(_brute_force_max(matrix))
        assert sum(matrix[i][j] for i, j in max_assignment(matrix)) == pytest.approx(_brute_force_max(matrix))


def test_component_split_equals_one_dense_alignment(monkeypatch):
    """Random clusterings of 60 mentions: solving per component gives the same CEAF-e as one dense problem,
    with scipy and with the pure-Python fallback."""
    rng = random.Random(7)
    keys = [f"m{i}" for i in range(60)]
    for _ in range(10):
        gold = {key: rng.randrange(25) for key in keys}
        pred = {key: rng.randrange(15) for key in keys}
        g_labels, p_labels = sorted(set(gold.values())), sorted(set(pred.values()))
        g_size = {g: sum(v == g for v in gold.values()) for g in g_labels}
        p_size = {q: sum(v == q for v in pred.values()) for q in p_labels}
        matrix = [[2 * sum(gold[k] == g and pred[k] == q for k in keys) / (g_size[g] + p_size[q]) for q in p_labels]
                  for g in g_labels]
        total = sum(matrix[i][j] for i, j in hungarian_max(matrix))
        expected = (pytest.approx(total / len(p_labels)), pytest.approx(total / len(g_labels)))
        assert (ceaf_e(gold, pred).p, ceaf_e(gold, pred).r) == expected
        with monkeypatch.context() as patched:
            patched.setattr(corefscore, "_scipy_assignment", None)
            assert (ceaf_e(gold, pred).p, ceaf_e(gold, pred).r) == expected
