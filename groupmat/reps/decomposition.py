"""Decomposing representations into irreducibles; induced and coset representations.

Multiplicities are character inner products, ``m_rho = <chi, chi_rho> / e_rho``; the isotypic
projector of ``rho`` is ``P_rho = (d_rho / (e_rho |G|)) sum_g chi_rho(g^-1) rho(g)``; an explicit
change of basis is built from intertwiners ``T = (1/|G|) sum_g rho(g) W sigma(g)^*`` (Reynolds
averages of matrix units ``W``), made orthonormal one copy at a time. (``e_rho = 1`` over the complex
numbers; over the reals ``e = 1, 2, 4`` for real, complex and quaternionic type.)
"""
from __future__ import annotations

import numpy as np

from .._exact import exact_is_zero, simplify_exact, to_numeric
from .._validation import check_choice, check_size
from ..groups.core import check_group
from ..groups.core import FiniteGroup, Subgroup
from ..tolerances import float_dtype, imaginary_tol, integrality_tol, roundoff
from .irreducibles import commutant_dimension
from .representation import PermutationRepresentation, Representation

__all__ = ["multiplicities", "isotypic_projectors", "decompose", "induced_representation",
           "coset_representation"]


def _check_rep(rep) -> Representation:
    if not isinstance(rep, Representation):
        raise TypeError(f"rep must be a Representation, got {type(rep).__name__}")
    return rep


def _data_dtype(rep) -> np.dtype:
    """The floating dtype the numbers of ``rep`` are judged in (float64 for exact and permutation reps;
    the widest of the summands' for a direct sum, whose dense matrices are not built)."""
    if len(rep.summands) > 1:
        return np.result_type(*[_data_dtype(r) for r in rep.summands])
    if rep.exact or rep.is_permutation:
        return np.dtype(np.float64)
    return float_dtype(rep.matrices.dtype)


def _has_complex_matrices(rep) -> bool:
    """True when some matrix of ``rep`` has an entry whose imaginary part is not round-off
    (:func:`groupmat.tolerances.imaginary_tol`, relative to the largest entry); summand by summand."""
    if len(rep.summands) > 1:
        return any(_has_complex_matrices(r) for r in rep.summands)
    if rep.is_permutation:
        return False
    num = to_numeric(rep.matrices) if rep.exact else rep.matrices
    if not np.iscomplexobj(num):
        return False
    scale = max(1.0, float(np.max(np.abs(num), initial=0)))
    return bool(np.max(np.abs(np.imag(num)), initial=0) > imaginary_tol(num.dtype) * scale)


def _default_field(rep, field):
    if field is None:
        field = "complex" if _has_complex_matrices(rep) else "real"
    return check_choice(field, "field", ("complex", "real"))


def _require_real(rep, field):
    if field == "real" and _has_complex_matrices(rep):
        raise ValueError(f"field='real' needs a real representation, but {rep.name} has complex matrices; "
                         "use field='complex' (or leave field unset)")


def _e(rho, field):
    return commutant_dimension(rho.frobenius_schur) if field == "real" else 1


def _irreducible_characters(G, field):
    """``(values, degrees, e)``: the characters of ``irreps(G, field)`` on the conjugacy classes (rows),
    their degrees and commutant dimensions, from the character table alone (no irreducible is built).

    A real irreducible's character is the sum of those of the complex irreducibles it comes from,
    doubled for the quaternionic type (see :func:`groupmat.reps.irreducibles.real_irrep_info`).
    """
    from .characters import character_table
    from .irreducibles import real_irrep_info

    T = character_table(G)
    if field == "complex":
        return T.values, T.degrees, np.ones(len(T), dtype=np.int64)
    info = real_irrep_info(G)
    values = np.array([T.values[list(idx)].sum(axis=0) * (2 if fs == -1 else 1) for fs, idx in info])
    degrees = np.array([int(T.degrees[idx[0]]) * (1 if fs == 1 else 2) for fs, idx in info], dtype=np.int64)
    e = np.asarray(commutant_dimension([fs for fs, _ in info]), dtype=np.int64).reshape(-1)
    return values, degrees, e


