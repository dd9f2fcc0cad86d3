"""Representations of ``S_n`` known by the images of its generators, for any ``n``.

A :class:`GeneratorRepresentation` holds the matrices of the generators of ``symmetric(n)`` (the
transposition ``t = (0 1)`` and the ``n``-cycle ``c = (0 1 ... n-1)``) and nothing of the group's
size. The image of any permutation is computed from a word in the generators:

* the adjacent transpositions are ``s_i = c^-i t c^i`` (groupmat's product applies the left factor
  first), the star transpositions ``(0 j) = (0 j-1) s_{j-1} (0 j-1)``;
* a permutation ``g`` is sorted by star transpositions, ``g (0 j_1) ... (0 j_k) = e`` with
  ``k <= 3n/2`` (the classic "swap with 0" sort on the image array), so
  ``rho(g) = rho(0 j_k) ... rho(0 j_1)``; all permutations of a batch are sorted together, one
  batched product per step.

Direct sums and tensor products keep their summands and factors, so characters are sums and
products of the summands' characters (a tensor power of the natural action never builds its
``n^2 x n^2`` images to be decomposed). Multiplicities use the exact class sizes ``|C| = n!/z_mu``
and the characters of the irreducibles that can occur (degree at most ``dim rho``), from the
Jacobi-Trudi determinant of permutation characters, or from the Murnaghan-Nakayama table when that
is cheaper.
"""
from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np

from .._validation import check_finite, check_same_group, check_size
from ..groups.core import FiniteGroup
from ..groups.core import check_group as _check_group
from ..tolerances import integrality_tol, rank_tol, roundoff
from .actions import PermutationAction, generator_count
from .symmetric_characters import (_conjugate, hook_length_degrees, hook_length_degrees_of, murnaghan_nakayama_table,
                                   partitions, young_orthogonal_images)

__all__ = ["GeneratorRepresentation", "young_irrep", "symmetric_irreps", "generator_multiplicities",
           "generator_decompose", "generator_hom_basis", "generator_hom_dimension", "generator_project",
           "fourier_sparse"]


# ----------------------------------------------------------------------------- words in the generators
def _standard_symmetric(G: FiniteGroup, what: str) -> int:
    """``n`` when ``G`` is ``symmetric(n)`` with the generators ``(0 1)`` and ``(0 1 ... n-1)``; else refuse."""
    gens = getattr(G, "generator_permutations", None)
    if gens is None or getattr(G, "kind", None) != "symmetric":
        raise ValueError(f"{what} needs G = symmetric(n) (words in its generators (0 1) and (0 1 ... n-1)); "
                         f"got {G.name}, which is not a symmetric group given by those generators")
    n = G.degree
    gens = np.asarray(gens)
    want = [np.array([1, 0] + list(range(2, n))), np.roll(np.arange(n), -1)][: generator_count(G)] if n > 1 else []
    if G.support.size != n or len(want) != gens.shape[0] or not all(np.array_equal(a, b) for a, b in zip(gens, want)):
        raise ValueError(f"{what} needs the standard generators of symmetric(n), (0 1) and (0 1 ... n-1) on all "
                         f"points; {G.name} has other generators (write its representation on symmetric(n))")
    return n


def _star_steps(q: np.ndarray) -> list:
    """The star transpositions sorting each row: ``steps[t][b] = j`` (0 for none) with
    ``g_b (0 j_1) (0 j_2) ... = e``; right multiplication by ``(0 j)`` swaps the values 0 and j."""
    q = q.copy()
    B, n = q.shape
    rows = np.arange(B)
    steps = []
    for _ in range(2 * n):
        pos0 = np.argmax(q == 0, axis=1)
        misplaced = q != np.arange(n)
        first = np.argmax(misplaced, axis=1)
        # 0 away from home: send the value that belongs at its position there; else enter a cycle
        j = np.where(pos0 != 0, pos0, np.where(misplaced.any(axis=1), q[rows, first], 0))
        if not j.any():
            break
        steps.append(j)
        jj = j[:, None]
        q = np.where((q == 0) & (jj > 0), jj, np.where((q == jj) & (jj > 0), 0, q))
    return steps


