"""How far a map is from equivariant: the projection defect, a sample-based error, and the
composition bound for products of approximately equivariant maps."""
from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .._exact import cyclotomic_form, simplify_exact_array
from .._chunked import apply as apply_chunked, is_chunked
from .._validation import check_choice, check_finite
from ..reps.representation import Representation
from ..tolerances import unitarity_tol
from ._common import check_reps, prepare, require_unitary
from .projection import METHODS, _project_prepared
from .orbits import is_action, orbit_basis

__all__ = ["equivariance_defect", "sample_equivariance_error", "composition_bound", "CompositionBound"]


def _frobenius_sq(R: np.ndarray):
    """Squared Frobenius norm over the last two axes (exact for object arrays)."""
    if R.dtype == object:
        import sympy

        flat = R.reshape(R.shape[0], -1)
        return np.array([cyclotomic_form(sympy.expand(sum(sympy.expand(v * sympy.conjugate(v)) for v in row)))
                         for row in flat], dtype=object)
    return np.sum(np.abs(R) ** 2, axis=(-2, -1))


def equivariance_defect(W, rep_in: Representation, rep_out: Representation, squared: bool = False,
                        relative: bool = False, method: str = "auto", check_orthogonal: bool = True):
    r"""The Frobenius norm of the non-equivariant part, ``||W - P(W)||_F``.

    Parameters
    ----------
    W : array_like of shape (..., d_out, d_in), or sympy Matrix
        Leading axes are a batch: one defect per matrix. A ``dask.array`` gives a lazy Dask array of
        the defects, block by block.
    rep_in, rep_out : Representation
    squared : bool
        Return ``||W - P(W)||_F^2`` (no square root; exact input stays rational).
    relative : bool
        Divide by ``||W||_F`` (squared: by ``||W||_F^2``); ``0`` for ``W = 0``.
    method : str
        The projection method, see :func:`project`.
    check_orthogonal : bool
        Refuse non-orthogonal (non-unitary) representations, for which ``||W - P(W)||`` is not
        the distance to ``Hom_G``. ``False`` computes it anyway.

    Returns
    -------
    float, ndarray of the batch shape, or a SymPy number (exact input)

    Raises
    ------
    ValueError
        Wrong shape, NaN, representations of different groups, or non-orthogonal representations
        with ``check_orthogonal=True``.

    See Also
    --------
    project, defect_spectrum, sample_equivariance_error

    Notes
    -----
    For orthogonal representations ``P`` is the orthogonal projection onto ``Hom_G``, so the defect
    is the distance from ``W`` to the equivariant maps and (Pythagoras)

    .. math:: \|W - P(W)\|_F^2 = \|W\|_F^2 - \|P(W)\|_F^2 .

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> L = gm.regular_representation(gm.cyclic(2))
    >>> W = np.array([[1.0, 2.0], [0.0, 1.0]])
    >>> float(gm.equivariance_defect(W, L, L, squared=True)), float(gm.equivariance_defect(W, L, L, relative=True, squared=True))
    (2.0, 0.3333333333333333)
    >>> import sympy
    >>> gm.equivariance_defect(sympy.Matrix([[1, 2], [0, 1]]), L, L)
    sqrt(2)
    """
    if is_chunked(W):  # a dask array: one defect per matrix of each block (groupmat._chunked)
        return apply_chunked(lambda b: equivariance_defect(b, rep_in, rep_out, squared, relative, method,
                                                           check_orthogonal), [W], ["W"], core=2)
    return _defect(W, rep_in, rep_out, squared, relative, method, check_orthogonal, "W")


def _defect(W, rep_in, rep_out, squared=False, relative=False, method="auto", check_orthogonal=True, name="W"):
    """:func:`equivariance_defect` with the name of the caller's argument for the input checks."""
    check_choice(method, "method", METHODS)
    if is_action(rep_in) or is_action(rep_out):     # known by generators: W minus its orbit means
        W = np.asarray(W)
        R = W - orbit_basis(rep_in, rep_out).project(W)
        d2 = np.sum(np.abs(R) ** 2, axis=(-2, -1))
        if relative:
            w2 = np.sum(np.abs(W) ** 2, axis=(-2, -1))
            d2 = np.divide(d2, w2, out=np.zeros_like(d2), where=w2 > 0)
        out = d2 if squared else np.sqrt(d2)
        return float(out) if out.ndim == 0 else out
    prep = prepare(W, rep_in, rep_out, name)
    if check_orthogonal:
        require_unitary(rep_in, rep_out, "equivariance_defect")
    R = prep.array - _project_prepared(prep, rep_in, rep_out, method)
    if prep.exact:
        import sympy

        R = simplify_exact_array(R)
        d2 = _frobenius_sq(R)
        if relative:
            w2 = _frobenius_sq(prep.array)
            d2 = np.array([sympy.simplify(a / b) if b != 0 else sympy.Integer(0) for a, b in zip(d2, w2)],
                          dtype=object)
        out = d2 if squared else np.array([sympy.sqrt(v) for v in d2], dtype=object)
        out = out.reshape(prep.batch_shape)
        return out[()] if out.ndim == 0 else out
    d2 = _frobenius_sq(R)
    if relative:
        w2 = _frobenius_sq(prep.array)
        d2 = np.divide(d2, w2, out=np.zeros_like(d2), where=w2 > 0)
    out = d2 if squared else np.sqrt(d2)
    out = out.reshape(prep.batch_shape)
    return float(out) if out.ndim == 0 else out


