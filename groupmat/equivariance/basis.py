"""Orthonormal bases of ``Hom_G(rep_in, rep_out)`` and its dimension from characters."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .._exact import cyclotomic_form, exact_is_zero, exact_number, simplify_exact
from .._validation import check_size
from ..reps.representation import Representation
from ..tolerances import unitarity_tol
from ._common import check_reps, matrices_of, pair_hom_dimension, regular_side, runs
from .kernels import pair_orbits, regular_indices, reynolds_block
from ..reps.generator_reps import GeneratorRepresentation, generator_hom_basis, generator_hom_dimension
from .orbits import is_action, orbit_basis

__all__ = ["equivariant_basis", "hom_dimension"]


def hom_dimension(rep_in: Representation, rep_out: Representation) -> int:
    r"""``dim Hom_G(rep_in, rep_out)`` from the characters, without building a basis.

    Parameters
    ----------
    rep_in, rep_out : Representation
        Representations of one group object.

    Returns
    -------
    int

    Raises
    ------
    TypeError, ValueError
        Not Representations, or representations of different groups.

    Notes
    -----
    .. math:: \dim \mathrm{Hom}_G(V, W) = \langle \chi_V, \chi_W \rangle
              = \frac{1}{|G|} \sum_g \overline{\chi_V(g)}\, \chi_W(g)
              = \frac{1}{|G|} \sum_g \chi_V(g^{-1})\, \chi_W(g).

    For real representations this is also the real dimension of the real equivariant maps. A
    direct sum is handled run by run (``c`` copies of a summand count ``c`` times), so channels
    cost nothing. Exact representations are summed exactly.

    Examples
    --------
    >>> import groupmat as gm
    >>> G = gm.dihedral(4)
    >>> L = gm.regular_representation(G)
    >>> gm.hom_dimension(L, L), gm.hom_dimension(2 * L, 3 * L)
    (8, 48)
    >>> gm.hom_dimension(gm.reps.trivial_representation(G), L)
    1

    A non-real irreducible is not equivalent to its complex conjugate:

    >>> C3 = gm.cyclic(3)
    >>> rho = [r for r in gm.irreps(C3, field="complex") if r.type == "complex"][0]
    >>> conj = gm.Representation(C3, rho.matrices.conj())
    >>> gm.hom_dimension(rho, rho), gm.hom_dimension(rho, conj), gm.hom_dimension(rho + conj, 2 * rho)
    (1, 0, 2)
    """
    if isinstance(rep_in, GeneratorRepresentation) or isinstance(rep_out, GeneratorRepresentation):  # S_n by generators
        return generator_hom_dimension(rep_in, rep_out)
    if is_action(rep_in) or is_action(rep_out):       # known by generators: the number of orbits on pairs
        return orbit_basis(rep_in, rep_out).dim
    check_reps(rep_in, rep_out)
    total = 0
    for ro in runs(rep_out):
        for ri in runs(rep_in):
            total += ro.count * ri.count * _pair_dimension(ri.rep, ro.rep)
    return total


def _pair_dimension(rep_in: Representation, rep_out: Representation) -> int:
    dim = pair_hom_dimension(rep_in, rep_out)
    if rep_in.exact and rep_out.exact:  # the exact sum confirms the rounded one (a float character cannot)
        import sympy

        inv = rep_in.group.inverses()
        a, b = np.asarray(rep_in.character(), dtype=object), np.asarray(rep_out.character(), dtype=object)
        value = sum(exact_number(x) * exact_number(y) for x, y in zip(a[inv], b)) / rep_in.group.order
        # roots of unity in their canonical form decide most cases at once (a minimal polynomial of
        # a sum of 7th roots of unity takes seconds)
        residue = cyclotomic_form(sympy.expand(value - dim))
        if residue != 0 and not exact_is_zero(residue):  # pragma: no cover - numeric and exact disagree
            raise ValueError(f"the exact character inner product {value} is not the integer {dim}")
    return dim


# ---------------------------------------------------------------------------- local bases
def _orbit_entries(rep_in, rep_out):
    """(basis index, flat position, orbit size) of the orbit indicators of two permutation reps."""
    labels, counts = pair_orbits(rep_in, rep_out)
    return labels, np.arange(labels.size), counts[labels], counts.size


def _regular_entries(G, side: str, co: int, ci: int):
    """The normalised group diagonals of every channel pair of regular representations.

    Basis element ``k = (o ci + i) n + g`` has ``1/sqrt(n)`` at ``(o n + a, i n + col[a, g])``.
    """
    n = G.order
    col, _ = regular_indices(G, side)
    o = np.arange(co)[:, None, None, None]
    i = np.arange(ci)[None, :, None, None]
    g = np.arange(n)[None, None, :, None]
    a = np.arange(n)[None, None, None, :]
    shape = (co, ci, n, n)
    k = np.broadcast_to((o * ci + i) * n + g, shape).reshape(-1)
    rows = np.broadcast_to(o * n + a, shape).reshape(-1)
    cols = np.broadcast_to(i * n + col.T[None, None], shape).reshape(-1)
    d_in = ci * n
    return k, rows * d_in + cols, np.full(k.size, n), co * ci * n


def _svd_basis(rep_in, rep_out, tol) -> np.ndarray:
    """Orthonormal basis of ``Hom_G`` as the range of the Reynolds operator on random matrices.

    ``P`` maps onto ``Hom_G`` (for any representations), so ``P`` of ``dim + 4`` random matrices spans
    it; the leading right singular vectors of the stacked results are an orthonormal basis. The
    dimension comes from the characters and the singular-value gap is checked.
    """
    dim = pair_hom_dimension(rep_in, rep_out)
    do, di = rep_out.dim, rep_in.dim
    D = do * di
    if dim == 0:
        return np.zeros((0, do, di))
    complex_ = any(not r.is_permutation and np.iscomplexobj(r.numeric().matrices) for r in (rep_in, rep_out))
    samples = min(D, dim + 4)
    check_size((samples, D), 16, "the random samples of the Reynolds operator")
    rng = np.random.default_rng(12345)
    X = rng.normal(size=(samples, 1, do, 1, di))
    if complex_:
        X = X + 1j * rng.normal(size=X.shape)
    mi = None if rep_in.is_permutation else matrices_of(rep_in, False)
    mo = None if rep_out.is_permutation else matrices_of(rep_out, False)
    Y = reynolds_block(X, rep_in, rep_out, mi, mo).reshape(samples, D)
    _, sv, Vh = np.linalg.svd(Y, full_matrices=False)
    tol = unitarity_tol(Y.dtype) if tol is None else tol  # the samples are averages of orthogonal conjugations
    sv = np.concatenate([sv, [0.0]])
    if sv[dim - 1] <= tol * sv[0] or sv[dim] > tol * sv[0]:
        raise ValueError(f"the range of the projection does not have the dimension {dim} given by the characters "
                         f"(relative singular values near the cut: {sv[dim - 1] / sv[0]:.3g}, {sv[dim] / sv[0]:.3g}); "
                         "pass a tolerance tol=...")
    N = Vh[:dim]
    return N.reshape(dim, do, di)


def _decomposed_basis(rep_in, rep_out) -> np.ndarray:
    """Orthonormal basis of ``Hom_G`` from the irreducible decompositions (Schur's lemma).

    With ``Q^-1 rho(g) Q = (+)_k I_{m_k} (x) sigma_k(g)`` for both representations (from
    :func:`groupmat.decompose`, over the complex numbers when either is complex),
    ``Hom_G(rep_in, rep_out) = Q_out [(+)_k M_(m_out,k x m_in,k) (x) Hom_G(sigma_k, sigma_k)] Q_in^-1``:
    the maps ``Q_out (E_ab (x) C_t) Q_in^-1`` for copies ``a`` of ``sigma`` in ``rep_out``, ``b`` in ``rep_in``
    and an orthonormal basis ``C_t`` of ``Hom_G(sigma, sigma)`` (``I/sqrt(d)`` for a real-type irreducible,
    2 or 4 matrices for a complex- or quaternionic-type real one). They are orthonormal when both
    ``Q`` are orthogonal (unitary), else they are orthonormalised. Cost ``O(|G| d^3)`` for the
    decompositions plus ``O(dim d_out d_in)`` to write the basis, instead of ``dim + 4`` Reynolds sums.
    """
    from .spectral import _blocks, _is_complex, irreducible_change_of_basis, irrep_hom_basis

    complex_ = _is_complex(rep_in) or _is_complex(rep_out)
    field = "complex" if complex_ else "real"
    Qi, Qi_inv, parts_in, unit_i = irreducible_change_of_basis(rep_in, field)
    Qo, _, parts_out, unit_o = irreducible_change_of_basis(rep_out, field)
    do, di = rep_out.dim, rep_in.dim
    dim = pair_hom_dimension(rep_in, rep_out)
    check_size((dim, do, di), 16 if complex_ else 8, "the dense equivariant basis (use sparse=True)")
    pieces = []
    for so, irr_o, mo in _blocks(parts_out):
        for si, irr_i, mi in _blocks(parts_in):
            C = irrep_hom_basis(irr_i, irr_o, complex_)
            if C.shape[0] == 0:
                continue
            A = Qo[:, so].reshape(do, mo, irr_o.dim)                  # copy a of sigma in rep_out: A[:, a]
            Bm = Qi_inv[si, :].reshape(mi, irr_i.dim, di)              # copy b of sigma in rep_in: Bm[b]
            AC = np.einsum("xap,tpq->atxq", A, C, optimize=True)      # (mo, h, do, d_in)
            E = np.einsum("atxq,bqy->abtxy", AC, Bm, optimize=True)   # (mo, mi, h, do, di)
            pieces.append(E.reshape(-1, do, di))
    if not pieces:
        E = np.zeros((0, do, di), dtype=complex if complex_ else float)
    else:
        E = np.concatenate(pieces)
    if E.shape[0] != dim:
        raise ValueError(f"the irreducible decomposition gives {E.shape[0]} equivariant maps, the characters "
                         f"{dim}")
    if not complex_:
        E = E.real
    if dim and not (unit_i and unit_o):
        Qr, _ = np.linalg.qr(E.reshape(dim, do * di).T)
        E = Qr.T.reshape(dim, do, di)
    return E


def _dense_basis(rep_in, rep_out, tol) -> np.ndarray:
    """Numeric basis for a pair of summands that are not both permutations: by the irreducible
    decomposition, or (if it fails, or with a ``tol``) by the Reynolds range."""
    if tol is None:
        try:
            return _decomposed_basis(rep_in, rep_out)
        except (ValueError, np.linalg.LinAlgError):
            pass
    return _svd_basis(rep_in, rep_out, tol)


def _gram_schmidt_exact(vectors: list) -> list:
    """Orthonormalise sympy column vectors (Hermitian inner product)."""
    import sympy

    out = []
    for v in vectors:
        w = v
        for u in out:
            w = w - (u.H * w)[0, 0] * u
        w = w.applyfunc(sympy.simplify)
        norm2 = sympy.simplify((w.H * w)[0, 0])
        if norm2 == 0:  # pragma: no cover - the null space vectors are independent
            continue
        out.append((w / sympy.sqrt(norm2)).applyfunc(sympy.radsimp))
    return out


def _exact_basis(rep_in, rep_out) -> np.ndarray:
    """Exact orthonormal basis of ``Hom_G`` by the sympy null space of the generator constraints."""
    import sympy

    G = rep_in.group
    do, di = rep_out.dim, rep_in.dim
    A = matrices_of(rep_out, True) if not rep_out.is_permutation else rep_out.matrices.astype(int)
    B = matrices_of(rep_in, True) if not rep_in.is_permutation else rep_in.matrices.astype(int)
    rows = []
    for s in G.generators:
        As, Bs = sympy.Matrix(A[s].tolist()), sympy.Matrix(B[s].tolist())
        K = sympy.kronecker_product(As, sympy.eye(di)) - sympy.kronecker_product(sympy.eye(do), Bs.T)
        rows.append(K)
    if not rows:
        null = [sympy.eye(do * di)[:, k] for k in range(do * di)]
    else:
        K = sympy.Matrix.vstack(*rows).applyfunc(simplify_exact)
        null = None
        if any(v.has(sympy.I) for v in K):
            # complex images (roots of unity): in their canonical form (cyclotomic_form) a zero is
            # literally 0, which is faster than simplify and decides sums that simplify misses;
            # the size is checked against the characters (else the general route below)
            def canon(v):
                return cyclotomic_form(sympy.expand(v))

            null = K.applyfunc(canon).nullspace(simplify=canon, iszerofunc=lambda v: v == 0)
            if len(null) != pair_hom_dimension(rep_in, rep_out):  # pragma: no cover - other constants
                null = None
        if null is None:
            null = K.nullspace(simplify=True)
    basis = _gram_schmidt_exact(null)
    out = np.empty((len(basis), do, di), dtype=object)
    for k, v in enumerate(basis):
        out[k] = np.array(list(v), dtype=object).reshape(do, di)
    return out


# ---------------------------------------------------------------------------- assembling
def _from_entries(k, pos, size, dim, shape, exact: bool, sparse: bool):
    do, di = shape
    if exact:
        import sympy

        out = np.empty((dim, do * di), dtype=object)
        out[...] = sympy.Integer(0)
        inv_sqrt = {int(c): 1 / sympy.sqrt(int(c)) for c in np.unique(size)}
        out[k, pos] = np.array([inv_sqrt[int(c)] for c in size], dtype=object)
        return out.reshape(dim, do, di)
    values = 1.0 / np.sqrt(size)
    if sparse:
        return sp.csr_array((values, (k, pos)), shape=(dim, do * di))
    check_size((dim, do, di), 8, "the dense equivariant basis (use sparse=True)")
    out = np.zeros((dim, do * di))
    out.reshape(-1)[k * (do * di) + pos] = values
    return out.reshape(dim, do, di)


def equivariant_basis(rep_in: Representation, rep_out: Representation, exact: bool | None = None,
                      sparse: bool = False, tol: float | None = None):
    r"""An orthonormal basis of ``Hom_G(rep_in, rep_out)`` (Frobenius inner product).

    Parameters
    ----------
    rep_in, rep_out : Representation
        Representations of one group object, of dimensions ``d_in`` and ``d_out``.
    exact : bool, optional
        Compute exactly with SymPy (entries such as ``1/sqrt(3)``). Default: exact when either
        representation is exact.
    sparse : bool
        Return a SciPy sparse array of shape ``(dim, d_out * d_in)`` (row ``k`` is basis element
        ``k`` flattened row-major) instead of a dense array. Numeric only.
    tol : float, optional
        Only for dense summands: use the Reynolds-range route (below) with this relative
        singular-value tolerance instead of the irreducible decomposition. The dimension itself
        always comes from the characters.

    Returns
    -------
    ndarray of shape (dim, d_out, d_in), scipy.sparse.csr_array, or object ndarray (exact)
        ``dim = hom_dimension(rep_in, rep_out)`` orthonormal equivariant maps.

    Raises
    ------
    TypeError, ValueError
        Not Representations, representations of different groups, ``sparse`` with ``exact``, or a
        numeric null space whose size disagrees with the characters (pass ``tol``).

    See Also
    --------
    hom_dimension, project

    Notes
    -----
    - Permutation representations: the orbits of ``G`` on index pairs ``(a, b)`` span ``Hom_G``; the
      basis is the orbit indicators divided by ``sqrt(|orbit|)``.
    - Copies of one regular representation: the orbits are the group diagonals of each channel
      pair; element ``(o c_in + i) |G| + g`` is diagonal ``g`` of channel pair ``(o, i)`` over
      ``sqrt(|G|)``: for the left regular representation, ``E[a, b] = [a^{-1} b = g]/sqrt(|G|)``.
    - Otherwise, block by block over pairs of summands (the representations are block diagonal).
      Numerically, by Schur's lemma from the irreducible decompositions
      ``Q^-1 rho(g) Q = (+)_k I_{m_k} (x) sigma_k(g)`` of :func:`groupmat.decompose`:

      .. math:: \mathrm{Hom}_G(V, W) = Q_{out} \Big[\bigoplus_k \mathbb{F}^{m^{out}_k \times m^{in}_k}
                \otimes \mathrm{End}_G(\sigma_k)\Big] Q_{in}^{-1},

      the maps ``Q_out (E_ab (x) C_t) Q_in^-1`` with ``C_t`` an orthonormal basis of
      ``End_G(sigma_k)`` (``I/sqrt(d)`` for an absolutely irreducible ``sigma_k``; 2 or 4
      matrices for a real irreducible of complex or quaternionic type), orthonormalised when a
      ``Q`` is not orthogonal. This costs a decomposition (``O(|G| d^3)``) instead of ``dim + 4``
      Reynolds sums. With ``tol`` (or if the decomposition fails): the leading right
      singular vectors of the Reynolds projections of ``dim + 4`` random matrices. Exactly: the
      ``sympy`` null space of the stacked constraints ``(rho_out(s) (x) I - I (x) rho_in(s)^T) vec W = 0``
      over the generators ``s``, orthonormalised by Gram-Schmidt. The size is checked against
      the characters.

    Neither route needs orthogonal representations: the result is an orthonormal basis of
    ``Hom_G`` in the Frobenius inner product for any representations.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> G = gm.cyclic(3)
    >>> L = gm.regular_representation(G)
    >>> E = gm.equivariant_basis(L, L)
    >>> E.shape, np.allclose(np.einsum("kab,lab->kl", E, E), np.eye(3))
    ((3, 3, 3), True)
    >>> np.round(E[1] * np.sqrt(3)).astype(int)      # the group diagonal of g = 1: M[a, a + 1]
    array([[0, 1, 0],
           [0, 0, 1],
           [1, 0, 0]])
    >>> gm.equivariant_basis(L, gm.reps.trivial_representation(G), exact=True)
    array([[[sqrt(3)/3, sqrt(3)/3, sqrt(3)/3]]], dtype=object)
    """
    if isinstance(rep_in, GeneratorRepresentation) or isinstance(rep_out, GeneratorRepresentation):  # S_n by generators
        if exact:
            raise ValueError("exact=True needs Representations; the basis of GeneratorRepresentations is numeric")
        E = generator_hom_basis(rep_in, rep_out, tol)           # dense, numeric: (dim, d_out, d_in)
        return sp.csr_array(E.reshape(E.shape[0], -1)) if sparse else E
    if is_action(rep_in) or is_action(rep_out):       # known by generators: the orbit basis, never the group
        if exact:
            raise ValueError("exact=True needs Representations; the orbit basis of a PermutationAction is numeric "
                             "(its entries are 1/sqrt(orbit size))")
        B = orbit_basis(rep_in, rep_out)
        return B.sparse() if sparse else B.dense()
    check_reps(rep_in, rep_out)
    if exact is None:
        exact = bool(rep_in.exact or rep_out.exact)
    if exact and sparse:
        raise ValueError("sparse=True gives a numeric SciPy array; it cannot be combined with exact=True")
    G = rep_in.group
    do, di = rep_out.dim, rep_in.dim
    side_in, side_out = regular_side(rep_in), regular_side(rep_out)
    if side_in is not None and side_in == side_out:
        n = G.order
        k, pos, size, dim = _regular_entries(G, side_in, do // n, di // n)
        return _from_entries(k, pos, size, dim, (do, di), exact, sparse)
    if rep_in.is_permutation and rep_out.is_permutation:
        k, pos, size, dim = _orbit_entries(rep_in, rep_out)
        return _from_entries(k, pos, size, dim, (do, di), exact, sparse)
    runs_out, runs_in = runs(rep_out), runs(rep_in)
    if not exact and not sparse and len(runs_out) == len(runs_in) == 1 and runs_out[0].count == runs_in[0].count == 1:
        # one summand on each side: the local basis is the answer
        return _dense_basis(rep_in, rep_out, tol)
    # block by block over pairs of summands; one local basis per distinct pair of summand objects
    local: dict = {}
    ks, poss, vals = [], [], []
    start = 0
    for ro in runs_out:
        for ri in runs_in:
            key = (id(ri.rep), id(ro.rep))
            if key not in local:
                if pair_hom_dimension(ri.rep, ro.rep) == 0:
                    local[key] = None
                elif ri.rep.is_permutation and ro.rep.is_permutation:
                    local[key] = equivariant_basis(ri.rep, ro.rep, exact=exact)
                else:
                    local[key] = _exact_basis(ri.rep, ro.rep) if exact else _dense_basis(ri.rep, ro.rep, tol)
            E = local[key]
            if E is None or E.shape[0] == 0:
                continue
            dl, dro, dri = E.shape
            nz = np.nonzero(E.reshape(dl, -1) != 0) if not exact else np.nonzero(
                np.vectorize(lambda v: v != 0, otypes=[bool])(E.reshape(dl, -1)))
            kk, flat = nz
            r, c = np.divmod(flat, dri)
            v = E.reshape(dl, -1)[kk, flat]
            for o in range(ro.count):
                for i in range(ri.count):
                    ks.append(start + kk)
                    poss.append((ro.offset + o * dro + r) * di + ri.offset + i * dri + c)
                    vals.append(v)
                    start += dl
    dim = start
    if not exact and dim != hom_dimension(rep_in, rep_out):  # pragma: no cover - each block is checked
        raise ValueError(f"the equivariant basis has {dim} elements, the characters say "
                         f"{hom_dimension(rep_in, rep_out)}")
    k = np.concatenate(ks) if ks else np.zeros(0, dtype=np.int64)
    pos = np.concatenate(poss) if poss else np.zeros(0, dtype=np.int64)
    if exact:
        import sympy

        out = np.empty((dim, do * di), dtype=object)
        out[...] = sympy.Integer(0)
        if ks:
            out[k, pos] = np.concatenate(vals)
        return out.reshape(dim, do, di)
    v = np.concatenate(vals) if vals else np.zeros(0)
    if sparse:
        return sp.csr_array((v, (k, pos)), shape=(dim, do * di))
    check_size((dim, do, di), v.itemsize if v.size else 8, "the dense equivariant basis (use sparse=True)")
    out = np.zeros((dim, do * di), dtype=v.dtype if v.size else float)
    out[k, pos] = v
    return out.reshape(dim, do, di)
