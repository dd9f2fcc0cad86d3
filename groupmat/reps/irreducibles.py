"""Irreducible representations: exact families, a general algorithm, and real forms.

The declared families have explicit irreducible representations (:mod:`groupmat.reps.families`):
every abelian group (through its cyclic coordinates, in the order of its FFT), dihedral, dicyclic and
symmetric groups; a direct product takes the Kronecker products of its factors' irreducibles
(row-major order). The family is read from the group's declared structure (``G.structure``); an
abelian group always takes the first construction (:func:`groupmat.routing.transform_kind` is
``"abelian"``), so :func:`groupmat.fourier` returns its coefficients in the order of :func:`irreps`.

Any other group: characters by Burnside's algorithm (:func:`character_table`), then each irreducible
is cut out of the left regular representation: its isotypic projector
``P_chi[a, b] = (d/n) conj(chi(a b^-1))`` has range ``d`` copies of ``rho``, and the eigenspace of
the smallest eigenvalue of a random Hermitian element of the commutant (right multiplications) is one
copy, spanned by orthonormal ``V``; then ``rho(g) = V^* L(g) V`` is unitary.

Real irreducibles follow from the Frobenius-Schur indicator ``nu``: real type (``nu = 1``) keeps a
real orthogonal form, complex type (``nu = 0``) pairs ``rho`` with its conjugate and quaternionic type
(``nu = -1``) keeps ``rho``; both become the realification ``[[Re rho, -Im rho], [Im rho, Re rho]]``
of twice the degree.

Every list is computed once per group and kept in the group's memo (namespace
``"reps.irreducibles"``); the matrices handed out are read-only.
"""
from __future__ import annotations

import itertools

import numpy as np

from .. import routing
from .._exact import to_numeric
from .._validation import check_choice, check_size
from ..groups.core import check_group as _check_group
from ..groups.core import FiniteGroup
from ..tolerances import imaginary_tol, integrality_tol, roundoff, unitarity_tol
from .families import _realification, _sym, dicyclic_real_info, explicit_irreps
from .representation import IrreducibleRepresentation, Representation, from_generators

__all__ = ["irreps"]

_NS = "reps.irreducibles"


def commutant_dimension(frobenius_schur):
    """The dimension ``e`` of the commutant of a real irreducible from its Frobenius-Schur indicator.

    ``e = 1, 2, 4`` for indicator ``1, 0, -1`` (real, complex and quaternionic type: the commutant is
    R, C or H). The single source of this map in groupmat.

    Parameters
    ----------
    frobenius_schur : int or array_like of int
        Indicators, each in ``{1, 0, -1}``.

    Returns
    -------
    int or ndarray of int
        ``e`` for each indicator (an int for a scalar, an int array otherwise).

    Examples
    --------
    >>> from groupmat.reps.irreducibles import commutant_dimension
    >>> commutant_dimension(-1), commutant_dimension([1, 0, -1]).tolist()
    (4, [1, 2, 4])
    """
    nu = np.asarray(frobenius_schur)
    if nu.dtype.kind not in "iu" and not (nu.dtype.kind == "f" and np.all(nu == np.rint(nu))):
        raise TypeError(f"frobenius_schur must be integers in {{1, 0, -1}}, got {frobenius_schur!r}")
    nu = nu.astype(np.int64)
    if np.any((nu < -1) | (nu > 1)):
        raise ValueError(f"frobenius_schur must be 1, 0 or -1, got {frobenius_schur!r}")
    e = np.array([4, 2, 1], dtype=np.int64)[nu + 1]
    return int(e) if e.ndim == 0 else e


# --------------------------------------------------------------------------------- direct products
def _product_irreps(G, exact):
    factors = G.factors
    comps = G.components_unchecked(G.elements())
    lists = [irreps(F, field="complex", exact=exact) for F in factors]
    out = []
    for combo in itertools.product(*[range(len(L)) for L in lists]):
        reps = [lists[i][k] for i, k in enumerate(combo)]
        mats = reps[0].matrices[comps[0]]
        for i in range(1, len(reps)):
            B = reps[i].matrices[comps[i]]
            d1, d2 = mats.shape[1], B.shape[1]
            mats = (mats[:, :, None, :, None] * B[:, None, :, None, :]).reshape(G.order, d1 * d2, d1 * d2)
        out.append(Representation(G, mats, check=False, name=" (x) ".join(r.name for r in reps)))
    return out