class _Leaf:
    """Generator images of one irreducible piece: dense matrices, a permutation action, or Young's form."""

    def __init__(self, kind: str, gens: np.ndarray, shape=None):
        self.kind, self.gens, self.shape = kind, gens, shape
        self.dim = gens.shape[-1]

    def dense_gens(self) -> np.ndarray:
        if self.kind != "perm":
            return self.gens
        k, d = self.gens.shape
        out = np.zeros((k, d, d))
        out[np.arange(k)[:, None], self.gens, np.arange(d)[None, :]] = 1.0   # rho(s) e_i = e_{p[i]}
        return out

    def stars(self, n: int) -> np.ndarray:
        """The images of ``(0 j)``, ``j = 0..n-1`` (``j = 0``: the identity)."""
        if self.kind == "perm":
            ident, mul = np.arange(self.dim), (lambda a, b: a[b])         # P_a P_b is the permutation a o b
            inv = np.argsort
        else:
            ident, mul = np.eye(self.dim), (lambda a, b: a @ b)
            inv = None
        out = [ident]
        if n >= 2:
            t = self.gens[0]
            c = self.gens[1] if n > 2 else self.gens[0]
            cinv = inv(c) if inv is not None else np.linalg.matrix_power(c, n - 1)     # c^n = e
            s = t                                                          # s_0 = t
            out.append(t)
            for j in range(2, n):
                s = mul(cinv, mul(s, c))                                   # s_{j-1} = c^-1 s_{j-2} c
                # (0 j) = s_{j-1} (0 j-1) s_{j-1}: each step adds round-off, never doubles it
                out.append(mul(s, mul(out[-1], s)))
        return np.stack(out)

    def evaluate(self, q: np.ndarray) -> np.ndarray:
        """Images of the rows of ``q``: matrices ``(B, d, d)`` (a permutation leaf: image arrays ``(B, d)``)."""
        if self.kind == "young":
            return young_orthogonal_images(self.shape, np.argsort(q, axis=1))    # g -> Y(perm(g)^-1)
        T = self.stars(q.shape[1])
        B = q.shape[0]
        if self.kind == "perm":
            m = np.broadcast_to(np.arange(self.dim), (B, self.dim)).copy()
            for j in _star_steps(q):
                m = np.take_along_axis(T[j], m, axis=1)                    # rho(0 j) rho(...): compose
            return m
        check_size((B, self.dim, self.dim), 8 * 3, f"the images of {B} permutations in dimension {self.dim}")
        M = np.broadcast_to(np.eye(self.dim), (B, self.dim, self.dim)).copy()
        for j in _star_steps(q):
            M = T[j] @ M                                                   # rho(g) = rho(0 j_k) ... rho(0 j_1)
        return M


def _perm_matrices(m: np.ndarray) -> np.ndarray:
    B, d = m.shape
    check_size((B, d, d), 8, f"{B} permutation matrices of size {d}")
    out = np.zeros((B, d, d))
    out[np.arange(B)[:, None], m, np.arange(d)[None, :]] = 1.0
    return out


