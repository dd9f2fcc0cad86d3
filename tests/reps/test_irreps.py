"""Irreducible representations: homomorphisms, irreducibility, completeness, exact = numeric, real forms."""
from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from strategies import gap_character_values, gap_groups, groups

import groupmat as gm
from groupmat._exact import to_numeric
from groupmat.reps.irreducibles import _conjugate_index, commutant_dimension

FAMILIES = [gm.cyclic(1), gm.cyclic(6), gm.dihedral(1), gm.dihedral(2), gm.dihedral(5), gm.dihedral(6),
            gm.quaternion(), gm.dicyclic(3), gm.dicyclic(1), gm.sign_group(3), gm.symmetric(1), gm.symmetric(2),
            gm.symmetric(4), gm.direct_product(gm.dihedral(3), gm.cyclic(3)),
            gm.direct_product(gm.quaternion(), gm.cyclic(2)),
            # abelian groups known only by their law: characters through the cyclic coordinates
            gm.from_cayley_table(gm.group("C4xC6").cayley_table()),
            gm.from_permutations([[1, 2, 3, 0, 4, 5, 6], [0, 1, 2, 3, 5, 6, 4]]), gm.direct_product(gm.dihedral(2), gm.cyclic(3))]


def _check_irreps(G, reps, field):
    n = G.order
    T = gm.character_table(G)
    total = 0
    for k, rho in enumerate(reps):
        rho.check_homomorphism()
        chi = np.trace(rho.numeric().matrices, axis1=1, axis2=2)
        e = {1: 1, 0: 2, -1: 4}[rho.frobenius_schur] if field == "real" else 1
        # irreducible over the field: <chi, chi> = dim of the commutant (1 over C)
        assert np.isclose(np.vdot(chi, chi).real / n, e), (G.name, k, field)
        total += rho.dim**2 / e
        if field == "complex":
            assert rho.is_unitary(1e-9)
            assert np.allclose(chi, T.character(k))
        else:
            assert rho.is_orthogonal(1e-9)
            assert rho.type == {1: "real", 0: "complex", -1: "quaternionic"}[rho.frobenius_schur]
    assert np.isclose(total, n)
    assert np.allclose(reps[0].numeric().matrices, 1)


@pytest.mark.parametrize("G", FAMILIES, ids=lambda G: G.name)
def test_family_irreps(G):
    for field in ("complex", "real"):
        _check_irreps(G, gm.irreps(G, field), field)


@pytest.mark.parametrize("G", [gm.cyclic(5), gm.dihedral(4), gm.quaternion(), gm.dicyclic(3), gm.sign_group(2),
                               gm.symmetric(3), gm.symmetric(4), gm.direct_product(gm.cyclic(3), gm.dihedral(3)),
                               gm.from_cayley_table(gm.group("C2xC6").cayley_table())],
                         ids=lambda G: G.name)
def test_exact_irreps_agree_with_numeric(G):
    for field in ("complex", "real"):
        exact = gm.irreps(G, field, exact=True)
        numeric = gm.irreps(G, field)
        assert len(exact) == len(numeric)
        for a, b in zip(exact, numeric):
            assert a.exact
            assert np.allclose(to_numeric(a.matrices, complex), b.matrices, atol=1e-12)
        if G.order <= 8:
            for rho in exact:
                rho.check_homomorphism()      # exactly


def test_young_orthogonal_form_exact():
    rho = gm.irreps(gm.symmetric(3), exact=True)[1]     # partition (2, 1)
    assert rho.is_orthogonal()
    m = rho(gm.symmetric(3).element("(1 2)"))
    assert any(str(v) in ("sqrt(3)/2", "-sqrt(3)/2") for v in m)


@settings(max_examples=15, deadline=None)
@given(groups(max_order=40))
def test_irreps_of_random_groups(G):
    _check_irreps(G, gm.irreps(G, "complex"), "complex")
    _check_irreps(G, gm.irreps(G, "real"), "real")