def _family_irreps(G, exact=False):
    """Complex irreps of a declared family (``G.structure``; every abelian group takes the
    FFT-ordered characters) or of a direct product, or None for other groups."""
    reps = explicit_irreps(G, exact)
    if reps is None and G.structure.family == "direct_product":
        reps = _product_irreps(G, exact)
    return reps


# ------------------------------------------------------------------------------ general algorithm
def _orthonormal_range(Y, k):
    """An orthonormal basis of the (rank ``k``) range of ``Y``, from the Hermitian eigenproblem of
    ``Y^* Y`` (twice, for orthonormality to rounding); avoids complex QR/SVD, which are slow with some
    LAPACK builds."""
    for _ in range(2):
        w, V = np.linalg.eigh(Y.conj().T @ Y)
        V, w = V[:, -k:], w[-k:]
        Y = (Y @ V) / np.sqrt(w)[None, :]
    return Y


def _splits(w, d, dtype) -> bool:
    """The ``d`` smallest eigenvalues ``w[:d]`` form one cluster, separated from ``w[d]``.

    A cluster: its spread is below ``unitarity_tol * scale`` (half the digits); separated: the gap is
    above ``integrality_tol * scale`` (an eigenvector of a gap ``delta`` is accurate to about
    ``eps * scale / delta``, so to ``eps^(2/3)`` here).
    """
    scale = max(1.0, float(np.abs(w).max()))
    return w[d] - w[d - 1] > integrality_tol(dtype) * scale and w[d - 1] - w[0] < unitarity_tol(dtype) * scale


def _general_irreps(G):
    """Numeric unitary irreps of any group, in character-table order (see the module notes)."""
    from .characters import character_table

    T = character_table(G)
    n = G.order
    e = G.elements()
    inv = G.inverses()
    check_size((n, n), 16, f"the isotypic projectors of {G.name}")
    K = G.mul_unchecked(e[:, None], inv[None, :])             # K[a, b] = a b^-1
    chars = T.characters()
    rng = np.random.default_rng(12345)
    out = []
    for i, chi in enumerate(chars):
        d = int(T.degrees[i])
        if d == 1:
            mats = chi[:, None, None]
            # the exact characters are sums of roots of unity evaluated by an FFT of length <= n
            if np.max(np.abs(mats.imag)) <= roundoff(mats.dtype, terms=n):
                mats = mats.real
            out.append(Representation(G, mats, check=False, name=f"irrep {i} of {G.name}"))
            continue
        P = (d / n) * np.conj(chi)[K]                          # isotypic projector of L
        U = _orthonormal_range(P @ rng.standard_normal((n, d * d + 4)), d * d)
        V = None
        for attempt in range(4):
            if attempt < 3:
                hs = np.unique(np.concatenate([np.array(G.generators, dtype=np.int64),
                                               rng.integers(0, n, size=min(n, 24))]))
            else:
                hs = e
            c = rng.standard_normal(hs.size) + 1j * rng.standard_normal(hs.size)
            # H = sum_h c_h R'(h) + conj(c_h) R'(h^-1), (R'(h) f)(a) = f(a h): Hermitian, commutes with L
            idx = G.mul_unchecked(e[:, None], hs[None, :])          # a h
            idx_inv = G.mul_unchecked(e[:, None], inv[hs][None, :])  # a h^-1
            HU = np.einsum("ahk,h->ak", U[idx], c) + np.einsum("ahk,h->ak", U[idx_inv], np.conj(c))
            B = U.conj().T @ HU
            B = (B + B.conj().T) / 2
            w, W = np.linalg.eigh(B)
            if _splits(w, d, B.dtype):
                V = U @ W[:, :d]
                break
        if V is None:  # pragma: no cover - a random commutant element always splits eventually
            raise RuntimeError(f"could not split the isotypic component of character {i} of {G.name}")
        # rho(s) = V^* L(s) V with (L(s) V)[a] = V[s^-1 a]
        images = [V.conj().T @ V[G.mul_unchecked(inv[s], e)] for s in G.generators]
        out.append(from_generators(G, images, check=True, name=f"irrep {i} of {G.name}"))
    return out


