"""The spectral route: the projection in the irreducible basis, and the defect per isotypic pair.

With orthogonal (unitary) changes of basis ``Q_in``, ``Q_out`` from :func:`groupmat.decompose`,
``Q^H rho(g) Q = (+)_k I_{m_k} (x) sigma_k(g)`` (the ``m_k`` copies of irrep ``sigma_k`` consecutive),
the map ``W' = Q_out^H W Q_in`` splits into blocks between isotypic components. By Schur's lemma
the projection keeps the blocks between equivalent irreducibles, projecting each ``d_k x d_l``
sub-block onto ``Hom_G(sigma_l, sigma_k)`` (a multiple of the identity for the same absolutely
irreducible representation), and zeroes the others. The projection onto ``Hom_G(sigma_l, sigma_k)``
is in closed form, ``B -> sum_t <C_t, B> C_t`` over an orthonormal basis ``C_t`` computed once per
pair of irreducibles (``C = I / sqrt(d)``, so ``B -> (tr B / d) I``, for the same absolutely irreducible
one; 2 or 4 matrices for a real irreducible of complex or quaternionic type): no sum over the
group. Since the change of basis is orthogonal, the
energy of the non-equivariant part splits over the blocks: that is :func:`defect_spectrum`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._exact import to_numeric
from .._validation import check_finite
from ..reps.decomposition import decompose
from ..reps.representation import Representation
from ..tolerances import unitarity_tol
from ._common import OwnerCache, matrices_of, pair_hom_dimension, prepare, require_unitary
from .kernels import reynolds_block

__all__ = ["defect_spectrum", "DefectSpectrum", "spectral_project"]

#: per representation object: its irreducible change of basis (per field); per pair of irreducibles:
#: an orthonormal basis of Hom_G between them. Kept while the objects live (weak keys).
_BASES = OwnerCache()
_IRREP_HOMS = OwnerCache()


def _block_diag_images(parts, gs) -> np.ndarray:
    d = sum(irrep.dim * m for irrep, m in parts)
    D = np.zeros((len(gs), d, d), dtype=complex)
    o = 0
    for irrep, m in parts:
        mats = irrep.numeric().matrices[gs]
        for _ in range(m):
            D[:, o:o + irrep.dim, o:o + irrep.dim] = mats
            o += irrep.dim
    return D


def irreducible_change_of_basis(rep: Representation, field: str | None = None):
    """``(Q, Q^-1, parts, unitary)`` with ``Q^-1 rho(g) Q = (+)_k I_{m_k} (x) sigma_k(g)`` (numeric).

    Reads :func:`groupmat.decompose` (over ``field``, default: its own) and checks the convention
    on the generators. ``unitary`` says whether ``Q`` is orthogonal (unitary); then ``Q^-1 = Q^H``.
    Both are judged by :func:`groupmat.tolerances.unitarity_tol`. Kept with the representation
    object, per field (read-only).
    """
    return _BASES.get(rep, ("change of basis", field), lambda: _change_of_basis(rep, field))


def _change_of_basis(rep: Representation, field):
    num = rep.numeric() if rep.exact else rep  # the numeric route: never the (slow) SymPy decomposition
    Q, parts = decompose(num) if field is None else decompose(num, field=field)
    parts = [(irrep, int(m)) for irrep, m in parts]
    Qn = np.asarray(Q)
    if Qn.dtype == object:  # pragma: no cover - the numeric decomposition gives numbers
        Qn = np.asarray(to_numeric(Qn))
    if Qn.shape != (rep.dim, rep.dim):
        raise ValueError(f"groupmat.decompose returned a change of basis of shape {Qn.shape} for a representation "
                         f"of dimension {rep.dim}")
    G = rep.group
    gens = np.array(G.generators or (G.identity,), dtype=np.int64)
    R = rep.numeric().matrices[gens] if not rep.is_permutation else rep(gens)
    D = _block_diag_images(parts, gens)
    tol = max(unitarity_tol(Qn.dtype), unitarity_tol(R.dtype))   # the images may be single precision
    unitary = bool(np.allclose(np.conj(Qn.T) @ Qn, np.eye(rep.dim), rtol=0, atol=tol))
    candidates = [(Qn, np.conj(Qn.T)), (np.conj(Qn.T), Qn)] if unitary else [(Qn, np.linalg.inv(Qn))]
    for Q_, Qinv in candidates:
        if np.allclose(Qinv @ R @ Q_, D, rtol=0, atol=tol):
            return Q_, Qinv, parts, unitary
    raise ValueError("groupmat.decompose returned a change of basis that does not block-diagonalise the "
                     "representation into the irreducibles it names")


def irreducible_basis(rep: Representation):
    """``(Q, parts)`` with ``Q^H rho(g) Q = (+)_k I_{m_k} (x) sigma_k(g)`` and ``Q`` unitary (numeric)."""
    Q, _, parts, unitary = irreducible_change_of_basis(rep)
    if not unitary:
        raise ValueError("groupmat.decompose returned a change of basis that is not orthogonal (unitary) for an "
                         "orthogonal representation")
    return Q, parts


def irrep_hom_basis(irr_in: Representation, irr_out: Representation, complex_: bool) -> np.ndarray:
    """Orthonormal basis ``C`` of shape ``(h, d_out, d_in)`` of ``Hom_G(irr_in, irr_out)`` (numeric).

    Computed once per pair of irreducible objects: the Reynolds projections of ``h + 2`` random
    matrices span the ``h``-dimensional space (``h`` from the characters: 1 for the same absolutely
    irreducible representation, 2 for a complex-type and 4 for a quaternionic-type real irreducible),
    and their leading right singular vectors are an orthonormal basis (over the complex numbers
    when ``complex_``, else over the reals). The irreducibles are small, so this costs
    ``O(|G| d^3)`` once; the result is kept with the pair of objects (read-only).
    """
    return _IRREP_HOMS.get((irr_out, irr_in), bool(complex_), lambda: _irrep_hom_basis(irr_in, irr_out, complex_))


def _irrep_hom_basis(irr_in: Representation, irr_out: Representation, complex_: bool) -> np.ndarray:
    h = pair_hom_dimension(irr_in, irr_out)
    do, di = irr_out.dim, irr_in.dim
    if h == 0:
        C = np.zeros((0, do, di), dtype=complex if complex_ else float)
    else:
        rng = np.random.default_rng(2024)
        samples = min(do * di, h + 2)
        X = rng.normal(size=(samples, 1, do, 1, di))
        if complex_:
            X = X + 1j * rng.normal(size=X.shape)
        Y = reynolds_block(X, irr_in, irr_out, matrices_of(irr_in, False), matrices_of(irr_out, False))
        _, sv, Vh = np.linalg.svd(Y.reshape(samples, do * di), full_matrices=False)
        sv = np.concatenate([sv, [0.0]])
        gap = unitarity_tol(Y.dtype) * sv[0]  # the samples are averages of orthogonal conjugations
        if sv[h - 1] <= gap or sv[h] > gap:  # pragma: no cover - irreducibles are exact
            raise ValueError(f"Hom_G between two irreducibles does not have the dimension {h} of the characters")
        C = Vh[:h].reshape(h, do, di)
        if not complex_:
            C = C.real
    return C


def _blocks(parts):
    """Slices of the isotypic components and their (irrep, multiplicity)."""
    out, o = [], 0
    for irrep, m in parts:
        out.append((slice(o, o + m * irrep.dim), irrep, m))
        o += m * irrep.dim
    return out


def _is_complex(rep) -> bool:
    return not rep.is_permutation and np.iscomplexobj(matrices_of(rep, False))


def _in_irrep_basis(X, rep_in, rep_out):
    """``W' = Q_out^H X Q_in`` (real arithmetic when ``X`` and both changes of basis are real)."""
    Qi, parts_in = irreducible_basis(rep_in)
    Qo, parts_out = irreducible_basis(rep_out)
    if any(np.iscomplexobj(a) for a in (X, Qi, Qo)):
        X = X.astype(complex)
    Xp = np.conj(Qo.T) @ X @ Qi
    return Xp, Qi, Qo, _blocks(parts_in), _blocks(parts_out)


