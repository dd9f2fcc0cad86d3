"""The GM-LDR layer: an exactly equivariant group convolution plus a low-rank relaxation.

Per channel pair ``(o, i)`` the weight matrix is

.. math::  W_{oi} = M_{b_{oi}} + \\gamma \\sum_{r < R} \\operatorname{diag}(v_{r,oi})\\, M_{u_{r,oi}},

whose coefficient array (group diagonals, ``F[g, h] = W[h, h g]``) is ``b 1^T + gamma sum_r u_r v_r^T``:
coefficient displacement rank at most ``R``. ``R = 0`` or ``gamma = 0`` is a group convolution,
exactly equivariant; the layer stores ``(2R + 1) |G|`` numbers per channel pair instead of
``|G|^2`` and multiplies with ``R + 1`` group convolutions.
"""
from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from .._validation import check_nonnegative_int, check_positive_int, check_size
from ..groups.core import FiniteGroup, check_group
from ..ldr.gm_ldr import GroupLDRMatrix
from ..matrices.group_matrices import group_matrix_indices
from .conv import _check_layer_input, _check_signal, _ConvPlan

__all__ = ["GroupLDRLinear"]


class GroupLDRLinear(nn.Module):
    """Approximately equivariant linear layer ``M_b + gamma sum_r diag(v_r) M_{u_r}`` per channel pair.

    Parameters
    ----------
    G : FiniteGroup
    in_channels, out_channels : int
    rank : int
        ``R >= 0``, the number of relaxation terms (the coefficient displacement rank bound).
    bias : bool
        A bias per output channel (constant over ``G``).
    route : {"auto", "fft", "dense"}
        How the group convolutions run (see :class:`GroupConv`).
    v_init_std : float
        Standard deviation of the initial ``V``; the default 0 starts the layer exactly
        equivariant (the gradient reaches ``V`` through ``U``, as in low-rank adapters).

    Attributes
    ----------
    b : Parameter (out, in, |G|)
        The equivariant kernels.
    U, V : Parameter (rank, out, in, |G|)
        The relaxation factors.
    gamma : buffer, scalar
        The weight of the relaxation (1 by default): a constrained-training scheme in the spirit
        of ACE sets it, or trains a multiplier on :meth:`relaxation_parameters`.

    Notes
    -----
    ``y[b, o, g] = bias[o] + sum_i (M_{b_oi} x_i)[g] + gamma sum_{r, i} v_{r,oi}[g] (M_{u_r,oi} x_i)[g]``,
    with ``(M_w x)[g] = sum_u w(u) x(g u)``. The relaxation terms keep the channel pairs apart
    (``diag(v)`` acts before the sum over ``i``), so they take ``O(batch R C_out C_in |G|)`` memory.
    Inputs as for :class:`GroupConv`: the parameters' dtype (a TypeError names both dtypes
    otherwise), any batch size including 0, half precision (FFTs in float32), complex layers.

    Examples
    --------
    >>> import groupmat as gm, torch
    >>> from groupmat.torch import GroupLDRLinear, regular_action
    >>> G = gm.group("C4xC4")
    >>> layer = GroupLDRLinear(G, 1, 1, rank=2).double()
    >>> layer.num_parameters, 16 * 16                 # (2 r + 1) |G| + bias, against a dense |G|^2
    (81, 256)
    >>> x = torch.randn(3, 1, 16, dtype=torch.float64)
    >>> torch.allclose(layer(regular_action(x, G, 5)), regular_action(layer(x), G, 5))  # V = 0 at start
    True
    """

    def __init__(self, G: FiniteGroup, in_channels: int, out_channels: int, rank: int, bias: bool = True,
                 route: str = "auto", v_init_std: float = 0.0):
        super().__init__()
        self.group = check_group(G)
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.out_channels = check_positive_int(out_channels, "out_channels")
        self.rank = check_nonnegative_int(rank, "rank")
        if route == "support":
            raise ValueError("GroupLDRLinear uses full kernels: route must be 'auto', 'fft' or 'dense'")
        lead = [(self.out_channels, self.in_channels)]
        if self.rank:
            lead.append((self.rank, self.out_channels, self.in_channels))
        self.plan = _ConvPlan(G, route, lead=lead)  # refuses a dense forward too large to run
        self.route = self.plan.route
        n = G.order
        self.b = nn.Parameter(torch.empty(out_channels, in_channels, n))
        self.U = nn.Parameter(torch.empty(self.rank, out_channels, in_channels, n))
        self.V = nn.Parameter(torch.empty(self.rank, out_channels, in_channels, n))
        self.bias = nn.Parameter(torch.empty(out_channels)) if bias else None
        self.register_buffer("gamma", torch.tensor(1.0))
        self.v_init_std = float(v_init_std)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """``b``, ``U`` and the bias uniform in ``+-1/sqrt(in |G|)``; ``V`` normal with ``v_init_std``."""
        bound = 1.0 / math.sqrt(self.in_channels * self.group.order)
        nn.init.uniform_(self.b, -bound, bound)
        nn.init.uniform_(self.U, -bound, bound)
        if self.v_init_std:
            nn.init.normal_(self.V, 0.0, self.v_init_std)
        else:
            nn.init.zeros_(self.V)
        if self.bias is not None:
            nn.init.uniform_(self.bias, -bound, bound)

    @property
    def num_parameters(self) -> int:
        """Trainable numbers: ``(2 rank + 1) out in |G|`` (+ ``out`` for the bias)."""
        return sum(p.numel() for p in self.parameters())

    def equivariant_parameters(self) -> list:
        """The parameters of the exactly equivariant part (``b`` and the bias)."""
        return [self.b] + ([self.bias] if self.bias is not None else [])

    def relaxation_parameters(self) -> list:
        """The parameters of the non-equivariant relaxation (``U`` and ``V``)."""
        return [self.U, self.V]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_signal(x, self.in_channels, self.group.order)
        _check_layer_input(x, self.b)
        y = self.plan(x, self.b, reduce=True)
        if self.rank:
            z = self.plan(x, self.U, reduce=False)  # (B, R, O, I, n)
            y = y + self.gamma * (self.V.unsqueeze(0) * z).sum(dim=(1, 3))
        return y if self.bias is None else y + self.bias[:, None]

    def to_group_ldr(self, out_channel: int = 0, in_channel: int = 0):
        """The weight of one channel pair as a NumPy :class:`groupmat.GroupLDRMatrix` (``gamma`` folded into ``U``)."""
        o, i = int(out_channel), int(in_channel)
        if not (0 <= o < self.out_channels and 0 <= i < self.in_channels):
            raise ValueError(f"channel pair ({o}, {i}) is outside ({self.out_channels}, {self.in_channels})")
        wide = torch.complex128 if self.b.is_complex() else torch.float64   # a complex layer stays complex
        with torch.no_grad():
            b = self.b[o, i].to(wide).cpu().numpy()
            U = (self.gamma * self.U[:, o, i]).to(wide).cpu().numpy()
            V = self.V[:, o, i].to(wide).cpu().numpy()
        return GroupLDRMatrix(self.group, b, U, V)

    def dense_weight(self) -> torch.Tensor:
        """The ``(out |G|, in |G|)`` matrix of the layer (differentiable)."""
        n = self.group.order
        check_size((2 + self.rank, self.out_channels, self.in_channels, n, n), self.b.element_size(),
                   "the dense weight of GroupLDRLinear (gathered group matrices)")
        K = torch.as_tensor(group_matrix_indices(self.group).astype(np.int64), device=self.b.device)
        M = self.b[..., K]  # (O, I, n, n)
        if self.rank:
            M = M + self.gamma * torch.einsum("roig,roigh->oigh", self.V, self.U[..., K])
        O, I = self.out_channels, self.in_channels
        return M.permute(0, 2, 1, 3).reshape(O * n, I * n)

    def extra_repr(self) -> str:
        return (f"{self.group.name}, {self.in_channels}, {self.out_channels}, rank={self.rank}, "
                f"route={self.route!r}, bias={self.bias is not None}")
