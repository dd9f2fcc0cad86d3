"""Shared input handling for the equivariance functions: one place for each check and message.

The structure of a representation that the fast kernels use is read here once:
:func:`runs` splits a direct sum into runs of consecutive copies of one summand (channels), and
:func:`regular_side` says whether a representation is a sum of copies of one regular representation
(read from the :attr:`~groupmat.Representation.regular_side` of each summand, which compares the
images, so it does not matter how a regular representation was built).

Results computed *about a representation* (its floating-point images, whether it is orthogonal, the
orbits of a pair of permutation representations...) are kept in an :class:`OwnerCache`: a weak-key
dictionary keyed by the representation object(s) themselves. That is the owner-safe choice for data
of objects this package does not own: an entry lives exactly as long as its representation(s) (it
goes with them, so it is bounded by what the caller keeps alive), it can never be read for another
object (an ``id`` can be reused after an object dies, a weak key cannot), and nothing is written
into the representation. The arrays it keeps are frozen (read-only), as in a group's memo.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from .._exact import as_numeric_or_exact, restore, to_object_array, working_float
from .._validation import check_same_group
from ..caching import freeze
from ..reps.representation import Representation
from ..tolerances import integrality_tol, unitarity_tol

__all__: list[str] = []


class OwnerCache:
    """Values computed about one object, or a pair of objects, kept while the object(s) live.

    ``get(owner, key, compute)`` or ``get((owner_a, owner_b), key, compute)``: weak keys on every
    owner, so an entry disappears with any of its owners; the value is frozen
    (:func:`groupmat.caching.freeze`) when stored. A value must not refer to its owners (it would
    keep them alive).
    """

    def __init__(self):
        self._entries: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def get(self, owners, key, compute):
        if not isinstance(owners, tuple):
            owners = (owners,)
        level = self._entries
        for depth, owner in enumerate(owners):
            nxt = level.get(owner)
            if nxt is None:  # weak keys at every level; the last level maps keys to values
                nxt = weakref.WeakKeyDictionary() if depth < len(owners) - 1 else {}
                level[owner] = nxt
            level = nxt
        if key not in level:
            level[key] = freeze(compute())
        return level[key]


@dataclass
class Prepared:
    """``W`` brought to shape ``(B, d_out, d_in)`` with what is needed to give it back."""

    array: np.ndarray  # (B, d_out, d_in), float/complex or object (exact)
    batch_shape: tuple
    exact: bool
    original: object  # the caller's W (a sympy Matrix in gives a sympy Matrix out)

    def restore(self, P: np.ndarray):
        """``P`` of shape ``(B, d_out, d_in)`` back to the caller's shape and type."""
        return restore(P.reshape(self.batch_shape + P.shape[1:]), self.original)


def check_reps(rep_in, rep_out, names: tuple[str, str] = ("rep_in", "rep_out")) -> None:
    """Both are Representations of one group object (``names`` are the arguments' names)."""
    for name, r in zip(names, (rep_in, rep_out)):
        if not isinstance(r, Representation):
            raise TypeError(f"{name} must be a groupmat Representation, got {type(r).__name__}")
    check_same_group(rep_in, rep_out, names)


def prepare(W, rep_in, rep_out, name: str = "W", finite: bool = True) -> Prepared:
    """Validate ``W`` against the representations and flatten its batch axes.

    Exact or numeric by :func:`groupmat._exact.as_numeric_or_exact` (the one rule; numeric input is
    computed in its :func:`~groupmat._exact.working_float` dtype, so float32 stays float32).
    ``finite=False`` leaves the NaN/inf check of a numeric ndarray to the caller (the regular kernel
    does it from its diagonal sums, which read every entry once, saving a pass over ``W``).
    """
    check_reps(rep_in, rep_out)
    if not finite and isinstance(W, np.ndarray) and W.dtype.kind in "biufc":
        arr = W.astype(working_float(W.dtype), copy=False)   # the same rule, without the finite pass
        exact = False
    else:
        arr, exact = as_numeric_or_exact(W, name, to_float=True)
    expected = (rep_out.dim, rep_in.dim)
    if arr.ndim < 2 or arr.shape[-2:] != expected:
        raise ValueError(f"{name} must have shape (..., d_out, d_in) = (..., {expected[0]}, {expected[1]}) "
                         f"for rep_out of dim {expected[0]} and rep_in of dim {expected[1]}, got shape {arr.shape}")
    batch = arr.shape[:-2]
    return Prepared(arr.reshape((-1,) + expected), tuple(batch), exact, W)