# ------------------------------------------------------------------------------------- real forms
def _is_real(rho: Representation) -> bool:
    m = rho.matrices
    if rho.exact:
        if all(getattr(v, "is_real", None) is not None for v in m.flat):
            return all(v.is_real for v in m.flat)
        m = to_numeric(m, complex)
    if not np.iscomplexobj(m):
        return True
    return bool(np.max(np.abs(m.imag)) <= imaginary_tol(m.dtype) * max(1.0, float(np.max(np.abs(m.real)))))


def _real_part(rho: Representation) -> Representation:
    m = rho.matrices
    if rho.exact:
        sympy = _sym()
        m = np.vectorize(lambda z: sympy.expand(sympy.re(z)), otypes=[object])(m)
    else:
        m = np.real(m).copy()
    return Representation(rho.group, m, check=False, name=rho.name)


def _real_form(rho: Representation) -> Representation:
    """A real orthogonal form of a unitary irrep of real type (numeric).

    The realification is ``sigma + sigma`` over R; a random symmetric element of its commutant has
    two eigenvalues of multiplicity ``d``, and either eigenspace carries ``sigma``.
    """
    R = _realification(rho.numeric()).matrices
    d = rho.dim
    rng = np.random.default_rng(7)
    for _ in range(4):
        W = rng.standard_normal((2 * d, 2 * d))
        W = W + W.T
        P = np.einsum("gij,jk,glk->il", R, W, R) / R.shape[0]
        w, V = np.linalg.eigh((P + P.T) / 2)
        # separated eigenspaces (see _splits: a gap above integrality_tol * scale)
        if w[d] - w[d - 1] > integrality_tol(P.dtype) * max(1.0, float(np.abs(w).max())):
            V = V[:, :d]
            mats = np.einsum("ji,gjk,kl->gil", V, R, V)
            return Representation(rho.group, mats, check=False, name=f"real form of {rho.name}")
    raise RuntimeError("could not find a real form")  # pragma: no cover


def _conjugate_index(chars: np.ndarray, class_sizes=None) -> np.ndarray:
    """``conj[k]`` = the row ``j`` with ``chi_j = conj(chi_k)``.

    By orthogonality ``<conj(chi_k), chi_j> = delta_{j, conj[k]}``, so one ``r x r`` product of the
    conjugated rows with the rows (weighted by the class sizes when given) finds every partner.
    """
    chars = np.asarray(chars)
    w = np.ones(chars.shape[1]) if class_sizes is None else np.asarray(class_sizes, dtype=float)
    # <conj chi_k, chi_j> = sum_c |C_c| conj(chi_k(c)) conj(chi_j(c)) / |G|, up to a positive scale
    gram = np.abs((np.conj(chars) * w) @ np.conj(chars).T)
    return np.argmax(gram, axis=1)


def _realify_all(G, cplx, exact) -> list:
    """``(sigma, frobenius_schur, complex_indices)`` for the real irreducibles built from ``cplx``."""
    from .characters import character_table

    T = character_table(G)
    conj = _conjugate_index(T.values, T.class_sizes)
    out = []
    for k, rho in enumerate(cplx):
        fs = int(T.frobenius_schur[k])
        if fs == 1:
            if _is_real(rho):
                sigma = _real_part(rho)
            elif exact:
                raise ValueError(f"no exact real form is known for irrep {k} of {G.name} (real type given by "
                                 "complex matrices); use exact=False")
            else:
                sigma = _real_form(rho)
            out.append((sigma, fs, (k,)))
        elif fs == 0:
            j = int(conj[k])
            if j < k:
                continue
            out.append((_realification(rho), fs, (k, j)))
        else:
            out.append((_realification(rho), fs, (k,)))
    return out


def _irreducible(G, rho, index, field, frobenius_schur, complex_indices) -> IrreducibleRepresentation:
    return IrreducibleRepresentation(G, rho.matrices, index=index, field=field, frobenius_schur=frobenius_schur,
                                     complex_indices=complex_indices, name=rho.name)