@pytest.mark.parametrize("H", [gm.alternating(4), gm.alternating(5), gm.dicyclic(3),
                               gm.semidirect_product(gm.cyclic(7), gm.cyclic(3), [lambda n: (2 * n) % 7])],
                         ids=lambda G: G.name)
def test_general_algorithm(H):
    """The regular-representation splitting on a bare Cayley table (all three real types occur)."""
    G = gm.from_cayley_table(H.cayley_table())
    _check_irreps(G, gm.irreps(G), "complex")
    _check_irreps(G, gm.irreps(G, "real"), "real")


def test_types_of_quaternionic_and_complex():
    real = gm.irreps(gm.dicyclic(3), "real")
    assert sorted(r.type for r in real) == ["complex", "quaternionic", "real", "real", "real"]
    assert [r.dim for r in gm.irreps(gm.quaternion(), "real")] == [1, 1, 1, 1, 4]


def test_cached_and_copied():
    G = gm.dihedral(4)
    a, b = gm.irreps(G), gm.irreps(G)
    assert a is not b and all(x is y for x, y in zip(a, b))


@pytest.mark.parametrize("G", [gm.dihedral(4), gm.cyclic(6), gm.alternating(4), gm.symmetric(3)], ids=lambda G: G.name)
@pytest.mark.parametrize("field", ["complex", "real"])
def test_cached_matrices_are_read_only(G, field):
    """An in-place edit of a kept irreducible raises, and the next call still returns the right matrices."""
    rho = gm.irreps(G, field)[-1]
    before = np.array(rho.matrices)
    with pytest.raises(ValueError, match="read-only"):
        rho.matrices[1, 0, 0] = 7.0
    with pytest.raises(ValueError, match="read-only"):
        rho.matrices[...] *= 2
    again = gm.irreps(G, field)[-1]
    assert np.array_equal(again.matrices, before)
    again.check_homomorphism()
    exact = gm.irreps(G, field, exact=True)[0] if G.name != "A4" else None
    if exact is not None:
        with pytest.raises(ValueError, match="read-only"):
            exact.matrices[0, 0, 0] = 0


def test_irreducible_representations_declare_what_is_known():
    real = gm.irreps(gm.dicyclic(3), "real")
    assert all(isinstance(r, gm.reps.IrreducibleRepresentation) for r in real)
    assert [r.index for r in real] == list(range(len(real))) and {r.field for r in real} == {"real"}
    cplx = gm.irreps(gm.dicyclic(3))
    for r in real:
        # the complex irreducibles it comes from have its indicator, and realify (or are) it
        assert all(cplx[k].frobenius_schur == r.frobenius_schur for k in r.complex_indices)
        assert r.dim == cplx[r.complex_indices[0]].dim * (1 if r.type == "real" else 2)
        assert len(r.complex_indices) == (2 if r.type == "complex" else 1)
    assert [(r.index, r.complex_indices) for r in cplx] == [(k, (k,)) for k in range(len(cplx))]
    with pytest.raises(AttributeError):
        real[0].type = "quaternionic"                 # a property of the indicator, not a free attribute


def test_families_are_read_from_the_declared_structure():
    """S3 declared symmetric has Young's exact form; the same group given by permutations alone is
    served by the general algorithm (numeric), with the same characters."""
    S3 = gm.symmetric(3)
    P = gm.from_permutations([[1, 0, 2], [1, 2, 0]])
    assert S3.structure.family == "symmetric" and P.structure.family != "symmetric"
    assert gm.irreps(S3, exact=True)[1].exact
    with pytest.raises(ValueError, match="exact"):
        gm.irreps(P, exact=True)
    _check_irreps(P, gm.irreps(P), "complex")
    chars = sorted(tuple(np.round(np.trace(r.matrices, axis1=1, axis2=2).real[[0, 1]], 9)) for r in gm.irreps(P))
    assert chars == sorted(tuple(np.round(np.trace(r.matrices, axis1=1, axis2=2).real[[0, 1]], 9))
                           for r in gm.irreps(S3))