def _project_blocks(Xp, bin_, bout):
    """Schur's lemma block by block: each ``d_out x d_in`` sub-block ``B_ab`` between copy ``a`` of
    ``sigma_out`` and copy ``b`` of ``sigma_in`` becomes its orthogonal projection
    ``sum_t <C_t, B_ab> C_t`` onto ``Hom_G(sigma_in, sigma_out)`` (``(tr B_ab / d) I`` for the same
    absolutely irreducible representation); blocks between inequivalent irreducibles vanish."""
    B = Xp.shape[0]
    complex_ = np.iscomplexobj(Xp)
    Pp = np.zeros_like(Xp)
    for so, irr_o, mo in bout:
        for si, irr_i, mi in bin_:
            C = irrep_hom_basis(irr_i, irr_o, complex_)
            if C.shape[0] == 0:
                continue
            Xb = Xp[:, so, si].reshape(B, mo, irr_o.dim, mi, irr_i.dim)
            coef = np.einsum("tpq,napbq->natb", np.conj(C), Xb, optimize=True)
            Pb = np.einsum("natb,tpq->napbq", coef, C, optimize=True)
            Pp[:, so, si] = Pb.reshape(B, mo * irr_o.dim, mi * irr_i.dim)
    return Pp


def spectral_project(X: np.ndarray, rep_in, rep_out, exact: bool) -> np.ndarray:
    """``P(X)`` for ``X`` of shape ``(B, d_out, d_in)`` by the spectral route (numeric)."""
    if exact:
        raise ValueError("method='spectral' is numeric; use method='reynolds' or 'auto' for exact input")
    require_unitary(rep_in, rep_out, "method='spectral'")
    Xp, Qi, Qo, bin_, bout = _in_irrep_basis(X, rep_in, rep_out)
    P = Qo @ _project_blocks(Xp, bin_, bout) @ np.conj(Qi.T)
    if np.iscomplexobj(P) and not np.iscomplexobj(X) and not _is_complex(rep_in) and not _is_complex(rep_out):
        P = P.real
    return P


