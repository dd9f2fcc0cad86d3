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

__all__ = ["reynolds", "reynolds_defect", "exact_equal", "character"]


def _dense_images(rep) -> np.ndarray:
    """All images of ``rep`` as one dense numeric array ``(n, d, d)`` (permutation matrices included)."""
    return np.asarray(rep.numeric().matrices)


def reynolds(W, rep_in, rep_out):
    """``1/|G| sum_g rho_out(g) W rho_in(g)^-1`` for ``W`` of shape ``(..., d_out, d_in)``.

    A ``sympy.Matrix`` ``W`` gives the exact sum (a ``sympy.Matrix``; entries that are numbers
    simplified, entries with symbols expanded: compare those with :func:`exact_equal`); anything
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
        # numbers simplified; entries with symbols expanded (simplify is slow on roots of unity and
        # does not decide them anyway: compare those with exact_equal)
        return (total / n).applyfunc(lambda v: sympy.simplify(v) if not v.free_symbols else sympy.expand(v))
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


def character(rep) -> np.ndarray:
    """``chi(g) = tr rho(g)`` for every element, from the dense numeric images (not ``rep.character()``)."""
    return np.trace(_dense_images(rep), axis1=-2, axis2=-1)


def exact_equal(A, B, digits: int = 30) -> bool:
    """``A == B`` entrywise for SymPy matrices or object arrays, decided without groupmat.

    Each entry of ``A - B`` is expanded into a polynomial in its free symbols; every coefficient is
    a constant (rationals, radicals, roots of unity such as ``exp(2 pi i / 7)``) and counts as zero
    when it is below ``10**-(digits - 10)`` evaluated to ``digits`` significant digits: an algebraic
    number of small height that is not zero is nowhere near that small. This sees that
    ``1 + w + w**2 = 0`` for a cube root of unity ``w``, which ``sympy.simplify`` does not.

    >>> import sympy
    >>> w, b = sympy.exp(2 * sympy.pi * sympy.I / 3), sympy.Symbol("b")
    >>> exact_equal(sympy.Matrix([[b * (1 + w + w**2)]]), sympy.zeros(1, 1))
    True
    >>> exact_equal(sympy.Matrix([[b * (1 + w)]]), sympy.zeros(1, 1))
    False
    """
    import sympy

    a = np.asarray(A.tolist() if isinstance(A, sympy.MatrixBase) else A, dtype=object)
    b = np.asarray(B.tolist() if isinstance(B, sympy.MatrixBase) else B, dtype=object)
    if a.shape != b.shape:
        return False
    for x, y in zip(a.flat, b.flat):
        d = sympy.expand(sympy.sympify(x) - sympy.sympify(y))
        if d == 0:
            continue
        symbols = sorted(d.free_symbols, key=str)
        coeffs = sympy.Poly(d, *symbols).coeffs() if symbols else [d]
        if any(abs(complex(sympy.N(c, digits))) > 10.0 ** -(digits - 10) for c in coeffs):
            return False
    return True
