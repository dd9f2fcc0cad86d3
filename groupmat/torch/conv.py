"""Group convolution on signals ``(batch, channels, |G|)``: FFT, dense, small-support and convolution routes.

With the default convention of groupmat (``M_w[g, h] = w(g^-1 h)``) a group convolution is

.. math::  y[b, o, g] = \\sum_{i, h} w_{oi}(g^{-1} h)\\, x[b, i, h] = \\sum_{i, u} w_{oi}(u)\\, x[b, i, g u],

which commutes with the left regular action ``(L(k) x)(g) = x(k^{-1} g)``. The routes:

- ``"fft"``: for an abelian group, laid out on the grid of its cyclic coordinates
  ``C_{n_1} x ... x C_{n_k}`` (:meth:`groupmat.FiniteGroup.cyclic_coordinates`: cyclic and sign
  groups and their products in index order, any other abelian group, e.g. one given by a Cayley
  table, through the basis found from its group law) the sum is a cross-correlation,
  ``y^ = conj(w^) x^`` under ``rfftn``; for the dihedral group ``D_n`` (declared by
  ``G.structure``; element ``e n + k`` is ``s^e r^k``) the halves ``x_0, x_1`` over the rotations
  give ``y^_0 = conj(w^_0) x^_0 + w^_1 conj(x^_1)`` and ``y^_1 = conj(w^_0) x^_1 + w^_1 conj(x^_0)``.
  Cost ``O(n log n)`` per channel pair.
- ``"dense"``: the index array ``K = group_matrix_indices(G)`` is a buffer; the weight matrix
  ``w[..., K]`` is gathered and applied by one matrix product. Cost ``O(n^2)`` per channel pair.
- ``"support"``: for a kernel supported on ``s`` elements ``S``, the buffer ``T[g, j] = g S_j``
  gathers ``x[b, i, g S_j]``. Cost ``O(n s)`` per channel pair.
- ``"conv"``: a small support on a product of cyclic, sign and dihedral groups (or any abelian group)
  with at most three cyclic axes, through PyTorch's ``conv1d/2d/3d`` with circular padding. Each
  cyclic factor ``C_m`` is an axis; each dihedral factor ``D_m`` is an axis (its rotations) and a
  flip bit that goes to the channels, so the kernel becomes a lifted filter bank of reflected
  kernels, one per (output flip, input flip) pair (the derivation is in ``_ConvPlan._conv``). Cost
  ``O(n 2^d V)`` per channel pair for a kernel box of ``V`` taps and ``d`` dihedral factors, in
  PyTorch's convolution kernels.

Every route takes real and complex signals (a complex layer: the FFT route then uses ``fftn`` and
the unnormalised inverse transform of ``w`` in place of ``conj(w^)``) and half precision (the FFT
route, and the conv route on the CPU, compute in float32 and cast back); an empty batch skips the
transforms.

The ``"auto"`` route is :func:`groupmat.routing.conv_route` (the one place that chooses routes).
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .._validation import as_element_array, check_choice, check_nonnegative_int, check_positive_int, check_size
from ..groups.core import FiniteGroup, check_group
from ..matrices.group_matrices import group_matrix_indices
from ..routing import conv_route, transform_kind

__all__ = ["GroupConv", "group_conv", "regular_action", "stencil_support"]

ROUTES = ("auto", "fft", "dense", "support", "conv")

#: the namespace of this module's entries in a group's memo
_NS = "torch.conv"

#: torch's convolution of each number of grid axes
_CONV_ND = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}

#: half-precision dtypes: the FFT route computes them in float32 and casts the result back (torch's
#: FFT has no CPU kernels for them, and on a GPU only for powers of two), as autocast does for FFTs
_HALF = (torch.float16, torch.bfloat16)


def _check_dtype(x: torch.Tensor, name: str, param: torch.Tensor, owner: str, fix: str) -> None:
    """Refuse an input whose dtype is not the parameters' dtype (as ``nn.Linear`` does), naming both.

    ``x`` must be a floating-point or complex tensor (not complex32, which torch barely supports),
    of the dtype of ``param``; ``owner`` says whose dtype that is, ``fix`` what to do.
    """
    if not (x.is_floating_point() or x.is_complex()):
        raise TypeError(f"{name} must be a floating-point or complex tensor, got dtype {x.dtype} "
                        f"(convert it with {name}.to({param.dtype}))")
    if x.dtype == torch.complex32:
        raise TypeError(f"{name} has dtype torch.complex32, which groupmat.torch does not support; "
                        "use torch.complex64")
    if x.dtype != param.dtype:
        raise TypeError(f"expected {name} of dtype {param.dtype} ({owner}), got {x.dtype}: {fix}")


def _check_layer_input(x: torch.Tensor, param: torch.Tensor) -> None:
    """A layer's input has the dtype of its parameters."""
    if x.is_complex() and not param.is_complex():
        fix = f"complex signals need a complex layer (layer.to({x.dtype}))"
    else:
        fix = f"convert the input (x.to({param.dtype})) or the layer (layer.to({x.dtype}))"
    _check_dtype(x, "x", param, "the dtype of the layer's parameters", fix)