@dataclass
class DefectSpectrum:
    """Energy of the non-equivariant part per pair of isotypic components (made by :func:`defect_spectrum`).

    Parameters
    ----------
    energy : ndarray of shape (batch..., K_out, K_in)
        ``energy[..., k, l]`` is ``||(W' - P(W'))_{kl}||_F^2`` for isotypic component ``k`` of
        ``rep_out`` and ``l`` of ``rep_in`` in the irreducible basis.
    irreps_out, irreps_in : list of (Representation, int)
        The irreducible representation and the multiplicity of each component.

    Returns
    -------
    DefectSpectrum
        The three fields above and the property ``total``.

    See Also
    --------
    defect_spectrum

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> L = gm.regular_representation(gm.cyclic(2))
    >>> spec = gm.defect_spectrum(np.array([[1.0, 2.0], [0.0, 1.0]]), L, L)
    >>> spec.energy.shape, float(round(spec.total, 12))
    ((2, 2), 2.0)
    """

    energy: np.ndarray
    irreps_out: list
    irreps_in: list

    @property
    def total(self):
        """The squared defect ``||W - P(W)||_F^2`` (the sum of all energies)."""
        return self.energy.sum(axis=(-2, -1))


def defect_spectrum(W, rep_in: Representation, rep_out: Representation) -> DefectSpectrum:
    r"""The energy of the non-equivariant part of ``W`` per pair of isotypic components.

    Parameters
    ----------
    W : array_like of shape (..., d_out, d_in)
        Numeric; leading axes are a batch.
    rep_in, rep_out : Representation
        Orthogonal (unitary) representations of one group object.

    Returns
    -------
    DefectSpectrum
        ``.energy[..., k, l]`` and the components ``.irreps_out``, ``.irreps_in``; ``.total`` equals
        ``equivariance_defect(W, rep_in, rep_out, squared=True)`` to round-off.

    Raises
    ------
    ValueError
        Wrong shape, NaN, exact input, non-orthogonal representations, different groups.

    See Also
    --------
    equivariance_defect, project

    Notes
    -----
    With unitary ``Q_in``, ``Q_out`` block-diagonalising the representations,
    ``||W - P(W)||_F^2 = sum_{k, l} ||W'_{kl} - P(W')_{kl}||_F^2`` with ``W' = Q_out^H W Q_in``;
    blocks between inequivalent irreducibles are entirely non-equivariant (Schur), blocks between
    equivalent ones keep their projection onto ``I (x) Hom_G(sigma_l, sigma_k)``. This is the
    spectral form of a projection-based equivariance regulariser; it agrees with the spatial
    form :func:`equivariance_defect` to round-off.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> G = gm.symmetric(3)
    >>> nat = gm.reps.natural_representation(G)                  # trivial + standard
    >>> W = np.random.default_rng(0).normal(size=(3, 3))
    >>> spec = gm.defect_spectrum(W, nat, nat)
    >>> [(irrep.dim, m) for irrep, m in spec.irreps_in]
    [(1, 1), (2, 1)]
    >>> bool(np.isclose(spec.total, gm.equivariance_defect(W, nat, nat, squared=True)))
    True
    >>> bool(np.isclose(spec.energy[0, 0], 0.0))            # trivial -> trivial is all equivariant
    True
    """
    prep = prepare(W, rep_in, rep_out)
    if prep.exact:
        raise ValueError("defect_spectrum is numeric; give W as a float array")
    require_unitary(rep_in, rep_out, "defect_spectrum")
    X = prep.array
    check_finite(X, "W")
    Xp, Qi, Qo, bin_, bout = _in_irrep_basis(X, rep_in, rep_out)
    R = Xp - _project_blocks(Xp, bin_, bout)
    E = np.zeros((X.shape[0], len(bout), len(bin_)))
    for k, (so, _, _) in enumerate(bout):
        for l, (si, _, _) in enumerate(bin_):
            E[:, k, l] = np.sum(np.abs(R[:, so, si]) ** 2, axis=(-2, -1))
    E = E.reshape(prep.batch_shape + E.shape[1:])
    return DefectSpectrum(E, [(irr, m) for _, irr, m in bout], [(irr, m) for _, irr, m in bin_])
