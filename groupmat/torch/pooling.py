"""Pooling of signals on a group over the cosets of a subgroup, its transpose, and the GM stride pooling.

A signal ``x`` on ``G`` (last axis ``|G|``, in the group's element order) is pooled over a partition of
``G`` into blocks, by max or mean, giving one value per block:

- :class:`CosetPool` pools over the left cosets ``g H`` (or the right cosets ``H g``) of a subgroup
  ``H``: a signal on the coset space ``G/H``. Left translation permutes left cosets,
  ``k (g H) = (k g) H``, so left coset pooling commutes with the left regular action
  ``(L(k) x)(g) = x(k^-1 g)``. When ``H`` is normal ``G/H`` is a group
  (:func:`groupmat.groups.quotient_group`) and the output is a signal on it, ready for a
  :class:`~groupmat.torch.GroupConv` on ``G/H``.
- :class:`CosetUnpool` is the transpose: ``U y (g) = y(gH) / |H|`` is the adjoint of mean pooling;
  given the argmax indices of a max pooling, it puts each value back where the max came from (the
  transpose of the max pooling's Jacobian).
- :class:`StridePool` is the pooling of the GM-CNN: a max (or mean) over the small window
  ``h N`` around each element ``h`` of the even subgroup ``E`` (:func:`groupmat.groups.even_subgroup`),
  with ``N`` one representative per coset of ``E`` (``{e, r}`` in each factor): a 2 x 2 window with
  stride 2 on ``C_n x C_n``. The output is a signal on the structured group isomorphic to ``E``
  (``C_(n/2)``, ``D_(n/2)``, products), equivariant under the translations by ``E``, as a stride-2
  max pooling is under even shifts.
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .._validation import as_element_array, check_choice, check_size
from ..groups.core import FiniteGroup, check_group
from ..groups.subgroups import coset_index, even_subgroup, even_subgroup_group, quotient_group

__all__ = ["CosetPool", "CosetUnpool", "StridePool"]

REDUCTIONS = ("max", "mean")
SIDES = ("left", "right")


def _check_group_signal(x, n: int, name: str = "x") -> None:
    """A tensor whose last axis has length ``n`` (any leading shape)."""
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of shape (..., {n}), got {type(x).__name__}")
    if x.dim() == 0 or x.shape[-1] != n:
        raise ValueError(f"{name} must have last axis of length {n}, got shape {tuple(x.shape)}")


def _check_reducible(x: torch.Tensor, reduce: str, name: str = "x") -> None:
    """A signal the reduction can pool: a mean needs floating-point or complex values (as torch's
    ``avg_pool`` refuses integers), a max needs real ones (complex numbers are not ordered)."""
    if reduce == "mean" and not (x.is_floating_point() or x.is_complex()):
        raise TypeError(f"{name} must be a floating-point or complex tensor for reduce='mean' (a mean of integers is "
                        f"not an integer; torch's avg_pool refuses them too), got dtype {x.dtype}: convert it, "
                        f"e.g. {name}.to(torch.float32)")
    if reduce == "max" and x.is_complex():
        raise TypeError(f"{name} must be real for reduce='max' (complex numbers are not ordered), got dtype {x.dtype}: "
                        f"pool {name}.abs() or use reduce='mean'")


def _coset_plan(G: FiniteGroup, H, side: str):
    """``(blocks, out_index, quotient)``: ``blocks[c]`` the elements of output block ``c`` (sorted),
    ``out_index[g]`` the block of ``g``, and the quotient group (None unless ``H`` is normal)."""
    index = coset_index(G, H, side)                  # checks that H is a subgroup of G
    members = np.flatnonzero(index == 0)
    quotient = None
    if G.is_normal(members):
        # G/H a group: output position = the element of G/H (the structured quotient when recognised)
        quotient, index = quotient_group(G, members)
    m = int(index.max()) + 1
    check_size((G.order,), 16, f"the coset pooling index of {G.name}")
    # the elements of each block, block by block (a stable sort keeps them sorted within a block)
    blocks = np.argsort(index, kind="stable").reshape(m, G.order // m)
    return blocks, np.asarray(index, dtype=np.int64), quotient


class CosetPool(nn.Module):
    """Max or mean pooling of a signal on ``G`` over the cosets of a subgroup ``H``.

    ``y[..., c] = reduce_{g in c} x[..., g]`` for each coset ``c`` (left ``g H`` or right ``H g``).

    Parameters
    ----------
    G : FiniteGroup
    H : Subgroup of G or array_like of int
        A subgroup made by ``G.subgroup(...)``, :func:`~groupmat.groups.even_subgroup`,
        :func:`~groupmat.groups.stride_subgroup`, or its element indices (checked to be a subgroup).
    reduce : {"max", "mean"}
    side : {"left", "right"}
        Pool over the left cosets ``g H`` (default) or the right cosets ``H g``.
    return_indices : bool
        With ``reduce="max"``, ``forward`` also returns the element of ``G`` where each max was
        taken (for :class:`CosetUnpool`).

    Attributes
    ----------
    quotient : FiniteGroup or None
        ``G/H`` when ``H`` is normal (:func:`groupmat.groups.quotient_group`): output position ``q`` is
        the element ``q`` of this group. None otherwise.
    coset_map : ndarray of int64, shape (|G|,)
        ``coset_map[g]`` is the output position of the coset of ``g``. When ``H`` is not normal the
        cosets are numbered as :func:`groupmat.groups.coset_index` numbers them (``H`` first, then by
        smallest element).
    out_size : int
        ``|G| / |H|``.

    Raises
    ------
    TypeError, ValueError
        At construction: ``H`` not a subgroup of ``G``, an unknown ``reduce`` or ``side``. At
        ``forward``: ``x`` not a tensor with last axis ``|G|`` (ValueError), integer or boolean ``x``
        with ``reduce="mean"`` or complex ``x`` with ``reduce="max"`` (TypeError naming ``x``: as
        torch's ``avg_pool``, no mean of integers).

    Notes
    -----
    Equivariance (tested exactly): left cosets, ``pool(L(k) x)[c] = pool(x)[k^-1 c]``, which for a
    normal ``H`` is the left regular action of ``q(k)`` on ``G/H``:
    ``pool(L(k) x) = L_{G/H}(q(k)) pool(x)``. Right cosets commute with the right action
    ``(R(k) x)(g) = x(g k)``: ``pool(R(k) x)[H g] = pool(x)[H g k]``.

    Examples
    --------
    >>> import groupmat as gm, torch
    >>> from groupmat.groups import stride_subgroup
    >>> from groupmat.torch import CosetPool
    >>> G = gm.cyclic(6)
    >>> pool = CosetPool(G, stride_subgroup(G))           # cosets {g, g + 3}: onto C3
    >>> pool.quotient.name, pool(torch.arange(6.0)).tolist()
    ('C3', [3.0, 4.0, 5.0])
    >>> CosetPool(G, [0, 2, 4], reduce="mean")(torch.arange(6.0)).tolist()
    [2.0, 3.0]
    """

    def __init__(self, G: FiniteGroup, H, reduce: str = "max", side: str = "left", return_indices: bool = False):
        super().__init__()
        self.group = check_group(G)
        self.reduce = check_choice(reduce, "reduce", REDUCTIONS)
        self.side = check_choice(side, "side", SIDES)
        if return_indices and reduce != "max":
            raise ValueError(f"return_indices=True needs reduce='max', got reduce={reduce!r}")
        self.return_indices = bool(return_indices)
        blocks, coset_map, self.quotient = _coset_plan(self.group, H, self.side)
        self.coset_map = np.array(coset_map)              # a copy the caller may index torch tensors with
        self.out_size, self.subgroup_order = blocks.shape
        self.register_buffer("blocks", torch.as_tensor(blocks, dtype=torch.long), persistent=False)

    def forward(self, x: torch.Tensor):
        _check_group_signal(x, self.group.order)
        _check_reducible(x, self.reduce)
        xb = x[..., self.blocks]                          # (..., |G/H|, |H|): x over each coset
        if self.reduce == "mean":
            return xb.mean(dim=-1)
        y, arg = xb.max(dim=-1)
        if self.return_indices:
            return y, self.blocks.to(arg.device)[torch.arange(self.out_size, device=arg.device), arg]
        return y

    def extra_repr(self) -> str:
        return (f"{self.group.name}, |H|={self.subgroup_order}, reduce={self.reduce!r}, side={self.side!r}, "
                f"out={self.quotient.name if self.quotient is not None else self.out_size}")


class CosetUnpool(nn.Module):
    """The transpose of :class:`CosetPool`: a signal on the cosets back to a signal on ``G``.

    Without indices, ``U y (g) = y(c(g)) / |H|`` (``c(g)`` the coset of ``g``): the adjoint of mean
    pooling, ``<P_mean x, y> = <x, U y>``. With the argmax ``indices`` of a max pooling
    (``CosetPool(..., return_indices=True)``), each value goes back to the element its max came
    from and the rest is zero: the transpose of the max pooling's Jacobian at that input.

    Parameters
    ----------
    G : FiniteGroup
    H : Subgroup of G or array_like of int
    side : {"left", "right"}
        As for the :class:`CosetPool` it undoes (same coset numbering, same quotient group).

    Raises
    ------
    TypeError, ValueError
        At ``forward``: ``y`` not a tensor with last axis ``|G/H|``; ``indices`` not an integer tensor
        (TypeError naming its dtype), not of the shape of ``y``, holding an element index outside
        ``0 .. |G| - 1`` or, at output position ``c``, an element outside the coset ``c`` (ValueError
        naming ``indices``).

    Examples
    --------
    >>> import groupmat as gm, torch
    >>> from groupmat.torch import CosetPool, CosetUnpool
    >>> CosetUnpool(gm.cyclic(4), [0, 2])(torch.tensor([1.0, 3.0])).tolist()
    [0.5, 1.5, 0.5, 1.5]
    >>> pool = CosetPool(gm.cyclic(4), [0, 2], return_indices=True)
    >>> y, idx = pool(torch.tensor([4.0, 1.0, 2.0, 3.0]))
    >>> idx.tolist(), CosetUnpool(gm.cyclic(4), [0, 2])(y, idx).tolist()   # the maxima back in place
    ([0, 3], [4.0, 0.0, 0.0, 3.0])
    """

    def __init__(self, G: FiniteGroup, H, side: str = "left"):
        super().__init__()
        self.group = check_group(G)
        self.side = check_choice(side, "side", SIDES)
        blocks, coset_map, self.quotient = _coset_plan(self.group, H, self.side)
        self.out_size, self.subgroup_order = blocks.shape
        self.register_buffer("coset_map", torch.tensor(np.array(coset_map), dtype=torch.long), persistent=False)

    def forward(self, y: torch.Tensor, indices: torch.Tensor | None = None) -> torch.Tensor:
        _check_group_signal(y, self.out_size, "y")
        if indices is None:
            _check_reducible(y, "mean", "y")                         # the transpose of a mean: y / |H|
            return y[..., self.coset_map] / self.subgroup_order      # y(c(g)) / |H|
        indices = self._check_indices(indices, y)
        out = y.new_zeros(*y.shape[:-1], self.group.order)
        return out.scatter(-1, indices, y)

    def _check_indices(self, indices, y: torch.Tensor) -> torch.Tensor:
        """The argmax indices as int64: an integer tensor of the shape of ``y`` whose entry at output
        position ``c`` is an element of ``G`` in the coset ``c`` (as ``CosetPool`` returns them)."""
        what = "indices must be the argmax tensor of CosetPool(..., return_indices=True)"
        n = self.group.order
        if not isinstance(indices, torch.Tensor):
            raise TypeError(f"{what}, a torch.Tensor of integers, got {type(indices).__name__}")
        if indices.is_floating_point() or indices.is_complex() or indices.dtype == torch.bool:
            raise TypeError(f"{what}, of an integer dtype (int64), got dtype {indices.dtype}: element indices are "
                            f"integers (convert with indices.long() if they are whole numbers)")
        if indices.shape != y.shape:
            raise ValueError(f"{what}, of the shape of y {tuple(y.shape)}, got shape {tuple(indices.shape)}")
        indices = indices.long()
        if indices.numel():
            low, high = int(indices.min()), int(indices.max())
            if low < 0 or high >= n:
                bad = low if low < 0 else high
                raise ValueError(f"{what}: element indices of {self.group.name} in 0..{n - 1}, got {bad}")
            cosets = self.coset_map.to(indices.device)[indices]
            wrong = cosets != torch.arange(self.out_size, device=indices.device)
            if bool(wrong.any()):
                pos = tuple(int(v) for v in wrong.nonzero()[0])
                raise ValueError(f"{what}: the entry at output position c is an element of coset c, got element "
                                 f"{int(indices[pos])} (coset {int(cosets[pos])}) at position {pos[-1]}; were they "
                                 f"made by a pooling over other cosets (side, subgroup)?")
        return indices

    def extra_repr(self) -> str:
        return f"{self.group.name}, |H|={self.subgroup_order}, side={self.side!r}"


class StridePool(nn.Module):
    """The stride-2 pooling of a GM network: pool around the even elements, land on the halved group.

    ``y[..., j] = reduce_{t in N} x[..., e_j t]`` with ``e_j = embedding[j]`` the even element that is
    element ``j`` of ``K`` (:func:`groupmat.groups.even_subgroup_group`: ``C_(n/2)``, ``D_(n/2)``, their
    products) and ``N`` the window. The default window is the smallest element of each coset of the
    even subgroup ``E``, ``{e, r}`` in each ``C_n`` or ``D_n`` factor (all of a ``C_2^k`` factor): the
    blocks ``e_j N`` then partition ``G`` (``G = E N``, ``E`` normal), a 2 x 2 window with stride 2 on
    ``C_n x C_n``.

    Parameters
    ----------
    G : FiniteGroup
        A product of cyclic and dihedral groups with even ``n`` (and sign groups), as
        :func:`groupmat.groups.even_subgroup` takes.
    reduce : {"max", "mean"}
    window : sequence of int, optional
        Element indices of ``G`` (distinct, containing the identity) to pool over around each even
        element; a larger window overlaps (as a 3 x 3 max pooling with stride 2).

    Attributes
    ----------
    out_group : FiniteGroup
        The group ``K`` the output lives on (feed it to the next ``GroupConv``).
    embedding : ndarray of int64
        ``embedding[j]``, the element of ``G`` that the output position ``j`` sits on.
    window : list of int

    Raises
    ------
    TypeError, ValueError
        As :class:`CosetPool`: a group :func:`~groupmat.groups.even_subgroup` does not take, a bad
        ``window``; at ``forward`` a bad shape, or a dtype the reduction refuses (TypeError naming ``x``).

    Notes
    -----
    Equivariant under the even subgroup: for ``k = embedding[a]``,
    ``pool(L(k) x) = L_K(a) pool(x)`` (``L(k)`` maps ``e_j N`` onto ``k e_j N``). Translations by odd
    elements are not respected, exactly as a stride-2 pooling in a CNN.

    Examples
    --------
    >>> import groupmat as gm, torch
    >>> from groupmat.torch import StridePool
    >>> pool = StridePool(gm.group("C4xC4"))
    >>> pool.out_group.name, pool.window
    ('C2xC2', [0, 1, 4, 5])
    >>> pool(torch.arange(16.0)).tolist()                  # 2 x 2 max pooling of a 4 x 4 image
    [5.0, 7.0, 13.0, 15.0]
    """

    def __init__(self, G: FiniteGroup, reduce: str = "max", window=None):
        super().__init__()
        self.group = check_group(G)
        self.reduce = check_choice(reduce, "reduce", REDUCTIONS)
        K, embedding = even_subgroup_group(self.group)
        if window is None:
            window = np.array([c[0] for c in self.group.left_cosets(even_subgroup(self.group))], dtype=np.int64)
        else:
            window = as_element_array(window, self.group.order, "window").ravel()
            if window.size == 0 or np.unique(window).size != window.size or self.group.identity not in window:
                raise ValueError(f"window must list distinct element indices of {self.group.name} including the "
                                 f"identity {self.group.identity}, got {window.tolist()}")
        self.out_group = K
        self.embedding = np.asarray(embedding, dtype=np.int64)
        self.window = [int(t) for t in window]
        check_size((K.order, window.size), 8, f"the stride pooling index of {self.group.name}")
        gather = self.group.mul_unchecked(self.embedding[:, None], window[None, :])   # e_j t
        self.register_buffer("gather", torch.as_tensor(gather, dtype=torch.long), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_group_signal(x, self.group.order)
        _check_reducible(x, self.reduce)
        xw = x[..., self.gather]                          # (..., |K|, |N|)
        return xw.amax(dim=-1) if self.reduce == "max" else xw.mean(dim=-1)

    def extra_repr(self) -> str:
        return f"{self.group.name} -> {self.out_group.name}, window={self.window}, reduce={self.reduce!r}"