def multiplicities(rep: Representation, field: str = "complex") -> np.ndarray:
    """How often each irreducible of ``irreps(G, field)`` occurs in ``rep``.

    Parameters
    ----------
    rep : Representation
    field : {"complex", "real"}

    Returns
    -------
    ndarray of int
        ``m[k] = <chi_rep, chi_k> / e_k`` with ``<a, b> = (1/|G|) sum_g a(g) conj(b(g))``. For a
        :class:`~groupmat.reps.GeneratorRepresentation` of ``S_n`` (any ``n``): a dict
        ``{partition: m}`` of the irreducibles that occur
        (:func:`~groupmat.reps.generator_multiplicities`).

    Raises
    ------
    TypeError
        ``rep`` is not a Representation.
    ValueError
        Unknown ``field``; ``field="real"`` for a representation with complex matrices; or a
        multiplicity is not an integer (the matrices are not a representation).

    Notes
    -----
    Computed from the character table and the character of ``rep`` summed over each conjugacy class
    (``O(n + r^2)`` for ``r`` classes): no irreducible representation is built. The inner product
    conjugates the irreducible's character, ``conj(chi_k(g)) = chi_k(g^-1)``, which matters for the
    complex characters (of ``C_3``, ``A_4``, ``C_7 : C_3``, ...).

    Examples
    --------
    >>> import groupmat as gm
    >>> gm.reps.multiplicities(gm.regular_representation(gm.symmetric(3))).tolist()
    [1, 2, 1]
    >>> gm.reps.multiplicities(gm.regular_representation(gm.cyclic(3)), field="real").tolist()
    [1, 1]
    """
    from .characters import class_structure
    from .generator_reps import GeneratorRepresentation, generator_multiplicities
    if isinstance(rep, GeneratorRepresentation):   # S_n by generators: a dict {partition: multiplicity}
        return generator_multiplicities(rep)

    rep = _check_rep(rep)
    check_choice(field, "field", ("complex", "real"))
    _require_real(rep, field)
    G = rep.group
    chi = rep.character()
    chi = to_numeric(chi, complex) if rep.exact else np.asarray(chi, dtype=complex)
    cs = class_structure(G)
    # sum of chi over each class: <chi, psi> = (1/n) sum_c conj(psi(c)) sum_{g in c} chi(g)
    sums = np.bincount(cs.class_of, weights=chi.real, minlength=cs.r) \
        + 1j * np.bincount(cs.class_of, weights=chi.imag, minlength=cs.r)
    values, _, e = _irreducible_characters(G, field)
    m = (np.conj(values) @ sums) / G.order / e
    tol = integrality_tol(_data_dtype(rep))
    bad = np.flatnonzero(np.abs(m - np.round(m.real)) > tol)
    if bad.size:
        k = int(bad[0])
        raise ValueError(f"rep has a non-integer multiplicity {m[k]:.6g} of irrep {k}: its matrices are "
                         "not a representation of the group")
    return np.round(m.real).astype(np.int64)


def isotypic_projectors(rep: Representation, field: str = "complex") -> list:
    """The projectors onto the isotypic components of ``rep``, one per irreducible of ``irreps(G, field)``.

    ``P_k = (d_k / (e_k |G|)) sum_g chi_k(g^-1) rep(g)``; they are idempotent, commute with ``rep``,
    sum to the identity, and ``tr P_k = m_k d_k``. Orthogonal projectors when ``rep`` is orthogonal.

    Parameters
    ----------
    rep : Representation
    field : {"complex", "real"}
        Project onto the isotypic components of ``irreps(G, field)``.

    Returns
    -------
    list of ndarray (or sympy.Matrix for exact ``rep``)
        One ``rep.dim x rep.dim`` projector per irreducible, in the order of ``irreps(G, field)``
        (zero for irreducibles that do not occur).

    Raises
    ------
    TypeError
        ``rep`` is not a Representation.
    ValueError
        Unknown ``field``.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> P = gm.reps.isotypic_projectors(gm.reps.natural_representation(gm.symmetric(3)))
    >>> [int(round(np.trace(p).real)) for p in P]
    [1, 2, 0]
    >>> np.allclose(sum(P), np.eye(3))
    True
    """
    rep = _check_rep(rep)
    check_choice(field, "field", ("complex", "real"))
    if rep.exact:
        return _exact_isotypic_projectors(rep, field)
    from .characters import class_structure

    G = rep.group
    n = G.order
    cs = class_structure(G)
    inv_class = cs.class_of[G.inverses()]                    # the class of g^-1, for every g
    values, degrees, e = _irreducible_characters(G, field)
    mats = rep.matrices
    out = []
    for psi, d, ek in zip(values, degrees, e):
        coeff = psi[inv_class]                                # chi_k(g^-1) = conj(chi_k(g))
        P = np.einsum("g,gij->ij", coeff, mats) * (int(d) / (int(ek) * n))
        # for a real rep, Im P is a sum of n round-off terms (Im chi is zero for real-type irreps)
        if not np.iscomplexobj(mats) and np.max(np.abs(np.imag(P))) <= \
                roundoff(_data_dtype(rep), scale=float(np.max(np.abs(P), initial=0)), terms=n):
            P = np.real(P)
        out.append(P)
    return out