def _kron(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    B, p, _ = a.shape
    r = b.shape[1]
    return np.einsum("bij,bkl->bikjl", a, b).reshape(B, p * r, p * r)


def _block_diag(mats: list) -> np.ndarray:
    B = mats[0].shape[0]
    d = sum(m.shape[1] for m in mats)
    out = np.zeros((B, d, d), dtype=np.result_type(*mats))
    o = 0
    for m in mats:
        out[:, o:o + m.shape[1], o:o + m.shape[1]] = m
        o += m.shape[1]
    return out


class GeneratorRepresentation:
    """A representation of ``S_n`` (any ``n``) given by the images of its generators.

    Parameters
    ----------
    G : PermutationGroup
        ``symmetric(n)``; its generators are ``t = (0 1)`` and ``c = (0 1 ... n-1)`` (one generator
        for ``n = 2``, none for ``n = 1``), see :func:`~groupmat.reps.actions.generator_count`.
    images : array_like of float, shape (k, d, d)
        ``images[j]`` is the matrix of generator ``j``. The relations are not checked here: see
        :meth:`relation_defect`.
    name : str, optional

    Attributes
    ----------
    group : PermutationGroup
    dim : int
    images : ndarray, shape (k, d, d)
        The generators' matrices (built from the summands/factors for a sum or tensor product).

    Raises
    ------
    TypeError
        ``images`` is not numeric, ``name`` not a string.
    ValueError
        ``images`` has the wrong shape or a non-finite entry, or ``G`` is not ``symmetric(n)`` with
        its standard generators.

    See Also
    --------
    young_irrep, generator_multiplicities, generator_project, fourier_sparse

    Notes
    -----
    ``rho(g h) = rho(g) rho(h)`` with groupmat's product (``g h`` applies ``g`` first). Images of
    arbitrary permutations come from words in star transpositions (module notes): ``O(n)`` batched
    ``d x d`` products for a batch of permutations.

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> from groupmat.reps import GeneratorRepresentation, natural_action
    >>> G = gm.symmetric(12)
    >>> V = GeneratorRepresentation.from_action(natural_action(G))
    >>> g, h = G.random_element(seed=1, size=2)
    >>> gh = h[g]                                    # perm(g h) = perm(h)[perm(g)]
    >>> bool(np.allclose(V.image(gh), V.image(g) @ V.image(h)))
    True
    >>> W = V * V
    >>> W.dim, int(W.character()[0])                 # the character at the identity
    (144, 144)
    """

    def __init__(self, G: FiniteGroup, images=None, name: str | None = None, *, _node=None):
        self.group = _check_group(G, "G")
        self.n = _standard_symmetric(self.group, "GeneratorRepresentation")
        if _node is None:
            k = generator_count(self.group)
            arr = np.asarray(images)
            if arr.dtype == object or arr.dtype.kind not in "iufc":
                raise TypeError(f"images must be a numeric array of generator matrices, got dtype {arr.dtype}")
            if arr.ndim != 3 or arr.shape[0] != k or arr.shape[1] != arr.shape[2] or arr.shape[1] == 0:
                raise ValueError(f"images must have shape (number of generators of {self.group.name}, d, d) = "
                                 f"({k}, d, d) with d >= 1, got {arr.shape}")
            check_finite(arr, "images")
            arr = np.array(arr, dtype=np.result_type(arr.dtype, np.float64))
            arr.setflags(write=False)
            _node = ("leaf", _Leaf("dense", arr))
        self._node = _node
        self.dim = _node_dim(_node)
        if name is not None and not isinstance(name, str):
            raise TypeError(f"name must be a string, got {type(name).__name__}")
        self.name = name or f"representation of {self.group.name} of dimension {self.dim}"

    def __repr__(self) -> str:
        return f"<GeneratorRepresentation {self.name!r}>"

    @classmethod
    def from_action(cls, action: PermutationAction) -> "GeneratorRepresentation":
        """The permutation matrices of a :class:`~groupmat.reps.PermutationAction` (kept as
        permutations: images and characters by index arithmetic)."""
        if not isinstance(action, PermutationAction):
            raise TypeError(f"action must be a PermutationAction, got {type(action).__name__}")
        blocks = []
        for b in action.blocks:
            factors = [("leaf", _Leaf("perm", f)) for f in b.factors]
            node = factors[0]
            for f in factors[1:]:
                node = ("tensor", node, f)
            blocks.append(node)
        node = blocks[0] if len(blocks) == 1 else ("sum",) + tuple(blocks)
        return cls(action.group, _node=node, name=action.name)

    @property
    def images(self) -> np.ndarray:
        """The generators' matrices, shape ``(k, d, d)``."""
        k = generator_count(self.group)
        check_size((k, self.dim, self.dim), 8, f"the {k} generator matrices of {self.name}")
        return _node_gens(self._node)

    def _same(self, other, op: str) -> None:
        if not isinstance(other, GeneratorRepresentation):
            raise TypeError(f"{op} needs two GeneratorRepresentations, got {type(other).__name__}")
        check_same_group(self, other, (f"the {op}'s left factor", "its right factor"))

    def __add__(self, other) -> "GeneratorRepresentation":
        self._same(other, "direct sum")
        return GeneratorRepresentation(self.group, _node=("sum", self._node, other._node),
                                       name=f"{self.name} + {other.name}")

    def __mul__(self, other) -> "GeneratorRepresentation":
        if isinstance(other, (int, np.integer)) and not isinstance(other, bool):
            if other < 1:
                raise ValueError(f"copies must be a positive integer, got {other}")
            return GeneratorRepresentation(self.group, _node=("sum",) + (self._node,) * int(other),
                                           name=f"{int(other)} x ({self.name})")
        self._same(other, "tensor product")
        return GeneratorRepresentation(self.group, _node=("tensor", self._node, other._node),
                                       name=f"({self.name}) (x) ({other.name})")

    def __rmul__(self, other):
        if isinstance(other, (int, np.integer)) and not isinstance(other, bool):
            return self * other
        return NotImplemented

    def _perms(self, perms) -> np.ndarray:
        q = np.asarray(perms)
        if q.dtype.kind not in "iu":
            raise TypeError(f"perms must be an integer array of image arrays, got dtype {q.dtype}")
        if q.ndim == 0 or q.shape[-1] != self.n:
            raise ValueError(f"perms must have shape (..., {self.n}) (image arrays of {self.group.name}), "
                             f"got {q.shape}")
        flat = q.reshape(-1, self.n).astype(np.int64)
        if not np.array_equal(np.sort(flat, axis=1), np.broadcast_to(np.arange(self.n), flat.shape)):
            raise ValueError(f"every row of perms must be a permutation of 0..{self.n - 1}")
        return flat

    def image(self, perms) -> np.ndarray:
        """The matrices ``rho(g)`` of permutations ``g`` (image arrays, shape ``(..., n)``).

        Returns
        -------
        ndarray, shape (..., d, d)

        Examples
        --------
        >>> import numpy as np, groupmat as gm
        >>> from groupmat.reps import young_irrep
        >>> rho = young_irrep(gm.symmetric(4), (2, 2))
        >>> float(np.trace(rho.image([1, 2, 3, 0])))     # chi^(2,2) on a 4-cycle
        0.0
        """
        q = self._perms(perms)
        check_size((q.shape[0], self.dim, self.dim), 8, f"the images of {q.shape[0]} permutations under {self.name}")
        out = _node_image(self._node, q)
        return out.reshape(np.shape(perms)[:-1] + (self.dim, self.dim))

    def character(self, perms=None) -> np.ndarray:
        """The character at permutations (default: at ``G.class_permutations()``, the class order of
        :func:`groupmat.character_table`); sums and products of the summands' characters.

        Returns
        -------
        ndarray
            int64 when every summand is a permutation action or a Young irreducible evaluated on the
            classes (exact), else float/complex traces.
        """
        on_classes = perms is None
        q = self.group.class_permutations() if on_classes else self._perms(perms)
        out = _node_character(self._node, q, self.group if on_classes else None)
        return out if on_classes else out.reshape(np.shape(perms)[:-1])

    def relation_defect(self) -> float:
        """How far the images are from a representation: the largest entry of ``R - I`` over the
        relators ``R`` of the Coxeter-Moser presentation of ``S_n`` in ``t = (0 1)`` and ``c = (0 ... n-1)``:
        ``t^2``, ``c^n``, ``(t c)^(n-1)``, ``(t c^-1 t c)^3`` and ``(t c^-j t c^j)^2`` for ``2 <= j <= n-2``.
        0 up to round-off exactly when the images define a representation; ``O(n)`` products of
        ``d x d`` matrices.

        Examples
        --------
        >>> import numpy as np, groupmat as gm
        >>> from groupmat.reps import GeneratorRepresentation, young_irrep
        >>> G = gm.symmetric(5)
        >>> GeneratorRepresentation(G, np.stack([np.eye(2), np.eye(2)])).relation_defect()
        0.0
        >>> GeneratorRepresentation(G, np.stack([np.eye(2), -np.eye(2)])).relation_defect()   # c^5 = -I
        2.0
        >>> young_irrep(gm.symmetric(12), (10, 2)).relation_defect() < 1e-9
        True
        """
        n = self.n
        if n < 2:
            return 0.0
        A = self.images
        d = self.dim
        eye = np.eye(d)
        T = A[0]
        bad = [np.abs(T @ T - eye).max()]
        if n > 2:
            check_size((n + 1, d, d), 8 * 2, f"the powers of the n-cycle's image in dimension {d}")
            powers = [eye]
            for _ in range(n):
                powers.append(powers[-1] @ A[1])                             # c^0 .. c^n
            P = np.stack(powers)
            bad.append(np.abs(P[n] - eye).max())
            bad.append(np.abs(np.linalg.matrix_power(T @ A[1], n - 1) - eye).max())
            X = T @ P[n - 1] @ T @ A[1]                                      # t c^-1 t c, c^-1 = c^(n-1)
            bad.append(np.abs(X @ X @ X - eye).max())
            if n > 3:
                j = np.arange(2, n - 1)
                Y = T @ P[n - j] @ T @ P[j]                                  # t c^-j t c^j
                bad.append(np.abs(Y @ Y - eye).max())
        return float(max(bad))


def _node_dim(node) -> int:
    if node[0] == "leaf":
        return node[1].dim
    dims = [_node_dim(c) for c in node[1:]]
    return sum(dims) if node[0] == "sum" else math.prod(dims)


def _node_gens(node) -> np.ndarray:
    if node[0] == "leaf":
        return node[1].dense_gens()
    parts = [_node_gens(c) for c in node[1:]]
    return _block_diag(parts) if node[0] == "sum" else _kron(parts[0], parts[1])


def _node_image(node, q: np.ndarray) -> np.ndarray:
    if node[0] == "leaf":
        out = node[1].evaluate(q)
        return _perm_matrices(out) if node[1].kind == "perm" else out
    parts = [_node_image(c, q) for c in node[1:]]
    return _block_diag(parts) if node[0] == "sum" else _kron(parts[0], parts[1])


def _node_character(node, q: np.ndarray, G) -> np.ndarray:
    if node[0] == "leaf":
        leaf = node[1]
        if leaf.kind == "perm":                                          # fixed points of the image
            return (leaf.evaluate(q) == np.arange(leaf.dim)).sum(axis=1).astype(np.int64)
        if leaf.kind == "young" and G is not None:                       # exact, on the classes
            return _irreducible_characters([leaf.shape], G)[0]
        return np.trace(leaf.evaluate(q), axis1=1, axis2=2)
    parts = [_node_character(c, q, G) for c in node[1:]]
    if any(p.dtype == object for p in parts):
        parts = [p.astype(object) for p in parts]
    return sum(parts[1:], parts[0]) if node[0] == "sum" else parts[0] * parts[1]


# ----------------------------------------------------------------------------- Young's irreducibles
def _check_shape(shape, n: int) -> tuple:
    lam = tuple(shape) if isinstance(shape, (tuple, list)) else None
    if lam is None or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in lam):
        raise TypeError(f"shape must be a partition given as a tuple of ints, got {shape!r}")
    lam = tuple(int(v) for v in lam)
    if not lam or lam[-1] < 1 or any(a < b for a, b in zip(lam, lam[1:])) or sum(lam) != n:
        raise ValueError(f"shape must be a partition of {n} (positive, non-increasing parts summing to {n}), "
                         f"got {shape!r}")
    return lam


