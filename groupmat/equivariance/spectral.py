"""The spectral route: the projection in the irreducible basis, and the defect per isotypic pair.

With orthogonal (unitary) changes of basis ``Q_in``, ``Q_out`` from :func:`groupmat.decompose`,
``Q^H rho(g) Q = (+)_k I_{m_k} (x) sigma_k(g)`` (the ``m_k`` copies of irrep ``sigma_k`` consecutive),
the map ``W' = Q_out^H W Q_in`` splits into blocks between isotypic components. By Schur's lemma
the projection keeps the blocks between equivalent irreducibles, projecting each ``d_k x d_l``
sub-block onto ``Hom_G(sigma_l, sigma_k)`` (a multiple of the identity for the same absolutely
irreducible representation), and zeroes the others. Since the change of basis is orthogonal, the
energy of the non-equivariant part splits over the blocks: that is :func:`defect_spectrum`.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from .._validation import check_finite
from ..reps.representation import Representation
from ._common import matrices_of, prepare, require_unitary
from .kernels import reynolds_block
from .projection import pair_hom_dimension

__all__ = ["defect_spectrum", "DefectSpectrum", "spectral_project"]

#: the irreducible basis of each representation object, computed once (weakly cached)
_BASES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _decompose():
    try:
        from ..reps import decompose  # written by the representation-theory issue
    except ImportError:
        decompose = None
    if decompose is None:
        raise NotImplementedError("the spectral route needs groupmat.decompose (irreducible decomposition of a "
                                  "representation), which this build does not have yet; use method='reynolds', "
                                  "'permutation', 'regular' or 'auto'")
    return decompose


def _parts_of(result):
    """Normalise ``decompose``'s answer to ``(Q, [(irrep, multiplicity), ...])``."""
    if hasattr(result, "Q") or hasattr(result, "basis"):
        Q = getattr(result, "Q", None)
        if Q is None:
            Q = result.basis
        parts = getattr(result, "irreps", None)
        if parts is None:
            parts = getattr(result, "components")
    else:
        Q, parts = result
    out = []
    for p in parts:
        if isinstance(p, Representation):
            out.append((p, 1))
        else:
            irrep, mult = p[0], p[1]
            out.append((irrep, int(mult)))
    return Q, out


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


def irreducible_basis(rep: Representation):
    """``(Q, parts)`` with ``Q^H rho(g) Q = (+)_k I_{m_k} (x) sigma_k(g)`` and ``Q`` unitary (numeric).

    Reads :func:`groupmat.decompose` and checks its convention on the generators (accepting ``Q``
    or ``Q^H`` as the change of basis).
    """
    hit = _BASES.get(rep)
    if hit is not None:
        return hit
    Q, parts = _parts_of(_decompose()(rep))
    Qn = np.asarray(Q.tolist() if hasattr(Q, "tolist") and not isinstance(Q, np.ndarray) else Q)
    if Qn.dtype == object:
        from .._exact import to_numeric

        Qn = to_numeric(Qn)
    Qn = np.asarray(Qn)
    G = rep.group
    gens = np.array(G.generators or (G.identity,), dtype=np.int64)
    R = rep.numeric().matrices[gens] if not rep.is_permutation else rep(gens)
    D = _block_diag_images(parts, gens)
    for cand in (Qn, np.conj(Qn.T)):
        if cand.shape == (rep.dim, rep.dim) and np.allclose(np.conj(cand.T) @ R @ cand, D, atol=1e-8):
            _BASES[rep] = (cand, parts)
            return cand, parts
    raise ValueError("groupmat.decompose returned a change of basis that does not block-diagonalise the "
                     "representation into the irreducibles it names")


def _blocks(parts):
    """Slices of the isotypic components and their (irrep, multiplicity)."""
    out, o = [], 0
    for irrep, m in parts:
        out.append((slice(o, o + m * irrep.dim), irrep, m))
        o += m * irrep.dim
    return out


def _in_irrep_basis(X, rep_in, rep_out):
    Qi, parts_in = irreducible_basis(rep_in)
    Qo, parts_out = irreducible_basis(rep_out)
    Xp = np.conj(Qo.T) @ X @ Qi
    return Xp, Qi, Qo, _blocks(parts_in), _blocks(parts_out)


def _project_blocks(Xp, bin_, bout):
    B = Xp.shape[0]
    Pp = np.zeros_like(Xp)
    for so, irr_o, mo in bout:
        for si, irr_i, mi in bin_:
            if pair_hom_dimension(irr_i, irr_o) == 0:
                continue
            Xb = Xp[:, so, si].reshape(B, mo, irr_o.dim, mi, irr_i.dim)
            Pb = reynolds_block(Xb, irr_i, irr_o, matrices_of(irr_i, False), matrices_of(irr_o, False))
            Pp[:, so, si] = Pb.reshape(B, mo * irr_o.dim, mi * irr_i.dim)
    return Pp


def spectral_project(X: np.ndarray, rep_in, rep_out, exact: bool) -> np.ndarray:
    """``P(X)`` for ``X`` of shape ``(B, d_out, d_in)`` by the spectral route (numeric)."""
    if exact:
        raise ValueError("method='spectral' is numeric; use method='reynolds' or 'auto' for exact input")
    require_unitary(rep_in, rep_out, "method='spectral'")
    Xp, Qi, Qo, bin_, bout = _in_irrep_basis(X.astype(complex), rep_in, rep_out)
    P = Qo @ _project_blocks(Xp, bin_, bout) @ np.conj(Qi.T)
    if not np.iscomplexobj(X) and not np.iscomplexobj(rep_in.numeric().matrices if not rep_in.is_permutation else 0.0) \
            and not np.iscomplexobj(rep_out.numeric().matrices if not rep_out.is_permutation else 0.0):
        P = P.real
    return P


@dataclass
class DefectSpectrum:
    """Energy of the non-equivariant part per pair of isotypic components.

    Attributes
    ----------
    energy : ndarray of shape (batch..., K_out, K_in)
        ``energy[..., k, l]`` is ``||(W' - P(W'))_{kl}||_F^2`` for isotypic component ``k`` of
        ``rep_out`` and ``l`` of ``rep_in`` in the irreducible basis.
    irreps_out, irreps_in : list of (Representation, int)
        The irreducible representation and the multiplicity of each component.
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
    NotImplementedError
        When :func:`groupmat.decompose` is not available.
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
    >>> nat = gm.natural_representation(G)                  # trivial + standard
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
    Xp, Qi, Qo, bin_, bout = _in_irrep_basis(X.astype(complex), rep_in, rep_out)
    R = Xp - _project_blocks(Xp, bin_, bout)
    E = np.zeros((X.shape[0], len(bout), len(bin_)))
    for k, (so, _, _) in enumerate(bout):
        for l, (si, _, _) in enumerate(bin_):
            E[:, k, l] = np.sum(np.abs(R[:, so, si]) ** 2, axis=(-2, -1))
    E = E.reshape(prep.batch_shape + E.shape[1:])
    return DefectSpectrum(E, [(irr, m) for _, irr, m in bout], [(irr, m) for _, irr, m in bin_])