def _stencil(structure, radius: int, name: str) -> tuple[np.ndarray, int]:
    """``(elements, order)``: the stencil of a declared structure in its own index order.

    Cyclic ``C_n`` (element ``k`` is ``r^k``): ``r^k`` with ``|k| <= radius``; dihedral ``D_n``
    (element ``e n + k`` is ``s^e r^k``): those rotations and the reflections ``s r^k``; the sign
    group ``C_2^k`` (element 0 the identity): everything for ``radius >= 1``; a direct product
    (row-major in its factors' indices): all combinations.
    """
    family, params = structure.family, structure.params
    ks = np.arange(-radius, radius + 1)
    if family == "cyclic":
        n = int(params[0])
        return np.unique(ks % n), n
    if family == "dihedral":
        n = int(params[0])
        rot = np.unique(ks % n)
        return np.concatenate([rot, n + rot]), 2 * n
    if family == "sign":
        order = 2 ** int(params[0])
        return (np.arange(order) if radius else np.zeros(1, dtype=np.int64)), order
    if family == "direct_product":
        parts = [_stencil(f, radius, name) for f in structure.factors]
        orders = tuple(order for _, order in parts)
        if not parts:
            return np.zeros(1, dtype=np.int64), 1
        grids = np.meshgrid(*[p for p, _ in parts], indexing="ij")
        return np.ravel_multi_index(tuple(g.ravel() for g in grids), orders), int(np.prod(orders))
    raise ValueError(f"stencil_support takes cyclic, dihedral and sign groups and their direct products, "
                     f"got {name} (declared {family}) or a factor of it that is not")


def stencil_support(G: FiniteGroup, radius: int = 1) -> list[int]:
    """The elements within ``radius`` steps of the identity in every factor: a GM-CNN style stencil.

    For ``C_n`` the rotations ``r^k`` with ``|k| <= radius``; for ``D_n`` those and the reflections
    ``s r^k`` with ``|k| <= radius``; for a sign group all elements (``radius >= 1``); for a direct
    product all combinations (``C_32 x C_32`` with ``radius=1`` gives the 3 x 3 stencil of an image
    convolution). Read from the group's declared structure (``G.structure``). Pass it to
    ``GroupConv(G, ..., support=...)``; when ``|G| x len(support) x in_channels`` reaches
    :data:`~groupmat.routing.CONV_ROUTE_MIN_WORK` the layer then convolves through PyTorch's
    ``conv1d/2d/3d`` (the ``"conv"`` route).

    Parameters
    ----------
    G : FiniteGroup
        A cyclic, dihedral or sign group, or a direct product of those (nested products included).
    radius : int
        The number of steps ``>= 0`` in each factor (an integer; ``0`` gives the identity only).

    Returns
    -------
    list of int
        The element indices of the stencil, distinct, in the product's row-major order.

    Raises
    ------
    TypeError
        ``G`` is not a FiniteGroup or ``radius`` is not an integer.
    ValueError
        ``radius < 0``, or a factor that is not cyclic, dihedral or a sign group.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.torch import stencil_support
    >>> len(stencil_support(gm.group("C32xC32"))), len(stencil_support(gm.group("D8xD8")))
    (9, 36)
    >>> stencil_support(gm.cyclic(8))
    [0, 1, 7]
    """
    G = check_group(G)
    radius = check_nonnegative_int(radius, "radius")
    elements, order = _stencil(G.structure, radius, G.name)
    if order != G.order:  # pragma: no cover - a declared structure matches its group
        raise ValueError(f"the declared structure of {G.name} does not match its order {G.order}")
    return [int(g) for g in elements]


# ---------------------------------------------------------------- the lattice of the conv route
def _atoms(structure) -> list[tuple[str, int]] | None:
    """The axes of a declared structure: ``("c", m)`` for ``C_m``, ``("d", m)`` for ``D_m`` (the axis
    of its rotations; its flip is a bit), in factor order; None for any other family.

    The element index is row-major over the atoms' components: ``t`` for ``("c", m)`` and ``e m + k``
    for ``("d", m)`` (the element ``s^e r^k``), as for cyclic, sign and dihedral groups and their
    direct products (a sign group ``C_2^k`` is ``k`` axes of length 2).
    """
    family, params = structure.family, structure.params
    if family == "cyclic":
        return [("c", int(params[0]))]
    if family == "sign":
        k = int(params[0])
        return [("c", 2)] * k if k else [("c", 1)]
    if family == "dihedral":
        return [("d", int(params[0]))]
    if family == "direct_product":
        out: list[tuple[str, int]] = []
        for factor in structure.factors:
            atoms = _atoms(factor)
            if atoms is None:
                return None
            out += atoms
        return out
    return None


def _lattice(G: FiniteGroup):
    """``(atoms, elements, positions)`` of the conv route, or None when ``G`` has no such layout.

    From the declared structure (:func:`_atoms`; ``elements`` and ``positions`` None: the index is
    the row-major position); else, for an abelian group, its cyclic coordinates (``elements[p]``: the
    element at grid position ``p``; ``positions[g]``: the position of ``g``). Kept in ``G.memo``.
    """
    def compute():
        atoms = _atoms(G.structure)
        if atoms is not None:
            return tuple(atoms), None, None
        if G.is_abelian:
            coords = G.cyclic_coordinates()
            return tuple(("c", int(m)) for m in coords.shape), coords.elements, coords.positions
        return None
    return G.memo.get(_NS, "lattice", compute)