def _exact_isotypic_projectors(rep, field):
    """:func:`isotypic_projectors` of an exact ``rep`` with the exact characters of the exact irreducibles."""
    import sympy

    from .irreducibles import irreps

    G = rep.group
    n = G.order
    inv = G.inverses()
    out = []
    for rho in irreps(G, field, exact=True):
        coeff = rho.character()[inv]
        d = rho.dim
        acc = sympy.zeros(rep.dim, rep.dim)
        for g in range(n):
            if coeff[g] != 0:
                acc += coeff[g] * sympy.Matrix(rep.matrices[g].tolist())
        out.append((sympy.Rational(d, _e(rho, field) * n) * acc).applyfunc(simplify_exact))
    return out


def _unitarize(mats):
    """``L`` with ``L^* rho(g) L^-* `` unitary: Cholesky of the invariant form ``sum_g rho(g)^* rho(g)``."""
    H = np.einsum("gji,gjk->ik", np.conj(mats), mats) / mats.shape[0]
    return np.linalg.cholesky(H)


def decompose(rep: Representation, field: str | None = None) -> tuple:
    """Split ``rep`` into irreducibles: a change of basis ``Q`` and the irreducibles with multiplicities.

    Parameters
    ----------
    rep : Representation
    field : {"real", "complex"}, optional
        Default: ``"real"`` for real matrices, ``"complex"`` otherwise.

    Returns
    -------
    Q : ndarray (or sympy.Matrix for exact input)
        ``Q^-1 rep(g) Q = blockdiag(rho_1(g), ..., rho_1(g), rho_2(g), ...)``, each irreducible
        repeated by its multiplicity, in the order of ``irreps(G, field)``. ``Q`` is orthogonal
        (unitary) when ``rep`` is; then ``Q^-1 = Q^T`` (``Q^*``).
    parts : list of (Representation, int)
        The irreducibles that occur and their multiplicities. For a
        :class:`~groupmat.reps.GeneratorRepresentation` of ``S_n``: ``Q`` (an ndarray) and
        ``[(young_irrep(G, lambda), m)]`` (:func:`~groupmat.reps.generator_decompose`).

    Raises
    ------
    ValueError
        ``rep`` is exact but not orthogonal (exact decomposition needs an orthogonal ``rep``), or
        ``field="real"`` for a representation with complex matrices.

    Notes
    -----
    Each copy is an isometric intertwiner ``T``: ``rep(g) T = T rho(g)``, found as the Reynolds
    average of a matrix unit, projected off the copies already found (their orthogonal complement is
    invariant) and normalised (``T^* T`` is a positive scalar by Schur's lemma).

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> rho = gm.reps.natural_representation(gm.symmetric(3))
    >>> Q, parts = gm.decompose(rho)
    >>> [(sigma.dim, m) for sigma, m in parts]
    [(1, 1), (2, 1)]
    >>> np.allclose(Q.T @ rho(3) @ Q, np.block([[1, np.zeros((1, 2))], [np.zeros((2, 1)), parts[1][0](3)]]))
    True
    """
    from .generator_reps import GeneratorRepresentation, generator_decompose
    if isinstance(rep, GeneratorRepresentation):   # S_n by generators: Q and [(young_irrep, m)]
        return generator_decompose(rep)
    rep = _check_rep(rep)
    field = _default_field(rep, field)
    if rep.exact:
        return _decompose_exact(rep, field)
    return _decompose_numeric(rep, field)