def sample_equivariance_error(f: Callable, rep_in: Representation, rep_out: Representation, xs,
                              batched: bool = True) -> float:
    r"""Mean squared equivariance error of any function ``f`` on samples, over all group elements.

    Parameters
    ----------
    f : callable
        ``f(x)`` maps inputs of shape ``(m, d_in)`` to outputs of shape ``(m, d_out)`` (or, with
        ``batched=False``, one vector of shape ``(d_in,)`` to one of shape ``(d_out,)``). It may be
        nonlinear.
    rep_in, rep_out : Representation
    xs : array_like of shape (m, d_in)
        Sample inputs.
    batched : bool
        Whether ``f`` takes a batch of inputs at once.

    Returns
    -------
    float
        :math:`\frac{1}{|G| m} \sum_{g} \sum_{k} \|f(\rho_{in}(g) x_k) - \rho_{out}(g) f(x_k)\|^2`.

    Raises
    ------
    ValueError, TypeError
        ``xs`` not of shape ``(m, d_in)`` or not finite, ``f`` returning the wrong shape,
        representations of different groups.

    See Also
    --------
    equivariance_defect

    Notes
    -----
    For a linear ``f(x) = W x`` and orthogonal representations this is a sample estimate of
    ``1/|G| sum_g ||(W - rho_out(g) W rho_in(g)^-1) x||^2``; for samples with identity second moment
    (``E[x x^T] = I``) its expectation is ``2 ||W - P(W)||_F^2``.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> L = gm.regular_representation(gm.cyclic(4))
    >>> xs = np.random.default_rng(0).normal(size=(5, 4))
    >>> gm.equivariance.sample_equivariance_error(np.tanh, L, L, xs)         # pointwise maps commute with permutations
    0.0
    >>> gm.equivariance.sample_equivariance_error(np.cumsum, L, L, xs[0], batched=False) > 0
    True
    """
    check_reps(rep_in, rep_out)
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    X = np.asarray(xs)
    if X.dtype.kind not in "biufc":
        raise TypeError(f"xs must be a real or complex array, got dtype {X.dtype}")
    if X.ndim == 1:
        X = X[None, :]
    if X.ndim != 2 or X.shape[1] != rep_in.dim:
        raise ValueError(f"xs must have shape (m, d_in) = (m, {rep_in.dim}), got {np.shape(xs)}")
    X = X.astype(np.result_type(X.dtype, float))
    check_finite(X, "xs")
    G = rep_in.group
    n, m = G.order, X.shape[0]
    gs = np.repeat(G.elements(), m)
    rep_in, rep_out = rep_in.numeric(), rep_out.numeric()
    Xg = rep_in.apply(gs, np.tile(X, (n, 1)))  # (n m, d_in): rho_in(g) x_k

    def call(batch):
        if batched:
            out = np.asarray(f(batch))
        else:
            out = np.stack([np.asarray(f(v)) for v in batch])
        if out.shape != (batch.shape[0], rep_out.dim):
            raise ValueError(f"f must return shape (m, d_out) = ({batch.shape[0]}, {rep_out.dim}) for a batch of "
                             f"{batch.shape[0]} inputs, got {out.shape}")
        return out

    fx = call(X)
    lhs = call(Xg)
    rhs = rep_out.apply(gs, np.tile(fx, (n, 1)))
    return float(np.mean(np.sum(np.abs(lhs - rhs) ** 2, axis=1)))


