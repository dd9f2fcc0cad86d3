"""The ``"conv"`` route of GroupConv: PyTorch's conv1d/2d/3d with circular padding on products of cyclic
groups, and lifted filter banks for dihedral factors. Every case against the dense group matrices
(forward and gradients, float64), the gather of the ``"support"`` route, an independent construction
of the lifted bank, and the routing rule; dtypes, empty batches and bad input."""
from __future__ import annotations

import copy

import numpy as np
import pytest

import groupmat as gm
from groupmat.routing import CONV_ROUTE_MAX_FILL, CONV_ROUTE_MIN_WORK, conv_route

torch = pytest.importorskip("torch")
from groupmat.torch import GroupConv, group_conv, regular_action, stencil_support  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:Complex modules are a new feature:UserWarning")


def _table_only(G, seed):
    """``G`` given by its Cayley table alone, its elements renumbered at random."""
    T = G.cayley_table()
    perm = np.random.default_rng(seed).permutation(G.order)
    inv = np.argsort(perm)
    return gm.from_cayley_table(inv[T[perm[:, None], perm[None, :]]])


def _dense_reference(x, kernels, G):
    """``y[b, o] = sum_i M_{w[o, i]} x[b, i]`` with groupmat.group_matrix (NumPy)."""
    return np.einsum("oigh,bih->bog", gm.group_matrix(G, kernels), x)


#: (id, group, radius): the groups of the brief, a mixed product, a sign group, and stencils that
#: reach around a factor (radius 2 on C_4, D_3, D_4 and C_5: every rotation)
CASES = [(spec, r) for spec in ("C5", "C4xC6", "C3xC4xC5", "D4", "D3xD5") for r in (1, 2)] + [
    ("C4xD3", 1), ("D3xC4", 2), ("C2^3", 1), ("D1xD2", 1), ("D6", 3), ("C6xC7", 3), ("D2xD3xC3", 1)]


@pytest.mark.parametrize("spec, radius", CASES, ids=[f"{s} r={r}" for s, r in CASES])
def test_conv_route_is_the_dense_group_convolution_forward_and_gradients(spec, radius):
    G = gm.group(spec)
    S = stencil_support(G, radius)
    torch.manual_seed(0)
    conv = GroupConv(G, 2, 3, support=S, route="conv").double()
    assert conv.route == "conv" and conv.weight.shape == (3, 2, len(S))
    x = torch.randn(4, 2, G.order, dtype=torch.float64, requires_grad=True)
    y = conv(x)
    ref = _dense_reference(x.detach().numpy(), conv.kernel().detach().numpy(), G) + conv.bias.detach().numpy()[:, None]
    np.testing.assert_allclose(y.detach().numpy(), ref, atol=1e-12)
    # the gradients of <probe, y> against the dense route on the full kernel (scattered from the support)
    dense = GroupConv(G, 2, 3, route="dense").double()
    w_full = conv.kernel().detach().clone().requires_grad_(True)
    xd = x.detach().clone().requires_grad_(True)
    probe = torch.randn_like(y)
    (y * probe).sum().backward()
    (group_conv(xd, w_full, G, route="dense") * probe).sum().backward()
    assert torch.allclose(x.grad, xd.grad, atol=1e-12)
    assert torch.allclose(conv.weight.grad, w_full.grad[..., torch.as_tensor(S)], atol=1e-12)
    assert torch.allclose(conv.bias.grad, (probe.sum((0, 2))), atol=1e-12)
    assert dense.route == "dense"


@pytest.mark.parametrize("spec", ["C4xC6", "D3xD5", "C4xD3", "C3xC4xC5"])
def test_conv_route_equals_the_gather_on_random_supports(spec):
    """Any support (not only a box around the identity): the box is the smallest around the identity
    holding it, the taps off the support are zero."""
    G = gm.group(spec)
    rng = np.random.default_rng(1)
    x = torch.randn(3, 2, G.order, dtype=torch.float64)
    for size in (1, 2, 5, 9):
        S = rng.choice(G.order, size=size, replace=False).tolist()
        w = torch.randn(2, 2, size, dtype=torch.float64)
        a = group_conv(x, w, G, route="conv", support=S)
        b = group_conv(x, w, G, route="support", support=S)
        assert torch.allclose(a, b, atol=1e-12), (spec, S)


@pytest.mark.parametrize("make", [lambda: _table_only(gm.group("C4xC6"), 3), lambda: _table_only(gm.cyclic(12), 5)],
                         ids=["table C4xC6", "table C12"])
