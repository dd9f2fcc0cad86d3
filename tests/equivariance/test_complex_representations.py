"""Equivariance with complex (unitary) representations: the complex irreducibles of C3, C7, A4 and
C7:C3, their conjugates, direct sums and tensor products.

- ``hom_dimension`` is the Hermitian character inner product ``1/|G| sum_g conj(chi_in(g)) chi_out(g)``,
  computed here from the traces of the images: a bug that used ``chi_in(g)`` for ``chi_in(g^-1)`` (no
  conjugate) gives ``dim Hom(rho, rho) = 0`` and ``dim Hom(rho, conj rho) = 1`` for a non-real
  irreducible ``rho``, and fails these tests;
- ``equivariant_basis`` commutes with the representations at *every* element, numerically and, for
  exact SymPy irreducibles (roots of unity), exactly;
- ``project`` equals the dense Reynolds reference of ``tests/reference.py`` on every method, is
  idempotent, and gives a complex result for a real ``W`` (it has one); exact projections are in a
  canonical form, so vanishing sums of roots of unity are 0.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy

import groupmat as gm
from equivariance_zoo import c7c3, c7c3_irrep, conjugate_rep, unitary_conjugate
from reference import character, exact_equal, reynolds, reynolds_defect

GROUPS = {"C3": lambda: gm.cyclic(3), "C7": lambda: gm.cyclic(7), "A4": lambda: gm.alternating(4), "C7:C3": c7c3}


def hermitian_inner(ri, ro) -> complex:
    """``<chi_in, chi_out> = 1/|G| sum_g conj(chi_in(g)) chi_out(g)`` from the traces of the images."""
    return np.vdot(character(ri), character(ro)) / ri.group.order


def expected_dim(ri, ro) -> int:
    value = hermitian_inner(ri, ro)
    assert abs(value - round(value.real)) < 1e-9
    return int(round(value.real))


def complex_irreps(G):
    irr = gm.irreps(G, field="complex")
    assert sum(r.dim**2 for r in irr) == G.order
    return irr


def non_real(G):
    """The irreducibles that are not equivalent to their conjugate (Frobenius-Schur indicator 0)."""
    out = [r for r in complex_irreps(G) if abs(hermitian_inner(r, conjugate_rep(r))) < 0.5]
    assert out, G.name
    return out


def pairs(G):
    """``(id, rep_in, rep_out)``: irreducibles, conjugates, sums and tensors of complex representations."""
    irr = complex_irreps(G)
    rho = non_real(G)[0]
    rc = conjugate_rep(rho)
    big = max(irr, key=lambda r: r.dim)
    out = [("rho->rho", rho, rho), ("rho->conj", rho, rc), ("rho+conj->2rho", rho + rc, 2 * rho),
           ("rho(x)rho->conj+rho", gm.tensor(rho, rho), rc + rho),
           ("big(x)conj->big+rho", gm.tensor(big, rc), big + rho),
           ("U*rho*U->rho+conj", unitary_conjugate(rho + rc, seed=1), rc + rho),
           ("L->rho(x)big", gm.regular_representation(G), gm.tensor(rho, big))]
    if G.name == "C7:C3":
        r3 = c7c3_irrep(G)
        out += [("3d->3d", r3, r3), ("3d->conj 3d", r3, c7c3_irrep(G, conjugate=True)),
                ("3d(x)3d->L", gm.tensor(r3, r3), gm.regular_representation(G))]
    return out


PAIRS = [(g, *p) for g in GROUPS for p in pairs(GROUPS[g]())]
# one group object per name, shared by the parametrised cases
_BUILT = {}


def _pair(gname, pid):
    if gname not in _BUILT:
        _BUILT[gname] = {p[0]: p for p in pairs(GROUPS[gname]())}
    return _BUILT[gname][pid]


# ---------------------------------------------------------------------------- dimensions
@pytest.mark.parametrize("gname", list(GROUPS))
def test_hom_dimension_is_the_hermitian_character_inner_product(gname):
    G = GROUPS[gname]()
    irr = complex_irreps(G)
    # Schur orthogonality: the irreducibles are pairwise inequivalent
    dims = np.array([[gm.hom_dimension(a, b) for b in irr] for a in irr])
    np.testing.assert_array_equal(dims, np.eye(len(irr), dtype=int))
    triv = gm.reps.trivial_representation(G)
    for rho in non_real(G):
        rc = conjugate_rep(rho)
        assert gm.hom_dimension(rho, rho) == 1
        assert gm.hom_dimension(rho, rc) == 0 and gm.hom_dimension(rc, rho) == 0
        assert gm.hom_dimension(rc, rc) == 1
        # rho (x) conj(rho) contains the trivial representation once, rho (x) rho not at all
        assert gm.hom_dimension(triv, gm.tensor(rho, rc)) == 1
        assert gm.hom_dimension(triv, gm.tensor(rho, rho)) == 0
        assert gm.hom_dimension(gm.tensor(rho, rho), triv) == 0
        # channels: c copies on each side
        assert gm.hom_dimension(2 * rho + rc, 3 * rho) == 6
        assert gm.hom_dimension(2 * rho + rc, 3 * rc) == 3
    for r in irr:   # a real-type irreducible is its own conjugate
        if abs(hermitian_inner(r, conjugate_rep(r))) > 0.5:
            assert gm.hom_dimension(r, conjugate_rep(r)) == 1
    # the multiplicities of the irreducibles in the regular representation are their degrees
    L = gm.regular_representation(G)
    assert [gm.hom_dimension(r, L) for r in irr] == [r.dim for r in irr]
    assert [gm.hom_dimension(L, r) for r in irr] == [r.dim for r in irr]


@pytest.mark.parametrize("gname,pid,ri,ro", PAIRS, ids=[f"{p[0]} {p[1]}" for p in PAIRS])
def test_hom_dimension_of_sums_and_tensors(gname, pid, ri, ro):
    assert gm.hom_dimension(ri, ro) == expected_dim(ri, ro)
    assert gm.hom_dimension(ro, ri) == expected_dim(ro, ri)


# ---------------------------------------------------------------------------- bases
def _assert_commutes(E, ri, ro, atol=1e-10):
    """``rho_out(g) E_k = E_k rho_in(g)`` for every element ``g`` (not only the generators)."""
    Mi, Mo = ri.numeric().matrices, ro.numeric().matrices
    lhs = np.einsum("gab,kbc->gkac", Mo, E)
    rhs = np.einsum("kab,gbc->gkac", E, Mi)
    np.testing.assert_allclose(lhs, rhs, atol=atol)


@pytest.mark.parametrize("gname,pid", [p[:2] for p in PAIRS], ids=[f"{p[0]} {p[1]}" for p in PAIRS])
def test_equivariant_basis_commutes_at_every_element_and_spans_the_projection(gname, pid):
    _, ri, ro = _pair(gname, pid)
    h = expected_dim(ri, ro)
    rng = np.random.default_rng(3)
    W = rng.normal(size=(ro.dim, ri.dim)) + 1j * rng.normal(size=(ro.dim, ri.dim))
    ref = reynolds(W, ri, ro)
    for kwargs in ({}, {"tol": 1e-8}):                            # the decomposition and the Reynolds range
        E = np.asarray(gm.equivariant_basis(ri, ro, **kwargs))
        assert E.shape == (h, ro.dim, ri.dim)
        np.testing.assert_allclose(np.einsum("kab,lab->kl", E.conj(), E), np.eye(h), atol=1e-10)
        _assert_commutes(E, ri, ro)
        coeff = np.einsum("kab,ab->k", E.conj(), W)             # Hermitian inner products <E_k, W>
        np.testing.assert_allclose(np.einsum("k,kab->ab", coeff, E), ref, atol=1e-10)
    S = gm.equivariant_basis(ri, ro, sparse=True)
    np.testing.assert_allclose(S.toarray().reshape(-1, ro.dim, ri.dim), gm.equivariant_basis(ri, ro), atol=1e-14)


# ---------------------------------------------------------------------------- projections
@pytest.mark.parametrize("gname,pid", [p[:2] for p in PAIRS], ids=[f"{p[0]} {p[1]}" for p in PAIRS])
def test_project_equals_the_reynolds_reference_on_every_method(gname, pid):
    _, ri, ro = _pair(gname, pid)
    G = ri.group
    rng = np.random.default_rng(4)
    Wr = rng.normal(size=(2, ro.dim, ri.dim))
    Wc = Wr + 1j * rng.normal(size=Wr.shape)
    Mi, Mo = ri.numeric().matrices, ro.numeric().matrices
    for W in (Wr, Wc):
        ref = reynolds(W, ri, ro)
        for method in ("auto", "reynolds", "spectral"):
            P = gm.project(W, ri, ro, method=method)
            # a real W between complex representations has a complex projection: not dropped
            assert P.dtype == np.complex128, (method, P.dtype)
            np.testing.assert_allclose(P, ref, atol=1e-10, err_msg=method)
            np.testing.assert_allclose(gm.project(P, ri, ro, method=method), P, atol=1e-10)   # idempotent
            for g in range(G.order):
                np.testing.assert_allclose(Mo[g] @ P, P @ Mi[g], atol=1e-10)
            np.testing.assert_allclose(gm.non_equivariant_part(W, ri, ro, method=method), W - ref, atol=1e-10)
        d = gm.equivariance_defect(W, ri, ro)
        np.testing.assert_allclose(d, np.linalg.norm(W - ref, axis=(-2, -1)), rtol=1e-10, atol=1e-12)
        # Pythagoras (P is the orthogonal projection for unitary representations)
        norm2 = lambda X: np.sum(np.abs(X) ** 2, axis=(-2, -1))  # noqa: E731
        np.testing.assert_allclose(d**2, norm2(W) - norm2(ref), rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(gm.defect_spectrum(W, ri, ro).total, d**2, rtol=1e-10, atol=1e-12)
    # float32 stays single precision: complex64
    P32 = gm.project(Wr.astype(np.float32), ri, ro)
    assert P32.dtype == np.complex64
    np.testing.assert_allclose(P32, reynolds(Wr, ri, ro), atol=1e-4)


def test_projection_between_inequivalent_complex_irreducibles_is_zero():
    """Hom(rho, conj rho) = 0 for a non-real irreducible: the projection of anything is 0 (on every
    method), while Hom(rho, rho) keeps the multiples of the identity."""
    for gname, make in GROUPS.items():
        G = make()
        for rho in non_real(G):
            rc = conjugate_rep(rho)
            W = np.random.default_rng(5).normal(size=(rho.dim, rho.dim)) + 0j
            for method in ("auto", "reynolds", "spectral"):
                np.testing.assert_allclose(gm.project(W, rho, rc, method=method), 0, atol=1e-12)
                np.testing.assert_allclose(gm.project(W, rho, rho, method=method),
                                           np.trace(W) / rho.dim * np.eye(rho.dim), atol=1e-12)
            assert np.isclose(gm.equivariance_defect(W, rho, rc), np.linalg.norm(W))


# ---------------------------------------------------------------------------- exact
def _exact_cases():
    """``(id, rep_in, rep_out)`` with exact complex images (roots of unity as SymPy numbers)."""
    out = []
    for G in (gm.cyclic(3), gm.cyclic(6), gm.group("C3xC3")):
        irr = gm.irreps(G, field="complex", exact=True)
        rho = next(r for r in irr if r.type == "complex")
        rc = conjugate_rep(rho)
        out += [(f"{G.name} rho->rho", rho, rho), (f"{G.name} rho->conj", rho, rc),
                (f"{G.name} rho+conj->conj+2rho", rho + rc, rc + 2 * rho)]
    C7 = gm.cyclic(7)
    z = sympy.exp(2 * sympy.pi * sympy.I / 7)
    # one dense summand rho_1 + rho_2: its Reynolds block is not skipped, the off-diagonal sums must vanish
    two = gm.Representation(C7, [sympy.diag(z**k, z**(2 * k)) for k in range(7)], name="C7 chi1+chi2")
    out += [("C7 chi1+chi2 dense", two, two)]
    G = c7c3()
    r3, r3c = c7c3_irrep(G, exact=True), c7c3_irrep(G, exact=True, conjugate=True)
    out += [("C7:C3 3d->3d", r3, r3), ("C7:C3 3d->conj 3d", r3, r3c), ("C7:C3 3d+conj->conj+3d", r3 + r3c, r3c + r3)]
    return out


EXACT = _exact_cases()


@pytest.mark.parametrize("pid,ri,ro", EXACT, ids=[c[0] for c in EXACT])
def test_exact_complex_representations(pid, ri, ro):
    assert ri.exact and ro.exact
    G = ri.group
    h = expected_dim(ri, ro)
    assert gm.hom_dimension(ri, ro) == h
    # an exact orthonormal basis that commutes with the representations at every element, exactly
    E = gm.equivariant_basis(ri, ro)
    assert E.dtype == object and E.shape == (h, ro.dim, ri.dim)
    basis = [sympy.Matrix(E[k].tolist()) for k in range(h)]
    gram = sympy.Matrix(h, h, lambda k, l: sum(sympy.conjugate(a) * b for a, b in zip(basis[k], basis[l])))
    assert exact_equal(gram, sympy.eye(h))
    for s in G.generators:      # exactly on the generators (then on all of G: both are homomorphisms)
        for B in basis:
            assert exact_equal(ro(s) * B, B * ri(s)), (pid, s)
    En = np.array([[[complex(sympy.N(v, 20)) for v in row] for row in e] for e in E]).reshape(h, ro.dim, ri.dim)
    _assert_commutes(En, ri, ro, atol=1e-12)                            # and numerically at every element
    # the exact projection of a symbolic W is the exact Reynolds sum, idempotent in its canonical form
    W = sympy.Matrix(ro.dim, ri.dim, sympy.symbols(f"w0:{ro.dim * ri.dim}"))
    P = gm.project(W, ri, ro)
    assert isinstance(P, sympy.MatrixBase)
    assert exact_equal(P, reynolds(W, ri, ro))
    assert gm.project(P, ri, ro) == P                                   # equal as expressions
    if h == 0:
        assert P == sympy.zeros(ro.dim, ri.dim)                         # not an unsimplified vanishing sum
    # the squared defect of an integer matrix: here a rational number (the equivariant maps of these
    # representations are scalar blocks), the one of the numeric reference
    Wi = (np.arange(ro.dim * ri.dim).reshape(ro.dim, ri.dim) * 3) % 5 - 2
    d2 = gm.equivariance_defect(sympy.Matrix(Wi.tolist()), ri, ro, squared=True)
    assert d2.is_Rational, d2
    assert np.isclose(float(d2), reynolds_defect(Wi, ri.numeric(), ro.numeric()) ** 2, rtol=1e-12, atol=1e-12)
    # and the numeric path agrees with the exact one
    np.testing.assert_allclose(np.array(P.subs({s: 1 for s in W.free_symbols}).evalf(30).tolist(), dtype=complex),
                               gm.project(np.ones((ro.dim, ri.dim)), ri.numeric(), ro.numeric()), atol=1e-12)


def test_exact_and_numeric_c7c3_irreducible_are_the_irreducible_of_groupmat():
    """The hand-built 3-dimensional irreducibles of C7:C3 are the two of degree 3 that groupmat finds
    (one each), exactly and numerically."""
    G = c7c3()
    threes = [r for r in complex_irreps(G) if r.dim == 3]
    assert len(threes) == 2
    for conj in (False, True):
        for exact in (False, True):
            r3 = c7c3_irrep(G, exact=exact, conjugate=conj)
            assert sorted(gm.hom_dimension(r3, t) for t in threes) == [0, 1]
            assert gm.hom_dimension(r3, r3) == 1
