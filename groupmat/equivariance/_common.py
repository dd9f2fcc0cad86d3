"""Shared input handling for the equivariance functions: one place for each check and message.

The structure of a representation that the fast kernels use is read here once:
:func:`runs` splits a direct sum into runs of consecutive copies of one summand (channels), and
:func:`regular_side` says whether a representation is a sum of copies of one regular representation.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from .._exact import is_symbolic, to_object_array
from .._validation import check_finite, check_same_group
from ..reps.representation import Representation

__all__: list[str] = []


@dataclass
class Prepared:
    """``W`` brought to shape ``(B, d_out, d_in)`` with what is needed to give it back."""

    array: np.ndarray  # (B, d_out, d_in), float/complex or object (exact)
    batch_shape: tuple
    exact: bool
    sympy_matrix: bool  # the input was a sympy Matrix: give a sympy Matrix back

    def restore(self, P: np.ndarray):
        """``P`` of shape ``(B, d_out, d_in)`` back to the caller's shape and type."""
        out = P.reshape(self.batch_shape + P.shape[1:])
        if self.sympy_matrix:
            import sympy

            return sympy.Matrix(out.tolist())
        return out


def check_reps(rep_in, rep_out, names: tuple[str, str] = ("rep_in", "rep_out")) -> None:
    """Both are Representations of one group object (``names`` are the arguments' names)."""
    for name, r in zip(names, (rep_in, rep_out)):
        if not isinstance(r, Representation):
            raise TypeError(f"{name} must be a groupmat Representation, got {type(r).__name__}")
    check_same_group(rep_in, rep_out, names)


def prepare(W, rep_in, rep_out, name: str = "W", finite: bool = True) -> Prepared:
    """Validate ``W`` against the representations and flatten its batch axes.

    ``W`` is exact (an object array of SymPy numbers) when it is a sympy Matrix or holds SymPy
    objects; otherwise it must be a finite real or complex array (integers become floats).
    ``finite=False`` leaves the NaN/inf check to the caller (the regular kernel does it from its
    diagonal sums, which read every entry once, saving a pass over ``W``).
    """
    check_reps(rep_in, rep_out)
    if isinstance(W, np.ndarray) and W.dtype != object:
        sympy_matrix = exact = False  # the common numeric case: no need to load SymPy
    else:
        import sympy

        sympy_matrix = isinstance(W, sympy.MatrixBase)
        exact = is_symbolic(W)
    if exact:
        arr = to_object_array(W)
    else:
        arr = np.asarray(W)
        if arr.dtype == object:
            raise TypeError(f"{name} must be a numeric array or hold SymPy numbers, got an object array of "
                            f"{type(arr.flat[0]).__name__ if arr.size else 'nothing'}")
        if arr.dtype.kind not in "biufc":
            raise TypeError(f"{name} must be a real or complex array, got dtype {arr.dtype}")
        if arr.dtype.kind in "biu":
            arr = arr.astype(float)
        if finite:
            check_finite(arr, name)
    expected = (rep_out.dim, rep_in.dim)
    if arr.ndim < 2 or arr.shape[-2:] != expected:
        raise ValueError(f"{name} must have shape (..., d_out, d_in) = (..., {expected[0]}, {expected[1]}) "
                         f"for rep_out of dim {expected[0]} and rep_in of dim {expected[1]}, got shape {arr.shape}")
    batch = arr.shape[:-2]
    return Prepared(arr.reshape((-1,) + expected), tuple(batch), exact, sympy_matrix)


def regular_side(rep: Representation):
    """``"left"``/``"right"`` when ``rep`` is a sum of copies of that regular representation, else None."""
    sides = {getattr(s, "regular_side", None) for s in rep.summands}
    if len(sides) != 1:
        return None
    side = sides.pop()
    if side is None or not all(s.group is rep.group and s.dim == rep.group.order for s in rep.summands):
        return None
    return side


@dataclass
class Run:
    """``count`` consecutive copies of ``rep`` starting at coordinate ``offset``."""

    rep: Representation
    count: int
    offset: int

    @property
    def size(self) -> int:
        return self.count * self.rep.dim


def runs(rep: Representation) -> list[Run]:
    """Split ``rep`` into runs of consecutive identical summands (channels)."""
    out: list[Run] = []
    offset = 0
    for s in rep.summands:
        if out and out[-1].rep is s:
            out[-1].count += 1
        else:
            out.append(Run(s, 1, offset))
        offset += s.dim
    return out


_UNITARY: "weakref.WeakKeyDictionary[Representation, bool]" = weakref.WeakKeyDictionary()


def is_unitary_rep(rep: Representation) -> bool:
    """True when every summand is orthogonal/unitary (permutation summands always are); cached."""
    if rep in _UNITARY:
        return _UNITARY[rep]
    ok = True
    for s in {id(s): s for s in rep.summands}.values():
        if s.is_permutation:
            continue
        if s.exact:
            ok = s.is_orthogonal() or s.numeric().is_unitary(1e-9)
        else:
            ok = s.is_unitary(1e-9)
        if not ok:
            break
    _UNITARY[rep] = ok
    return ok


def require_unitary(rep_in, rep_out, what: str) -> None:
    """Refuse non-orthogonal (non-unitary) representations where ``what`` needs orthogonality."""
    for name, r in (("rep_in", rep_in), ("rep_out", rep_out)):
        if not is_unitary_rep(r):
            raise ValueError(
                f"{name} is not orthogonal (unitary), but {what} needs orthogonal representations: the "
                "Reynolds operator is then an oblique projection onto Hom_G and ||W - P(W)|| is not the "
                "distance to Hom_G. Change basis to an orthogonal form first, or pass "
                "check_orthogonal=False to compute ||W - P(W)|| for the oblique projection anyway")


_NUMERIC: "weakref.WeakKeyDictionary[Representation, np.ndarray]" = weakref.WeakKeyDictionary()


def matrices_of(rep: Representation, exact: bool) -> np.ndarray:
    """The dense images of a (non-permutation) summand, as object arrays on the exact path (the
    floating-point images of an exact representation are computed once and cached)."""
    if exact:
        return rep.matrices if rep.exact else to_object_array(rep.matrices)
    if not rep.exact:
        return rep.matrices
    mats = _NUMERIC.get(rep)
    if mats is None:
        mats = rep.numeric().matrices
        _NUMERIC[rep] = mats
    return mats


def simplify_exact(arr: np.ndarray) -> np.ndarray:
    """Entrywise ``sympy.expand`` (with radicals rationalised) of an object array."""
    import sympy

    flat = arr.reshape(-1)
    out = np.empty(flat.shape, dtype=object)
    for k, v in enumerate(flat):
        v = sympy.sympify(v)
        out[k] = v if v.is_Rational else sympy.expand(v)
    return out.reshape(arr.shape)