def _decompose_numeric(rep, field):
    from .irreducibles import irreps

    G = rep.group
    n = G.order
    mats = rep.matrices
    dtype = complex if (field == "complex" or np.iscomplexobj(mats)) else float
    # the matrices in the working dtype and, for a rep that is not unitary, their unitarized copy
    check_size((2,) + mats.shape, np.dtype(dtype).itemsize, f"the matrices of {rep.name} to decompose")
    mats = np.asarray(mats, dtype=dtype)
    L = None
    # judged in the rep's own precision (a float32 rep is orthogonal to float32 accuracy)
    unitary = rep.is_unitary() if np.iscomplexobj(mats) or field == "complex" else rep.is_orthogonal()
    zero = roundoff(_data_dtype(rep))     # a squared column norm below this is round-off
    if not unitary:
        L = _unitarize(mats)
        mats = np.einsum("ji,gjk,kl->gil", np.conj(L), mats, np.linalg.inv(np.conj(L).T))
    mult = multiplicities(rep, field)
    reps = irreps(G, field)
    cols, parts = [], []
    D = rep.dim
    for rho, m in zip(reps, mult):
        if m == 0:
            continue
        S = rho.numeric().matrices
        if field == "complex":
            S = S.astype(complex)
        got = []
        for a in range(D):
            for b in range(rho.dim):
                T = np.einsum("gi,gj->ij", mats[:, :, a], np.conj(S[:, :, b])) / n
                for P in got:
                    T = T - P @ (np.conj(P).T @ T)
                s = np.real(np.vdot(T[:, 0], T[:, 0]))
                if s > zero:
                    got.append(T / np.sqrt(s))
                if len(got) == m:
                    break
            if len(got) == m:
                break
        cols.extend(got)
        parts.append((rho, int(m)))
    Q = np.concatenate(cols, axis=1)
    if field == "real":
        Q = np.real(Q)
    if L is not None:
        Q = np.linalg.solve(np.conj(L).T, Q)
    return Q, parts


def _decompose_exact(rep, field):
    import sympy

    from .irreducibles import irreps

    if not rep.is_orthogonal():
        raise ValueError("exact decompose needs an orthogonal rep (rho(g)^T rho(g) = I exactly); "
                         "use rep.numeric() for the numeric route")
    G = rep.group
    n = G.order
    mats = [sympy.Matrix(m.tolist()) for m in rep.matrices]
    mult = multiplicities(rep, field)
    reps = irreps(G, field, exact=True)
    cols, parts = [], []
    D = rep.dim

    def simp(M):
        return M.applyfunc(lambda v: sympy.radsimp(simplify_exact(v)))

    for rho, m in zip(reps, mult):
        if m == 0:
            continue
        S = [sympy.Matrix(s.tolist()) for s in rho.matrices]
        got = []
        for a in range(D):
            for b in range(rho.dim):
                T = sympy.zeros(D, rho.dim)
                for g in range(n):
                    T += mats[g][:, a] * S[g][:, b].H
                T = simp(T / n)
                for P in got:
                    T = simp(T - P * (P.H * T))
                s = simplify_exact((T[:, 0].H * T[:, 0])[0, 0])
                if not exact_is_zero(s):
                    got.append(simp(T / sympy.sqrt(s)))
                if len(got) == m:
                    break
            if len(got) == m:
                break
        cols.extend(got)
        parts.append((rho, int(m)))
    Q = sympy.Matrix.hstack(*cols)
    return Q, parts


def _coset_data(G, H):
    """Left coset representatives ``t_j`` and, for every ``g`` and ``j``, ``i`` and ``h`` with ``g t_j = t_i h``."""
    if not isinstance(H, Subgroup) or H.parent is not G:
        raise ValueError("H must be a subgroup of G made by G.subgroup(...) (it carries .embedding and .parent)")
    emb = H.embedding
    m = G.order // H.order
    # g t_j, its coset and t_i^-1 g t_j for every g and j (int64)
    check_size((G.order, m), 3 * 8, f"the coset action of {G.name} on the cosets of {H.name}")
    cosets = G.left_cosets(H)
    reps = np.array([c[0] for c in cosets], dtype=np.int64)
    coset_of = np.empty(G.order, dtype=np.int64)
    for i, c in enumerate(cosets):
        coset_of[c] = i
    e = G.elements()
    prod = G.mul_unchecked(e[:, None], reps[None, :])        # g t_j, shape (n, m)
    i = coset_of[prod]
    h = G.mul_unchecked(G.inverses()[reps][i], prod)         # t_i^-1 g t_j, in H
    pos = np.full(G.order, -1, dtype=np.int64)
    pos[emb] = np.arange(emb.size)
    return reps, i, pos[h]


