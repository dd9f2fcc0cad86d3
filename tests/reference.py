"""The one dense reference of the equivariant projection for the tests: the Reynolds sum by its definition.

.. math:: P(W) = \\frac{1}{|G|} \\sum_{g \\in G} \\rho_{out}(g)\\, W\\, \\rho_{in}(g)^{-1}

with the dense images of both representations and a matrix inverse for ``rho_in(g)^-1`` (not
``rho_in(g^-1)``, not a transpose): nothing of groupmat's projection code (no orbits, no group
diagonals, no irreducible bases), so every route of :func:`groupmat.project`, the defects and the
PyTorch penalty are checked against the same independent computation. Numeric input is summed in
float64 (complex128 where anything is complex); exact input (a ``sympy.Matrix``) is summed exactly.

>>> import numpy as np, groupmat as gm
>>> L = gm.regular_representation(gm.cyclic(3))
>>> reynolds(np.arange(9.0).reshape(3, 3), L, L)      # the circulant of the diagonal means
array([[4., 3., 5.],
       [5., 4., 3.],
       [3., 5., 4.]])
>>> import sympy
>>> reynolds(sympy.Matrix([[1, 0, 0], [0, 0, 0], [0, 0, 0]]), L, L) == sympy.eye(3) / 3
True
"""
from __future__ import annotations

import numpy as np

__all__ = ["reynolds", "reynolds_defect"]


def _dense_images(rep) -> np.ndarray:
    """All images of ``rep`` as one dense numeric array ``(n, d, d)`` (permutation matrices included)."""
    return np.asarray(rep.numeric().matrices)


def reynolds(W, rep_in, rep_out):
    """``1/|G| sum_g rho_out(g) W rho_in(g)^-1`` for ``W`` of shape ``(..., d_out, d_in)``.

    A ``sympy.Matrix`` ``W`` gives the exact sum (a ``sympy.Matrix``, entries simplified); anything
    else the float64/complex128 sum (two ``einsum`` contractions per batch, no BLAS: threaded BLAS on
    a busy machine turns many tiny products into milliseconds each).
    """
    import sympy

    G = rep_in.group
    n = G.order
    if isinstance(W, sympy.MatrixBase):
        def exact(rep, g):
            m = rep(g)
            if not isinstance(m, sympy.MatrixBase):
                m = sympy.Matrix(np.asarray(m).tolist()).applyfunc(sympy.nsimplify)
            return m

        total = sympy.zeros(*W.shape)
        for g in range(n):
            total += exact(rep_out, g) * W * exact(rep_in, g).inv()
        return (total / n).applyfunc(sympy.simplify)
    Mo, Mi = _dense_images(rep_out), _dense_images(rep_in)
    W = np.asarray(W)
    dtype = np.result_type(W.dtype, Mo.dtype, Mi.dtype, np.float64)
    Mi_inv = np.linalg.inv(Mi.astype(dtype))
    A = np.einsum("gab,...bc->...gac", Mo.astype(dtype), W.astype(dtype))
    return np.einsum("...gac,gcd->...ad", A, Mi_inv) / n


def reynolds_defect(W, rep_in, rep_out) -> float:
    """``||W - P(W)||_F`` with :func:`reynolds` (numeric ``W`` of shape ``(d_out, d_in)``)."""
    W = np.asarray(W, dtype=np.result_type(np.asarray(W).dtype, np.float64))
    return float(np.linalg.norm(W - reynolds(W, rep_in, rep_out)))
