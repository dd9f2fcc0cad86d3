"""Linear representations of finite groups: dense, exact, permutation, and direct sums of them.

A :class:`Representation` holds the images of all ``n`` elements. Permutation representations
(regular, coset, action on points) are kept as index arrays: ``rho(g) e_i = e_{perms[g, i]}``,
i.e. ``rho(g)[perms[g, i], i] = 1``, and dense matrices are built only on request. Direct sums
remember their summands, so that ``c`` copies of the regular representation (channels) never
need ``n`` dense matrices of size ``c n``.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .._exact import (as_numeric_or_exact, exact_equal_arrays, is_symbolic, simplify_exact, to_numeric, to_object_array,
                      working_float)
from .._validation import (as_element_array, check_finite, check_name, check_positive_int, check_same_group,
                           check_size, check_tolerance)
from ..groups.core import check_group as _check_group
from ..groups.core import FiniteGroup, Subgroup
from ..matrices import regular_permutations
from ..tolerances import unitarity_tol

__all__ = ["Representation", "PermutationRepresentation", "from_generators", "regular_representation",
           "permutation_representation", "natural_representation", "trivial_representation", "direct_sum",
           "tensor", "IrreducibleRepresentation"]


#: An estimate of the memory of one SymPy number in an exact matrix (a reference and the object).
_EXACT_ENTRY_BYTES = 64


def _entry_bytes(dtype) -> int:
    """Bytes per entry of dense images of ``dtype`` (SymPy entries: :data:`_EXACT_ENTRY_BYTES`)."""
    dtype = np.dtype(dtype)
    return _EXACT_ENTRY_BYTES if dtype == object else dtype.itemsize


def _check_tol(tol, dtype) -> float:
    """``tol`` checked, or the default rule for the entries of ``R^* R - I``: ``unitarity_tol(dtype)``."""
    return unitarity_tol(dtype) if tol is None else check_tolerance(tol, "tol")


def _check_subgroup_of(H, G) -> Subgroup:
    """``H`` must be a :class:`~groupmat.groups.core.Subgroup` of ``G`` (made by ``G.subgroup``)."""
    if not isinstance(H, Subgroup) or H.parent is not G:
        raise ValueError("H must be a subgroup of this representation's group made by group.subgroup(...)")
    return H


def _check_vector(v, dim: int) -> np.ndarray:
    """``v`` as an array of numbers (or SymPy objects) with last axis of length ``dim``."""
    try:
        arr = np.asarray(v)
    except ValueError as err:
        raise ValueError(f"v must be a rectangular array of numbers ({err})") from None
    if arr.dtype.kind not in "biufcO":
        raise TypeError(f"v must hold numbers (or SymPy objects), got dtype {arr.dtype}")
    if arr.shape[-1:] != (dim,):
        raise ValueError(f"v must have last axis of length dim = {dim}, got shape {arr.shape}")
    return arr


class Representation:
    """A representation ``rho: G -> GL(d)`` given by the images of all elements.

    Parameters
    ----------
    group : FiniteGroup
    matrices : array_like of shape (n, d, d), or a sequence of n sympy matrices
        ``matrices[g]`` is ``rho(g)`` for element index ``g``. SymPy entries make an exact
        representation (``.exact`` is True) whose ``matrices`` is an object array.
    check : bool
        Check the homomorphism property ``rho(g h) = rho(g) rho(h)`` on all ``g`` and the generators
        ``h`` (which implies it everywhere), naming the first failure.
    name : str, optional

    Attributes
    ----------
    group, dim, exact, name
    summands : tuple of Representation
        The direct summands (``(self,)`` for a representation that is not a direct sum).

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> G = gm.cyclic(4)
    >>> rot = np.array([[[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]] for t in np.pi / 2 * np.arange(4)])
    >>> rho = gm.Representation(G, rot)
    >>> rho.dim, rho.is_orthogonal(), np.round(rho.character(), 12).tolist()
    (2, True, [2.0, 0.0, -2.0, 0.0])
    """

    def __init__(self, group: FiniteGroup, matrices, check: bool = True, name: str | None = None):
        self.group = _check_group(group, "group")
        n = group.order
        exact = is_symbolic(matrices) or (isinstance(matrices, np.ndarray) and matrices.dtype == object)
        if exact:
            mats = to_object_array(matrices)
        else:
            mats = np.asarray(matrices)
            if mats.dtype.kind not in "biufc":
                raise TypeError(f"matrices must be numeric or SymPy, got dtype {mats.dtype}")
            if mats.dtype.kind in "biu":
                mats = mats.astype(float)
            check_finite(mats, "matrices")
        if mats.ndim != 3 or mats.shape[0] != n or mats.shape[1] != mats.shape[2]:
            raise ValueError(f"matrices must have shape (|G|, d, d) = ({n}, d, d), got {mats.shape}")
        if mats.shape[1] == 0:
            raise ValueError(f"matrices must have dimension d >= 1, got shape {mats.shape}")
        self._matrices = mats
        self.exact = bool(exact)
        self.dim = int(mats.shape[1])
        self.name = name or f"rep of {group.name} (dim {self.dim})"
        self.summands: tuple = (self,)
        if check:
            self.check_homomorphism()

    # ------------------------------------------------------------------ access
    @property
    def matrices(self) -> np.ndarray:
        """All images, shape ``(n, d, d)`` (an object array of SymPy numbers when exact)."""
        return self._matrices

    def __call__(self, g):
        """``rho(g)``: a dense matrix (a ``sympy.Matrix`` when exact)."""
        g = as_element_array(g, self.group.order, "g")
        if g.ndim:
            return self.matrices[g]
        m = self.matrices[int(g)]
        if self.exact:
            import sympy

            return sympy.Matrix(m.tolist())
        return m

    @property
    def is_permutation(self) -> bool:
        """True for a representation by permutation matrices kept as index arrays."""
        return False

    @property
    def regular_side(self) -> str | None:
        """``"left"`` when this is the left regular representation (``rho(g) e_h = e_{g h}``),
        ``"right"`` for the right one (``rho(g) e_h = e_{h g^-1}``), None otherwise.

        Read from the images themselves, however the representation was built (by
        :func:`regular_representation`, as a :class:`PermutationRepresentation` of the regular
        permutations, or from dense permutation matrices), and computed once.

        Examples
        --------
        >>> import groupmat as gm
        >>> G = gm.cyclic(4)
        >>> gm.regular_representation(G, "right").regular_side
        'right'
        >>> P = gm.reps.PermutationRepresentation(G, gm.regular_representation(G).perms)
        >>> P.regular_side, gm.regular_representation(G).numeric_dense().regular_side
        ('left', 'left')
        """
        if not hasattr(self, "_regular_side"):
            self._regular_side = _regular_side_of(self)
        return self._regular_side

    def numeric_dense(self) -> "Representation":
        """This representation with dense floating-point images (a plain :class:`Representation`).

        Examples
        --------
        >>> import groupmat as gm
        >>> type(gm.regular_representation(gm.cyclic(3)).numeric_dense()).__name__
        'Representation'
        """
        mats = self.numeric().matrices
        return Representation(self.group, np.array(mats), check=False, name=self.name)

    def freeze(self) -> None:
        """Make the stored images read-only (done for every representation a cache hands out)."""
        for arr in (getattr(self, "_matrices", None), getattr(self, "_dense", None)):
            if isinstance(arr, np.ndarray):
                arr.flags.writeable = False

    @property
    def nbytes(self) -> int:
        """The bytes held by the stored images."""
        total = 0
        for attr in ("_matrices", "_dense", "perms"):
            arr = getattr(self, attr, None)
            if isinstance(arr, np.ndarray):
                total += arr.nbytes
        return total

    def numeric(self) -> "Representation":
        """A floating-point copy (complex where an entry is not real) of an exact representation.

        Examples
        --------
        >>> import groupmat as gm, sympy
        >>> rho = gm.from_generators(gm.cyclic(4), [sympy.Matrix([[0, -1], [1, 0]])])
        >>> rho.exact, rho.numeric().exact, rho.numeric().matrices.dtype
        (True, False, dtype('float64'))
        """
        if not self.exact:
            return self
        # the complex values and the float copy of a real result
        check_size(self.matrices.shape, 24, f"the numeric matrices of {self.name}")
        return Representation(self.group, to_numeric(self.matrices), check=False, name=self.name)

    def character(self):
        """The character ``chi(g) = tr rho(g)`` for all elements, shape ``(n,)``.

        Exact (an object array of SymPy numbers) for exact representations.

        Examples
        --------
        >>> import groupmat as gm, sympy
        >>> rho = gm.from_generators(gm.cyclic(3), [sympy.Matrix([[0, -1], [1, -1]])])
        >>> rho.character().tolist()
        [2, -1, -1]
        """
        if self.exact:
            import sympy

            return np.array([simplify_exact(sum(m[i, i] for i in range(self.dim))) for m in self.matrices],
                            dtype=object)
        return np.trace(self.matrices, axis1=1, axis2=2)

    def apply(self, g, v) -> np.ndarray:
        """``rho(g) v`` for vectors ``v`` of shape ``(..., d)`` (broadcast against ``g``).

        Examples
        --------
        >>> import groupmat as gm, numpy as np
        >>> rho = gm.from_generators(gm.cyclic(4), [np.array([[0.0, -1.0], [1.0, 0.0]])])
        >>> rho.apply([0, 1], np.array([1.0, 0.0])).tolist()
        [[1.0, 0.0], [0.0, 1.0]]
        """
        g = as_element_array(g, self.group.order, "g")
        v = _check_vector(v, self.dim)
        return np.einsum("...ij,...j->...i", self.matrices[g], v)

    # ------------------------------------------------------------------ checks
    def check_homomorphism(self) -> None:
        """Raise ValueError naming the first ``(g, s)`` with ``rho(g s) != rho(g) rho(s)``.

        ``rho(e) = I`` and ``rho(g s) = rho(g) rho(s)`` for every element ``g`` and generator ``s``
        imply the homomorphism property on all pairs. Numeric matrices are compared to
        ``unitarity_tol(dtype) * max(1, max|rho|)`` (half the digits of their dtype, see
        :mod:`groupmat.tolerances`), exact ones exactly.
        """
        G = self.group
        e = G.elements()
        mats = self.matrices
        # both sides rho(g s) and rho(g) rho(s) for all g, one generator at a time
        check_size((2,) + mats.shape, _entry_bytes(mats.dtype), f"the homomorphism check of {self.name}")
        ident = mats[G.identity]
        if self.exact:
            ok = exact_equal_arrays(ident, np.eye(self.dim, dtype=int))
        else:
            scale = max(1.0, float(np.max(np.abs(mats))))
            tol = unitarity_tol(mats.dtype) * scale
            ok = bool(np.max(np.abs(ident - np.eye(self.dim))) <= tol)
        if not ok:
            raise ValueError(f"not a homomorphism: rho(identity) = rho({G.label(G.identity)}) is not the identity matrix")
        for s in G.generators:
            lhs = mats[G.mul_unchecked(e, np.full_like(e, s))]
            rhs = mats @ mats[s]
            if self.exact:
                for g in range(G.order):
                    if not exact_equal_arrays(lhs[g], rhs[g]):
                        raise ValueError(f"not a homomorphism: rho({G.label(g)} * {G.label(s)}) != "
                                         f"rho({G.label(g)}) rho({G.label(s)})")
            else:
                bad = np.flatnonzero(np.max(np.abs(lhs - rhs), axis=(1, 2)) > tol)
                if bad.size:
                    g = int(bad[0])
                    raise ValueError(f"not a homomorphism: rho({G.label(g)} * {G.label(s)}) != "
                                     f"rho({G.label(g)}) rho({G.label(s)})")

    def is_orthogonal(self, tol: float | None = None) -> bool:
        """True when every ``rho(g)`` is real orthogonal (exactly, for exact representations).

        Parameters
        ----------
        tol : float, optional
            The largest entry of ``|rho(g)^T rho(g) - I|`` (and of ``|Im rho(g)|``) allowed; by default
            :func:`groupmat.tolerances.unitarity_tol` of the matrices' dtype (``sqrt(eps)``: ``1.5e-8``
            for float64, ``3.5e-4`` for float32).

        Examples
        --------
        >>> import groupmat as gm, numpy as np
        >>> gm.regular_representation(gm.cyclic(3)).is_orthogonal()
        True
        >>> gm.from_generators(gm.cyclic(2), [np.array([[1.0, 1.0], [0.0, -1.0]])]).is_orthogonal()
        False
        """
        mats = self.matrices
        if self.exact:
            if tol is not None:
                check_tolerance(tol, "tol")
            ident = np.eye(self.dim, dtype=int)
            return all(exact_equal_arrays(m.T @ m, ident) for m in mats)
        tol = _check_tol(tol, mats.dtype)
        if np.iscomplexobj(mats) and np.max(np.abs(mats.imag)) > tol:
            return False
        m = mats.real
        return bool(np.max(np.abs(np.swapaxes(m, 1, 2) @ m - np.eye(self.dim))) <= tol)

    def is_unitary(self, tol: float | None = None) -> bool:
        """True when every ``rho(g)`` is unitary: every entry of ``|rho(g)^* rho(g) - I|`` is at most
        ``tol`` (default :func:`groupmat.tolerances.unitarity_tol` of the matrices' dtype)."""
        mats = self.numeric().matrices
        tol = _check_tol(tol, mats.dtype)
        return bool(np.max(np.abs(np.conj(np.swapaxes(mats, 1, 2)) @ mats - np.eye(self.dim))) <= tol)

    # ------------------------------------------------------------------ algebra
    def __add__(self, other):
        if isinstance(other, Representation):
            return direct_sum(self, other)
        return NotImplemented

    def __mul__(self, other):
        if isinstance(other, (int, np.integer)) and not isinstance(other, bool):
            return direct_sum(*([self] * check_positive_int(other, "copies")))
        return NotImplemented

    __rmul__ = __mul__

    def tensor(self, other: "Representation") -> "Representation":
        """The tensor (Kronecker) product ``rho (x) sigma`` (see :func:`tensor`)."""
        return tensor(self, other)

    def __matmul__(self, other):
        if isinstance(other, Representation):
            return tensor(self, other)
        return NotImplemented

    def dual(self) -> "Representation":
        """The dual (contragredient) ``g -> rho(g^-1)^T``; its character is ``chi(g^-1)``.

        Examples
        --------
        >>> import groupmat as gm, numpy as np
        >>> w = np.exp(2j * np.pi / 3)
        >>> rho = gm.from_generators(gm.cyclic(3), [np.array([[w]])])
        >>> np.allclose(rho.dual().character(), np.conj(rho.character()))
        True
        """
        inv = self.group.inverses()
        mats = self.matrices
        check_size(mats.shape, _entry_bytes(mats.dtype), f"the matrices of the dual of {self.name}")
        return Representation(self.group, np.swapaxes(mats[inv], 1, 2), check=False,
                              name=f"dual of {self.name}")

    def restrict(self, H) -> "Representation":
        """The restriction to a subgroup ``H`` made by ``G.subgroup(...)`` (which has an ``embedding``).

        Examples
        --------
        >>> import groupmat as gm
        >>> G = gm.symmetric(3)
        >>> H = G.subgroup([G.element("(0 1 2)")])
        >>> gm.reps.natural_representation(G).restrict(H).character().tolist()
        [3.0, 0.0, 0.0]
        """
        H = _check_subgroup_of(H, self.group)
        return Representation(H, self.matrices[H.embedding], check=False, name=f"{self.name} restricted to {H.name}")

    def to_sparse(self, g) -> sp.csr_array:
        """``rho(g)`` as a SciPy sparse matrix."""
        return sp.csr_array(np.asarray(self(g), dtype=float if not np.iscomplexobj(self.matrices) else complex))

    def __repr__(self) -> str:
        kind = "exact " if self.exact else ""
        return f"<{kind}{type(self).__name__} of {self.group.name}, dim {self.dim}>"


class PermutationRepresentation(Representation):
    """A representation by permutation matrices, kept as index arrays.

    ``perms[g, i]`` is the image of basis vector ``i``: ``rho(g) e_i = e_{perms[g, i]}``, so
    ``rho(g)[perms[g, i], i] = 1``. Homomorphism: ``perms[g h] = perms[g][perms[h]]``.
    Dense matrices are built (and cached) only when ``.matrices`` is read; ``apply`` is indexing.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> rho = gm.reps.PermutationRepresentation(gm.cyclic(3), [[0, 1, 2], [1, 2, 0], [2, 0, 1]])
    >>> rho(1)
    array([[0., 0., 1.],
           [1., 0., 0.],
           [0., 1., 0.]])
    >>> rho.apply(1, np.array([10.0, 20.0, 30.0])).tolist()
    [30.0, 10.0, 20.0]
    """

    def __init__(self, group: FiniteGroup, perms, check: bool = True, name: str | None = None):
        self.group = _check_group(group, "group")
        n = group.order
        P = np.asarray(perms)
        if P.dtype.kind not in "iu":
            raise TypeError(f"perms must be an integer array, got dtype {P.dtype}")
        if P.ndim != 2 or P.shape[0] != n:
            raise ValueError(f"perms must have shape (|G|, d) = ({n}, d), got {P.shape}")
        d = P.shape[1]
        if check and not (np.sort(P, axis=1) == np.arange(d)).all():
            g = int(np.flatnonzero(~(np.sort(P, axis=1) == np.arange(d)).all(axis=1))[0])
            raise ValueError(f"perms[{g}] is not a permutation of 0..{d - 1}")
        self.perms = P.astype(np.int64)
        self.perms.setflags(write=False)
        self.dim = d
        self.exact = False
        self.name = name or f"permutation rep of {group.name} (dim {d})"
        self.summands = (self,)
        self._dense = None
        if check:
            self.check_homomorphism()

    @property
    def is_permutation(self) -> bool:
        return True

    @property
    def matrices(self) -> np.ndarray:
        if self._dense is None:
            n, d = self.perms.shape
            check_size((n, d, d), 8, f"the dense matrices of {self.name}")
            M = np.zeros((n, d, d))
            M[np.arange(n)[:, None], self.perms, np.arange(d)[None, :]] = 1.0
            self._dense = M
        return self._dense

    def __call__(self, g):
        g = as_element_array(g, self.group.order, "g")
        d = self.dim
        if self._dense is not None:
            return self._dense[g] if g.ndim else self._dense[int(g)].copy()
        # only the requested matrices: rho(g)[perms[g, i], i] = 1
        check_size(g.shape + (d, d), 8, f"the requested dense matrices of {self.name}")
        M = np.zeros(g.shape + (d, d))
        idx = np.indices(g.shape)
        P = self.perms[g]                                   # g.shape + (d,)
        M[tuple(i[..., None] for i in idx) + (P, np.arange(d))] = 1.0
        return M

    def to_sparse(self, g) -> sp.csr_array:
        g = int(as_element_array(g, self.group.order, "g"))
        d = self.dim
        return sp.csr_array((np.ones(d), (self.perms[g], np.arange(d))), shape=(d, d))

    def character(self):
        return (self.perms == np.arange(self.dim)[None, :]).sum(axis=1).astype(float)

    def apply(self, g, v) -> np.ndarray:
        """``rho(g) v``: ``(rho(g) v)[perms[g, i]] = v[i]``, by indexing."""
        g = as_element_array(g, self.group.order, "g")
        v = _check_vector(v, self.dim)
        inverse = self.perms[self.group.inverses()[g]]      # shape g.shape + (d,)
        shape = np.broadcast_shapes(inverse.shape, v.shape)
        return np.take_along_axis(np.broadcast_to(v, shape), np.broadcast_to(inverse, shape), axis=-1)

    def check_homomorphism(self) -> None:
        G = self.group
        e = G.elements()
        if not np.array_equal(self.perms[G.identity], np.arange(self.dim)):
            raise ValueError("not a homomorphism: the identity does not act as the identity permutation")
        for s in G.generators:
            lhs = self.perms[G.mul_unchecked(e, np.full_like(e, s))]
            rhs = np.take_along_axis(self.perms, np.broadcast_to(self.perms[s], self.perms.shape), axis=1)
            bad = np.flatnonzero((lhs != rhs).any(axis=1))
            if bad.size:
                g = int(bad[0])
                raise ValueError(f"not a homomorphism: rho({G.label(g)} * {G.label(s)}) != "
                                 f"rho({G.label(g)}) rho({G.label(s)})")

    def is_orthogonal(self, tol: float | None = None) -> bool:
        if tol is not None:
            check_tolerance(tol, "tol")
        return True

    def is_unitary(self, tol: float | None = None) -> bool:
        if tol is not None:
            check_tolerance(tol, "tol")
        return True

    def dual(self) -> "PermutationRepresentation":
        # rho(g^-1)^T = rho(g) for permutation matrices
        return self

    def restrict(self, H) -> "PermutationRepresentation":
        H = _check_subgroup_of(H, self.group)
        return PermutationRepresentation(H, self.perms[H.embedding], check=False,
                                         name=f"{self.name} restricted to {H.name}")


def regular_representation(G: FiniteGroup, side: str = "left", name: str | None = None) -> PermutationRepresentation:
    """The left or right regular representation, kept as permutations.

    ``side="left"``: ``L(g) e_h = e_{g h}``; group matrices (default convention) commute with it.
    ``side="right"``: ``R(g)[a, b] = [b == a g]``, so that ``M_x = sum_g x(g) R(g)``.

    Parameters
    ----------
    G : FiniteGroup
    side : {"left", "right"}
    name : str, optional
        Default ``"{side} regular rep of {G.name}"``.

    Returns
    -------
    PermutationRepresentation
        Of dimension ``|G|``, with ``perms`` from :func:`regular_permutations`; its
        :attr:`~Representation.regular_side` is ``side``.

    Raises
    ------
    ValueError
        An unknown ``side``.
    TooLargeError
        The ``n x n`` index array would not fit under ``GROUPMAT_MAX_BYTES``.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> G = gm.dihedral(3)
    >>> L = gm.regular_representation(G)
    >>> M = gm.group_matrix(G, np.arange(6.0))
    >>> all(np.allclose(L(g) @ M, M @ L(g)) for g in range(6))
    True
    """
    P = regular_permutations(G, side)
    rep = PermutationRepresentation(G, P, check=False, name=check_name(name, f"{side} regular rep of {G.name}"))
    rep._regular_side = side                   # known from the construction: no need to compare
    return rep


def permutation_representation(G: FiniteGroup, action, check: bool = True, name=None) -> PermutationRepresentation:
    """The permutation representation of an action of ``G`` on points ``0..d-1``.

    Parameters
    ----------
    G : FiniteGroup
    action : array_like of int, shape (n, d), or callable
        ``action[g, i]`` is the image of point ``i`` under ``g`` for a *left* action
        (``action[g h] = action[g][action[h]]``), or a callable ``f(g_array) -> (n, d)`` array.
        For a :class:`~groupmat.groups.PermutationGroup` use :func:`natural_representation`.
    check : bool
        Check that every row is a permutation and that ``g -> action[g]`` is a homomorphism.
    name : str, optional

    Returns
    -------
    PermutationRepresentation
        ``rho(g) e_i = e_{action[g, i]}``, checked to be a homomorphism when ``check`` is true.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> D4 = gm.dihedral(4)
    >>> # D4 on the square's vertices: r^k maps i -> i + k, s r^k maps i -> -(i + k)
    >>> e = np.arange(8)[:, None]; i = np.arange(4)[None, :]
    >>> act = np.where(e < 4, (i + e) % 4, (-(i + e % 4)) % 4)
    >>> gm.permutation_representation(D4, act).dim
    4
    """
    G = _check_group(G, "G")
    P = action(G.elements()) if callable(action) else action
    return PermutationRepresentation(G, P, check=check, name=name)


def natural_representation(G) -> PermutationRepresentation:
    """For a permutation group: the representation on the points it permutes.

    With the groups' convention (``g h`` applies ``g`` first, a right action ``i -> i^g``), the
    linear representation is ``rho(g) e_i = e_{i^(g^-1)}``, a homomorphism.

    Parameters
    ----------
    G : PermutationGroup
        A group from :func:`symmetric`, :func:`alternating`, :func:`from_permutations` or
        :func:`from_sympy`.

    Returns
    -------
    PermutationRepresentation
        Of dimension ``G.degree``.

    Raises
    ------
    TypeError
        ``G`` is not a permutation group.

    Examples
    --------
    >>> import groupmat as gm
    >>> rho = gm.reps.natural_representation(gm.symmetric(3))
    >>> rho.character().tolist()
    [3.0, 1.0, 1.0, 0.0, 0.0, 1.0]
    """
    perms = getattr(G, "perms", None)
    if perms is None:
        raise TypeError(f"G must be a permutation group (symmetric, alternating, from_permutations), got {type(G).__name__}")
    inv = G.inverses()
    check_size(perms.shape, 8, f"the permutations of the natural representation of {G.name}")
    return PermutationRepresentation(G, perms[inv].astype(np.int64), check=False, name=f"natural rep of {G.name}")


def trivial_representation(G: FiniteGroup, dim: int = 1) -> Representation:
    """The trivial representation ``g -> I_dim``, as a permutation representation.

    Parameters
    ----------
    G : FiniteGroup
    dim : int
        The dimension, ``>= 1``.

    Returns
    -------
    PermutationRepresentation
        Every ``rho(g)`` is the identity permutation of ``0..dim-1``.

    Examples
    --------
    >>> import groupmat as gm
    >>> gm.reps.trivial_representation(gm.dihedral(3), dim=2).character().tolist()
    [2.0, 2.0, 2.0, 2.0, 2.0, 2.0]
    """
    G = _check_group(G, "G")
    dim = check_positive_int(dim, "dim")
    check_size((G.order, dim), 8, f"the permutations of the trivial representation of {G.name}")
    return PermutationRepresentation(G, np.tile(np.arange(dim), (G.order, 1)), check=False,
                                     name=f"trivial rep of {G.name}")


def from_generators(G: FiniteGroup, images, check: bool = True, name=None) -> Representation:
    """A representation from the images of ``G.generators``.

    The images of all elements are built along a breadth-first spanning tree of the Cayley graph
    (``rho(h s) = rho(h) rho(s)``, one batched product per generator and level; the generators'
    repeated squares, with images ``rho(s)^(2^j)``, keep the number of levels logarithmic); then
    the homomorphism property is checked on all elements and generators, and the first failure is
    named.

    Parameters
    ----------
    G : FiniteGroup
    images : sequence of square matrices
        ``images[i]`` is ``rho(G.generators[i])``; SymPy matrices give an exact representation.
    check : bool
        Check the homomorphism property (naming the first failure).
    name : str, optional

    Returns
    -------
    Representation
        Exact (``.exact`` True, object matrices) when any image is a SymPy matrix.

    Examples
    --------
    >>> import groupmat as gm, sympy
    >>> G = gm.dihedral(4)
    >>> r = sympy.Matrix([[0, -1], [1, 0]]); s = sympy.Matrix([[1, 0], [0, -1]])
    >>> rho = gm.from_generators(G, [r, s])
    >>> rho.exact, rho(G.element("s r"))
    (True, Matrix([
    [ 0, -1],
    [-1,  0]]))
    >>> gm.from_generators(G, [r, r])
    Traceback (most recent call last):
    ...
    ValueError: not a homomorphism: rho(s r^2 * r) != rho(s r^2) rho(r)
    """
    G = _check_group(G, "G")
    if isinstance(images, (str, bytes)) or not hasattr(images, "__iter__"):
        raise TypeError(f"images must be a sequence of matrices, one per generator of {G.name}, "
                        f"got {type(images).__name__}")
    # the one exact/numeric rule of the package, image by image (an object array of numbers is exact)
    checked = [as_numeric_or_exact(m, f"images[{i}]", expected=" (a square matrix)") for i, m in enumerate(images)]
    if len(checked) != len(G.generators):
        raise ValueError(f"images must give one matrix per generator of {G.name} ({len(G.generators)}), got {len(checked)}")
    exact = any(ex for _, ex in checked)
    if exact:
        imgs = [to_object_array(m) for m, _ in checked]
    else:
        imgs = [m.astype(working_float(m.dtype), copy=False) for m, _ in checked]   # float32 stays
    shapes = {m.shape for m in imgs}
    if not imgs:
        return Representation(G, np.ones((G.order, 1, 1)), check=check, name=name)
    if len(shapes) != 1 or len(next(iter(shapes))) != 2 or imgs[0].shape[0] != imgs[0].shape[1]:
        raise ValueError(f"images must be square matrices of one size, got shapes {[m.shape for m in imgs]}")
    d = imgs[0].shape[0]
    n = G.order
    dtype = object if exact else np.result_type(*imgs)
    # the images of all n elements and the two products of a level of the spanning tree (at most n each)
    check_size((2, n, d, d), _entry_bytes(dtype),
               f"the matrices of a degree-{d} representation of {G.name} on all {n} elements (with work arrays)")
    mats = np.zeros((n, d, d), dtype=dtype)
    if exact:
        import sympy

        mats[:] = sympy.Integer(0)
        for i in range(d):
            mats[G.identity, i, i] = sympy.Integer(1)
    else:
        mats[G.identity] = np.eye(d)
    # the generators and their repeated squares s^(2^j), with images rho(s)^(2^j): O(log n) levels
    steps, step_imgs = [], []
    for s, i, j in G.generator_powers(G.generators):
        img = imgs[i] if j == 0 else step_imgs[-1] @ step_imgs[-1]
        if exact and j:
            img = np.vectorize(sympy.expand, otypes=[object])(img)
        steps.append(s)
        step_imgs.append(img)
    for k, fresh, src in G.spanning_tree(steps):
        prod = mats[src] @ step_imgs[k]
        if exact:
            prod = np.vectorize(sympy.expand, otypes=[object])(prod)
        mats[fresh] = prod
    return Representation(G, mats, check=check, name=name)


def _flatten(reps) -> list:
    out = []
    for r in reps:
        out.extend(r.summands)
    return out


class _DirectSum(Representation):
    """A direct sum with at least one dense summand, kept as its summands.

    The block-diagonal matrices (``n`` of size ``d x d``) are built only when :attr:`matrices` is
    read; characters, ``apply``, ``rho(g)``, duals, restrictions and the checks work summand by
    summand, so ``regular_representation(D512) + rot`` costs no more than its parts.
    """

    def __init__(self, group: FiniteGroup, summands, name: str | None = None):
        self.group = group
        self.summands = tuple(summands)
        self.dim = int(sum(r.dim for r in self.summands))
        self.exact = any(r.exact for r in self.summands)
        self.name = name or (" + ".join(r.name for r in self.summands[:3])
                             + (" + ..." if len(self.summands) > 3 else ""))
        self._dense = None

    def _offsets(self) -> np.ndarray:
        return np.cumsum([0] + [r.dim for r in self.summands])

    def _dtype(self):
        if self.exact:
            return object
        return np.result_type(float, *[np.float64 if r.is_permutation else r.matrices.dtype
                                       for r in self.summands])

    def _blocks(self, g: np.ndarray) -> np.ndarray:
        """The block-diagonal ``rho(g)`` for an index array ``g``: shape ``g.shape + (d, d)``."""
        d = self.dim
        check_size(g.shape + (d, d), _EXACT_ENTRY_BYTES if self.exact else 16, "the dense matrices of a direct sum")
        if self.exact:
            import sympy

            out = np.full(g.shape + (d, d), sympy.Integer(0), dtype=object)
        else:
            out = np.zeros(g.shape + (d, d), dtype=self._dtype())
        for r, o in zip(self.summands, self._offsets()):
            block = r(g) if r.is_permutation else r.matrices[g]
            if self.exact and not r.exact:
                block = to_object_array(block) if block.size else block.astype(object)
            out[..., o:o + r.dim, o:o + r.dim] = block
        return out

    @property
    def matrices(self) -> np.ndarray:
        if self._dense is None:
            self._dense = self._blocks(self.group.elements())
        return self._dense

    def __call__(self, g):
        g = as_element_array(g, self.group.order, "g")
        if self._dense is not None:
            m = self._dense[g]
        else:
            m = self._blocks(g)
        if g.ndim == 0 and self.exact:
            import sympy

            return sympy.Matrix(m.tolist())
        return m

    def character(self):
        chars = [r.character() for r in self.summands]
        if self.exact:
            import sympy

            total = sum(to_object_array(c) for c in chars)
            return np.array([simplify_exact(v) for v in total], dtype=object)
        return sum(chars)

    def apply(self, g, v) -> np.ndarray:
        g = as_element_array(g, self.group.order, "g")
        v = _check_vector(v, self.dim)
        offs = self._offsets()
        parts = [r.apply(g, v[..., offs[k]:offs[k + 1]]) for k, r in enumerate(self.summands)]
        shape = np.broadcast_shapes(*[p.shape[:-1] for p in parts])
        return np.concatenate([np.broadcast_to(p, shape + p.shape[-1:]) for p in parts], axis=-1)

    def check_homomorphism(self) -> None:
        for r in self.summands:
            r.check_homomorphism()

    def is_orthogonal(self, tol: float | None = None) -> bool:
        if tol is not None:
            check_tolerance(tol, "tol")
        return all(r.is_orthogonal(tol) for r in self.summands)

    def is_unitary(self, tol: float | None = None) -> bool:
        if tol is not None:
            check_tolerance(tol, "tol")
        return all(r.is_unitary(tol) for r in self.summands)

    def numeric(self) -> Representation:
        if not self.exact:
            return self
        return _DirectSum(self.group, [r.numeric() for r in self.summands], name=self.name)

    def dual(self) -> Representation:
        return _DirectSum(self.group, [r.dual() for r in self.summands], name=f"dual of {self.name}")

    def restrict(self, H) -> Representation:
        H = _check_subgroup_of(H, self.group)
        return _DirectSum(H, [r.restrict(H) for r in self.summands], name=f"{self.name} restricted to {H.name}")

    def to_sparse(self, g) -> sp.csr_array:
        g = int(as_element_array(g, self.group.order, "g"))
        return sp.csr_array(sp.block_diag([r.to_sparse(g) for r in self.summands], format="csr"))


def direct_sum(*reps: Representation, name: str | None = None) -> Representation:
    """The direct sum ``rho_1 + ... + rho_k`` (block diagonal), remembering its summands.

    A sum of permutation representations is a permutation representation (index arrays
    concatenated with offsets); ``c * rho`` is the sum of ``c`` copies (channels). A sum with a
    dense summand is lazy: its ``n`` block-diagonal matrices are built only when ``.matrices`` is
    read, while ``character``, ``apply``, ``rho(g)``, ``dual``, ``restrict`` and the checks work
    summand by summand.

    Parameters
    ----------
    *reps : Representation
        At least one representation, all of one group object. Direct sums among them are
        flattened into their summands.
    name : str, optional
        The name of the sum (default: the summands' names joined by ``" + "``); a single summand is
        returned as it is, under this name when one is given.

    Returns
    -------
    Representation
        A :class:`PermutationRepresentation` when every summand is one, else a representation
        whose ``summands`` attribute holds the flattened summands. A single summand is returned
        as it is.

    Raises
    ------
    TypeError
        An argument that is not a representation.
    ValueError
        No argument, or representations of different group objects.

    Notes
    -----
    ``(rho_1 + rho_2)(g) = diag(rho_1(g), rho_2(g))`` and ``chi_(rho_1 + rho_2) = chi_1 + chi_2``.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> G = gm.cyclic(3)
    >>> rho = 4 * gm.regular_representation(G)
    >>> rho.dim, len(rho.summands), rho.is_permutation
    (12, 4, True)
    >>> w = np.exp(2j * np.pi / 3)
    >>> sigma = gm.regular_representation(G) + gm.from_generators(G, [np.array([[w]])])
    >>> sigma.dim, np.round(sigma.character(), 12).tolist()
    (4, [(4+0j), (-0.5+0.866025403784j), (-0.5-0.866025403784j)])
    """
    if not reps:
        raise ValueError("direct_sum needs at least one representation")
    for i, r in enumerate(reps):
        if not isinstance(r, Representation):
            raise TypeError(f"reps[{i}] must be a Representation, got {type(r).__name__}")
        check_same_group(reps[0], r, ("reps[0]", f"reps[{i}]"))
    name = None if name is None else check_name(name, "")
    summands = _flatten(reps)
    G = reps[0].group
    if len(summands) == 1:
        return summands[0] if name is None or name == summands[0].name else _renamed(summands[0], name)
    if all(r.is_permutation for r in summands):
        offsets = np.cumsum([0] + [r.dim for r in summands[:-1]])
        check_size((G.order, sum(r.dim for r in summands)), 8, "the permutations of a direct sum")
        P = np.concatenate([r.perms + o for r, o in zip(summands, offsets)], axis=1)
        out = PermutationRepresentation(G, P, check=False, name=name or (" + ".join(r.name for r in summands[:3])
                                                                         + (" + ..." if len(summands) > 3 else "")))
        out.summands = tuple(summands)
        return out
    return _DirectSum(G, summands, name=name)


def tensor(rep1: Representation, rep2: Representation) -> Representation:
    """The tensor product ``g -> rho_1(g) (x) rho_2(g)`` (Kronecker product, ``rho_1`` outer).

    Parameters
    ----------
    rep1, rep2 : Representation
        Representations of one group object.

    Returns
    -------
    Representation
        Of dimension ``rep1.dim * rep2.dim``, with ``(rho_1 (x) rho_2)(g) = kron(rho_1(g), rho_2(g))``:
        a :class:`PermutationRepresentation` when both factors are, exact when either is.

    Raises
    ------
    TypeError
        An argument that is not a representation.
    ValueError
        Representations of different group objects.
    TooLargeError
        Dense matrices that would not fit under ``GROUPMAT_MAX_BYTES``.

    Notes
    -----
    The character is the product of the characters: ``chi(g) = chi_1(g) chi_2(g)``.

    Examples
    --------
    >>> import groupmat as gm
    >>> L = gm.regular_representation(gm.cyclic(3))
    >>> gm.tensor(L, L).character().tolist()
    [9.0, 0.0, 0.0]
    """
    for name, r in (("rep1", rep1), ("rep2", rep2)):
        if not isinstance(r, Representation):
            raise TypeError(f"{name} must be a Representation, got {type(r).__name__}")
    check_same_group(rep1, rep2, ("rep1", "rep2"))
    G = rep1.group
    d1, d2 = rep1.dim, rep2.dim
    name = f"({rep1.name}) (x) ({rep2.name})"
    if rep1.is_permutation and rep2.is_permutation:
        check_size((G.order, d1 * d2), 8, "the permutations of a tensor product")
        P = (rep1.perms[:, :, None] * d2 + rep2.perms[:, None, :]).reshape(G.order, d1 * d2)
        return PermutationRepresentation(G, P, check=False, name=name)
    exact = rep1.exact or rep2.exact
    check_size((G.order, d1 * d2, d1 * d2), _EXACT_ENTRY_BYTES if exact else 16,
               "the dense matrices of a tensor product")
    A, B = rep1.matrices, rep2.matrices
    if rep1.exact or rep2.exact:          # exact if either factor is: both sides as SymPy numbers
        A, B = to_object_array(A), to_object_array(B)
    mats = (A[:, :, None, :, None] * B[:, None, :, None, :]).reshape(G.order, d1 * d2, d1 * d2)
    if rep1.exact or rep2.exact:
        import sympy

        mats = np.vectorize(sympy.expand, otypes=[object])(mats)
    return Representation(G, mats, check=False, name=name)


def _renamed(rep: Representation, name: str) -> Representation:
    """A shallow copy of ``rep`` under another name (its arrays are shared: they are read-only)."""
    import copy

    out = copy.copy(rep)
    out.name = name
    return out


def _regular_side_of(rep: Representation) -> str | None:
    """``"left"``, ``"right"`` or None: compare the images with the regular permutations."""
    G = rep.group
    n = G.order
    if rep.dim != n or len(rep.summands) != 1:
        return None
    if rep.is_permutation:
        P = rep.perms
    else:
        if rep.exact:
            return None
        mats = rep.matrices
        P = np.argmax(mats, axis=1)                          # P[g, i]: the row of the 1 in column i
        ones = np.take_along_axis(mats, P[:, None, :], axis=1)
        if not (np.all(ones == 1) and np.count_nonzero(mats) == n * n):
            return None
    for side in ("left", "right"):
        if np.array_equal(P, regular_permutations(G, side)):
            return side
    return None


class IrreducibleRepresentation(Representation):
    """An irreducible representation as returned by :func:`groupmat.irreps`, with what is known of it.

    Parameters
    ----------
    group : FiniteGroup
    matrices : array_like of shape (n, d, d)
        The images (see :class:`Representation`).
    index : int
        Its position in ``irreps(group, field)``.
    field : {"complex", "real"}
        The field it is irreducible over.
    frobenius_schur : {1, 0, -1}
        The Frobenius-Schur indicator of the complex irreducible it comes from (real, complex or
        quaternionic type).
    complex_indices : tuple of int
        The complex irreducibles it comes from: ``(k,)``, or ``(k, j)`` for a real irreducible that
        realifies the pair of complex conjugates ``k, j``.
    check : bool
        Check the homomorphism property (default False: the constructors that make irreducibles
        check their own work).
    name : str, optional

    Attributes
    ----------
    index, field, frobenius_schur, complex_indices
    type : str
        ``"real"``, ``"complex"`` or ``"quaternionic"`` (from ``frobenius_schur``).

    Examples
    --------
    >>> import groupmat as gm
    >>> rho = gm.irreps(gm.cyclic(3), field="real")[1]
    >>> type(rho).__name__, rho.dim, rho.type, rho.complex_indices
    ('IrreducibleRepresentation', 2, 'complex', (1, 2))
    """

    TYPES = {1: "real", 0: "complex", -1: "quaternionic"}

    def __init__(self, group: FiniteGroup, matrices, *, index: int, field: str, frobenius_schur: int,
                 complex_indices: tuple, check: bool = False, name: str | None = None):
        super().__init__(group, matrices, check=check, name=name)
        if field not in ("complex", "real"):
            raise ValueError(f"field must be 'complex' or 'real', got {field!r}")
        if frobenius_schur not in self.TYPES:
            raise ValueError(f"frobenius_schur must be 1, 0 or -1, got {frobenius_schur!r}")
        self.index = int(index)
        self.field = field
        self.frobenius_schur = int(frobenius_schur)
        self.complex_indices = tuple(int(k) for k in complex_indices)

    @property
    def type(self) -> str:
        """``"real"``, ``"complex"`` or ``"quaternionic"``: the type given by the Frobenius-Schur indicator."""
        return self.TYPES[self.frobenius_schur]

    def numeric(self) -> "IrreducibleRepresentation":
        if not self.exact:
            return self
        return IrreducibleRepresentation(self.group, to_numeric(self.matrices), index=self.index, field=self.field,
                                         frobenius_schur=self.frobenius_schur,
                                         complex_indices=self.complex_indices, name=self.name)
