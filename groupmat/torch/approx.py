"""The error-correction group convolution of the GM-CNN, and the equivariance defect of a layer.

A group convolution uses one kernel ``w`` at every output position ``g``:
``y[o, g] = sum_{i, t} w[o, i, t] x[i, g S_t]`` over the kernel support ``S`` (all of ``G``, or a
stencil from :func:`~groupmat.torch.stencil_support`). The error-correction variant of Samudre et al.
adds, at a few chosen output positions ``P = (p_1, ..., p_m)``, a learned correction kernel:

.. math::  y[o, g] = \\sum_{i, t} \\bigl(w[o, i, t] + [g = p_k]\\, E[k, o, i, t]\\bigr)\\, x[i, g S_t],

so row ``g = p_k`` of the weight matrix is the group-matrix row plus ``E[k]``. With ``E = 0`` the layer
is exactly a :class:`~groupmat.torch.GroupConv`; a non-zero ``E`` breaks equivariance by an amount
:func:`layer_defect` measures as ``||W - P(W)||_F`` (:func:`groupmat.equivariance_defect` of the
layer's dense weight between copies of the left regular representation). It costs
``m C_out C_in |S|`` extra numbers, against the ``R`` full-size factors of the GM-LDR layer
(:class:`~groupmat.torch.GroupLDRLinear`), the other route to approximate equivariance.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from .._validation import as_element_array
from ..equivariance.defect import equivariance_defect
from ..groups.core import FiniteGroup
from ..reps.representation import direct_sum, regular_representation
from .conv import GroupConv

__all__ = ["ApproxGroupConv", "layer_defect"]


class ApproxGroupConv(nn.Module):
    """A group convolution plus learned non-equivariant correction kernels at chosen output positions.

    Parameters
    ----------
    G : FiniteGroup
    in_channels, out_channels : int
    error_positions : sequence of int
        The output elements ``p_k`` (distinct) that get a correction kernel; empty gives an exactly
        equivariant layer (a :class:`~groupmat.torch.GroupConv` with ``error`` of size 0).
    support : sequence of int, optional
        The kernel support ``S`` (e.g. :func:`~groupmat.torch.stencil_support`), shared by the
        convolution and the corrections; all of ``G`` when omitted.
    bias : bool
        A bias per output channel (constant over ``G``).
    route : str
        The route of the convolution (see :class:`~groupmat.torch.GroupConv`).
    error_init_std : float
        Standard deviation of the initial corrections; the default 0 starts exactly equivariant
        (the gradient of ``E`` is not zero, so training moves it).

    Attributes
    ----------
    conv : GroupConv
        The equivariant part (its ``weight`` and ``bias``).
    error : Parameter of shape (len(error_positions), out, in, |S|)
        The correction kernels.
    error_positions : list of int

    Raises
    ------
    TypeError, ValueError
        Bad group, channels or support (as :class:`~groupmat.torch.GroupConv`); positions that are not
        distinct element indices of ``G`` (named ``error_positions``); at ``forward``, a signal not of
        shape ``(batch, in_channels, |G|)`` or of another dtype than the parameters.

    Examples
    --------
    >>> import groupmat as gm, torch
    >>> from groupmat.torch import ApproxGroupConv, layer_defect, stencil_support
    >>> G = gm.group("C8xC8")
    >>> layer = ApproxGroupConv(G, 1, 4, error_positions=[0, 27], support=stencil_support(G)).double()
    >>> layer.num_parameters, layer.conv.num_parameters          # 2 x 4 x 1 x 9 corrections
    (112, 40)
    >>> layer_defect(layer) < 1e-12                              # E = 0 at the start: equivariant
    True
    >>> with torch.no_grad():
    ...     _ = layer.error.normal_()
    >>> layer_defect(layer) > 0
    True
    """

    def __init__(self, G: FiniteGroup, in_channels: int, out_channels: int, error_positions: Sequence[int] = (),
                 support: Sequence[int] | None = None, bias: bool = True, route: str = "auto",
                 error_init_std: float = 0.0):
        super().__init__()
        self.conv = GroupConv(G, in_channels, out_channels, bias=bias, support=support, route=route)
        self.group, self.in_channels, self.out_channels = self.conv.group, self.conv.in_channels, self.conv.out_channels
        n = self.group.order
        S = np.arange(n, dtype=np.int64) if support is None else as_element_array(support, n, "support").ravel()
        P = as_element_array(error_positions, n, "error_positions").ravel()
        if np.unique(P).size != P.size:
            raise ValueError(f"error_positions must be distinct element indices of {self.group.name}, got {P.tolist()}")
        self.error_positions = [int(p) for p in P]
        self.register_buffer("positions", torch.as_tensor(P, dtype=torch.long), persistent=False)
        # T[k, t] = p_k S_t: the inputs that the correction at p_k reads
        T = self.group.mul_unchecked(P[:, None], S[None, :]) if P.size else np.zeros((0, S.size), dtype=np.int64)
        self.register_buffer("error_gather", torch.as_tensor(T, dtype=torch.long), persistent=False)
        self.error = nn.Parameter(torch.zeros(P.size, out_channels, in_channels, S.size))
        self.error_init_std = float(error_init_std)
        if self.error_init_std:
            nn.init.normal_(self.error, 0.0, self.error_init_std)

    @property
    def num_parameters(self) -> int:
        """Trainable numbers: the convolution's plus ``len(error_positions) out in |S|``."""
        return sum(p.numel() for p in self.parameters())

    def equivariant_parameters(self) -> list:
        """The parameters of the exactly equivariant part (kernel and bias)."""
        return list(self.conv.parameters())

    def error_parameters(self) -> list:
        """The correction kernels (the non-equivariant part)."""
        return [self.error]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.conv(x)                                   # checks shape and dtype of x
        if not self.error_positions:
            return y
        xg = x[:, :, self.error_gather]                    # (B, I, m, |S|): x[b, i, p_k S_t]
        # e[b, o, k] = sum_{i, t} E[k, o, i, t] x[b, i, p_k S_t], added at the output positions p_k
        e = torch.einsum("koit,bikt->bok", self.error, xg)
        return y.index_add(2, self.positions, e)

    def dense_weight(self) -> torch.Tensor:
        """The ``(out |G|, in |G|)`` matrix of the layer (differentiable): ``GroupConv.dense_weight()``
        plus ``E[k, o, i, t]`` at row ``(o, p_k)``, column ``(i, p_k S_t)``."""
        O, I, n = self.out_channels, self.in_channels, self.group.order
        W = self.conv.dense_weight().reshape(O, n, I, n)
        m = len(self.error_positions)
        if not m:
            return W.reshape(O * n, I * n)
        # rows p_k of every block, scattered from the corrections along the columns p_k S_t
        rows = W.new_zeros(O, m, I, n)
        idx = self.error_gather[None, :, None, :].expand(O, m, I, -1)
        rows = rows.scatter(3, idx, self.error.permute(1, 0, 2, 3))
        return W.index_add(1, self.positions, rows).reshape(O * n, I * n)

    def extra_repr(self) -> str:
        return f"error_positions={self.error_positions}"