def _windows(atoms, positions: np.ndarray) -> list[tuple[int, int]]:
    """Per axis ``(a, b)``: the kernel box ``-a <= q <= b`` around the identity holding a support.

    ``positions``: the support's row-major positions. On a cyclic axis the components, as signed
    offsets in ``[-(m // 2), (m - 1) // 2]``, lie in ``[-a, b]``; on the rotation axis of ``D_m`` the
    filter bank reflects (``q -> -q``), so the box is symmetric, ``[-r, r]``, cut to ``m`` taps
    (``[-r, m - 1 - r]``) when ``2 r + 1 > m``. Either way ``a + b + 1 <= m``: no tap repeats.
    """
    orders = [m if kind == "c" else 2 * m for kind, m in atoms]
    comps = np.unravel_index(positions, orders)
    out = []
    for (kind, m), c in zip(atoms, comps):
        d = (c % m + m // 2) % m - m // 2                  # the rotation part as a signed offset
        if kind == "c":
            out.append((int(max(0, -d.min())), int(max(0, d.max()))))
        else:
            r = int(np.abs(d).max())
            out.append((r, r if 2 * r + 1 <= m else m - 1 - r))
    return out


def _lattice_index(atoms, elements, offsets, out_flips: bool) -> np.ndarray:
    """Element indices on the grid of the conv route (numpy broadcasting, no loop over elements).

    Axes: the output flips ``e`` (one axis of length 2 per dihedral atom, when ``out_flips``), the
    input flips ``f`` (likewise), then one axis per atom over ``offsets[j]``. At offset ``q`` the
    component of ``("c", m)`` is ``q mod m``; that of ``("d", m)`` is the element
    ``s^c r^((-1)^f q)`` with ``c = e xor f`` (``c = f`` without output flips): the lifted signal
    (``out_flips=False``) and the taps of the lifted filter bank (``True``); see ``_ConvPlan._conv``.
    """
    d = sum(kind == "d" for kind, _ in atoms)
    lead = 2 * d if out_flips else d
    ndim = lead + len(atoms)

    def axis(values, k):
        shape = [1] * ndim
        shape[k] = -1
        return np.asarray(values, dtype=np.int64).reshape(shape)

    flat = np.zeros((1,) * ndim, dtype=np.int64)
    j_d = 0
    for j, ((kind, m), q) in enumerate(zip(atoms, offsets)):
        q = axis(q, lead + j)
        if kind == "c":
            flat = flat * m + q % m
            continue
        f = axis([0, 1], lead - d + j_d)
        c = (axis([0, 1], j_d) ^ f) if out_flips else f
        flat = flat * (2 * m) + c * m + np.where(f == 1, -q, q) % m
        j_d += 1
    return flat if elements is None else np.asarray(elements)[flat]


def regular_action(x: torch.Tensor, G: FiniteGroup, k) -> torch.Tensor:
    """The left regular action on the last axis: ``(L(k) x)[..., g] = x[..., k^-1 g]``.

    Parameters
    ----------
    x : torch.Tensor of shape (..., n)
        A signal on the group, ``n = G.order`` entries on the last axis, of any dtype (the action
        permutes entries), any leading shape (empty included).
    G : FiniteGroup
    k : int
        An element index.

    Returns
    -------
    torch.Tensor
        ``L(k) x``, of the shape and dtype of ``x``.

    Raises
    ------
    TypeError
        ``x`` is not a tensor, ``G`` not a FiniteGroup, or ``k`` not an integer.
    ValueError
        ``x`` has no axis of length ``|G|`` last, or ``k`` is not a single element index.

    Examples
    --------
    >>> import groupmat as gm, torch
    >>> from groupmat.torch import regular_action
    >>> regular_action(torch.arange(4.0), gm.cyclic(4), 1)
    tensor([3., 0., 1., 2.])
    """
    G = check_group(G)
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a torch.Tensor with last axis of length |G| = {G.order}, "
                        f"got {type(x).__name__}")
    k = as_element_array(k, G.order, "k")
    if k.ndim:
        raise ValueError(f"k must be a single element index, got shape {k.shape}")
    if x.dim() == 0 or x.shape[-1] != G.order:
        raise ValueError(f"x must have last axis of length |G| = {G.order}, got shape {tuple(x.shape)}")
    idx = G.mul_unchecked(G.inv_unchecked(k), G.elements())
    return x[..., torch.as_tensor(idx, device=x.device)]


def _channel_mix(W: torch.Tensor, X: torch.Tensor) -> torch.Tensor:
    """``Y[b, o, f] = sum_i W[o, i, f] X[b, i, f]``: a product per frequency ``f``.

    Few channel pairs: broadcast and sum (no reshuffling copies); many: one batched matrix product
    over the frequencies.
    """
    O, I = W.shape[0], W.shape[1]
    if O * I <= 4:
        return (W.unsqueeze(0) * X.unsqueeze(1)).sum(2)
    return (X.permute(2, 0, 1) @ W.permute(2, 1, 0)).permute(1, 2, 0)