def coset_representation(G: FiniteGroup, H) -> PermutationRepresentation:
    """The permutation representation of ``G`` on the left cosets ``G/H``: ``g (t_j H) = (g t_j) H``.

    It is the representation induced from the trivial representation of ``H``; its character at
    ``g`` counts the cosets fixed by ``g``.

    Parameters
    ----------
    G : FiniteGroup
    H : FiniteGroup
        A subgroup made by ``G.subgroup(...)`` (it carries ``.embedding`` and ``.parent``).

    Returns
    -------
    PermutationRepresentation
        Of dimension ``[G : H]``; basis vector ``j`` is the coset ``t_j H`` of ``G.left_cosets(H)``.

    Raises
    ------
    TypeError
        ``G`` is not a FiniteGroup.
    ValueError
        ``H`` is not a subgroup of ``G`` made by ``G.subgroup``.

    Examples
    --------
    >>> import groupmat as gm
    >>> G = gm.symmetric(3)
    >>> rho = gm.reps.coset_representation(G, G.subgroup([G.element("(0 1)")]))
    >>> rho.dim, rho.character().tolist()
    (3, [3.0, 1.0, 1.0, 0.0, 0.0, 1.0])
    """
    G = check_group(G)
    _, i, _ = _coset_data(G, H)
    return PermutationRepresentation(G, i, check=False, name=f"coset rep of {G.name} on {H.name}")


def induced_representation(rep: Representation, G: FiniteGroup | None = None) -> Representation:
    """The induced representation ``Ind_H^G rep`` of a representation of a subgroup ``H``.

    Parameters
    ----------
    rep : Representation
        A representation of ``H = G.subgroup(...)``.
    G : FiniteGroup, optional
        The overgroup (default ``rep.group.parent``).

    Returns
    -------
    Representation
        Of dimension ``[G:H] dim(rep)``; block ``(i, j)`` of ``Ind(g)`` is ``rep(t_i^-1 g t_j)`` when
        that lies in ``H`` and zero otherwise (``t_j`` the left coset representatives). A permutation
        representation stays one; exact input stays exact.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> G = gm.dihedral(4)
    >>> H = G.subgroup([1])                                   # the rotations C4
    >>> chi = [r for r in gm.irreps(H) if abs(r.matrices[1, 0, 0].imag) > 0][0]   # r -> i or -i
    >>> ind = gm.reps.induced_representation(chi)
    >>> ind.dim, gm.reps.multiplicities(ind).tolist()
    (2, [0, 0, 0, 0, 1])
    """
    rep = _check_rep(rep)
    H = rep.group
    if G is None:
        G = H.parent if isinstance(H, Subgroup) else None
        if G is None:
            raise ValueError("rep must be a representation of a subgroup made by G.subgroup(...), or pass G")
    G = check_group(G)
    n, m, d = G.order, G.order // H.order, rep.dim
    if not rep.is_permutation:
        # the n matrices of size m d and the gathered blocks rep(t_i^-1 g t_j), before the coset action
        check_size((n, m * d, m * d + d), 64 if rep.exact else rep.matrices.dtype.itemsize,
                   f"the matrices of the representation of {G.name} induced from {rep.name}")
    reps, i, hpos = _coset_data(G, H)
    if rep.is_permutation:
        # Ind(g) e_{(j, a)} = e_{(i, perms[h, a])}
        check_size((n, m * d), 8, f"the permutations of the representation of {G.name} induced from {rep.name}")
        P = i[:, :, None] * d + rep.perms[hpos]              # (n, m, d): image of basis (j, a)
        return PermutationRepresentation(G, P.reshape(n, m * d), check=False, name=f"Ind of {rep.name}")
    blocks = rep.matrices[hpos]                              # (n, m, d, d): rep(t_i^-1 g t_j) at column j
    if rep.exact:
        import sympy

        out = np.full((n, m, d, m, d), sympy.Integer(0), dtype=object)
    else:
        out = np.zeros((n, m, d, m, d), dtype=rep.matrices.dtype)
    g_idx, j_idx = np.meshgrid(np.arange(n), np.arange(m), indexing="ij")
    out[g_idx, i, :, j_idx, :] = blocks
    return Representation(G, out.reshape(n, m * d, m * d), check=False, name=f"Ind of {rep.name}")