def layer_defect(layer: nn.Module, relative: bool = False, squared: bool = False) -> float:
    """The equivariance defect ``||W - P(W)||_F`` of a layer on signals over a group.

    ``W`` is ``layer.dense_weight()`` of shape ``(out |G|, in |G|)``, between ``in`` and ``out``
    copies of the left regular representation of ``layer.group``; the value is
    :func:`groupmat.equivariance_defect` of it (computed in float64 on the CPU).

    Parameters
    ----------
    layer : nn.Module
        A :class:`~groupmat.torch.GroupConv`, :class:`ApproxGroupConv`,
        :class:`~groupmat.torch.GroupLDRLinear`, or any module with ``group``, ``in_channels``,
        ``out_channels`` and ``dense_weight()``.
    relative : bool
        Divide by ``||W||_F``.
    squared : bool
        Return the squared defect.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        ``layer`` lacks ``group``, ``in_channels``, ``out_channels`` or ``dense_weight``.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.torch import GroupConv, layer_defect
    >>> layer_defect(GroupConv(gm.dihedral(3), 2, 2).double()) < 1e-12
    True
    """
    missing = [a for a in ("group", "in_channels", "out_channels", "dense_weight") if not hasattr(layer, a)]
    if missing:
        raise TypeError(f"layer must be a group layer with group, in_channels, out_channels and dense_weight() "
                        f"(GroupConv, ApproxGroupConv, GroupLDRLinear), got {type(layer).__name__} without "
                        f"{', '.join(missing)}")
    with torch.no_grad():
        W = layer.dense_weight().detach().cpu()
    W = W.to(torch.complex128 if W.is_complex() else torch.float64).numpy()
    L = regular_representation(layer.group)
    rep_in = direct_sum(*[L] * layer.in_channels) if layer.in_channels > 1 else L
    rep_out = direct_sum(*[L] * layer.out_channels) if layer.out_channels > 1 else L
    return float(equivariance_defect(W, rep_in, rep_out, relative=relative, squared=squared))