class _CircularPad(torch.autograd.Function):
    """``F.pad(x, pads, mode="circular")`` with a cheaper backward.

    The gradient of the padded signal is folded back axis by axis: the core, plus the left margin
    added to the core's last ``a`` entries and the right margin to its first ``b`` (slices and
    in-place sums on a copy, which autograd differentiates: second derivatives work). torch's own
    backward of circular padding is several times slower on CPU.
    """

    generate_vmap_rule = True                     # torch.func transforms (vmap, grad) work through it

    @staticmethod
    def forward(x, pads):
        return F.pad(x, pads, mode="circular")

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.pads = inputs[1]

    @staticmethod
    def backward(ctx, g):
        pads = ctx.pads
        for k in range(len(pads) // 2):
            a, b = pads[2 * k], pads[2 * k + 1]
            if not (a or b):
                continue
            dim = g.dim() - 1 - k                  # F.pad's pairs run from the last axis back
            m = g.shape[dim] - a - b
            core = g.narrow(dim, a, m).clone()
            if a:   # the left margin holds x[m - a:]: its gradient goes back there
                core.narrow(dim, m - a, a).add_(g.narrow(dim, 0, a))
            if b:   # the right margin holds x[:b]
                core.narrow(dim, 0, b).add_(g.narrow(dim, a + m, b))
            g = core
        return g, None


class _ConvPlan(nn.Module):
    """The precomputed index buffers of one route; ``forward(x, w, reduce)`` convolves.

    ``reduce=True``: ``x (B, I, n)``, ``w (O, I, m)`` -> ``(B, O, n)`` (summed over ``i``).
    ``reduce=False``: ``w (R, O, I, m)`` -> ``(B, R, O, I, n)`` (one signal per channel pair).
    ``m`` is ``n``, or ``s`` for the support and conv routes (which share their parameters; the conv
    route gathers for ``reduce=False``). ``bias`` (``reduce=True``) is added per output channel.
    ``lead``: the leading shapes ``(..., out, in)`` of the weights the plan will take (the dense route
    refuses a gather too large for them; ``route="auto"`` with a support reads their input channels).
    """

    def __init__(self, G: FiniteGroup, route: str = "auto", support=None, lead: Sequence[tuple] = ()):
        super().__init__()
        G = check_group(G)
        check_choice(route, "route", ROUTES)
        n = G.order
        self.n = n
        lattice = None
        if support is not None:
            S = as_element_array(support, n, "support").ravel()
            if S.size == 0 or np.unique(S).size != S.size:
                raise ValueError(f"support must list distinct element indices, got {S.tolist()}")
            if route not in ("auto", "support", "conv"):
                raise ValueError(f"support is used by route='support' or 'conv' (or 'auto'), got route={route!r}")
            self.register_buffer("support", torch.tensor(S, dtype=torch.long), persistent=False)
            T = G.mul_unchecked(G.elements()[:, None], S[None, :])
            self.register_buffer("gather", torch.as_tensor(T, dtype=torch.long), persistent=False)
            lattice = _lattice(G)
            if lattice is not None and len(lattice[0]) > 3:
                lattice = None                          # torch convolves on at most 3 axes
            if route == "auto":
                taps = self._conv_layout(lattice, S)[2] if lattice is not None else None
                # the input channels of the weights (lead: their leading shapes (..., out, in))
                in_channels = max([int(shape[-1]) for shape in lead if len(shape)] + [1])
                route = conv_route(G, support=int(S.size), taps=taps, in_channels=in_channels)
            elif route == "conv" and lattice is None:
                raise ValueError(f"route='conv' needs a product of cyclic, sign and dihedral groups, or an abelian "
                                 f"group, with at most 3 cyclic axes; got {G.name}: use route='support'")
        elif route in ("support", "conv"):
            raise ValueError(f"route={route!r} needs support=[element indices]")
        if route == "auto":
            route = conv_route(G)
        self.shape = self.dihedral_n = None
        self.relabelled = False
        if route == "fft":
            self._setup_fft(G)
        elif route == "conv":
            self._setup_conv(lattice, S)
        self.route = route
        if route == "dense":
            # ``lead``: the leading shapes of the weights this plan will gather (default dtype)
            for shape in lead:
                self.check_dense(tuple(shape), torch.get_default_dtype().itemsize)
            check_size((n, n), 8, f"the index array of the dense route for a group of order {n}")
            K = group_matrix_indices(G)
            self.register_buffer("K", torch.as_tensor(K.astype(np.int64)), persistent=False)
        self.route = route
        self.m = int(self.support.numel()) if route in ("support", "conv") else n

    @staticmethod
    def _conv_layout(lattice, S: np.ndarray):
        """``(windows, box, taps)`` of the conv route for the support ``S``: the box ``[-a_j, b_j]``
        per axis, its shape, and the taps per channel pair of the lifted filter bank (``2^d`` box)."""
        atoms, _, positions = lattice
        windows = _windows(atoms, S if positions is None else positions[S])
        box = tuple(a + b + 1 for a, b in windows)
        flips = 2 ** sum(kind == "d" for kind, _ in atoms)
        return windows, box, flips * math.prod(box)

    def _setup_conv(self, lattice, S: np.ndarray) -> None:
        """The index buffers of the conv route: the taps of the lifted filter bank and the layout of
        the (padded, lifted) signal on the grid."""
        atoms, elements, _ = lattice
        n = self.n
        windows, box, _ = self._conv_layout(lattice, S)
        d = sum(kind == "d" for kind, _ in atoms)
        self.grid = tuple(m for _, m in atoms)
        self.box = box
        self.flips = 2 ** d
        self.padded = tuple(m + a + b for m, (a, b) in zip(self.grid, windows))
        # F.pad takes (left, right) pairs from the last axis back
        self.pads = tuple(p for a, b in reversed(windows) for p in (a, b))
        # the buffers: the bank's taps, the lifted padded grid and its way back
        entries = self.flips ** 2 * math.prod(box) + self.flips * math.prod(self.padded) + n
        check_size((entries,), 8, f"the index buffers of the conv route for a group of order {n}")
        # slot[g]: the position of g in the support, S.size (a zero appended to w) off it
        slot = np.full(n, S.size, dtype=np.int64)
        slot[S] = np.arange(S.size)
        bank = slot[_lattice_index(atoms, elements, [np.arange(-a, b + 1) for a, b in windows], True)]
        self.register_buffer("bank", torch.as_tensor(bank.ravel()), persistent=False)
        self.bank_in_support = bool((bank < S.size).all())   # no tap off the support: no zero to append
        if d == 0 and elements is None:
            self.lift = self.unlift = None              # the grid is the element order: reshape and pad
            return
        lift = _lattice_index(atoms, elements, [np.arange(-a, m + b) for m, (a, b) in zip(self.grid, windows)],
                              False)
        grid = _lattice_index(atoms, elements, [np.arange(m) for m in self.grid], False).ravel()
        self.register_buffer("lift", torch.as_tensor(lift.ravel()), persistent=False)
        self.register_buffer("unlift", torch.as_tensor(np.argsort(grid)), persistent=False)

    def _setup_fft(self, G: FiniteGroup) -> None:
        """The FFT layout: the grid of cyclic coordinates (abelian) or the rotation count (dihedral)."""
        kind = transform_kind(G)
        if kind == "abelian":
            coords = G.cyclic_coordinates()
            self.shape = tuple(int(m) for m in coords.shape)
            if coords.elements is not None:
                # a function on G on the grid: x[..., elements] (elements[p]: the element at grid
                # position p); back by x_grid[..., positions]
                self.relabelled = True
                self.register_buffer("grid_elements", torch.tensor(coords.elements, dtype=torch.long),
                                     persistent=False)
                self.register_buffer("grid_positions", torch.tensor(coords.positions, dtype=torch.long),
                                     persistent=False)
        elif kind == "dihedral":
            self.dihedral_n = int(G.structure.unwrapped().params[0])
        else:
            raise ValueError(f"route='fft' needs an abelian group (a product of cyclic groups) or a dihedral group, "
                             f"got {G.name}; use route='dense' or a support")

    def check_dense(self, lead: tuple, itemsize: int) -> None:
        """Refuse a dense-route forward whose gathered matrices ``(*lead, n, n)`` would be too large.

        The gather ``w[..., K]`` and the reshuffled copy of the matrix product take two such arrays.
        """
        if self.route == "dense":
            n = self.n
            check_size((2, *lead, n, n), itemsize,
                       f"the dense route's gathered group matrices (two copies of {'x'.join(map(str, lead))} "
                       f"matrices {n} x {n}; use route='fft' or a support)")

    # ---------------------------------------------------------------- fft
    # Real signals use rfft and conj(F[v]); complex ones (a complex layer) use fft and the unnormalised
    # inverse transform F'[v](k) = sum_q v(q) e^{+2 pi i k q / m}, which is conj(F[v]) for real v.
    def _fft_abelian(self, x, w, reduce):
        # on the grid of cyclic coordinates (g = phi(p), u = phi(q), g u = phi(p + q)) the sum
        # y(phi(p)) = sum_q w(phi(q)) x(phi(p + q)) is a cross-correlation: y^ = F'[w] x^
        shape = self.shape
        d = len(shape)
        dims = tuple(range(-d, 0))
        complex_ = x.is_complex() or w.is_complex()
        if self.relabelled:
            x, w = x[..., self.grid_elements], w[..., self.grid_elements]
        xg, wg = x.reshape(*x.shape[:-1], *shape), w.reshape(*w.shape[:-1], *shape)
        if complex_:
            X = torch.fft.fftn(xg, dim=dims).flatten(-d)
            W = torch.fft.ifftn(wg, dim=dims, norm="forward").flatten(-d)
            fshape = shape
        else:
            X = torch.fft.rfftn(xg, dim=dims).flatten(-d)
            W = torch.fft.rfftn(wg, dim=dims).flatten(-d).conj()
            fshape = shape[:-1] + (shape[-1] // 2 + 1,)
        if reduce:
            Y = _channel_mix(W, X)
        else:
            Y = W.unsqueeze(0) * X[:, None, None]
        Y = Y.reshape(*Y.shape[:-1], *fshape)
        y = torch.fft.ifftn(Y, dim=dims) if complex_ else torch.fft.irfftn(Y, s=shape, dim=dims)
        y = y.reshape(*y.shape[:-d], self.n)
        return y[..., self.grid_positions] if self.relabelled else y

    def _fft_dihedral(self, x, w, reduce):
        # y_a(j) = sum_k w_0(k) x_a(j + k) + sum_k w_1(k) x_{a+1}(k - j)  (a, a + 1 mod 2: the halves)
        # so y^_a = F'[w_0] x^_a + w^_1 F'[x_{a+1}]
        m = self.dihedral_n
        complex_ = x.is_complex() or w.is_complex()
        xs, ws = x.reshape(*x.shape[:-1], 2, m), w.reshape(*w.shape[:-1], 2, m)
        if complex_:
            X, Xc = torch.fft.fft(xs, dim=-1), torch.fft.ifft(xs, dim=-1, norm="forward")
            W, Wc = torch.fft.fft(ws, dim=-1), torch.fft.ifft(ws, dim=-1, norm="forward")
        else:
            X, W = torch.fft.rfft(xs, dim=-1), torch.fft.rfft(ws, dim=-1)
            Xc, Wc = X.conj(), W.conj()
        X0, X1, Xc0, Xc1 = X[..., 0, :], X[..., 1, :], Xc[..., 0, :], Xc[..., 1, :]
        W0c, W1 = Wc[..., 0, :], W[..., 1, :]
        if reduce:
            Y0 = _channel_mix(W0c, X0) + _channel_mix(W1, Xc1)
            Y1 = _channel_mix(W0c, X1) + _channel_mix(W1, Xc0)
        else:
            X0, X1, Xc0, Xc1 = (t[:, None, None] for t in (X0, X1, Xc0, Xc1))
            W0c, W1 = W0c.unsqueeze(0), W1.unsqueeze(0)
            Y0 = W0c * X0 + W1 * Xc1
            Y1 = W0c * X1 + W1 * Xc0
        Y = torch.stack([Y0, Y1], dim=-2)
        y = torch.fft.ifft(Y, dim=-1) if complex_ else torch.fft.irfft(Y, n=m, dim=-1)
        return y.reshape(*y.shape[:-2], self.n)

    def _fft(self, x, w, reduce):
        if x.dtype in _HALF or w.dtype in _HALF:
            # half precision: the transforms in float32, the result back in the input's dtype
            y = self._fft(x.float(), w.float(), reduce)
            return y.to(x.dtype)
        if self.shape is not None:
            return self._fft_abelian(x, w, reduce)
        return self._fft_dihedral(x, w, reduce)

    # ---------------------------------------------------------------- conv
    def _conv(self, x, w, bias=None):
        """The conv route: ``y = conv_nd(circular_pad(lift(x)), bank(w))``, then ``unlift``.

        A cyclic axis ``C_m`` (``g = p``, ``u = q``, ``g u = p + q``): ``y(p) = sum_q w(q) x(p + q)`` is
        a cross-correlation, torch's convolution; with the input padded circularly by ``a`` before
        and ``b`` after, tap ``t`` of the kernel multiplies ``x(p + t - a)``, so tap ``t`` is
        ``w(t - a)`` (no flip).

        A dihedral axis ``D_m`` (group law ``s^a r^i s^b r^j = s^(a+b) r^((-1)^b i + j)``): write the
        elements as ``r^t s^e`` (``= s^e r^((-1)^e t)``) and lift the signal to
        ``x'_e(t) = x(s^e r^((-1)^e t))``, so the half ``e = 1`` is reflected. With
        ``g = r^t s^e`` and ``u = r^k s^c``, ``g u = r^(t + (-1)^e k) s^(e + c)``, hence with
        ``q = (-1)^e k`` and the input flip ``f = e + c``

        .. math:: y'_e(t) = \\sum_{f, q} w(r^{(-1)^e q} s^{e + f})\\, x'_f(t + q),

        a cross-correlation over ``t`` per (output flip ``e``, input flip ``f``) pair: the lifted
        filter bank ``K[(o, e), (i, f)](q) = w_oi(r^((-1)^e q) s^(e+f)) = w_oi(s^(e+f) r^((-1)^f q))``
        (kernels reflected by the flips), one convolution with the flips stacked into the channels.
        Products combine axis by axis; ``y`` is ``y'`` read back in the element order.
        """
        if x.device.type == "cpu" and (x.dtype in _HALF or w.dtype in _HALF):
            # half precision on the CPU: convolve in float32 and round once (as the FFT route does)
            b = None if bias is None else bias.float()
            return self._conv(x.float(), w.float(), b).to(x.dtype)
        B, I, O, flips = x.shape[0], x.shape[1], w.shape[0], self.flips
        check_size((B, I * flips, *self.padded), x.element_size(), "the padded signal of the conv route")
        # the taps of the lifted filter bank (a zero appended for the taps off the support)
        wz = w if self.bank_in_support else torch.cat([w, w.new_zeros(O, I, 1)], dim=-1)
        K = wz.index_select(-1, self.bank).view(O, I, flips, flips, *self.box)
        K = K.transpose(1, 2).reshape(O * flips, I * flips, *self.box) if flips > 1 else K.view(O, I, *self.box)
        # the bias of output channel o on each of its flips (o, e)
        if bias is not None and flips > 1:
            bias = bias.repeat_interleave(flips)
        if self.lift is None:
            xp = _CircularPad.apply(x.reshape(B, I, *self.grid), self.pads)
        else:
            # the lifted signal x'_f on the padded grid, in one gather (torch.gather: its backward
            # is a scatter-add, cheaper than that of advanced indexing)
            xp = torch.gather(x, 2, self.lift.expand(B, I, -1)).reshape(B, I * flips, *self.padded)
        y = _CONV_ND[len(self.grid)](xp, K, bias).reshape(B, O, self.n)
        return y if self.unlift is None else torch.gather(y, 2, self.unlift.expand(B, O, -1))

    # ---------------------------------------------------------------- forward
    def forward(self, x: torch.Tensor, w: torch.Tensor, reduce: bool = True,
                bias: torch.Tensor | None = None) -> torch.Tensor:
        """The convolution; ``bias`` (shape ``(O,)``, ``reduce=True`` only) is added per output channel
        (inside the convolution on the conv route)."""
        if self.route == "conv" and reduce and x.numel() and w.numel():
            return self._conv(x, w, bias)
        y = self._forward(x, w, reduce)
        return y if bias is None else y + bias[:, None]

    def _forward(self, x: torch.Tensor, w: torch.Tensor, reduce: bool) -> torch.Tensor:
        if x.numel() == 0 or w.numel() == 0:
            # an empty batch or no channels: no FFT of an empty array (MKL refuses it). Every
            # output entry is an empty sum (or there is none), and so is this contraction's, which
            # has the right shape and keeps x and w in the autograd graph
            if reduce:
                return torch.einsum("oim,bin->bon", w, x)
            return torch.einsum("roim,bin->broin", w, x)
        if self.route == "fft":
            return self._fft(x, w, reduce)
        if self.route == "dense":
            self.check_dense(tuple(w.shape[:-1]), w.element_size())
            M = w[..., self.K]  # (..., O, I, n, n): M[o, i, g, h] = w[o, i, g^-1 h]
            if reduce:
                O, I, n = M.shape[0], M.shape[1], self.n
                Wmat = M.permute(0, 2, 1, 3).reshape(O * n, I * n)
                return (x.reshape(x.shape[0], I * n) @ Wmat.T).reshape(x.shape[0], O, n)
            return torch.einsum("roigh,bih->broig", M, x)
        # the support route (and the conv route's per-channel-pair signals)
        xg = x[..., self.gather]  # (B, I, n, s): x[b, i, g S_j]
        if reduce:
            return torch.einsum("ois,bigs->bog", w, xg)
        return torch.einsum("rois,bigs->broig", w, xg)

    def full_kernel(self, w: torch.Tensor) -> torch.Tensor:
        """The kernel on all of ``G`` (zeros off the support)."""
        if self.route not in ("support", "conv"):
            return w
        return w.new_zeros(*w.shape[:-1], self.n).index_copy(-1, self.support, w)


def _check_signal(x: torch.Tensor, channels: int, n: int, name: str = "x") -> None:
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of shape (batch, {channels}, {n}), got {type(x).__name__}")
    if x.dim() != 3 or x.shape[1] != channels or x.shape[2] != n:
        raise ValueError(f"{name} must have shape (batch, in_channels={channels}, |G|={n}), got {tuple(x.shape)}")


class GroupConv(nn.Module):
    """Exact group convolution over the regular representation, with channels.

    ``y[b, o, g] = bias[o] + sum_{i, h} w[o, i](g^-1 h) x[b, i, h]``: one group matrix
    ``M[g, h] = w(g^-1 h)`` per channel pair, so the layer commutes with the left regular action
    on the last axis, exactly (to round-off).

    Parameters
    ----------
    G : FiniteGroup
    in_channels, out_channels : int
    bias : bool
        A bias per output channel (constant over ``G``, hence equivariant).
    support : sequence of int, optional
        Element indices of a small kernel support (e.g. a 3 x 3 stencil on ``C_32 x C_32``); the
        weight then has shape ``(out, in, len(support))`` and the forward pass gathers.
    route : {"auto", "fft", "dense", "support", "conv"}
        ``"auto"`` is :func:`groupmat.routing.conv_route`: for full kernels ``"fft"`` (abelian groups,
        however given, and dihedral groups) or ``"dense"``; with a support ``"conv"`` (PyTorch's
        convolutions with circular padding, and lifted filter banks for dihedral factors) for a
        product of cyclic, sign and dihedral groups, or an abelian group, on at most 3 cyclic axes,
        when the gather's work ``|G| x len(support) x in_channels`` is at least
        ``CONV_ROUTE_MIN_WORK``, with the support filling enough of its box
        (``CONV_ROUTE_MAX_FILL``), else ``"support"`` (the gather). ``"conv"`` and ``"support"``
        need a support and give the same layer (the same parameters).

    Attributes
    ----------
    weight : Parameter of shape (out, in, |G|) or (out, in, len(support))
    bias : Parameter of shape (out,) or None
    route : str

    Raises
    ------
    TypeError
        At ``forward``: ``x`` is not a tensor, or not of the parameters' dtype (``x`` of float64
        into a float32 layer: convert one of them, as for ``nn.Linear``).
    ValueError
        At ``forward``: ``x`` is not of shape ``(batch, in_channels, |G|)``.

    Notes
    -----
    Any batch size, including 0 (an empty result ``(0, out, |G|)``). float16 and bfloat16 layers
    (``conv.half()``) run every route; the FFT route, and the conv route on the CPU, compute in
    float32 and cast the result back.
    A complex layer (``conv.to(torch.complex64)``) convolves complex signals on every route.

    See Also
    --------
    GroupLDRLinear, groupmat.group_matrix

    Examples
    --------
    >>> import groupmat as gm, torch
    >>> from groupmat.torch import GroupConv, group_conv, regular_action
    >>> G = gm.dihedral(4)
    >>> conv = GroupConv(G, 2, 3).double()
    >>> x = torch.randn(5, 2, G.order, dtype=torch.float64)
    >>> conv.route, tuple(conv(x).shape)
    ('fft', (5, 3, 8))
    >>> torch.allclose(conv(regular_action(x, G, 5)), regular_action(conv(x), G, 5))
    True

    A 3 x 3 stencil on an image torus ``C_n x C_n`` is torch's conv2d with circular padding; on ``D_8 x D_8`` the
    flips become channels of a lifted filter bank:

    >>> from groupmat.torch import stencil_support
    >>> H = gm.group("D8xD8")
    >>> stencil = GroupConv(H, 2, 3, support=stencil_support(H)).double()
    >>> stencil.route, stencil.weight.shape
    ('conv', torch.Size([3, 2, 36]))
    >>> x = torch.randn(2, 2, H.order, dtype=torch.float64)
    >>> torch.allclose(stencil(x), group_conv(x, stencil.kernel(), H, route="dense") + stencil.bias[:, None])
    True
    """

    def __init__(self, G: FiniteGroup, in_channels: int, out_channels: int, bias: bool = True,
                 support: Sequence[int] | None = None, route: str = "auto"):
        super().__init__()
        self.group = check_group(G)
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.out_channels = check_positive_int(out_channels, "out_channels")
        # a dense forward too large for the default dtype is refused here, not at the first batch
        self.plan = _ConvPlan(G, route, support, lead=[(self.out_channels, self.in_channels)])
        self.route = self.plan.route
        self.weight = nn.Parameter(torch.empty(out_channels, in_channels, self.plan.m))
        self.bias = nn.Parameter(torch.empty(out_channels)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Uniform in ``+-1/sqrt(fan_in)`` with ``fan_in = in_channels * kernel size`` (as nn.Linear)."""
        bound = 1.0 / math.sqrt(self.in_channels * self.plan.m)
        nn.init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            nn.init.uniform_(self.bias, -bound, bound)

    @property
    def num_parameters(self) -> int:
        """The number of trainable numbers."""
        return sum(p.numel() for p in self.parameters())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_signal(x, self.in_channels, self.group.order)
        _check_layer_input(x, self.weight)
        return self.plan(x, self.weight, reduce=True, bias=self.bias)

    def kernel(self) -> torch.Tensor:
        """The kernel on all of ``G``, shape ``(out, in, |G|)`` (zeros off the support)."""
        return self.plan.full_kernel(self.weight)

    def dense_weight(self) -> torch.Tensor:
        """The ``(out |G|, in |G|)`` matrix of the layer (block ``(o, i)`` is ``M_{w[o, i]}``)."""
        O, I, n = self.out_channels, self.in_channels, self.group.order
        check_size((2, O, I, n, n), self.weight.element_size(),
                   f"the dense weight of GroupConv (two copies of {O}x{I} group matrices {n} x {n})")
        K = torch.as_tensor(group_matrix_indices(self.group).astype(np.int64), device=self.weight.device)
        M = self.kernel()[..., K]
        return M.permute(0, 2, 1, 3).reshape(O * n, I * n)

    def extra_repr(self) -> str:
        return (f"{self.group.name}, {self.in_channels}, {self.out_channels}, route={self.route!r}, "
                f"bias={self.bias is not None}")


def group_conv(x: torch.Tensor, weight: torch.Tensor, G: FiniteGroup, route: str = "auto",
               support: Sequence[int] | None = None) -> torch.Tensor:
    """Functional group convolution ``y[b, o, g] = sum_{i, h} weight[o, i](g^-1 h) x[b, i, h]``.

    Builds the index buffers on each call; use :class:`GroupConv` in a network.

    Parameters
    ----------
    x : torch.Tensor of shape (batch, in, |G|)
        The input signals, the last axis in the group's element order.
    weight : torch.Tensor of shape (out, in, |G|) or (out, in, len(support))
        One kernel per channel pair (on the support when one is given).
    G : FiniteGroup
    route : {"auto", "fft", "dense", "support", "conv"}
        As for :class:`GroupConv`.
    support : sequence of int, optional
        Element indices of the kernel support (then ``route`` is ``"support"`` or ``"conv"``).

    Returns
    -------
    torch.Tensor of shape (batch, out, |G|)
        ``y``, in the dtype of ``x`` and ``weight`` (one dtype: floating point, half precision
        included, or complex); empty for ``batch = 0``.

    Raises
    ------
    TypeError
        ``x`` or ``weight`` is not a torch.Tensor (e.g. a NumPy array), not floating point or
        complex, or their dtypes differ (named); ``G`` is not a FiniteGroup.
    ValueError
        Shapes that do not match, an unknown route or a bad support.
    groupmat.TooLargeError
        The dense route would gather matrices larger than ``GROUPMAT_MAX_BYTES``.

    See Also
    --------
    GroupConv, groupmat.convolve

    Examples
    --------
    >>> import groupmat as gm, torch, numpy as np
    >>> from groupmat.torch import group_conv
    >>> G = gm.cyclic(4)
    >>> w = torch.tensor([[[1.0, 2.0, 0.0, 0.0]]]); x = torch.tensor([[[0.0, 1.0, 0.0, 0.0]]])
    >>> group_conv(x, w, G).round().tolist()        # the circulant with first row w, times x
    [[[2.0, 1.0, 0.0, 0.0]]]
    """
    for name, t in (("x", x), ("weight", weight)):
        if not isinstance(t, torch.Tensor):
            raise TypeError(f"{name} must be a torch.Tensor (convert a NumPy array with torch.as_tensor), "
                            f"got {type(t).__name__}")
    if x.dim() != 3:
        raise ValueError(f"x must have shape (batch, in, |G|), got {tuple(x.shape)}")
    if not (weight.is_floating_point() or weight.is_complex()):
        raise TypeError(f"weight must be a floating-point or complex tensor, got dtype {weight.dtype}")
    _check_dtype(x, "x", weight, "the dtype of weight",
                f"convert one of them, e.g. {'weight.to(x.dtype)' if x.is_complex() else f'x.to({weight.dtype})'}")
    plan = _ConvPlan(G, route, support, lead=[tuple(weight.shape[:-1])]).to(x.device)
    if weight.dim() != 3 or weight.shape[1] != x.shape[1] or weight.shape[2] != plan.m:
        raise ValueError(f"weight must have shape (out, in={x.shape[1]}, {plan.m}), got {tuple(weight.shape)}")
    _check_signal(x, weight.shape[1], G.order)
    return plan(x, weight, reduce=True)