def test_commutant_dimension():
    assert [commutant_dimension(v) for v in (1, 0, -1)] == [1, 2, 4]
    assert commutant_dimension(np.array([-1, 1])).tolist() == [4, 1]
    with pytest.raises(ValueError, match="frobenius_schur"):
        commutant_dimension(2)
    with pytest.raises(TypeError, match="frobenius_schur"):
        commutant_dimension("real")
    for rho in gm.irreps(gm.quaternion(), "real") + gm.irreps(gm.cyclic(5), "real"):
        chi = np.trace(rho.matrices, axis1=1, axis2=2)
        assert np.isclose(chi @ chi / rho.group.order, commutant_dimension(rho.frobenius_schur))


def test_sign_irreps_are_parities():
    G = gm.sign_group(6)
    g = np.arange(64)
    for S, rho in enumerate(gm.irreps(G)):
        want = np.array([(-1) ** bin(int(v & S)).count("1") for v in g])
        assert np.array_equal(rho.matrices[:, 0, 0], want)


def _peak_bytes(f):
    tracemalloc.start()
    try:
        out = f()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return out, peak


def test_conjugate_index_is_r_by_r():
    r = 300
    k = np.arange(r)
    chars = np.exp(-2j * np.pi * np.outer(k, k) / r)        # the character table of C_300
    conj, peak = _peak_bytes(lambda: _conjugate_index(chars))
    assert np.array_equal(conj, (-k) % r)
    assert peak < 20 * r * r * 16                           # an r^3 array would need 432 MB


def test_conjugate_index_on_tables():
    for G in (gm.alternating(4), gm.cyclic(7), gm.dicyclic(3), gm.symmetric(4)):
        T = gm.character_table(G)
        conj = _conjugate_index(T.values, T.class_sizes)
        assert np.allclose(T.values[conj], np.conj(T.values))


def test_bad_input():
    with pytest.raises(TypeError, match="FiniteGroup"):
        gm.irreps([1, 2])
    with pytest.raises(ValueError, match="field"):
        gm.irreps(gm.cyclic(3), field="quaternion")
    with pytest.raises(ValueError, match="exact"):
        gm.irreps(gm.alternating(4), exact=True)
    with pytest.raises(TypeError, match="exact"):
        gm.irreps(gm.cyclic(3), exact="no")


@pytest.mark.parametrize("entry", [d for d in gap_groups() if 8 <= d["order"] <= 100], ids=lambda d: d["name"])
def test_general_algorithm_on_gap_tables(entry):
    """Explicit irreducibles from a bare Cayley table have GAP's characters and are unitary/orthogonal."""
    G = gm.from_cayley_table(entry["table"])
    reps = gm.irreps(G)
    ref = gap_character_values(entry)
    chars = np.array([np.trace(r.matrices, axis1=1, axis2=2) for r in reps])
    D = np.abs(chars[:, None, :] - ref[None, :, :]).max(axis=2)
    assert np.all(D.min(axis=1) < 1e-8) and len(set(D.argmin(axis=1).tolist())) == len(ref)
    for r in reps:
        assert r.is_unitary(1e-9)
    real = gm.irreps(G, "real")
    assert all(r.is_orthogonal(1e-9) for r in real)
    assert np.isclose(sum(r.dim**2 / {1: 1, 0: 2, -1: 4}[r.frobenius_schur] for r in real), G.order)


def test_real_type_from_two_quaternionic_factors():
    """Q8 x Q8: the product of the two quaternionic irreps is of real type but given by complex matrices."""
    G = gm.direct_product(gm.quaternion(), gm.quaternion())
    real = gm.irreps(G, "real")
    big = [r for r in real if r.dim == 4 and r.frobenius_schur == 1]
    assert len(big) == 1 and big[0].is_orthogonal(1e-9)
    big[0].check_homomorphism()
    with pytest.raises(ValueError, match="no exact real form"):
        gm.irreps(G, "real", exact=True)