def young_irrep(G: FiniteGroup, shape) -> GeneratorRepresentation:
    """The irreducible ``S^lambda`` of ``symmetric(n)`` in Young's orthogonal form, by its generators.

    Parameters
    ----------
    G : PermutationGroup
        ``symmetric(n)``, any ``n``.
    shape : tuple of int
        A partition ``lambda`` of ``n``.

    Returns
    -------
    GeneratorRepresentation
        Orthogonal, of degree ``f^lambda`` (hook length formula); the same matrices as the irreducible
        of :func:`groupmat.irreps` for ``lambda`` (``g -> Y(perm(g)^-1)``).

    Raises
    ------
    TypeError, ValueError
        ``shape`` is not a partition of ``n``.
    TooLargeError
        ``f^lambda x f^lambda`` matrices would not fit under ``GROUPMAT_MAX_BYTES``.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.reps import young_irrep
    >>> rho = young_irrep(gm.symmetric(30), (28, 2))
    >>> rho.dim, rho.name
    (405, 'S^(28, 2) of S30')
    """
    G = _check_group(G, "G")
    n = _standard_symmetric(G, "young_irrep")
    lam = _check_shape(shape, n)
    d = hook_length_degrees_of(lam)
    k = generator_count(G)
    check_size((k, d, d), 8 * 2, f"Young's orthogonal form of degree {d} for {list(lam)}",
               how="choose a partition of smaller degree (hook length formula)")
    gens = np.asarray(G.generator_permutations).reshape(k, n)
    Y = young_orthogonal_images(lam, np.argsort(gens, axis=1)) if k else np.ones((0, 1, 1))
    Y.setflags(write=False)
    return GeneratorRepresentation(G, _node=("leaf", _Leaf("young", Y, lam)), name=f"S^{lam} of {G.name}")


