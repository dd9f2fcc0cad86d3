"""Character tables: literature tables (exact), GAP's tables, orthogonality on random groups."""
from __future__ import annotations

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from strategies import gap_character_values, gap_groups, groups

import groupmat as gm
from groupmat._exact import exact_is_zero, to_numeric

w = sympy.exp(2 * sympy.pi * sympy.I / 3)
phi = (1 + sympy.sqrt(5)) / 2


def _match_rows(ours: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """Row permutation p with ours[p[i]] == ref[i] (numerically), asserting one exists."""
    assert ours.shape == ref.shape
    D = np.abs(ref[:, None, :] - ours[None, :, :]).max(axis=2)
    p = D.argmin(axis=1)
    assert np.all(D[np.arange(len(ref)), p] < 1e-9), "a reference row has no match"
    assert len(set(p.tolist())) == len(ref), "two reference rows match one row"
    return p


def _check_exact_table(G, columns, expected):
    """``columns[c]`` is an element; ``expected[k][c]`` the literature value of character k there."""
    T = gm.character_table(G)
    cls = G.class_of()
    cols = [int(cls[G.element(g)]) for g in columns]
    assert sorted(cols) == list(range(len(T))), "the literature columns must cover every class once"
    ref = np.array([[complex(sympy.N(v)) for v in row] for row in expected])
    ours = T.values[:, cols]
    p = _match_rows(ours, ref)
    ev = T.exact_values
    for i, row in enumerate(expected):
        for c, v in zip(cols, row):
            assert exact_is_zero(ev[p[i], c] - v), (G.name, i, c, ev[p[i], c], v)


def test_s3_table():
    _check_exact_table(gm.symmetric(3), ["()", "(0 1)", "(0 1 2)"],
                       [[1, 1, 1], [1, -1, 1], [2, 0, -1]])


def test_s4_table():
    _check_exact_table(gm.symmetric(4), ["()", "(0 1)", "(0 1)(2 3)", "(0 1 2)", "(0 1 2 3)"],
                       [[1, 1, 1, 1, 1], [1, -1, 1, 1, -1], [2, 0, 2, -1, 0], [3, 1, -1, 0, -1], [3, -1, -1, 0, 1]])


def test_a4_table():
    _check_exact_table(gm.alternating(4), ["()", "(0 1)(2 3)", "(0 1 2)", "(0 2 1)"],
                       [[1, 1, 1, 1], [1, 1, w, w**2], [1, 1, w**2, w], [3, -1, 0, 0]])


def test_a5_table():
    _check_exact_table(gm.alternating(5), ["()", "(0 1)(2 3)", "(0 1 2)", "(0 1 2 3 4)", "(0 2 4 1 3)"],
                       [[1, 1, 1, 1, 1], [3, -1, 0, phi, 1 - phi], [3, -1, 0, 1 - phi, phi],
                        [4, 0, 1, -1, -1], [5, 1, -1, 0, 0]])


def test_q8_table():
    _check_exact_table(gm.quaternion(), ["1", "-1", "i", "j", "k"],
                       [[1, 1, 1, 1, 1], [1, 1, 1, -1, -1], [1, 1, -1, 1, -1], [1, 1, -1, -1, 1], [2, -2, 0, 0, 0]])
    assert gm.character_table(gm.quaternion()).frobenius_schur.tolist() == [1, 1, 1, 1, -1]


@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_dihedral_table_formula(n):
    """D_n: 2-dim characters 2 cos(2 pi h k / n) on r^k and 0 on reflections, plus 2 or 4 linear ones."""
    G = gm.dihedral(n)
    e, k = np.divmod(np.arange(2 * n), n)
    rows = [[1] * (2 * n), [(-1) ** int(a) for a in e]]
    if n % 2 == 0:
        rows += [[(-1) ** int(b) for b in k],
                 [(-1) ** int(b + a) for a, b in zip(e, k)]]
    for h in range(1, (n - 1) // 2 + 1):
        rows.append([0 if a else 2 * sympy.cos(2 * sympy.pi * h * int(b) / n) for a, b in zip(e, k)])
    T = gm.character_table(G)
    ref = np.array([[complex(sympy.N(v)) for v in r] for r in rows])
    p = _match_rows(T.characters(), ref)
    reps = [c[0] for c in G.conjugacy_classes()]
    for i, r in enumerate(rows):
        for c, g in enumerate(reps):
            assert exact_is_zero(T.exact_values[p[i], c] - r[g])


@pytest.mark.parametrize("n", [1, 2, 5, 8])
def test_cyclic_table_formula(n):
    G = gm.cyclic(n)
    T = gm.character_table(G)
    ref = np.array([[complex(sympy.N(sympy.exp(2 * sympy.pi * sympy.I * h * g / n))) for g in range(n)]
                    for h in range(n)])
    p = _match_rows(T.characters(), ref)
    for h in range(n):
        for g in range(n):
            assert exact_is_zero(T.exact_values[p[h], g] - sympy.exp(2 * sympy.pi * sympy.I * h * g / n))


@pytest.mark.parametrize("entry", gap_groups(), ids=lambda d: d["name"])
def test_gap_reference_tables(entry):
    """Burnside's algorithm on the bare Cayley table reproduces GAP's table up to row order."""
    G = gm.from_cayley_table(entry["table"])
    T = gm.character_table(G)
    assert T.exact
    assert len(T) == entry["nclasses"]
    assert sorted(T.degrees.tolist()) == sorted(entry["degrees"])
    _match_rows(T.characters(), gap_character_values(entry))
    # classes agree with GAP's partition
    ours = G.class_of()
    theirs = np.asarray(entry["classes"])
    assert len(set(zip(ours.tolist(), theirs.tolist()))) == len(T)


def _assert_orthogonality(T):
    n = T.group.order
    V = T.values
    rows = (V * T.class_sizes) @ V.conj().T / n
    assert np.allclose(rows, np.eye(len(T)), atol=1e-9)
    cols = V.conj().T @ V
    assert np.allclose(cols, np.diag(n / T.class_sizes), atol=1e-8)
    assert int((T.degrees**2).sum()) == n
    assert len(T) == len(T.group.conjugacy_classes())
    assert T.degrees[0] == 1 and np.allclose(T.values[0], 1)


@settings(max_examples=25, deadline=None)
@given(groups(max_order=60))
def test_orthogonality_random_groups(G):
    T = gm.character_table(G)
    _assert_orthogonality(T)
    assert set(T.frobenius_schur.tolist()) <= {-1, 0, 1}
    assert np.all(n_div(T.group.order, T.degrees))


def n_div(n, degs):
    return n % degs == 0


def test_random_permutation_groups_and_products():
    rng = np.random.default_rng(3)
    for _ in range(5):
        G = gm.from_permutations([rng.permutation(6), rng.permutation(6)])
        _assert_orthogonality(gm.character_table(G))
        H = gm.from_cayley_table(gm.direct_product(G, gm.cyclic(2)).cayley_table()) if G.order <= 120 else G
        _assert_orthogonality(gm.character_table(H))


def test_table_from_cayley_table_matches_family_table():
    """The general algorithm and the family irreps give the same table for D6 and S4."""
    for G in (gm.dihedral(6), gm.symmetric(4), gm.dicyclic(3)):
        H = gm.from_cayley_table(G.cayley_table())
        _match_rows(gm.character_table(H).characters(), gm.character_table(G).characters())


def test_printing_and_latex():
    T = gm.character_table(gm.symmetric(3))
    text = str(T)
    assert "Character table of S3" in text and "X.2" in text
    tex = T.to_latex()
    assert tex.startswith("\\begin{tabular}") and "\\chi_{2}" in tex
    A = gm.character_table(gm.alternating(5))
    assert "sqrt(5)" in str(A) and "\\sqrt{5}" in A.to_latex()
    assert "CharacterTable" in repr(A)


def test_inner_product_and_character():
    G = gm.symmetric(4)
    T = gm.character_table(G)
    chi = gm.reps.natural_representation(G).character()
    m = T.inner_product(chi[T.representatives])
    assert np.allclose(m, [1, 1, 0, 0, 0])
    assert np.allclose(T.character(1), gm.irreps(G)[1].character())


def test_bad_input():
    with pytest.raises(TypeError, match="FiniteGroup"):
        gm.character_table("S3")
    with pytest.raises(TypeError, match="FiniteGroup"):
        gm.character_table(np.eye(3))


@pytest.mark.parametrize("G", [gm.sign_group(5), gm.cyclic(9), gm.cyclic(16), gm.dihedral(6), gm.dihedral(7),
                               gm.dihedral(1), gm.sign_group(0), gm.direct_product(gm.dihedral(3), gm.cyclic(4)),
                               gm.from_cayley_table(gm.group("C4xC6").cayley_table()),
                               gm.from_permutations([[1, 2, 3, 0, 4, 5, 6], [0, 1, 2, 3, 5, 6, 4]])],
                         ids=lambda G: G.name)
def test_table_rows_are_the_characters_of_irreps_in_order(G):
    """Row k of the table is the character of irreps(G)[k] (for abelian groups: the FFT order)."""
    T = gm.character_table(G)
    traces = np.array([np.trace(r.matrices, axis1=1, axis2=2) for r in gm.irreps(G)])
    assert np.allclose(T.characters(), traces)
    _assert_orthogonality(T)


def test_character_table_exact_values_cyclic():
    G = gm.cyclic(12)
    T = gm.character_table(G)
    assert T.exact
    ev = to_numeric(T.exact_values, complex)
    k = np.arange(12)
    assert np.allclose(ev, np.exp(-2j * np.pi * np.outer(k, k) / 12))


@pytest.mark.parametrize("G", [gm.symmetric(4), gm.from_cayley_table(gm.alternating(4).cayley_table()), gm.cyclic(6)],
                         ids=lambda G: G.name)
def test_kept_table_is_read_only(G):
    """character_table hands out one table per group: an in-place edit raises and later calls are right."""
    T = gm.character_table(G)
    values, ev = T.values.copy(), T.exact_values
    for array in (T.values, T.degrees, T.frobenius_schur, T.class_sizes, T.representatives, T.element_orders,
                  T.classes[0], ev):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = array[0]
    with pytest.raises(ValueError, match="read-only"):
        T.values *= 2
    again = gm.character_table(G)
    assert again is T and np.array_equal(again.values, values)
    _assert_orthogonality(again)
    assert T.nbytes >= T.values.nbytes + T.degrees.nbytes
    # what users compute from it is theirs to change
    chars = T.characters()
    chars[0, 0] = 5
    assert gm.character_table(G).characters()[0, 0] == 1


def test_class_structure_is_kept_read_only():
    from groupmat.reps.characters import class_structure

    G = gm.dihedral(5)
    cs = class_structure(G)
    assert class_structure(G) is cs
    with pytest.raises(ValueError, match="read-only"):
        cs.powers[0, 0] = 3
    assert cs.nbytes == sum(a.nbytes for a in (cs.sizes, cs.reps, cs.class_of, cs.orders, cs.powers)) + \
        sum(c.nbytes for c in cs.classes)


def test_bad_input_messages():
    T = gm.character_table(gm.dihedral(4))
    with pytest.raises(ValueError, match="k must be in range"):
        T.character(99)
    with pytest.raises(TypeError, match="k must be an integer"):
        T.character(1.5)
    assert np.allclose(T.character(-1), T.character(4))
    with pytest.raises(ValueError, match="chi must hold values on the 5 conjugacy classes"):
        T.inner_product(np.ones(3))
    with pytest.raises(ValueError, match="psi must hold"):
        T.inner_product(np.ones(5), np.ones((2, 4)))


def test_to_latex_escapes_class_names_made_from_labels():
    """Class names come from element labels: LaTeX specials are escaped (they could break the table or
    inject a command), with the one function groupmat uses for labels in LaTeX."""
    labels = ["e", "50%", "x&y", "#1", "$e$", "{", "~^", "\\input{x}"]
    G = gm.from_cayley_table(gm.cyclic(8).cayley_table(), labels=labels)
    tex = gm.character_table(G).to_latex()
    header = tex.splitlines()[1]
    for raw, escaped in [("50%", r"50\%"), ("x&y", r"x\&y"), ("#1", r"\#1"), ("$e$", r"\$e\$"),
                         ("\\input{x}", r"\backslash{}input\{x\}")]:
        assert escaped in header, (raw, header)
    assert "\\input{" not in tex
    # every column separator of the header is one of the table's own: |G| classes + the name column
    assert header.count(" & ") == G.order