def _compute_irreps(G, field, exact) -> tuple:
    n = G.order
    check_size((n, n), 16, f"the matrices of all irreducible representations of {G.name}")
    if field == "complex":
        reps = _family_irreps(G, exact=exact)
        if reps is None:
            if exact:
                raise ValueError(f"exact irreducible representations are known for abelian, dihedral, dicyclic, "
                                 f"symmetric groups and their direct products, not for {G.name}; use exact=False")
            reps = _general_irreps(G)
        from .characters import character_table

        fs = character_table(G).frobenius_schur
        return tuple(_irreducible(G, rho, k, "complex", int(fs[k]), (k,)) for k, rho in enumerate(reps))
    if G.structure.family == "dicyclic" and routing.transform_kind(G) != "abelian":
        parts = [(rho, fs, idx) for rho, (fs, idx) in zip(explicit_irreps(G, exact, "real"), dicyclic_real_info(G))]
    else:
        parts = _realify_all(G, irreps(G, "complex", exact=exact), exact)
    return tuple(_irreducible(G, rho, k, "real", fs, idx) for k, (rho, fs, idx) in enumerate(parts))


def irreps(G: FiniteGroup, field: str = "complex", exact: bool = False) -> list:
    """The irreducible representations of ``G``, unitary (complex) or orthogonal (real).

    Parameters
    ----------
    G : FiniteGroup
    field : {"complex", "real"}
        ``"complex"``: the irreducible complex representations, in the row order of
        :func:`character_table` (the trivial one first). ``"real"``: the irreducible real
        representations: real-type irreducibles in a real orthogonal form, each complex-type pair
        ``(rho, conj rho)`` and each quaternionic-type ``rho`` realified to twice the degree.
    exact : bool
        SymPy matrices (rationals, square roots, roots of unity). Available for the families
        (abelian groups, however given; dihedral, dicyclic and quaternion, symmetric groups and
        direct products of these); other groups raise ValueError.

    Returns
    -------
    list of IrreducibleRepresentation
        Each has the fields ``index`` (position in the list), ``field``, ``frobenius_schur``
        (1, 0, -1), ``complex_indices`` (the complex irreducibles it comes from) and the property
        ``type`` (``"real"``, ``"complex"``, ``"quaternionic"``). The list is computed once per group;
        its matrices are read-only (take a copy to modify them).

    Raises
    ------
    TypeError
        ``G`` is not a FiniteGroup.
    ValueError
        Unknown ``field``, or ``exact=True`` for a group with no exact construction.
    TooLargeError
        The matrices of all irreducibles (``n * sum d^2 = n^2`` numbers) would not fit in memory.

    See Also
    --------
    character_table, fourier, decompose

    Notes
    -----
    The sum of the squared degrees of the complex irreducibles is ``|G|``; for real irreducibles
    ``sum_sigma d_sigma^2 / e_sigma = |G|`` with ``e = 1, 2, 4`` for real, complex and quaternionic
    type (the dimension of the commutant). For an abelian group the order is that of the FFT on its
    cyclic coordinates, so ``fourier(G, x)[k]`` is the ``k``-th output of ``numpy.fft.fftn``.

    Examples
    --------
    >>> import groupmat as gm
    >>> [rho.dim for rho in gm.irreps(gm.symmetric(4))]
    [1, 3, 2, 3, 1]
    >>> [(rho.dim, rho.type) for rho in gm.irreps(gm.cyclic(3), field="real")]
    [(1, 'real'), (2, 'complex')]
    >>> rho = gm.irreps(gm.dihedral(4), exact=True)[4]
    >>> rho(1)
    Matrix([
    [0, -1],
    [1,  0]])
    """
    G = _check_group(G)
    check_choice(field, "field", ("complex", "real"))
    if not isinstance(exact, (bool, np.bool_)):
        raise TypeError(f"exact must be True or False, got {type(exact).__name__} {exact!r}")
    exact = bool(exact)
    return list(G.memo.get(_NS, ("irreps", field, exact), lambda: _compute_irreps(G, field, exact)))