def symmetric_irreps(G: FiniteGroup) -> list:
    """All irreducibles of ``symmetric(n)`` in Young's orthogonal form, in the order of
    :func:`~groupmat.reps.symmetric_characters.partitions` (that of :func:`groupmat.irreps`).

    Raises
    ------
    TooLargeError
        The degrees together would not fit under ``GROUPMAT_MAX_BYTES``.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.reps import symmetric_irreps
    >>> [r.dim for r in symmetric_irreps(gm.symmetric(4))]
    [1, 3, 2, 3, 1]
    """
    G = _check_group(G, "G")
    n = _standard_symmetric(G, "symmetric_irreps")
    degrees = hook_length_degrees(n)
    total = sum(int(d) ** 2 for d in degrees)
    check_size((generator_count(G), total), 8 * 2, f"all irreducibles of {G.name}",
               how="ask young_irrep(G, shape) for the ones you need")
    return [young_irrep(G, lam) for lam in partitions(n)]


# ----------------------------------------------------------------------------- characters and multiplicities
def _permutation_character_box(cycle_types: list, box: tuple) -> np.ndarray:
    """``out[c, b_1, ..., b_l]`` = the number of ways to put the cycles of class ``c`` into ``l`` rows
    with lengths ``b`` (the coefficient of ``x^b`` in the power sum ``p_mu(x)``), for ``b`` in ``box``."""
    C = len(cycle_types)
    ell = len(box)
    n = sum(cycle_types[0]) if C else 0
    dtype = np.int64 if ell ** n < 2**62 else object
    check_size((C,) + tuple(b + 1 for b in box), 8, "the permutation characters of Young subgroups")
    out = np.zeros((C,) + tuple(b + 1 for b in box), dtype=dtype)
    out[(slice(None),) + (0,) * ell] = 1
    width = max(len(mu) for mu in cycle_types)
    lengths = np.array([list(mu) + [0] * (width - len(mu)) for mu in cycle_types], dtype=np.int64)
    for slot in range(width):
        new = np.zeros_like(out)
        for L in np.unique(lengths[:, slot]).tolist():
            rows = np.flatnonzero(lengths[:, slot] == L)
            if L == 0:
                new[rows] = out[rows]
                continue
            src = out[rows]
            acc = np.zeros_like(src)
            for i in range(ell):                         # multiply by x_i^L: shift axis i by L
                if L > box[i]:
                    continue
                dst = [slice(None)] * (ell + 1)
                sl = [slice(None)] * (ell + 1)
                dst[i + 1] = slice(L, None)
                sl[i + 1] = slice(0, box[i] + 1 - L)
                acc[tuple(dst)] += src[tuple(sl)]
            new[rows] = acc
        out = new
    return out


def _jacobi_trudi_characters(shapes: list, cycle_types: list) -> list:
    """``chi^lambda`` on the given cycle types: ``det(h_{lambda_i - i + j})`` with ``h_alpha`` the
    permutation character of the Young subgroup ``S_alpha``; through ``lambda'`` (times the sign) when
    that has fewer rows. One table of permutation characters serves all shapes with as many rows."""
    n = sum(cycle_types[0])
    sign = np.array([(-1) ** (n - len(mu)) for mu in cycle_types], dtype=np.int64)
    short = [min(lam, _conjugate(lam), key=len) for lam in shapes]
    boxes = {}
    for mu in short:
        ell = len(mu)
        b = tuple(min(mu[i] - i + ell - 1, n) for i in range(ell))
        boxes[ell] = tuple(max(x, y) for x, y in zip(boxes.get(ell, b), b))
    tables = {ell: _permutation_character_box(cycle_types, b) for ell, b in boxes.items()}
    out = []
    for lam, mu in zip(shapes, short):
        ell = len(mu)
        H = tables[ell]
        total = np.zeros(len(cycle_types), dtype=H.dtype)
        for w in itertools.permutations(range(ell)):
            alpha = tuple(mu[i] - i + w[i] for i in range(ell))
            if min(alpha) < 0:
                continue
            inversions = sum(1 for a in range(ell) for b in range(a + 1, ell) if w[a] > w[b])
            total = total + (-1) ** inversions * H[(slice(None),) + alpha]
        out.append(total if mu == lam else total * sign)
    return out


def _irreducible_characters(shapes: list, G) -> list:
    """Exact characters of the irreducibles ``shapes`` on ``G.class_permutations()`` (Jacobi-Trudi
    or, when cheaper, rows of the Murnaghan-Nakayama table)."""
    types = G.class_cycle_types()
    C = len(types)
    n = G.degree
    # cost of Jacobi-Trudi (terms x box x classes) against the whole table (p(n)^2 classes x n)
    cost_jt = 0
    for lam in shapes:
        mu = min(lam, _conjugate(lam), key=len)
        cost_jt += math.factorial(len(mu)) * C * math.prod(min(mu[i] - i + len(mu) - 1, n) + 1
                                                          for i in range(len(mu)))
    if cost_jt <= C * C * max(n, 1):
        return _jacobi_trudi_characters(shapes, types)
    check_size((C, C), 8, f"the character table of {G.name}")
    T = murnaghan_nakayama_table(n)
    rows = {lam: i for i, lam in enumerate(partitions(n))}
    cols = [rows[tuple(mu)] for mu in types]
    return [T[rows[lam]][cols] for lam in shapes]