class CompositionBound(NamedTuple):
    """The quantities of the composition bound ``d(M N) <= ||M|| d(N) + d(M) ||N||`` (made by
    :func:`composition_bound`).

    Parameters
    ----------
    defect_product, defect_m, defect_n : float
        ``d(MN)``, ``d(M)`` and ``d(N)`` with ``d(X) = ||X - P(X)||_F``.
    norm_m, norm_n : float
        The spectral norms ``||M||_2`` and ``||N||_2``.
    bound : float
        ``||M||_2 d(N) + d(M) ||N||_2``.
    max_form : float
        ``max(||M||_2, ||N||_2) (d(M) + d(N))``, at least ``bound``.

    Returns
    -------
    CompositionBound
        A named tuple of the fields above, with the property ``holds``.

    See Also
    --------
    composition_bound

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> L = gm.regular_representation(gm.cyclic(2))
    >>> r = gm.equivariance.composition_bound(np.eye(2), np.array([[1.0, 2.0], [0.0, 1.0]]), L, L, L)
    >>> r.defect_m, r.holds
    (0.0, True)
    """

    defect_product: float   # d(M N)
    defect_m: float         # d(M)
    defect_n: float         # d(N)
    norm_m: float           # ||M||_2 (spectral norm)
    norm_n: float           # ||N||_2
    bound: float            # ||M||_2 d(N) + d(M) ||N||_2
    max_form: float         # max(||M||_2, ||N||_2) (d(M) + d(N)) >= bound

    @property
    def holds(self) -> bool:
        """Whether ``defect_product <= bound``, up to the tolerance to which the representations were
        accepted as orthogonal (:func:`groupmat.tolerances.unitarity_tol` of float64, relative to the
        bound): the bound uses ``||P(M)||_2 <= ||M||_2``, which holds to that accuracy."""
        return self.defect_product <= self.bound + unitarity_tol(np.float64) * max(1.0, self.bound)


def composition_bound(M, N, rep_in: Representation, rep_mid: Representation, rep_out: Representation,
                      method: str = "auto") -> CompositionBound:
    r"""The defect of a product against the defects of its factors.

    Parameters
    ----------
    M : array_like of shape (d_out, d_mid)
        A map ``rep_mid -> rep_out``.
    N : array_like of shape (d_mid, d_in)
        A map ``rep_in -> rep_mid``.
    rep_in, rep_mid, rep_out : Representation
        Orthogonal representations of one group object.
    method : str
        The projection method, see :func:`project`.

    Returns
    -------
    CompositionBound
        ``d(MN)``, ``d(M)``, ``d(N)``, the spectral norms, the bound ``||M||_2 d(N) + d(M) ||N||_2`` and
        its weaker symmetric form ``max(||M||_2, ||N||_2) (d(M) + d(N))``; ``.holds`` checks the bound.

    Raises
    ------
    ValueError
        Wrong shapes, non-orthogonal representations, representations of different groups.

    See Also
    --------
    equivariance_defect

    Notes
    -----
    With ``d(X) = ||X - P(X)||_F`` and ``P`` the orthogonal projection (orthogonal representations), ``P(M) P(N)`` is
    equivariant and ``P(MN)`` is the nearest equivariant map to ``MN``, so

    .. math:: d(MN) \le \|MN - P(M)P(N)\|_F = \|(M - P(M)) N + P(M) (N - P(N))\|_F
              \le d(M) \|N\|_2 + \|P(M)\|_2\, d(N) \le \max(\|M\|_2, \|N\|_2)(d(M) + d(N)),

    using ``||X Y||_F <= ||X||_F ||Y||_2`` and ``||P(M)||_2 <= ||M||_2`` (``P(M)`` is an average of
    ``rho_out(g) M rho_in(g)^-1``, each of norm ``||M||_2``).

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> L = gm.regular_representation(gm.dihedral(3))
    >>> rng = np.random.default_rng(1)
    >>> r = gm.equivariance.composition_bound(rng.normal(size=(6, 6)), rng.normal(size=(6, 6)), L, L, L)
    >>> r.holds, r.defect_product <= r.max_form
    (True, True)
    """
    check_reps(rep_in, rep_mid, ("rep_in", "rep_mid"))
    check_reps(rep_mid, rep_out, ("rep_mid", "rep_out"))
    M = np.asarray(M)
    N = np.asarray(N)
    for name, X, shape in (("M", M, (rep_out.dim, rep_mid.dim)), ("N", N, (rep_mid.dim, rep_in.dim))):
        if X.shape != shape:
            raise ValueError(f"{name} must have shape {shape}, got {X.shape}")
    dm = float(_defect(M, rep_mid, rep_out, method=method, name="M"))
    dn = float(_defect(N, rep_in, rep_mid, method=method, name="N"))
    dmn = float(_defect(M @ N, rep_in, rep_out, method=method, name="M @ N"))
    nm, nn = float(np.linalg.norm(M, 2)), float(np.linalg.norm(N, 2))
    return CompositionBound(dmn, dm, dn, nm, nn, nm * dn + dm * nn, max(nm, nn) * (dm + dn))
