"""The equivariant projection (Reynolds operator) and the split of a map into its two parts."""
from __future__ import annotations

import numpy as np

from .._exact import simplify_exact_array
from .._chunked import apply as apply_chunked, is_chunked
from .._validation import check_choice
from ..reps.representation import Representation
from ._common import (Prepared, check_reps, matrices_of, pair_hom_dimension, prepare, regular_side, require_unitary,
                      runs)
from .kernels import orbit_block, regular_block, reynolds_block
from ..reps.generator_reps import GeneratorRepresentation, generator_project
from .orbits import is_action, orbit_basis
from .spectral import spectral_project

__all__ = ["project", "non_equivariant_part", "regular_channels", "require_orthogonal", "METHODS"]

#: the projection methods, "auto" first
METHODS = ("auto", "reynolds", "permutation", "regular", "spectral")

def regular_channels(rep: Representation) -> tuple[str, int] | None:
    """``(side, c)`` when ``rep`` is the direct sum of ``c`` copies of the ``side`` regular
    representation, else None.

    Read from the images of each summand (:attr:`groupmat.Representation.regular_side`), so it does
    not matter how the regular representation was built: by :func:`groupmat.regular_representation`,
    as a :class:`~groupmat.reps.PermutationRepresentation` of the regular permutations, or with
    dense permutation matrices. Such representations take the regular route of :func:`project`
    (the means along the group diagonals) and of :class:`groupmat.torch.ProjectionPenalty`.

    Parameters
    ----------
    rep : Representation

    Returns
    -------
    tuple of (str, int), or None
        ``("left", c)`` or ``("right", c)``.

    Raises
    ------
    TypeError
        ``rep`` is not a Representation.

    Examples
    --------
    >>> import groupmat as gm
    >>> G = gm.dihedral(3)
    >>> L = gm.regular_representation(G)
    >>> gm.equivariance.regular_channels(3 * L)
    ('left', 3)
    >>> gm.equivariance.regular_channels(2 * L.numeric_dense())          # dense images: still regular
    ('left', 2)
    >>> gm.equivariance.regular_channels(L + gm.regular_representation(G, "right")) is None
    True
    """
    if not isinstance(rep, Representation):
        raise TypeError(f"rep must be a groupmat Representation, got {type(rep).__name__}")
    side = regular_side(rep)
    return None if side is None else (side, rep.dim // rep.group.order)


def require_orthogonal(rep_in: Representation, rep_out: Representation, what: str = "this computation") -> None:
    """Refuse representations that are not orthogonal (unitary), for a computation that needs them.

    For orthogonal representations the Reynolds operator is the orthogonal projection onto
    ``Hom_G`` and ``||W - P(W)||_F`` is the distance to it; otherwise it is an oblique projection.
    Orthogonality is judged summand by summand (permutation summands always are) with
    :func:`groupmat.tolerances.unitarity_tol` of the images' dtype, and kept with the representation.

    Parameters
    ----------
    rep_in, rep_out : Representation
    what : str
        The computation, named in the message.

    Raises
    ------
    ValueError
        ``rep_in`` or ``rep_out`` (named) is not orthogonal.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> G = gm.cyclic(2)
    >>> L = gm.regular_representation(G)
    >>> gm.equivariance.require_orthogonal(L, L)                          # passes silently
    >>> shear = gm.from_generators(G, [np.array([[1.0, 1.0], [0.0, -1.0]])])
    >>> gm.equivariance.require_orthogonal(L, shear, "my penalty")
    Traceback (most recent call last):
    ...
    ValueError: rep_out is not orthogonal (unitary), but my penalty needs orthogonal representations: ...
    """
    check_reps(rep_in, rep_out)
    require_unitary(rep_in, rep_out, what)


def _zeros_like(X: np.ndarray, complex_: bool = False) -> np.ndarray:
    """Zeros of the shape of ``X``: SymPy zeros for an object array, else of the dtype of ``X``
    (made complex when ``complex_``)."""
    if X.dtype == object:
        import sympy

        Z = np.empty(X.shape, dtype=object)
        Z[...] = sympy.Integer(0)
        return Z
    return np.zeros(X.shape, dtype=np.result_type(X.dtype, np.complex64) if complex_ else X.dtype)


def _has_complex_images(rep, exact: bool) -> bool:
    """Whether a dense summand of ``rep`` has complex (numeric) images: then ``P(W)`` is complex."""
    return not exact and any(not s.is_permutation and np.iscomplexobj(matrices_of(s, False))
                             for s in {id(s): s for s in rep.summands}.values())


def _blockwise(X: np.ndarray, rep_in, rep_out, method: str, exact: bool) -> np.ndarray:
    """Project each block between runs of summands separately (the representations are block
    diagonal); blocks whose summands share no irreducible constituent are zero (Schur). The result
    is complex when ``X`` or a representation is (a real ``W`` has a complex projection)."""
    B = X.shape[0]
    G = rep_in.group
    out = _zeros_like(X, _has_complex_images(rep_in, exact) or _has_complex_images(rep_out, exact))
    for ro in runs(rep_out):
        for ri in runs(rep_in):
            if pair_hom_dimension(ri.rep, ro.rep) == 0:
                continue
            rows = slice(ro.offset, ro.offset + ro.size)
            cols = slice(ri.offset, ri.offset + ri.size)
            Xb = X[:, rows, cols].reshape(B, ro.count, ro.rep.dim, ri.count, ri.rep.dim)
            side_in, side_out = regular_side(ri.rep), regular_side(ro.rep)
            if method == "auto" and side_in is not None and side_in == side_out:
                Pb = regular_block(Xb, G, side_in)
            elif method == "auto" and ri.rep.is_permutation and ro.rep.is_permutation:
                Pb = orbit_block(Xb, ri.rep, ro.rep)
            else:
                mi = None if ri.rep.is_permutation else matrices_of(ri.rep, exact)
                mo = None if ro.rep.is_permutation else matrices_of(ro.rep, exact)
                Pb = reynolds_block(Xb, ri.rep, ro.rep, mi, mo)
            out[:, rows, cols] = Pb.reshape(B, ro.size, ri.size)
    return out


def _project_prepared(prep: Prepared, rep_in, rep_out, method: str, finite_name: str | None = None) -> np.ndarray:
    """``P(W)`` for validated ``W`` of shape ``(B, d_out, d_in)``; ``finite_name``: the regular route
    checks finiteness itself (see :func:`_prepare_for`)."""
    X = prep.array
    B, do, di = X.shape
    G = rep_in.group
    side_in, side_out = regular_side(rep_in), regular_side(rep_out)
    regular_ok = side_in is not None and side_in == side_out
    perm_ok = rep_in.is_permutation and rep_out.is_permutation
    if method == "spectral":
        P = spectral_project(X, rep_in, rep_out, prep.exact)
    elif method == "regular" or (method == "auto" and regular_ok):
        if not regular_ok:
            raise ValueError("method='regular' needs rep_in and rep_out to be sums of copies of the same-side "
                             f"regular representation of {G.name}, got {rep_in!r} and {rep_out!r}")
        n = G.order
        P = regular_block(X.reshape(B, do // n, n, di // n, n), G, side_in,
                          finite_name=finite_name).reshape(B, do, di)
    elif method == "permutation" or (method == "auto" and perm_ok):
        if not perm_ok:
            raise ValueError("method='permutation' needs permutation representations (PermutationRepresentation) "
                             f"on both sides, got {rep_in!r} and {rep_out!r}")
        P = orbit_block(X.reshape(B, 1, do, 1, di), rep_in, rep_out).reshape(B, do, di)
    elif method == "reynolds" and perm_ok:
        P = reynolds_block(X.reshape(B, 1, do, 1, di), rep_in, rep_out).reshape(B, do, di)
    else:  # "reynolds" on sums of dense summands, or "auto" on mixed representations
        P = _blockwise(X, rep_in, rep_out, method, prep.exact)
    if prep.exact and method in ("reynolds", "auto", "spectral") and not perm_ok:
        P = simplify_exact_array(P)
    elif not prep.exact:
        P = _in_precision_of(P, X.dtype)
    return P


def _in_precision_of(P: np.ndarray, dtype) -> np.ndarray:
    """``P`` in the precision of the input ``W`` (float32 in, float32 out), complex when ``P`` is:
    the sums over the group may run in double precision (float64 images), the result does not."""
    target = np.result_type(dtype, np.complex64) if np.iscomplexobj(P) else np.dtype(dtype)
    return P if P.dtype == target else P.astype(target)


def _prepare_for(W, rep_in, rep_out, method: str):
    """``(prepared W, finite_name)``: on the regular route the kernel checks NaN/inf from its diagonal
    sums (every entry is in exactly one), so ``prepare`` skips its own pass over ``W``."""
    check_reps(rep_in, rep_out)
    side = regular_side(rep_in)
    regular = method in ("regular", "auto") and side is not None and side == regular_side(rep_out)
    prep = prepare(W, rep_in, rep_out, finite=not regular)
    return prep, ("W" if regular and not prep.exact else None)


def project(W, rep_in: Representation, rep_out: Representation, method: str = "auto"):
    r"""The equivariant part of ``W``: the Reynolds projection onto ``Hom_G(rep_in, rep_out)``.

    Parameters
    ----------
    W : array_like of shape (..., d_out, d_in), or sympy Matrix
        A linear map from ``rep_in`` to ``rep_out``, with any leading batch axes. A sympy Matrix or
        an array holding SymPy numbers or symbols gives the exact projection (a sympy Matrix for a
        sympy Matrix, an object array otherwise). A ``dask.array`` (batch axes chunked) gives a lazy
        Dask result, each block projected by this function.
    rep_in, rep_out : Representation
        Representations of one group object, of dimensions ``d_in`` and ``d_out``.
    method : {"auto", "reynolds", "permutation", "regular", "spectral"}
        ``"reynolds"``: the definition, a sum over all elements (permutation summands applied by
        indexing, dense summands by batched products). ``"permutation"``: permutation
        representations only; the mean of ``W`` over each orbit of ``G`` on index pairs (orbits
        found once per pair of representations and cached). ``"regular"``: sums of copies of one
        regular representation (channels) only; the means along the group diagonals.
        ``"spectral"``: in the irreducible basis of :func:`groupmat.decompose`, keep the Schur
        blocks. ``"auto"``: ``"regular"`` or ``"permutation"`` where they apply, else the
        definition block by block (one block per pair of runs of identical summands; blocks
        between summands with no common irreducible constituent are zero without computation).
        A representation counts as regular by its images (:func:`regular_channels`), however it
        was built.

    Returns
    -------
    ndarray or sympy Matrix
        ``P(W)``, of the shape of ``W``; numeric input keeps its precision (float32 in, float32
        out; integers become float64), and is complex when ``W`` or a representation is (a real
        ``W`` between complex representations has a complex projection), on every method.

    Raises
    ------
    TypeError
        ``rep_in``/``rep_out`` not Representations, ``W`` not numeric.
    ValueError
        ``W`` not of shape ``(..., d_out, d_in)``, NaN or infinite entries, representations of
        different groups, or a ``method`` that does not apply to these representations.

    See Also
    --------
    non_equivariant_part, equivariance_defect, equivariant_basis, group_diagonals

    Notes
    -----
    .. math:: P(W) = \frac{1}{|G|} \sum_{g \in G} \rho_{out}(g)\, W\, \rho_{in}(g)^{-1}.

    ``P`` is linear, ``P(W)`` is equivariant (``rho_out(h) P(W) = P(W) rho_in(h)``) and ``P(A) = A``
    for equivariant ``A``, so ``P`` is a projection onto ``Hom_G`` for *any* representations. It is
    the *orthogonal* projection (Frobenius inner product) when both representations are orthogonal
    (unitary): then ``P`` is self-adjoint, ``W - P(W)`` is orthogonal to ``Hom_G`` and
    ``||W - P(W)||_F`` is the distance from ``W`` to ``Hom_G``. For non-orthogonal representations
    it is an oblique projection (its kernel is not ``Hom_G``'s orthogonal complement); the
    functions that rely on orthogonality refuse such representations.

    For permutation representations ``(rho_out(g) W rho_in(g)^{-1})[a, b] = W[p_out[g^{-1}, a],
    p_in[g^{-1}, b]]``, so ``P(W)`` is the mean of ``W`` over the orbit of ``(a, b)``. For the left
    regular representation the orbits are the group diagonals ``a^{-1} b = g`` and ``P(W)`` is the
    group matrix ``M_x[a, b] = x(a^{-1} b)`` of the diagonal means ``x``.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> G = gm.cyclic(3)
    >>> L = gm.regular_representation(G)
    >>> gm.project(np.arange(9.0).reshape(3, 3), L, L)    # a circulant: the diagonal means
    array([[4., 3., 5.],
           [5., 4., 3.],
           [3., 5., 4.]])
    >>> import sympy
    >>> a, b = sympy.symbols("a b")
    >>> gm.project(sympy.Matrix([[a, b, 0], [0, 0, 0], [0, 0, 0]]), L, L)
    Matrix([
    [a/3, b/3,   0],
    [  0, a/3, b/3],
    [b/3,   0, a/3]])
    """
    if is_chunked(W):  # a dask array: the same projection on each block of the batch (groupmat._chunked)
        return apply_chunked(lambda b: project(b, rep_in, rep_out, method), [W], ["W"], core=2)
    if isinstance(rep_in, GeneratorRepresentation) or isinstance(rep_out, GeneratorRepresentation):  # S_n by generators
        return generator_project(W, rep_in, rep_out)
    if is_action(rep_in) or is_action(rep_out):  # known by generators: orbit means (groupmat.equivariance.orbits)
        return orbit_basis(rep_in, rep_out).project(W)
    check_choice(method, "method", METHODS)
    prep, finite_name = _prepare_for(W, rep_in, rep_out, method)
    return prep.restore(_project_prepared(prep, rep_in, rep_out, method, finite_name))


def non_equivariant_part(W, rep_in: Representation, rep_out: Representation, method: str = "auto"):
    """The non-equivariant part ``W - P(W)``; ``W = P(W) + (W - P(W))``.

    For orthogonal representations the two parts are orthogonal (Frobenius inner product) and
    ``W - P(W)`` is orthogonal to every equivariant map.

    Parameters
    ----------
    W : array_like of shape (..., d_out, d_in), or sympy Matrix
    rep_in, rep_out : Representation
        Representations of one group object.
    method : str
        See :func:`project`.

    Returns
    -------
    ndarray or sympy Matrix
        ``W - P(W)``, with the shape and type of ``W``.

    See Also
    --------
    project, equivariance_defect

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> L = gm.regular_representation(gm.cyclic(2))
    >>> gm.non_equivariant_part(np.array([[1.0, 2.0], [0.0, 1.0]]), L, L)
    array([[ 0.,  1.],
           [-1.,  0.]])
    """
    if is_chunked(W):  # a dask array: block by block (groupmat._chunked)
        return apply_chunked(lambda b: non_equivariant_part(b, rep_in, rep_out, method), [W], ["W"], core=2)
    if is_action(rep_in) or is_action(rep_out):  # known by generators: W minus its orbit means
        return np.asarray(W) - orbit_basis(rep_in, rep_out).project(W)
    check_choice(method, "method", METHODS)
    prep, finite_name = _prepare_for(W, rep_in, rep_out, method)
    R = prep.array - _project_prepared(prep, rep_in, rep_out, method, finite_name)
    if prep.exact:
        R = simplify_exact_array(R)
    return prep.restore(R)