def _check_rep(rep, what: str) -> GeneratorRepresentation:
    if not isinstance(rep, GeneratorRepresentation):
        raise TypeError(f"{what} must be a GeneratorRepresentation, got {type(rep).__name__}")
    return rep


def _class_weights(G) -> np.ndarray:
    """``|C| / |G| = 1 / z_mu`` as floats, from the exact class sizes."""
    order = math.factorial(G.degree)
    return np.array([float(Fraction(int(s), order)) for s in G.class_sizes()])


def _inner(chi_a: np.ndarray, chi_b: np.ndarray, w: np.ndarray) -> complex:
    return complex(np.sum(w * chi_a.astype(complex) * np.conj(chi_b.astype(complex))))


def generator_multiplicities(rep: GeneratorRepresentation) -> dict:
    """How often each irreducible ``S^lambda`` occurs in a representation of ``S_n`` by generators.

    Parameters
    ----------
    rep : GeneratorRepresentation

    Returns
    -------
    dict
        ``{lambda: m_lambda}`` for the partitions with ``m_lambda > 0``, in the order of
        :func:`~groupmat.reps.symmetric_characters.partitions`.

    Raises
    ------
    TypeError
        ``rep`` is not a GeneratorRepresentation.
    ValueError
        A multiplicity is not an integer, or the degrees do not add up to ``dim rep`` (the images are
        not a representation).

    Notes
    -----
    .. math:: m_\\lambda = \\frac{1}{n!} \\sum_C |C|\\, \\chi^\\lambda(C)\\, \\overline{\\chi_\\rho(C)}
              = \\sum_\\mu z_\\mu^{-1} \\chi^\\lambda(\\mu) \\overline{\\chi_\\rho(\\mu)}

    over the cycle types ``mu`` (``p(n)`` classes), with the weights ``1/z_mu`` exact fractions
    rounded once to float64 and ``chi^lambda`` exact integers, only for the ``lambda`` with
    ``f^lambda <= dim rep``. By Cauchy-Schwarz the sum of the absolute terms is at most
    ``||chi_rho|| = (sum_lambda m_lambda^2)^(1/2)``, so the float sum is accurate to about
    ``p(n) eps ||chi_rho||``, whatever the size of the characters; each ``m`` is checked to be that
    close to an integer and ``sum m_lambda f^lambda = dim rep`` is checked exactly.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.reps import GeneratorRepresentation, natural_action, generator_multiplicities
    >>> V = GeneratorRepresentation.from_action(natural_action(gm.symmetric(30)))
    >>> generator_multiplicities(V * V)
    {(30,): 2, (29, 1): 3, (28, 2): 1, (28, 1, 1): 1}
    """
    rep = _check_rep(rep, "rep")
    G = rep.group
    n = rep.n
    chi = rep.character()
    w = _class_weights(G)
    degrees = hook_length_degrees(n)
    shapes = [lam for lam, f in zip(partitions(n), degrees.tolist()) if int(f) <= rep.dim]
    chars = _irreducible_characters(shapes, G)
    chi_f = np.asarray(chi.astype(complex) if chi.dtype == object else chi, dtype=complex)
    norm = math.sqrt(max(_inner(chi_f, chi_f, w).real, 0.0))
    tol = max(integrality_tol(np.float64), roundoff(np.float64, scale=norm, terms=len(w)))
    out = {}
    total = 0
    for lam, psi in zip(shapes, chars):
        m = _inner(np.asarray(psi, dtype=float), chi_f, w)               # chi^lambda is real
        if abs(m - round(m.real)) > tol:
            raise ValueError(f"rep has a non-integer multiplicity {m:.6g} of S^{lam}: its images are not a "
                             "representation of the group")
        m = int(round(m.real))
        if m:
            out[lam] = m
            total += m * hook_length_degrees_of(lam)
    if total != rep.dim:
        raise ValueError(f"the multiplicities account for dimension {total}, not dim rep = {rep.dim}: its "
                         "images are not a representation of the group")
    return out


# ----------------------------------------------------------------------------- equivariant maps
def generator_hom_dimension(rep_in: GeneratorRepresentation, rep_out: GeneratorRepresentation) -> int:
    """``dim Hom_G(rep_in, rep_out) = (1/n!) sum_C |C| conj(chi_in(C)) chi_out(C)`` (rounded, checked).

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.reps import GeneratorRepresentation, natural_action, generator_hom_dimension
    >>> V = GeneratorRepresentation.from_action(natural_action(gm.symmetric(9)))
    >>> generator_hom_dimension(V * V, V * V)                # Bell(4)
    15
    """
    _check_rep(rep_in, "rep_in"), _check_rep(rep_out, "rep_out")
    if rep_in.group is not rep_out.group:
        raise ValueError("rep_in and rep_out must be representations of one group object")
    w = _class_weights(rep_in.group)
    a, b = (np.asarray(chi, dtype=float) if chi.dtype == object else chi
            for chi in (rep_in.character(), rep_out.character()))
    h = _inner(b, a, w)
    scale = math.sqrt(abs(_inner(a, a, w)) * abs(_inner(b, b, w)))
    if abs(h - round(h.real)) > max(integrality_tol(np.float64), roundoff(np.float64, scale=scale, terms=len(w))):
        raise ValueError(f"the character inner product {h:.6g} is not an integer: an argument is not a representation")
    return int(round(h.real))


