"""``from_cayley_table``: element order kept, labels, and every refusal naming what failed."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import groupmat as gm
from strategies import groups

# Latin square with identity 0 that is not a group: 1 * 1 = 0 forces order 2 in a group of order 5.
LOOP5 = [[0, 1, 2, 3, 4],
         [1, 0, 3, 4, 2],
         [2, 4, 0, 1, 3],
         [3, 2, 4, 0, 1],
         [4, 3, 1, 2, 0]]


def test_keeps_the_element_order_and_finds_identity_anywhere():
    # C3 with identity at index 2: x * y = x + y + 1 mod 3
    T = [[(i + j + 1) % 3 for j in range(3)] for i in range(3)]
    G = gm.from_cayley_table(T)
    assert G.identity == 2
    assert np.array_equal(G.cayley_table(), T)
    assert G.inv(0) == 1 and G.inv(2) == 2
    assert G.element_order(0) == 3


def test_labels_and_name():
    G = gm.from_cayley_table(gm.cyclic(4).cayley_table(), labels=["1", "i", "-1", "-i"], name="mu4")
    assert G.element("-1") == 2 and G.label(3) == "-i" and G.name == "mu4"
    assert gm.from_cayley_table([[0]]).labels == ["g0"]
    with pytest.raises(ValueError, match="labels must give one label per element"):
        gm.from_cayley_table([[0, 1], [1, 0]], labels=["a"])
    with pytest.raises(ValueError, match="labels must be distinct, but 'a' appears more than once"):
        gm.from_cayley_table([[0, 1], [1, 0]], labels=["a", "a"])


def test_accepts_integral_floats_and_unsigned():
    G = gm.from_cayley_table(np.array([[0.0, 1.0], [1.0, 0.0]]))
    assert G.order == 2
    assert gm.from_cayley_table(np.array([[0, 1], [1, 0]], dtype=np.uint8)).order == 2


def test_refuses_non_associative():
    with pytest.raises(ValueError, match="table is not associative: \\(g.* g.*\\) g.* = g.* but"):
        gm.from_cayley_table(LOOP5)


def test_refuses_missing_identity():
    # x * y = -x - y mod 3 is a Latin square without identity
    T = [[(-i - j) % 3 for j in range(3)] for i in range(3)]
    with pytest.raises(ValueError, match="no identity element"):
        gm.from_cayley_table(T)


@pytest.mark.parametrize("T, where", [
    ([[0, 1], [1, 1]], "row 1"),
    ([[0, 1, 2], [1, 2, 0], [1, 0, 2]], "column"),
    ([[0, 0], [1, 1]], "row 0"),
])
def test_refuses_non_latin(T, where):
    with pytest.raises(ValueError, match=f"not a Latin square: {where}"):
        gm.from_cayley_table(T)


@pytest.mark.parametrize("T", [[[0, 1], [1, 0], [0, 1]], [0, 1, 2], [[[0]]], np.zeros((2, 3), dtype=int)])
def test_refuses_non_square(T):
    with pytest.raises(ValueError, match="table must be a square n x n array, got shape"):
        gm.from_cayley_table(T)


def test_refuses_empty():
    with pytest.raises(ValueError, match="order >= 1"):
        gm.from_cayley_table(np.zeros((0, 0), dtype=int))


@pytest.mark.parametrize("T", [[[0.5, 1], [1, 0]], [["a", "b"], ["b", "a"]], [[True, False], [False, True]],
                               [[0, 1j], [1j, 0]], [[0, np.nan], [np.nan, 0]], [[None, 1], [1, 0]]])
def test_refuses_non_integer(T):
    with pytest.raises(TypeError, match="table must be a square array of integer element indices"):
        gm.from_cayley_table(T)


@pytest.mark.parametrize("T, bad", [([[0, 1], [1, 2]], "table\\[1, 1\\] = 2"), ([[0, -1], [-1, 0]], "table\\[0, 1\\] = -1")])
def test_refuses_out_of_range(T, bad):
    with pytest.raises(ValueError, match=f"entries must lie in 0..1; {bad}"):
        gm.from_cayley_table(T)


def test_associativity_is_checked_on_every_triple():
    """Relabellings of a non-associative loop are refused, whichever element the check starts from."""
    rng = np.random.default_rng(1)
    base = np.array(LOOP5)
    refused = 0
    for _ in range(30):
        p = rng.permutation(5)
        pinv = np.argsort(p)
        T = pinv[base[p[:, None], p[None, :]]]
        e = np.arange(5)
        associative = np.array_equal(T[T[:, :, None], e[None, None, :]], T[e[:, None, None], T[None, :, :]])
        assert not associative
        with pytest.raises(ValueError, match="not associative"):
            gm.from_cayley_table(T)
        refused += 1
    assert refused == 30


def test_large_table_refused_before_allocating(monkeypatch):
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(10**4))
    with pytest.raises(gm.TooLargeError, match="would take"):
        gm.from_cayley_table(np.zeros((100, 100), dtype=np.int64))


def _intercalates(T, identity):
    """2 x 2 subsquares T[a, c] = T[b, d], T[a, d] = T[b, c] away from the identity's row and column."""
    n = T.shape[0]
    out = []
    for a in range(n):
        for b in range(a + 1, n):
            for c in range(n):
                d = int(np.flatnonzero(T[b] == T[a, c])[0])          # T[b, d] = T[a, c]
                if d != c and T[a, d] == T[b, c] and identity not in (a, b, c, d):
                    out.append((a, b, c, d))
    return out


@given(groups(max_order=16), st.integers(0, 2**32 - 1))
@settings(max_examples=20)
def test_associativity_check_agrees_with_brute_force(G, seed):
    """Swap an intercalate of a group table: still a Latin square with identity, and the validator's
    verdict must equal the brute-force check of all n^3 triples."""
    T = G.cayley_table().astype(np.int64)
    found = _intercalates(T, G.identity)
    if not found:
        return
    a, b, c, d = found[np.random.default_rng(seed).integers(len(found))]
    T2 = T.copy()
    T2[a, c], T2[a, d], T2[b, c], T2[b, d] = T[a, d], T[a, c], T[b, d], T[b, c]
    e = np.arange(T.shape[0])
    associative = np.array_equal(T2[T2[:, :, None], e[None, None, :]], T2[e[:, None, None], T2[None, :, :]])
    if associative:
        H = gm.from_cayley_table(T2)
        assert H.order == G.order
    else:
        with pytest.raises(ValueError, match="not associative"):
            gm.from_cayley_table(T2)


def test_ragged_cayley_table_is_a_clear_value_error():
    with pytest.raises(ValueError, match="table must be a square n x n array.*different lengths"):
        gm.from_cayley_table([[0, 1], [1]])
    from groupmat.groups.validate import validate_cayley_table

    with pytest.raises(ValueError, match="different lengths"):
        validate_cayley_table([[0, 1], [1]])


def test_unhashable_labels_are_a_type_error():
    with pytest.raises(TypeError, match="labels must be hashable.*labels\\[0\\] is a list"):
        gm.from_cayley_table([[0, 1], [1, 0]], labels=[["a"], ["b"]])
    with pytest.raises(TypeError, match="labels must be a sequence"):
        gm.from_cayley_table([[0, 1], [1, 0]], labels=5)