def test_conv_route_on_an_abelian_group_known_by_its_table(make):
    """Laid out on the cyclic coordinates found from the group law (elements renumbered)."""
    G = make()
    S = [0, 3, 5, 7]
    conv = GroupConv(G, 2, 2, support=S, route="conv").double()
    x = torch.randn(3, 2, G.order, dtype=torch.float64)
    ref = _dense_reference(x.numpy(), conv.kernel().detach().numpy(), G) + conv.bias.detach().numpy()[:, None]
    np.testing.assert_allclose(conv(x).detach().numpy(), ref, atol=1e-12)


def test_lifted_filter_bank_of_a_dihedral_group_by_hand():
    """An independent construction for D_m: with the elements written ``r^t s^e`` the signal lifts to
    ``x'_e(t) = x(r^t s^e)``, and ``y'_e(t) = sum_{f, q} w(r^((-1)^e q) s^(e + f)) x'_f(t + q)`` is one
    conv1d with circular padding over the stacked flips; built here from the group law of groupmat
    (G.mul, G.inv), not from the route's index buffers."""
    m, r = 7, 2
    G = gm.dihedral(m)
    rot, s = 1, m                                            # r and s as element indices
    power = lambda g, k: int(G.power(g, k % m))              # noqa: E731
    elem = lambda t, e: int(G.mul(power(rot, t), s)) if e else power(rot, t)   # noqa: E731  r^t s^e
    S = stencil_support(G, r)
    torch.manual_seed(2)
    w = torch.randn(2, 3, len(S), dtype=torch.float64)
    full = torch.zeros(2, 3, G.order, dtype=torch.float64)
    full[..., S] = w
    x = torch.randn(4, 3, G.order, dtype=torch.float64)
    lift = torch.tensor([[elem(t, e) for t in range(m)] for e in (0, 1)])
    xl = x[..., lift].reshape(4, 6, m)                       # channels (i, f)
    bank = torch.stack([torch.stack([full[..., [elem(((-1) ** e) * q, (e + f) % 2) for q in range(-r, r + 1)]]
                                     for f in (0, 1)], 2) for e in (0, 1)], 1)   # (O, e, I, f, q)
    yl = torch.nn.functional.conv1d(torch.nn.functional.pad(xl, (r, r), mode="circular"), bank.reshape(4, 6, 2 * r + 1))
    y = torch.empty(4, 2, G.order, dtype=torch.float64)
    y[..., lift.reshape(-1)] = yl.reshape(4, 2, 2 * m)
    assert torch.allclose(group_conv(x, w, G, route="conv", support=S), y, atol=1e-12)
    assert torch.allclose(group_conv(x, full, G, route="dense"), y, atol=1e-12)


@pytest.mark.parametrize("spec", ["C16xC16", "D8xD8", "C5xC5xC6", "D4xC4xC5"])
def test_conv_route_is_equivariant(spec):
    G = gm.group(spec)
    conv = GroupConv(G, 2, 2, support=stencil_support(G), route="conv").double()
    x = torch.randn(2, 2, G.order, dtype=torch.float64)
    y = conv(x)
    for k in np.random.default_rng(0).choice(G.order, size=6, replace=False):
        assert torch.allclose(conv(regular_action(x, G, int(k))), regular_action(y, G, int(k)), atol=1e-12)


def test_gradcheck_second_derivatives_and_torch_func():
    """The circular padding has its own backward (a fold of the margins); double backward works."""
    for spec in ("C3xC4", "D3xC3"):
        G = gm.group(spec)
        S = stencil_support(G)
        x = torch.randn(1, 1, G.order, dtype=torch.float64, requires_grad=True)
        w = torch.randn(2, 1, len(S), dtype=torch.float64, requires_grad=True)
        plan = GroupConv(G, 1, 2, support=S, route="conv").plan        # its index buffers, built once
        f = lambda a, b: plan(a, b)                                      # noqa: E731
        assert torch.autograd.gradcheck(f, (x, w))
        assert torch.autograd.gradgradcheck(f, (x, w), fast_mode=True)
    # torch.func transforms go through the padding's own backward
    G = gm.group("C5xC6")
    S = stencil_support(G)
    x = torch.randn(3, 2, G.order, dtype=torch.float64)
    loss = lambda w: group_conv(x, w, G, route="conv", support=S).square().sum()   # noqa: E731
    ws = torch.randn(4, 2, 2, len(S), dtype=torch.float64)
    assert torch.allclose(torch.func.vmap(loss)(ws), torch.stack([loss(w) for w in ws]))
    grads = torch.func.vmap(torch.func.grad(loss))(ws)
    dense = lambda w: group_conv(x, w, G, route="support", support=S).square().sum()   # noqa: E731
    assert torch.allclose(grads, torch.stack([torch.func.grad(dense)(w) for w in ws]), atol=1e-10)