def generator_hom_basis(rep_in: GeneratorRepresentation, rep_out: GeneratorRepresentation,
                        tol: float | None = None) -> np.ndarray:
    """An orthonormal basis (Frobenius) of the maps ``W`` with ``W rho_in(s) = rho_out(s) W`` for the
    generators ``s``, that is of ``Hom_G(rep_in, rep_out)``.

    Parameters
    ----------
    rep_in, rep_out : GeneratorRepresentation
    tol : float, optional
        Singular values at most ``tol`` count as zero; default ``tolerances.rank_tol``.

    Returns
    -------
    ndarray, shape (dim, d_out, d_in)

    Raises
    ------
    ValueError
        The null space's dimension differs from the character count :func:`generator_hom_dimension`.
    TooLargeError
        The stacked constraints ``(k d_out d_in, d_out d_in)`` would not fit the memory budget.

    Notes
    -----
    Row-major ``vec(A W B) = (A (x) B^T) vec(W)``, so the constraints are the null space of the stack
    of ``I (x) rho_in(s)^T - rho_out(s) (x) I`` over the generators (SVD).

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.reps import young_irrep, generator_hom_basis
    >>> rho = young_irrep(gm.symmetric(7), (5, 2))
    >>> generator_hom_basis(rho, rho).shape
    (1, 14, 14)
    """
    _check_rep(rep_in, "rep_in"), _check_rep(rep_out, "rep_out")
    if rep_in.group is not rep_out.group:
        raise ValueError("rep_in and rep_out must be representations of one group object")
    di, do = rep_in.dim, rep_out.dim
    k = generator_count(rep_in.group)
    expected = generator_hom_dimension(rep_in, rep_out)
    check_size((max(expected, 1), do, di), 8, f"a basis of {expected} equivariant {do} x {di} maps")
    out = np.zeros((expected, do, di))
    # Hom(sum_a A_a, sum_b B_b) = sum_{a, b} Hom(A_a, B_b): one SVD per pair of summands
    found = 0
    done = {}
    for bo, onode in _summands(rep_out._node):
        for ai, inode in _summands(rep_in._node):
            key = (id(inode), id(onode))
            if key not in done:
                done[key] = _svd_hom_basis(inode, onode, k, tol)
            N = done[key]
            if found + N.shape[0] > expected:
                found += N.shape[0]
                break
            out[found:found + N.shape[0], bo:bo + N.shape[1], ai:ai + N.shape[2]] = N
            found += N.shape[0]
    if found != expected:
        raise ValueError(f"the generators' constraints leave {found if found <= expected else 'more'} equivariant "
                         f"maps, but the characters count {expected}: the images are not representations (or "
                         f"tol={tol} is off)")
    return out


def _summands(node, offset: int = 0) -> list:
    """``[(offset, node)]`` of the top-level direct summands."""
    if node[0] != "sum":
        return [(offset, node)]
    out = []
    for c in node[1:]:
        out.extend(_summands(c, offset))
        offset += _node_dim(c)
    return out


def _svd_hom_basis(inode, onode, k: int, tol) -> np.ndarray:
    """The null space of the stacked constraints ``I (x) A(s)^T - B(s) (x) I`` (row-major ``vec W``)."""
    di, do = _node_dim(inode), _node_dim(onode)
    D = di * do
    check_size((max(k, 1) * D, D), 8 * 3, f"the equivariance constraints of {do} x {di} maps",
               how="use smaller representations (or PermutationActions and orbit_basis)")
    if k == 0:
        return np.eye(D).reshape(D, do, di)
    A, B = _node_gens(inode), _node_gens(onode)
    K = np.concatenate([np.kron(np.eye(do), A[s].T) - np.kron(B[s], np.eye(di)) for s in range(k)])
    _, sv, Vt = np.linalg.svd(K, full_matrices=False)              # K is tall: Vt is (D, D)
    cut = rank_tol(sv, K.shape) if tol is None else float(tol)
    return Vt[int(np.sum(sv > cut)):].reshape(-1, do, di)


