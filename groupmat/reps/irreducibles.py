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

__all__ = ["irreps", "real_irrep_info"]

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


#: Entries of the isotypic projector built at a time by :func:`_projector_times` (a block of rows).
_PROJECTOR_BLOCK = 2**15


def _projector_times(G, chi, d, Z):
    """``P_chi Z`` for the isotypic projector ``P_chi[a, b] = (d/n) conj(chi(a b^-1))`` of the left
    regular representation, built on blocks of rows (never the ``n x n`` projector)."""
    n = G.order
    e = G.elements()
    inv = G.inverses()
    out = np.empty((n, Z.shape[1]), dtype=np.result_type(chi, Z, complex))
    cchi = (d / n) * np.conj(chi)
    step = max(1, _PROJECTOR_BLOCK // n)
    for start in range(0, n, step):
        a = e[start:start + step, None]
        out[start:start + a.shape[0]] = cchi[G.mul_unchecked(a, inv[None, :])] @ Z
    return out


def _general_irreps(G):
    """Numeric unitary irreps of any group, in character-table order (see the module notes)."""
    from .characters import character_table

    T = character_table(G)
    n = G.order
    e = G.elements()
    inv = G.inverses()
    rng = np.random.default_rng(12345)
    out = []
    for i in range(len(T)):
        chi = T.character(i)
        d = int(T.degrees[i])
        if d == 1:
            mats = chi[:, None, None]
            # the exact characters are sums of roots of unity evaluated by an FFT of length <= n
            if np.max(np.abs(mats.imag)) <= roundoff(mats.dtype, terms=n):
                mats = mats.real
            out.append(Representation(G, mats, check=False, name=f"irrep {i} of {G.name}"))
            continue
        U = _orthonormal_range(_projector_times(G, chi, d, rng.standard_normal((n, d * d + 4))), d * d)
        V = None
        for attempt in range(4):
            if attempt < 3:
                hs = np.unique(np.concatenate([np.array(G.generators, dtype=np.int64),
                                               rng.integers(0, n, size=min(n, 24))]))
            else:
                hs = e
            c = rng.standard_normal(hs.size) + 1j * rng.standard_normal(hs.size)
            # H = sum_h c_h R'(h) + conj(c_h) R'(h^-1), (R'(h) f)(a) = f(a h): Hermitian, commutes with L;
            # accumulated one h at a time (O(n d^2) memory)
            HU = np.zeros_like(U)
            for h, ch in zip(hs.tolist(), c.tolist()):
                HU += ch * U[G.mul_unchecked(e, np.full_like(e, h))]
                HU += np.conj(ch) * U[G.mul_unchecked(e, np.full_like(e, inv[h]))]
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


def _indicators(G) -> tuple:
    """``(fs, conj)`` for the complex irreducibles of ``G`` in the order of :func:`irreps`: the
    Frobenius-Schur indicators and ``conj[k]``, the index of the conjugate of irreducible ``k``.

    For an abelian group both come from its cyclic coordinates (the conjugate of the frequency ``q`` is
    ``-q``; real characters have indicator 1, the others 0), without its ``n x n`` character table;
    otherwise from :func:`character_table`.
    """
    if routing.transform_kind(G) == "abelian":
        shape = tuple(int(m) for m in G.cyclic_coordinates().shape)
        q = np.arange(G.order)
        conj = np.ravel_multi_index(tuple((-p) % m for p, m in zip(np.unravel_index(q, shape), shape)), shape)
        return (conj == q).astype(np.int64), conj
    from .characters import character_table

    T = character_table(G)
    return T.frobenius_schur, _conjugate_index(T.values, T.class_sizes)


def real_irrep_info(G) -> list:
    """``[(frobenius_schur, complex_indices)]`` of the real irreducibles of ``G``, in the order of
    ``irreps(G, "real")``, without building any of them.

    A real-type complex irreducible ``k`` gives ``(1, (k,))``; a complex-type pair ``k < j`` (conjugate
    characters) gives ``(0, (k, j))``; a quaternionic ``k`` gives ``(-1, (k,))``. The character of the
    real irreducible is the sum of the characters of its ``complex_indices``, doubled for the
    quaternionic type.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.reps.irreducibles import real_irrep_info
    >>> real_irrep_info(gm.cyclic(3)), real_irrep_info(gm.quaternion())[-1]
    ([(1, (0,)), (0, (1, 2))], (-1, (4,)))
    """
    if G.structure.family == "dicyclic" and routing.transform_kind(G) != "abelian":
        return [(int(fs), tuple(idx)) for fs, idx in dicyclic_real_info(G)]
    fs, conj = _indicators(G)
    out = []
    for k in range(len(fs)):
        if fs[k] == 0:
            j = int(conj[k])
            if j > k:
                out.append((0, (k, j)))
        else:
            out.append((int(fs[k]), (k,)))
    return out


def _realify_all(G, cplx, exact) -> list:
    """``(sigma, frobenius_schur, complex_indices)`` for the real irreducibles built from ``cplx``."""
    fs_all, conj = _indicators(G)
    out = []
    for k, rho in enumerate(cplx):
        fs = int(fs_all[k])
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


#: An estimate of the memory of one SymPy number in an exact matrix (a reference and the object).
_EXACT_ENTRY_BYTES = 64


def _irreps_route(G) -> str:
    if routing.transform_kind(G) == "abelian":
        return "abelian"
    family = G.structure.family
    if family in ("dihedral", "dicyclic", "symmetric"):
        return family
    return "product" if family == "direct_product" else "general"


def _irreps_bytes(G, field, exact, degrees) -> int:
    """The peak bytes of :func:`irreps` of ``G`` (the complex degrees given): the matrices of all
    complex irreducibles (``n sum d^2 = n^2`` entries, kept), their work arrays by route, and for
    ``field="real"`` the real irreducibles and the arrays of their realification or real form."""
    n = G.order
    degrees = np.asarray(degrees, dtype=np.int64)
    route = _irreps_route(G)
    item = _EXACT_ENTRY_BYTES if exact else (8 if route in ("dihedral", "symmetric") else 16)
    dmax2 = int(degrees.max()) ** 2
    total = n * int(np.sum(degrees ** 2)) * item
    if route == "abelian":
        total += 16 * n * n                          # the int64 phases and the temporary of their sum
    elif route == "general":
        # random start, its projection, orthonormal range (twice) and the commutant product, per irrep
        total += 96 * n * (dmax2 + 4) + 64 * _PROJECTOR_BLOCK
    else:
        total += 2 * n * dmax2 * item                # the products of one level (from_generators, Kronecker)
    if field == "real":
        rdims = [int(degrees[idx[0]]) * (1 if fs == 1 else 2) for fs, idx in real_irrep_info(G)]
        ritem = _EXACT_ENTRY_BYTES if exact else 8
        total += n * sum(d * d for d in rdims) * ritem + 12 * n * max(rdims) ** 2 * ritem
    return total


def _check_irreps_size(G, field, exact) -> None:
    """Ask :func:`groupmat._validation.check_size` before building the irreducibles: first for the
    ``n sum d^2 = n^2`` entries every list has (before the character table is computed), then for the
    peak of :func:`_irreps_bytes`."""
    n = G.order
    what = f"the matrices of all {field} irreducible representations of {G.name}"
    kind = routing.transform_kind(G)
    if kind == "dense":
        how = ("use gm.character_table(G) and gm.reps.multiplicities(rho), which need the characters only, not "
               "these matrices")
    else:
        how = "use gm.fourier(G, x), an FFT on this group that builds none of these matrices"
    check_size((n, n), 8, what, how=how)
    if kind == "abelian":
        degrees = np.ones(1, dtype=np.int64).repeat(n)
    else:
        from .characters import character_table

        degrees = character_table(G).degrees
    total = _irreps_bytes(G, field, exact, degrees)
    check_size((n, n), -(-total // (n * n)), f"{what} with their work arrays", how=how)


def _compute_irreps(G, field, exact) -> tuple:
    _check_irreps_size(G, field, exact)
    if field == "complex":
        reps = _family_irreps(G, exact=exact)
        if reps is None:
            if exact:
                raise ValueError(f"exact irreducible representations are known for abelian, dihedral, dicyclic, "
                                 f"symmetric groups and their direct products, not for {G.name}; use exact=False")
            reps = _general_irreps(G)
        fs = _indicators(G)[0]
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
        The matrices of all irreducibles (``n * sum d^2 = n^2`` numbers) with their work arrays would
        not fit under ``GROUPMAT_MAX_BYTES``; refused before they are built (for ``n^2`` entries
        alone, before the character table is computed).

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