def test_auto_takes_the_conv_route_where_it_applies():
    n_1d = -(-CONV_ROUTE_MIN_WORK // 3)                 # a 3-tap stencil on C_n with one channel reaches the work
    big = [(gm.group("C16xC16"), 1), (gm.group("D8xD8"), 1), (gm.cyclic(n_1d), 1), (gm.group("C6xC6xC6"), 1),
           (gm.group("D8xC8"), 1), (_table_only(gm.group("C8xC16"), 1), 4), (gm.group("D4xD4"), 4),
           (gm.group("C8xC8"), 16)]
    for G, channels in big:
        if G.structure.family == "table":        # a 5-point stencil on the cyclic coordinates found
            coords = G.cyclic_coordinates()
            grid = np.ravel_multi_index(([0, 1, -1, 0, 0], [0, 0, 0, 1, -1]), coords.shape, mode="wrap")
            S = coords.elements[grid].tolist()
        else:
            S = stencil_support(G)
        assert G.order * len(S) * channels >= CONV_ROUTE_MIN_WORK
        conv = GroupConv(G, channels, 1, support=S)
        assert conv.route == "conv", G.name
    # little work, groups without a layout on at most 3 axes, and spread-out supports: the gather
    G = gm.group("C16xC16")
    spread = [G.identity, int(G.combine(8, 8))]                  # the box 17 x 17 for two elements
    assert 17 * 17 > CONV_ROUTE_MAX_FILL * 2
    for G, S in [(gm.cyclic(n_1d - 1), stencil_support(gm.cyclic(n_1d - 1))),
                 (gm.group("C8xC8"), stencil_support(gm.group("C8xC8"))),
                 (gm.group("C16xC16"), spread),
                 (gm.symmetric(5), [0, 1, 2]),
                 (gm.sign_group(8), stencil_support(gm.sign_group(8))),     # 8 axes
                 (gm.direct_product(gm.symmetric(4), gm.cyclic(8)), [0, 1])]:
        assert GroupConv(G, 1, 1, support=S).route == "support", G.name
    # full kernels keep their routes
    assert GroupConv(gm.group("C16xC16"), 1, 1).route == "fft"
    assert conv_route(gm.group("C16xC16"), support=9, taps=9) == "conv"


@pytest.mark.parametrize("spec", ["C8xC8", "D4xD4", "C4xD4"])
def test_auto_route_reads_the_input_channels_of_the_layer(spec):
    """GroupConv hands its input channels to the rule: the route switches where the gather's work
    |G| x |S| x in_channels reaches CONV_ROUTE_MIN_WORK, whatever the output channels, and both routes
    compute the same layer."""
    G = gm.group(spec)
    S = stencil_support(G)
    first = -(-CONV_ROUTE_MIN_WORK // (G.order * len(S)))                 # the first input channel count
    for channels in range(1, first + 3):
        expected = "conv" if channels >= first else "support"
        for out in (1, 16):
            assert GroupConv(G, channels, out, support=S).route == expected, (spec, channels, out)
            assert GroupConv(G, channels, out, support=S).route == conv_route(
                G, support=len(S), taps=len(S), in_channels=channels)
    torch.manual_seed(0)
    a = GroupConv(G, first, 2, support=S).double()
    b = GroupConv(G, first, 2, support=S, route="support").double()
    b.load_state_dict(a.state_dict())
    x = torch.randn(3, first, G.order, dtype=torch.float64)
    assert a.route == "conv" and torch.allclose(a(x), b(x), atol=1e-12)


def test_conv_and_support_routes_share_parameters():
    G = gm.group("D8xD8")
    S = stencil_support(G)
    a = GroupConv(G, 2, 3, support=S).double()
    b = GroupConv(G, 2, 3, support=S, route="support").double()
    assert a.route == "conv" and b.route == "support"
    b.load_state_dict(a.state_dict())
    x = torch.randn(2, 2, G.order, dtype=torch.float64)
    assert torch.allclose(a(x), b(x), atol=1e-12)
    assert torch.allclose(a.dense_weight(), b.dense_weight())
    # the per-channel-pair signals (reduce=False, as GroupLDRLinear asks a plan) gather on both
    w = torch.randn(2, 3, 2, len(S), dtype=torch.float64)
    assert torch.allclose(a.plan(x, w, reduce=False), b.plan(x, w, reduce=False))


def test_empty_batches_and_no_output_channels():
    G = gm.group("D3xC4")
    S = stencil_support(G)
    conv = GroupConv(G, 2, 3, support=S, route="conv").double()
    x = torch.zeros(0, 2, G.order, dtype=torch.float64, requires_grad=True)
    y = conv(x)
    assert y.shape == (0, 3, G.order)
    y.sum().backward()
    assert x.grad.shape == x.shape and not conv.weight.grad.any() and not conv.bias.grad.any()
    w = torch.randn(0, 2, len(S), dtype=torch.float64)
    y = group_conv(torch.randn(2, 2, G.order, dtype=torch.float64), w, G, route="conv", support=S)
    assert y.shape == (2, 0, 24)


HALF = {torch.float16: 2.0**-11, torch.bfloat16: 2.0**-8}


@pytest.mark.parametrize("spec", ["C8xC8", "D4xD3"])
def test_half_precision_runs_in_float32_and_rounds_once(spec):
    """A half-precision layer on the conv route gives the float64 result of its rounded numbers to the
    rounding of the output, 2 units relative (the convolution ran in float32: in float16 the sums of
    up to 2 x 9 terms lose more, and this test fails); gradients to half accuracy."""
    G = gm.group(spec)
    S = stencil_support(G)
    torch.manual_seed(3)
    base = GroupConv(G, 2, 3, support=S, route="conv")
    for dtype, u in HALF.items():
        layer = copy.deepcopy(base).to(dtype)
        x = (torch.randn(3, 2, G.order) + 2).to(dtype).requires_grad_(True)
        y = layer(x)
        assert y.dtype == dtype
        ref_layer = copy.deepcopy(layer).double()
        xr = x.detach().double().requires_grad_(True)
        ref = ref_layer(xr)
        assert torch.all((y.double() - ref).abs() <= 2 * u * ref.abs() + 1e-6), dtype
        probe = torch.randn_like(ref)
        (y.double() * probe).sum().backward()
        (ref * probe).sum().backward()
        for g, g64 in [(x.grad, xr.grad), (layer.weight.grad, ref_layer.weight.grad)]:
            assert g.dtype == dtype
            assert ((g.double() - g64).norm() / g64.norm()).item() <= 16 * u


@pytest.mark.parametrize("spec", ["C4xC6", "D3xD4"])
def test_complex_layers_on_the_conv_route(spec):
    G = gm.group(spec)
    S = stencil_support(G)
    conv = GroupConv(G, 2, 2, support=S, route="conv").to(torch.complex128)
    with torch.no_grad():
        conv.weight.copy_(torch.randn_like(conv.weight))
        conv.bias.copy_(torch.randn_like(conv.bias))
    x = torch.randn(3, 2, G.order, dtype=torch.complex128)
    ref = _dense_reference(x.numpy(), conv.kernel().detach().numpy(), G) + conv.bias.detach().numpy()[:, None]
    np.testing.assert_allclose(conv(x).detach().numpy(), ref, atol=1e-12)
    w = conv.weight.detach().requires_grad_(True)
    xx = x.detach().requires_grad_(True)
    assert torch.autograd.gradcheck(lambda a, b: group_conv(a, b, G, route="conv", support=S), (xx, w), fast_mode=True)


def test_bad_routes_are_named():
    G = gm.group("C8xC8")
    with pytest.raises(ValueError, match="route='conv' needs support"):
        GroupConv(G, 1, 1, route="conv")
    with pytest.raises(ValueError, match="route='conv' needs a product of cyclic, sign and dihedral groups"):
        GroupConv(gm.symmetric(4), 1, 1, support=[0, 1], route="conv")
    with pytest.raises(ValueError, match="at most 3 cyclic axes; got C2"):
        GroupConv(gm.sign_group(4), 1, 1, support=[0, 1], route="conv")
    with pytest.raises(ValueError, match="support is used by route='support' or 'conv'"):
        GroupConv(G, 1, 1, support=[0, 1], route="fft")
    with pytest.raises(ValueError, match="route must be one of"):
        group_conv(torch.ones(1, 1, 64), torch.ones(1, 1, 2), G, route="conv2d", support=[0, 1])