def generator_project(W, rep_in: GeneratorRepresentation, rep_out: GeneratorRepresentation) -> np.ndarray:
    """The orthogonal projection of ``W`` onto ``Hom_G(rep_in, rep_out)`` (the Reynolds projection
    when both representations are orthogonal).

    Parameters
    ----------
    W : array_like, shape (..., d_out, d_in)
    rep_in, rep_out : GeneratorRepresentation

    Returns
    -------
    ndarray, shape (..., d_out, d_in)

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> from groupmat.reps import GeneratorRepresentation, natural_action, generator_project
    >>> V = GeneratorRepresentation.from_action(natural_action(gm.symmetric(6)))
    >>> P = generator_project(np.arange(36.0).reshape(6, 6), V, V)     # a I + b J
    >>> bool(np.allclose(P, P[0, 0] * np.eye(6) + P[0, 1] * (1 - np.eye(6))))
    True
    """
    X = np.asarray(W)
    if X.dtype == object or X.dtype.kind not in "iufc":
        raise TypeError(f"W must be a numeric array, got dtype {X.dtype}")
    _check_rep(rep_in, "rep_in"), _check_rep(rep_out, "rep_out")
    if X.ndim < 2 or X.shape[-2:] != (rep_out.dim, rep_in.dim):
        raise ValueError(f"W must have shape (..., d_out, d_in) = (..., {rep_out.dim}, {rep_in.dim}), got {X.shape}")
    N = generator_hom_basis(rep_in, rep_out)
    coeff = np.einsum("kij,...ij->...k", N, X)                           # <N_k, W>_F
    return np.einsum("...k,kij->...ij", coeff, N)


def generator_decompose(rep: GeneratorRepresentation) -> tuple:
    """An orthogonal change of basis to Young's irreducibles, ``Q^T rho(g) Q = blockdiag(...)``.

    Returns
    -------
    Q : ndarray, shape (d, d)
        Orthogonal when ``rep`` is; the blocks in the order of the partitions, each irreducible
        repeated by its multiplicity.
    parts : list of (GeneratorRepresentation, int)
        :func:`young_irrep` of each ``lambda`` that occurs, with its multiplicity.

    Raises
    ------
    TooLargeError
        The intertwiner constraints ``(k d f^lambda, d f^lambda)`` would not fit the memory budget
        (use :func:`generator_multiplicities`, which has no such limit).

    Notes
    -----
    For orthogonal representations, Schur's lemma makes ``T_a^T T_b = (<T_a, T_b>_F / f^lambda) I`` for
    intertwiners ``T: S^lambda -> rho``, so an orthonormal basis of ``Hom_G(S^lambda, rho)`` scaled by
    ``sqrt(f^lambda)`` gives isometries with orthogonal images.

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> from groupmat.reps import GeneratorRepresentation, natural_action, generator_decompose
    >>> G = gm.symmetric(5)
    >>> Q, parts = generator_decompose(GeneratorRepresentation.from_action(natural_action(G)))
    >>> [(p.dim, m) for p, m in parts], bool(np.allclose(Q.T @ Q, np.eye(5)))
    ([(1, 1), (4, 1)], True)
    """
    rep = _check_rep(rep, "rep")
    mult = generator_multiplicities(rep)
    cols, parts = [], []
    for lam, m in mult.items():
        Y = young_irrep(rep.group, lam)
        N = generator_hom_basis(Y, rep)                                  # (m, d, f)
        cols.extend(N * math.sqrt(Y.dim))
        parts.append((Y, m))
    return np.concatenate(cols, axis=1), parts


# ----------------------------------------------------------------------------- sparse Fourier transform
def fourier_sparse(G: FiniteGroup, perms, values, shapes=None) -> list:
    """The Fourier transform ``xhat(lambda) = sum_i values[i] rho_lambda(perms[i])`` of a function on
    ``S_n`` supported on a few permutations, for any ``n``.

    Parameters
    ----------
    G : PermutationGroup
        ``symmetric(n)``.
    perms : array_like of int, shape (m, n)
        The support (image arrays; repeats add up).
    values : array_like, shape (m,)
        ``x(perms[i])``.
    shapes : list of partitions, optional
        The irreducibles (default: all, in the order of :func:`groupmat.irreps`; only sensible for
        small ``n``).

    Returns
    -------
    list of ndarray
        ``f^lambda x f^lambda`` matrices, Young's orthogonal form, the convention of
        :func:`groupmat.fourier` (``xhat(rho) = sum_g x(g) rho(g)``).

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> from groupmat.reps import fourier_sparse
    >>> G = gm.symmetric(40)
    >>> X = fourier_sparse(G, [np.arange(40), np.roll(np.arange(40), 1)], [1.0, 2.0], shapes=[(40,), (39, 1)])
    >>> float(X[0][0, 0]), X[1].shape
    (3.0, (39, 39))
    """
    G = _check_group(G, "G")
    n = _standard_symmetric(G, "fourier_sparse")
    q = np.asarray(perms)
    if q.dtype.kind not in "iu" or q.ndim != 2 or q.shape[1] != n:
        raise ValueError(f"perms must be an integer array of shape (m, {n}), got {q.shape} of dtype {q.dtype}")
    v = np.asarray(values)
    if v.dtype == object or v.dtype.kind not in "iufc":
        raise TypeError(f"values must be a numeric array, got dtype {v.dtype}")
    if v.shape != (q.shape[0],):
        raise ValueError(f"values must have shape ({q.shape[0]},) (one per permutation), got {v.shape}")
    check_finite(v, "values")
    if not np.array_equal(np.sort(q, axis=1), np.broadcast_to(np.arange(n), q.shape)):
        raise ValueError(f"every row of perms must be a permutation of 0..{n - 1}")
    shapes = partitions(n) if shapes is None else [_check_shape(s, n) for s in shapes]
    inv = np.argsort(q, axis=1)
    # rho_lambda(g) = Y(perm(g)^-1): the batch of images, weighted and summed
    return [np.einsum("m,mij->ij", v, young_orthogonal_images(lam, inv)) for lam in shapes]
