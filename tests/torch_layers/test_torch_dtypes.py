"""The torch layers on every route with the inputs PyTorch users give them: an empty batch, float16
and bfloat16 (against float64 to half-precision accuracy), complex layers (against the dense complex
group matrices of groupmat, NumPy), and inputs of the wrong dtype (our TypeError, naming both)."""
from __future__ import annotations

import copy

import numpy as np
import pytest

import groupmat as gm

torch = pytest.importorskip("torch")
from groupmat.torch import GroupConv, GroupLDRLinear, group_conv, regular_action, stencil_support  # noqa: E402

# torch's own notes on complex modules and complex32 tensors, not ours
pytestmark = [pytest.mark.filterwarnings("ignore:Complex modules are a new feature:UserWarning"),
              pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental:UserWarning")]


def _table_only(G, seed):
    """``G`` given by its Cayley table alone, its elements renumbered at random."""
    T = G.cayley_table()
    perm = np.random.default_rng(seed).permutation(G.order)
    inv = np.argsort(perm)
    return gm.from_cayley_table(inv[T[perm[:, None], perm[None, :]]])


#: (id, group, route, support): every route and every layout of the FFT route
ROUTES = [
    ("C6 fft", lambda: gm.cyclic(6), "fft", None),
    ("C4xC3 fft", lambda: gm.group("C4xC3"), "fft", None),
    ("table C4xC2 fft", lambda: _table_only(gm.group("C4xC2"), 3), "fft", None),
    ("D4 fft", lambda: gm.dihedral(4), "fft", None),
    ("D3 fft", lambda: gm.dihedral(3), "fft", None),
    ("C6 dense", lambda: gm.cyclic(6), "dense", None),
    ("S3 dense", lambda: gm.symmetric(3), "dense", None),
    ("C7:C3 dense", lambda: gm.semidirect_product(gm.cyclic(7), gm.cyclic(3), [lambda n: (2 * n) % 7]), "dense",
     None),
    ("C8xC8 support", lambda: gm.group("C8xC8"), "support", "stencil"),
    ("D4 support", lambda: gm.dihedral(4), "support", "stencil"),
    ("S3 support", lambda: gm.symmetric(3), "support", [0, 1, 4]),
]
LDR_ROUTES = [r for r in ROUTES if r[2] != "support"]
HALF = {torch.float16: 2.0**-11, torch.bfloat16: 2.0**-8}   # unit round-off of each dtype


def _support(G, support):
    return stencil_support(G) if support == "stencil" else support


def _conv(G, route, support, cin=2, cout=3):
    if support is not None:
        return GroupConv(G, cin, cout, support=_support(G, support))
    return GroupConv(G, cin, cout, route=route)


def _ldr(G, route, cin=2, cout=3):
    layer = GroupLDRLinear(G, cin, cout, rank=2, route=route)
    with torch.no_grad():
        layer.V.normal_()                          # a relaxed (non-equivariant) layer
    return layer


def _dense_layer(x, kernels, G, bias=None):
    """Reference: ``y[b, o] = sum_i M_{w[o, i]} x[b, i]`` with groupmat.group_matrix (NumPy, complex too)."""
    M = gm.group_matrix(G, kernels)
    y = np.einsum("oigh,bih->bog", M, x)
    return y if bias is None else y + bias[:, None]


def _abs_copy(layer):
    """A float64 copy of the layer with every parameter (and ``gamma``) replaced by its absolute value:
    applied to ``|x|`` it bounds the sum of the absolute values of the terms of each output entry."""
    out = copy.deepcopy(layer).to(torch.float64)
    with torch.no_grad():
        for t in list(out.parameters()) + [b for b in out.buffers() if b.is_floating_point()]:
            t.abs_()
    return out


# ---------------------------------------------------------------------------- empty batch
@pytest.mark.parametrize("case", ROUTES, ids=[r[0] for r in ROUTES])
def test_empty_batch_gives_an_empty_result_and_zero_gradients(case):
    _, make, route, support = case
    G = make()
    layers = [_conv(G, route, support)] + ([_ldr(G, route)] if support is None else [])
    for layer in layers:
        for dtype in (torch.float32, torch.float64, torch.float16):
            layer = layer.to(dtype)
            layer.zero_grad(set_to_none=True)
            x = torch.zeros(0, 2, G.order, dtype=dtype, requires_grad=True)
            y = layer(x)
            assert y.shape == (0, 3, G.order) and y.dtype == dtype and layer.route == route
            y.sum().backward()
            assert x.grad.shape == (0, 2, G.order)
            for name, p in layer.named_parameters():
                assert p.grad is not None and p.grad.shape == p.shape and not p.grad.any(), name
    # the functional form, also with no output channels
    w = torch.randn(3, 2, len(_support(G, support)) if support is not None else G.order, dtype=torch.float64)
    kw = {"support": _support(G, support)} if support is not None else {"route": route}
    assert group_conv(torch.zeros(0, 2, G.order, dtype=torch.float64), w, G, **kw).shape == (0, 3, G.order)
    y = group_conv(torch.randn(4, 2, G.order, dtype=torch.float64), w[:0], G, **kw)
    assert y.shape == (4, 0, G.order)


def test_regular_action_on_empty_half_complex_and_integer_signals():
    G = gm.dihedral(5)
    k = 7
    idx = G.mul(G.inv(k), G.elements())                          # (L(k) x)(g) = x(k^-1 g)
    for x in (torch.zeros(0, 3, 10), torch.randn(2, 10).half(), torch.randn(2, 10).bfloat16(),
              torch.randn(4, 10, dtype=torch.complex128), torch.arange(10), torch.randn(10) > 0):
        y = regular_action(x, G, k)
        assert y.dtype == x.dtype and y.shape == x.shape
        assert torch.equal(y, x[..., torch.as_tensor(idx)])
        assert torch.equal(regular_action(y, G, G.inv(k)), x)
    with pytest.raises(ValueError, match="x must have last axis of length"):
        regular_action(torch.tensor(1.0), G, 1)


# ---------------------------------------------------------------------------- half precision
@pytest.mark.parametrize("case", ROUTES, ids=[r[0] for r in ROUTES])
def test_half_precision_matches_float64_to_half_accuracy(case):
    """float16 and bfloat16 layers on every route (the FFT route transforms in float32): the output
    and the gradients agree with the float64 computation on the same (rounded) numbers to a few units
    of the half-precision round-off, relative to the size of the terms."""
    _, make, route, support = case
    G = make()
    torch.manual_seed(0)
    layers = [_conv(G, route, support)] + ([_ldr(G, route)] if support is None else [])
    x64 = torch.randn(4, 2, G.order, dtype=torch.float64)
    probe = torch.randn(4, 3, G.order, dtype=torch.float64)
    for base in layers:
        for dtype, u in HALF.items():
            layer = copy.deepcopy(base).to(dtype)
            ref_layer = copy.deepcopy(layer).to(torch.float64)      # the rounded parameters, in float64
            x = x64.to(dtype).requires_grad_(True)
            y = layer(x)
            assert y.dtype == dtype and layer.route == route
            xr = x.detach().double().requires_grad_(True)
            ref = ref_layer(xr)
            bound = _abs_copy(layer)(xr.detach().abs())             # sum of |terms| of each entry
            err = (y.double() - ref).abs()
            assert torch.all(err <= 8 * u * bound), (dtype, float((err / bound).max() / u))
            # backward: the gradients of <probe, y> against the float64 ones
            (y.double() * probe).sum().backward()
            (ref * probe).sum().backward()
            pairs = [("x", x.grad, xr.grad)] + [(name, p.grad, q.grad) for (name, p), (_, q)
                                                in zip(layer.named_parameters(), ref_layer.named_parameters())]
            for name, g, g64 in pairs:
                assert g.dtype == dtype, name
                rel = ((g.double() - g64).norm() / g64.norm()).item()
                assert rel <= 16 * u, (name, dtype, rel / u)


def test_half_precision_fft_is_computed_in_float32_and_cast_back():
    """A float16 layer on the FFT route of C_64 gives the exact (float64) result of its rounded inputs
    within one unit in the last place of float16: the transforms ran in float32 and the result was
    rounded once (transforms in float16 would lose several more bits over 64 terms)."""
    G = gm.cyclic(64)
    torch.manual_seed(1)
    conv = GroupConv(G, 1, 1, bias=False, route="fft").half()
    x = (torch.randn(3, 1, 64) + 4.0).half()
    y = conv(x)
    ref = group_conv(x.double(), conv.weight.detach().double(), G, route="dense")
    ulp = torch.finfo(torch.float16).eps * ref.abs().clamp_min(torch.finfo(torch.float16).tiny)
    assert torch.all((y.double() - ref).abs() <= ulp)


# ---------------------------------------------------------------------------- complex layers
@pytest.mark.parametrize("case", ROUTES, ids=[r[0] for r in ROUTES])
def test_complex_layer_is_the_complex_group_matrix_and_equivariant(case):
    _, make, route, support = case
    G = make()
    torch.manual_seed(2)
    conv = _conv(G, route, support).to(torch.complex128)
    with torch.no_grad():
        conv.weight.copy_(torch.randn_like(conv.weight))       # complex normal: a genuinely complex kernel
        conv.bias.copy_(torch.randn_like(conv.bias))
    x = torch.randn(3, 2, G.order, dtype=torch.complex128)
    y = conv(x)
    assert y.dtype == torch.complex128
    ref = _dense_layer(x.numpy(), conv.kernel().detach().numpy(), G, conv.bias.detach().numpy())
    np.testing.assert_allclose(y.detach().numpy(), ref, atol=1e-12)
    for k in range(G.order):
        assert torch.allclose(conv(regular_action(x, G, k)), regular_action(y, G, k), atol=1e-12)
    # complex64 too, and the gradient (Wirtinger) against the dense route
    if support is None:
        w = conv.weight.detach().requires_grad_(True)
        xx = x.detach().requires_grad_(True)
        assert torch.autograd.gradcheck(lambda a, b: group_conv(a, b, G, route=route), (xx, w), fast_mode=True)
        conv64 = conv.to(torch.complex64)
        assert torch.allclose(conv64(x.to(torch.complex64)), y.to(torch.complex64), atol=1e-5)


@pytest.mark.parametrize("case", LDR_ROUTES, ids=[r[0] for r in LDR_ROUTES])
def test_complex_ldr_layer_is_the_complex_gm_ldr_matrix(case):
    _, make, route, _ = case
    G = make()
    torch.manual_seed(3)
    layer = _ldr(G, route).to(torch.complex128)
    with torch.no_grad():
        for p in layer.parameters():
            p.copy_(torch.randn_like(p))
    x = torch.randn(2, 2, G.order, dtype=torch.complex128)
    y = layer(x)
    n = G.order
    for o in range(3):
        for i in range(2):
            M = layer.to_group_ldr(o, i).dense()                     # M_b + sum_r diag(v_r) M_{u_r} (NumPy)
            assert np.iscomplexobj(M)
            block = layer.dense_weight()[o * n:(o + 1) * n, i * n:(i + 1) * n].detach().numpy()
            np.testing.assert_allclose(block, M, atol=1e-12)
    flat = (x.reshape(2, -1) @ layer.dense_weight().T).reshape(2, 3, n) + layer.bias[:, None]
    assert torch.allclose(y, flat, atol=1e-12)
    y.abs().sum().backward()
    assert all(p.grad is not None and p.grad.dtype == torch.complex128 for p in layer.parameters())


# ---------------------------------------------------------------------------- wrong dtypes
@pytest.mark.parametrize("case", ROUTES, ids=[r[0] for r in ROUTES])
def test_input_of_another_dtype_is_refused_naming_both(case):
    _, make, route, support = case
    G = make()
    layers = [_conv(G, route, support)] + ([_ldr(G, route)] if support is None else [])
    for layer in layers:
        for dtype in (torch.float64, torch.float16, torch.bfloat16):
            with pytest.raises(TypeError, match=rf"expected x of dtype torch.float32 .*, got {dtype}"):
                layer(torch.zeros(2, 2, G.order, dtype=dtype))
        with pytest.raises(TypeError, match=r"got torch.complex64: complex signals need a complex layer"):
            layer(torch.zeros(2, 2, G.order, dtype=torch.complex64))
        with pytest.raises(TypeError, match=r"x must be a floating-point or complex tensor, got dtype torch.int64"):
            layer(torch.zeros(2, 2, G.order, dtype=torch.int64))
        half = layer.half()
        with pytest.raises(TypeError, match=r"expected x of dtype torch.float16 .*, got torch.float32"):
            half(torch.zeros(2, 2, G.order))
        with pytest.raises(TypeError, match=r"torch.complex32, which groupmat.torch does not support"):
            layer.to(torch.complex64)(torch.zeros(2, 2, G.order, dtype=torch.complex32))
    kw = {"support": _support(G, support)} if support is not None else {"route": route}
    m = len(_support(G, support)) if support is not None else G.order
    with pytest.raises(TypeError, match=r"expected x of dtype torch.float32 \(the dtype of weight\), "
                                        r"got torch.float64"):
        group_conv(torch.zeros(1, 2, G.order, dtype=torch.float64), torch.zeros(1, 2, m), G, **kw)
    with pytest.raises(TypeError, match=r"weight must be a floating-point or complex tensor, got dtype torch.int32"):
        group_conv(torch.zeros(1, 2, G.order), torch.zeros(1, 2, m, dtype=torch.int32), G, **kw)
