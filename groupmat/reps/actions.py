"""Permutation representations known by their generators: the representation of a group too large to
enumerate, on points, tensor powers of points, and direct sums of those.

A :class:`PermutationAction` holds, for each generator ``s`` of the group, the permutation ``p_s`` of
its points with ``rho(s) e_i = e_{p_s[i]}`` (the convention of
:class:`~groupmat.reps.PermutationRepresentation`, whose ``perms[s]`` is exactly ``p_s``). That is all
an equivariant basis of permutation representations needs: ``Hom_G(V, W)`` is spanned by the
indicators of the orbits of ``G`` on index pairs, and the orbits of a group are the orbits of its
generators. Nothing here enumerates the group.

The algebra follows the representations': ``V + W`` (direct sum: the points side by side), ``V * W``
(tensor product: pairs of points, row-major), ``V ** k``. A tensor product keeps its factors, so the
orbits on ``k``-tuples can be found factor by factor (:mod:`groupmat.equivariance.orbits`) instead of
on all ``d^k`` tuples at once.

Examples
--------
>>> import groupmat as gm
>>> from groupmat.reps import natural_action
>>> V = natural_action(gm.symmetric(5))
>>> V.dim, (V ** 2).dim, (V + V * V).dim
(5, 25, 30)
>>> [b.shape for b in (V + V * V).blocks]
[(5,), (5, 5)]
"""
from __future__ import annotations

import numpy as np

from .._validation import check_name, check_positive_int, check_same_group, check_size
from ..groups.core import FiniteGroup
from ..groups.core import check_group as _check_group

__all__ = ["PermutationAction", "ActionBlock", "natural_action", "generator_count"]


class ActionBlock:
    """One summand of a :class:`PermutationAction`: a tensor product of factors on ``d_1 x ... x d_m``
    points (row-major), each factor given by its generator images, shape ``(k, d_i)``.

    Attributes
    ----------
    factors : tuple of ndarray
        ``factors[i][j]`` is the permutation of generator ``j`` on the points of factor ``i``
        (read-only, int64).
    shape : tuple of int
        ``(d_1, ..., d_m)``.
    dim : int
        ``d_1 ... d_m`` (a Python int: it may exceed what could be stored).
    """

    __slots__ = ("factors", "shape", "dim")

    def __init__(self, factors):
        self.factors = tuple(factors)
        self.shape = tuple(int(f.shape[1]) for f in self.factors)
        self.dim = int(np.prod(self.shape, dtype=object))

    def __repr__(self) -> str:
        return f"<ActionBlock on {' x '.join(map(str, self.shape))} points>"

    def images(self) -> np.ndarray:
        """The generators' permutations of all ``dim`` points, shape ``(k, dim)`` (built on request)."""
        k = self.factors[0].shape[0]
        check_size((k, self.dim), 8, f"the generator images on the {self.dim} points of a tensor product",
                   how="the orbits of a tensor product are found factor by factor without them")
        out = np.zeros((k, 1), dtype=np.int64)
        for f in self.factors:
            d = f.shape[1]
            out = (out[:, :, None] * d + f[:, None, :]).reshape(k, -1)
        return out


def generator_count(G: FiniteGroup) -> int:
    """How many generators an action of ``G`` gives images for: ``len(G.generators)``, or for a
    permutation group too large for element indices (``S_21`` and up), its ``generator_permutations``.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.reps.actions import generator_count
    >>> generator_count(gm.dihedral(5)), generator_count(gm.symmetric(30))   # S_30: no element indices
    (2, 2)
    """
    if G.generators or not hasattr(G, "generator_permutations"):
        return len(G.generators)
    return len(G.generator_permutations)


def _check_images(G: FiniteGroup, images) -> np.ndarray:
    P = np.asarray(images)
    k = generator_count(G)
    if P.dtype.kind not in "iu":
        raise TypeError(f"images must be an integer array (one permutation per generator), got dtype {P.dtype}")
    if P.ndim != 2 or P.shape[0] != k:
        raise ValueError(f"images must have shape (number of generators of {G.name}, d) = ({k}, d), got {P.shape}")
    d = P.shape[1]
    if d == 0:
        raise ValueError("images must permute at least one point (d >= 1)")
    bad = ~(np.sort(P, axis=1) == np.arange(d)).all(axis=1)
    if bad.any():
        j = int(np.flatnonzero(bad)[0])
        raise ValueError(f"images[{j}] (the image of generator {j} of {G.name}) is not a permutation of 0..{d - 1}")
    out = P.astype(np.int64)
    out.setflags(write=False)
    return out