def regular_side(rep: Representation):
    """``"left"``/``"right"`` when ``rep`` is a sum of copies of that regular representation, else None.

    Each summand's :attr:`~groupmat.Representation.regular_side` is read from its images, so a
    :class:`~groupmat.reps.PermutationRepresentation` of the regular permutations, or the dense
    permutation matrices, count as regular as well as :func:`groupmat.regular_representation`.
    """
    side = None
    for s in rep.summands:
        this = s.regular_side
        if this is None or (side is not None and this != side):
            return None
        side = this
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


#: per representation: whether it is orthogonal (unitary), its floating-point images and character
_PER_REP = OwnerCache()


def _summand_is_unitary(s: Representation) -> bool:
    if s.is_permutation:
        return True
    if s.exact:
        return s.is_orthogonal() or s.numeric().is_unitary(unitarity_tol(np.float64))
    return s.is_unitary(unitarity_tol(s.matrices.dtype))


def is_unitary_rep(rep: Representation) -> bool:
    """True when every summand is orthogonal/unitary (permutation summands always are), judged by
    :func:`groupmat.tolerances.unitarity_tol` of the images' dtype; kept per representation."""
    def compute():
        return all(_summand_is_unitary(s) for s in {id(s): s for s in rep.summands}.values())

    return _PER_REP.get(rep, "unitary", compute)


def require_unitary(rep_in, rep_out, what: str) -> None:
    """Refuse non-orthogonal (non-unitary) representations where ``what`` needs orthogonality."""
    for name, r in (("rep_in", rep_in), ("rep_out", rep_out)):
        if not is_unitary_rep(r):
            raise ValueError(
                f"{name} is not orthogonal (unitary), but {what} needs orthogonal representations: the "
                "Reynolds operator is then an oblique projection onto Hom_G and ||W - P(W)|| is not the "
                "distance to Hom_G. Change basis to an orthogonal form first, or pass "
                "check_orthogonal=False to compute ||W - P(W)|| for the oblique projection anyway")


def matrices_of(rep: Representation, exact: bool) -> np.ndarray:
    """The dense images of a (non-permutation) summand, as object arrays on the exact path (the
    floating-point images of an exact representation are computed once and kept with it)."""
    if exact:
        return rep.matrices if rep.exact else to_object_array(rep.matrices)
    if not rep.exact:
        return rep.matrices
    return _PER_REP.get(rep, "numeric images", lambda: rep.numeric().matrices)


def numeric_character(rep: Representation) -> np.ndarray:
    """The character of ``rep`` as floats/complex (kept with the representation object, read-only)."""
    def compute():
        chi = np.asarray(rep.numeric().character() if rep.exact else rep.character())
        if chi.dtype == object:  # pragma: no cover - exact character of a numeric rep
            chi = chi.astype(complex)
        return chi

    return _PER_REP.get(rep, "character", compute)


def pair_hom_dimension(rep_in: Representation, rep_out: Representation) -> int:
    """``dim Hom_G(rep_in, rep_out) = 1/|G| sum_g chi_in(g^-1) chi_out(g)``, rounded to an integer
    (refused when it is not one by :func:`groupmat.tolerances.integrality_tol`)."""
    G = rep_in.group
    inv = G.inverses()
    chi_in, chi_out = numeric_character(rep_in), numeric_character(rep_out)
    value = np.dot(chi_in[inv], chi_out) / G.order
    dim = int(round(float(np.real(value))))
    tol = integrality_tol(np.result_type(chi_in, chi_out))
    if abs(value - dim) > tol * max(1.0, rep_in.dim * rep_out.dim):
        raise ValueError(f"the character inner product {value} of rep_in and rep_out is not an integer: "
                         "are both representations homomorphisms?")
    return dim
