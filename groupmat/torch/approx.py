"""The error-correction group convolution of the GM-CNN, and the equivariance defect of a layer.

A group convolution uses one kernel ``w`` at every output position ``g``:
``y[o, g] = sum_{i, t} w[o, i, t] x[i, g S_t]`` over the kernel support ``S`` (all of ``G``, or a
stencil from :func:`~groupmat.torch.stencil_support`). The error-correction variant of Samudre et al.
adds, at a few chosen output positions ``P = (p_1, ..., p_m)``, a learned correction kernel:

.. math::  y[o, g] = \\sum_{i, t} \\bigl(w[o, i, t] + [g = p_k]\\, E[k, o, i, t]\\bigr)\\, x[i, g S_t],

so row ``g = p_k`` of the weight matrix is the group-matrix row plus ``E[k]``. With ``E = 0`` the layer
is exactly a :class:`~groupmat.torch.GroupConv`; a non-zero ``E`` breaks equivariance by an amount
:func:`layer_defect` measures as ``||W - P(W)||_F`` (:func:`groupmat.equivariance_defect` of the
layer's dense weight between copies of the left regular representation, in closed form from ``w``
and ``E``: each correction ``E[k, o, i, t]`` lies on the group diagonal of ``S_t``). It costs
``m C_out C_in |S|`` extra numbers, against the ``R`` full-size factors of the GM-LDR layer
(:class:`~groupmat.torch.GroupLDRLinear`), the other route to approximate equivariance.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from .._validation import as_element_array, check_size
from ..equivariance.defect import equivariance_defect
from ..groups.core import FiniteGroup
from ..reps.representation import direct_sum, regular_representation
from .conv import GroupConv
from .gm_ldr_layer import GroupLDRLinear

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


def _wide(t: torch.Tensor) -> torch.Tensor:
    """A detached float64 (complex128 for a complex tensor) copy on the CPU."""
    return t.detach().cpu().to(torch.complex128 if t.is_complex() else torch.float64)


def _sq(t: torch.Tensor) -> torch.Tensor:
    """The squared Frobenius norm, real for complex tensors too."""
    return (t.real.square() + t.imag.square()).sum() if t.is_complex() else t.square().sum()


def _closed_form(layer: nn.Module):
    """``(||W - P(W)||^2, ||W||^2)`` of a layer's dense weight without building it, or None.

    ``P`` averages each group diagonal ``D_u = {(g, g u)}`` of every block (``n = |G|`` entries; an
    equivariant map between copies of the left regular representation is constant on them), so a
    diagonal holding the values ``c_g`` adds ``sum_g |c_g - mean|^2`` to the squared defect and
    ``n |mean|^2`` to ``||P(W)||^2``; ``||W||^2`` is their sum (Pythagoras).

    - :class:`~groupmat.torch.GroupConv`: block ``(o, i)`` is the group matrix of ``w[o, i]``, the
      constant ``w[o, i, t]`` on the diagonal of the support element ``S_t`` (distinct elements:
      distinct diagonals). Defect 0, ``||W||^2 = n sum |w|^2``.
    - :class:`ApproxGroupConv`: the correction ``E[k, o, i, t]`` sits at row ``p_k``, column
      ``p_k S_t``, that is on the diagonal of ``(p_k)^-1 p_k S_t = S_t``, once per (distinct) position
      ``p_k``: that diagonal holds ``w + E_k`` at the ``m`` rows ``p_k`` and ``w`` at the other
      ``n - m``. With ``mu = sum_k E_k / n`` (the diagonal's mean minus ``w``) the defect is
      ``sum_{o, i, t} (sum_k |E_k - mu|^2 + (n - m) |mu|^2)``, which is
      ``sum_k |E_k|^2 - |sum_k E_k|^2 / n``, and ``||P(W)||^2 = n sum |w + mu|^2``.
    - :class:`~groupmat.torch.GroupLDRLinear`: the diagonal ``u`` of block ``(o, i)`` holds
      ``b(u) + gamma sum_r v_r(g) u_r(u)`` at row ``g``; with ``v'_r = v_r - mean_g v_r`` the defect
      is ``|gamma|^2 sum_{r, s} <v'_r, v'_s> <u_r, u_s>`` (Gram matrices, rank ``R``: no ``n x n``
      array) and ``||P(W)||^2 = n sum_u |b(u) + gamma sum_r mean(v_r) u_r(u)|^2``.

    Cost ``O(m C_out C_in |S|)``, ``O(C_out C_in |S|)`` and ``O(R^2 C_out C_in |G|)``. A subclass that
    overrides ``dense_weight`` has another matrix: None (the dense route).
    """
    kind = type(layer).dense_weight
    n = layer.group.order
    if kind is GroupConv.dense_weight:
        return 0.0, n * float(_sq(_wide(layer.weight)))
    if kind is ApproxGroupConv.dense_weight and type(layer.conv).dense_weight is GroupConv.dense_weight:
        w, E = _wide(layer.conv.weight), _wide(layer.error)            # (O, I, s), (m, O, I, s)
        m = E.shape[0]
        mu = E.sum(0) / n
        d2 = _sq(E - mu) + (n - m) * _sq(mu)
        return float(d2), float(d2 + n * _sq(w + mu))
    if kind is GroupLDRLinear.dense_weight:
        b, U, V = _wide(layer.b), _wide(layer.U), _wide(layer.V)        # (O, I, n), (R, O, I, n) twice
        gamma = complex(layer.gamma.detach().cpu()) if layer.gamma.is_complex() else float(layer.gamma)
        Vc = V - V.mean(-1, keepdim=True)
        # Gram matrices over g and u per channel pair: <v'_r, v'_s> and <u_r, u_s> (conj on the second)
        Gv = torch.einsum("roig,soig->oirs", Vc, Vc.conj())
        Gu = torch.einsum("roiu,soiu->oirs", U, U.conj())
        d2 = abs(gamma) ** 2 * float((Gv * Gu).sum().real.clamp_min(0))
        diag_mean = b + gamma * torch.einsum("roi,roiu->oiu", V.mean(-1), U)
        return d2, d2 + n * float(_sq(diag_mean))
    return None


def _dense_defect(layer: nn.Module) -> tuple[float, float]:
    """``(||W - P(W)||^2, ||W||^2)`` through the dense weight and :func:`groupmat.equivariance_defect`,
    the budget asked first (the weight in float64, its copies and the projection: about four
    ``(out |G|, in |G|)`` arrays)."""
    O, I, n = layer.out_channels, layer.in_channels, layer.group.order
    complex_ = any(p.is_complex() for p in layer.parameters())
    check_size((4, O * n, I * n), 16 if complex_ else 8,
               f"layer_defect of {type(layer).__name__} through its dense weight ({O * n} x {I * n}, "
               f"float64, with its projection)",
               how="layer_defect has closed forms for GroupConv, ApproxGroupConv and GroupLDRLinear; for "
                   "another layer estimate the defect from samples with "
                   "groupmat.equivariance.sample_equivariance_error(f, rep_in, rep_out, xs) (for a linear f "
                   "and standard normal xs its expectation is 2 ||W - P(W)||^2), or measure it on a smaller "
                   "group or with fewer channels")
    with torch.no_grad():
        W = layer.dense_weight().detach().cpu()
    W = W.to(torch.complex128 if W.is_complex() else torch.float64).numpy()
    L = regular_representation(layer.group)
    rep_in = direct_sum(*[L] * I) if I > 1 else L
    rep_out = direct_sum(*[L] * O) if O > 1 else L
    d2 = float(equivariance_defect(W, rep_in, rep_out, squared=True))
    return d2, float(np.sum(np.abs(W) ** 2))


def layer_defect(layer: nn.Module, relative: bool = False, squared: bool = False) -> float:
    """The equivariance defect ``||W - P(W)||_F`` of a layer on signals over a group.

    ``W`` is ``layer.dense_weight()`` of shape ``(out |G|, in |G|)``, between ``in`` and ``out``
    copies of the left regular representation of ``layer.group``; ``P`` is the orthogonal projection
    onto the equivariant maps, which averages each group diagonal ``{(g, g u)}`` of every block. For
    :class:`~groupmat.torch.GroupConv` (defect 0), :class:`ApproxGroupConv` and
    :class:`~groupmat.torch.GroupLDRLinear` the value comes in closed form from the parameters,
    without the ``|G|^2`` matrix (for ``ApproxGroupConv``,
    ``||W - P(W)||^2 = sum_{o, i, t} (sum_k E_k^2 - (sum_k E_k)^2 / |G|)``: each correction sits on the
    diagonal of its support element); any other layer goes through its dense weight and
    :func:`groupmat.equivariance_defect`, the memory budget asked first. In float64 on the CPU.

    Parameters
    ----------
    layer : nn.Module
        A :class:`~groupmat.torch.GroupConv`, :class:`ApproxGroupConv`,
        :class:`~groupmat.torch.GroupLDRLinear`, or any module with ``group``, ``in_channels``,
        ``out_channels`` and ``dense_weight()``.
    relative : bool
        Divide by ``||W||_F`` (``0`` for ``W = 0``).
    squared : bool
        Return the squared defect (with ``relative``: divided by ``||W||_F^2``).

    Returns
    -------
    float

    Raises
    ------
    TypeError
        ``layer`` lacks ``group``, ``in_channels``, ``out_channels`` or ``dense_weight``.
    groupmat.TooLargeError
        A layer without a closed form whose dense weight and its projection would pass
        ``GROUPMAT_MAX_BYTES`` (the message names the way out: a sample estimate).

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.torch import GroupConv, layer_defect
    >>> layer_defect(GroupConv(gm.dihedral(3), 2, 2).double())
    0.0

    A 32 x 32 torus with 16 -> 16 channels: the dense weight would be 16384 x 16384, the closed form
    reads the 2 x 16 x 16 x 9 corrections:

    >>> import torch
    >>> from groupmat.torch import ApproxGroupConv, stencil_support
    >>> G = gm.group("C32xC32")
    >>> layer = ApproxGroupConv(G, 16, 16, error_positions=[0, 528], support=stencil_support(G))
    >>> with torch.no_grad():
    ...     _ = layer.error.fill_(1.0)
    >>> round(layer_defect(layer, squared=True), 6)           # 16 x 16 x 9 x (2 - 2^2 / 1024)
    4599.0
    """
    missing = [a for a in ("group", "in_channels", "out_channels", "dense_weight") if not hasattr(layer, a)]
    if missing:
        raise TypeError(f"layer must be a group layer with group, in_channels, out_channels and dense_weight() "
                        f"(GroupConv, ApproxGroupConv, GroupLDRLinear), got {type(layer).__name__} without "
                        f"{', '.join(missing)}")
    closed = _closed_form(layer)
    d2, w2 = closed if closed is not None else _dense_defect(layer)
    if relative:
        d2 = d2 / w2 if w2 > 0 else 0.0
    return float(d2 if squared else np.sqrt(d2))