class PermutationAction:
    """A permutation representation of ``G`` given by the images of its generators.

    ``rho(s) e_i = e_{images[j, i]}`` for the ``j``-th generator ``s = G.generators[j]``. The
    homomorphism is not checked (that would need the group's relations, or its elements): the
    images of the generators of a permutation group always define one (:func:`natural_action`), and
    :meth:`from_representation` reads them off a checked representation.

    Parameters
    ----------
    group : FiniteGroup
    images : array_like of int, shape (len(group.generators), d)
        One permutation of ``0..d-1`` per generator.
    name : str, optional

    Attributes
    ----------
    group : FiniteGroup
    blocks : tuple of ActionBlock
        The summands, each a tensor product of factors.
    dim : int
        The number of points (a Python int).

    See Also
    --------
    natural_action, groupmat.equivariance.orbit_basis

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.reps import PermutationAction
    >>> C4 = gm.cyclic(4)
    >>> V = PermutationAction(C4, [[1, 2, 3, 0]])          # the generator r shifts the points
    >>> V.dim, (V * V).dim, V.name
    (4, 16, 'action of C4 on 4 points')
    >>> rho = gm.regular_representation(C4)
    >>> PermutationAction.from_representation(rho).blocks[0].factors[0].tolist()
    [[1, 2, 3, 0]]
    """

    def __init__(self, group: FiniteGroup, images=None, name: str | None = None, *, blocks=None):
        self.group = _check_group(group, "group")
        if blocks is None:
            blocks = (ActionBlock((_check_images(self.group, images),)),)
        self.blocks = tuple(blocks)
        self.dim = sum(b.dim for b in self.blocks)
        self.name = check_name(name, f"action of {self.group.name} on {self.dim} points")

    @classmethod
    def from_representation(cls, rep) -> "PermutationAction":
        """The action of a :class:`~groupmat.reps.PermutationRepresentation` (its generators' rows)."""
        perms = getattr(rep, "perms", None)
        if perms is None or not getattr(rep, "is_permutation", False):
            raise TypeError(f"rep must be a permutation representation, got {type(rep).__name__}")
        G = rep.group
        return cls(G, np.asarray(perms)[list(G.generators)].reshape(len(G.generators), rep.dim), name=rep.name)

    def __repr__(self) -> str:
        return f"<PermutationAction {self.name!r}: {' + '.join(_block_text(b) for b in self.blocks)}>"

    def _same_group(self, other, op: str) -> None:
        if not isinstance(other, PermutationAction):
            raise TypeError(f"{op} needs two PermutationActions, got {type(other).__name__}")
        check_same_group(self, other, (f"the {op}'s left action", "its right action"))

    def __add__(self, other) -> "PermutationAction":
        self._same_group(other, "direct sum")
        return PermutationAction(self.group, blocks=self.blocks + other.blocks,
                                 name=f"{self.name} + {other.name}")

    def __mul__(self, other) -> "PermutationAction":
        if isinstance(other, (int, np.integer)) and not isinstance(other, bool):
            copies = check_positive_int(other, "copies")
            return PermutationAction(self.group, blocks=self.blocks * copies, name=f"{copies} x ({self.name})")
        self._same_group(other, "tensor product")
        blocks = tuple(ActionBlock(a.factors + b.factors) for a in self.blocks for b in other.blocks)
        return PermutationAction(self.group, blocks=blocks, name=f"({self.name}) (x) ({other.name})")

    def __rmul__(self, other) -> "PermutationAction":
        if isinstance(other, (int, np.integer)) and not isinstance(other, bool):
            return self * other
        return NotImplemented

    def __pow__(self, k: int) -> "PermutationAction":
        k = check_positive_int(k, "k")
        out = self
        for _ in range(k - 1):
            out = out * self
        out.name = f"({self.name})^{k}" if k > 1 else self.name
        return out


def _block_text(b: ActionBlock) -> str:
    return " (x) ".join(f"{d} points" for d in b.shape)


def natural_action(G) -> PermutationAction:
    """The action of a permutation group on its points, from its generators only.

    The images are those of :func:`groupmat.reps.natural_representation` (``rho(g) e_i =
    e_{i^(g^-1)}``), read for the generators alone, so nothing is enumerated: this works for any
    group that can give the permutation of each of its generators.

    Parameters
    ----------
    G : PermutationGroup
        A group from :func:`symmetric`, :func:`alternating`, :func:`from_permutations` or
        :func:`from_sympy`.

    Returns
    -------
    PermutationAction
        On ``G.degree`` points.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.reps import natural_action, natural_representation, PermutationAction
    >>> G = gm.symmetric(4)
    >>> V = natural_action(G)
    >>> W = PermutationAction.from_representation(natural_representation(G))
    >>> bool((V.blocks[0].factors[0] == W.blocks[0].factors[0]).all())
    True
    """
    G = _check_group(G, "G")
    gens = getattr(G, "generator_permutations", None)
    if gens is None:
        raise TypeError(f"G must be a permutation group (symmetric, alternating, from_permutations), got "
                        f"{type(G).__name__}")
    gens = np.asarray(gens, dtype=np.int64).reshape(generator_count(G), G.degree)
    check_size(gens.shape, 8, f"the generator images of the natural action of {G.name}")
    images = np.empty_like(gens)
    rows = np.arange(gens.shape[0])[:, None]
    images[rows, gens] = np.arange(gens.shape[1])[None, :]   # rho(s) e_i = e_{i^(s^-1)}: the inverses
    return PermutationAction(G, images, name=f"natural action of {G.name}")
