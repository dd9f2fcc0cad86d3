"""GroupConv and GroupLDRLinear: exact equivariance, agreement with the dense group matrices of
groupmat (NumPy), gradients, parameter counts, bad input."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import groupmat as gm

torch = pytest.importorskip("torch")
from groupmat.torch import GroupConv, GroupLDRLinear, group_conv, regular_action, stencil_support  # noqa: E402

GROUPS = {
    "C7": lambda: gm.cyclic(7),
    "C4xC3": lambda: gm.group("C4xC3"),
    "C2^3": lambda: gm.sign_group(3),
    "(C2xC2)xC3": lambda: gm.group("(C2xC2)xC3"),
    "D5": lambda: gm.dihedral(5),
    "D4": lambda: gm.dihedral(4),
    "S3": lambda: gm.symmetric(3),
    "Q8": lambda: gm.quaternion(),
    "D3xC2": lambda: gm.group("D3xC2"),
    "C7:C3": lambda: gm.semidirect_product(gm.cyclic(7), gm.cyclic(3), [lambda n: (2 * n) % 7]),
    "C1": lambda: gm.cyclic(1),
}


def numpy_layer(x, kernels, G, bias=None):
    """Reference: y[b, o] = sum_i M_{w[o, i]} x[b, i] with groupmat.group_matrix (NumPy)."""
    M = gm.group_matrix(G, kernels)              # (O, I, n, n), M[o, i, g, h] = w[o, i](g^-1 h)
    y = np.einsum("oigh,bih->bog", M, x)
    return y if bias is None else y + bias[:, None]


def assert_equivariant(layer, G, x, atol=1e-10):
    y = layer(x)
    for k in range(G.order):
        lhs = layer(regular_action(x, G, k))
        rhs = regular_action(y, G, k)
        assert torch.allclose(lhs, rhs, atol=atol, rtol=0), (G.name, k, (lhs - rhs).abs().max())


@pytest.mark.parametrize("name", list(GROUPS))
def test_group_conv_matches_group_matrices_and_is_equivariant(name):
    G = GROUPS[name]()
    torch.manual_seed(0)
    routes = ["dense"] + (["fft"] if name in ("C7", "C4xC3", "C2^3", "(C2xC2)xC3", "D5", "D4") else [])
    x = torch.randn(3, 2, G.order, dtype=torch.float64)
    for route in routes:
        conv = GroupConv(G, 2, 3, route=route).double()
        assert conv.route == route
        ref = numpy_layer(x.numpy(), conv.weight.detach().numpy(), G, conv.bias.detach().numpy())
        assert np.allclose(conv(x).detach().numpy(), ref, atol=1e-12)
        assert torch.allclose(conv.dense_weight(), torch.from_numpy(
            gm.group_matrix(G, conv.weight.detach().numpy()).transpose(0, 2, 1, 3).reshape(3 * G.order, -1)))
        assert_equivariant(conv, G, x)
    assert GroupConv(G, 1, 1).route == (routes[-1] if G.order > 1 else "dense")


def test_support_route_is_a_sparse_group_matrix():
    G = gm.group("C8xC8")
    r, s = (G.combine(1, 0), G.combine(0, 1))
    stencil = [G.identity, r, s, G.inv(r), G.inv(s)]          # a 5-point stencil on the torus
    torch.manual_seed(1)
    conv = GroupConv(G, 2, 2, support=stencil, bias=False).double()
    assert conv.route == "support" and conv.weight.shape == (2, 2, 5)
    x = torch.randn(2, 2, 64, dtype=torch.float64)
    kernels = conv.kernel().detach().numpy()
    assert np.count_nonzero(kernels[0, 0]) == 5
    sparse = gm.group_matrix(G, kernels[1, 0], sparse=True)          # groupmat's sparse group matrix
    y = conv(x).detach().numpy()
    expect = sparse @ x[:, 0].numpy().T + gm.group_matrix(G, kernels[1, 1], sparse=True) @ x[:, 1].numpy().T
    assert np.allclose(y[:, 1], expect.T, atol=1e-12)
    assert_equivariant(conv, G, x)
    assert sorted(stencil_support(G)) == sorted(set(G.mul(np.array([0, r, G.inv(r)])[:, None],
                                                            np.array([0, s, G.inv(s)])[None, :]).ravel()))
    D = gm.group("D4xD4")
    support = stencil_support(D)
    assert len(support) == 36 and D.identity in support
    conv = GroupConv(D, 1, 2, support=support).double()
    assert_equivariant(conv, D, torch.randn(2, 1, 64, dtype=torch.float64))
    with pytest.raises(ValueError, match="stencil_support takes cyclic"):
        stencil_support(gm.symmetric(3))


def test_functional_group_conv():
    G = gm.dihedral(3)
    w = torch.randn(2, 1, 6, dtype=torch.float64)
    x = torch.randn(4, 1, 6, dtype=torch.float64)
    ref = numpy_layer(x.numpy(), w.numpy(), G)
    for route in ("fft", "dense"):
        assert np.allclose(group_conv(x, w, G, route=route).numpy(), ref)
    with pytest.raises(ValueError, match="weight must have shape"):
        group_conv(x, w[..., :5], G)


@pytest.mark.parametrize("name", ["C4xC3", "D5", "Q8", "C2^3"])
def test_ldr_rank0_is_equivariant_and_rank_r_is_not(name):
    G = GROUPS[name]()
    torch.manual_seed(2)
    x = torch.randn(3, 2, G.order, dtype=torch.float64)
    layer0 = GroupLDRLinear(G, 2, 3, rank=0).double()
    assert_equivariant(layer0, G, x)
    layer = GroupLDRLinear(G, 2, 3, rank=2).double()
    assert_equivariant(layer, G, x)                               # V = 0 at initialisation
    with torch.no_grad():
        layer.V.normal_()
    y = layer(x)
    defects = [(layer(regular_action(x, G, k)) - regular_action(y, G, k)).abs().max().item()
               for k in range(1, G.order)]
    assert min(defects) > 1e-3
    # the forward pass equals the dense GM-LDR matrix M_b + sum_r diag(v_r) M_{u_r} of groupmat
    b, U, V = (p.detach().numpy() for p in (layer.b, layer.U, layer.V))
    for o in range(3):
        for i in range(2):
            ldr = gm.GroupLDRMatrix(G, b[o, i], U[:, o, i], V[:, o, i])
            block = layer.dense_weight()[o * G.order:(o + 1) * G.order, i * G.order:(i + 1) * G.order]
            assert np.allclose(block.detach().numpy(), ldr.dense(), atol=1e-12)
            assert np.allclose(layer.to_group_ldr(o, i).dense(), ldr.dense(), atol=1e-12)
    with pytest.raises(ValueError, match="outside"):
        layer.to_group_ldr(3, 0)
    flat = (x.reshape(3, -1) @ layer.dense_weight().T).reshape(3, 3, -1) + layer.bias[:, None]
    assert torch.allclose(y, flat, atol=1e-12)
    with torch.no_grad():
        layer.gamma.zero_()
    assert_equivariant(layer, G, x)


def test_ldr_parameter_count():
    G = gm.group("C8xC8")
    for r in range(4):
        layer = GroupLDRLinear(G, 3, 2, rank=r)
        assert layer.num_parameters == (2 * r + 1) * 3 * 2 * 64 + 2
        assert sum(p.numel() for p in layer.relaxation_parameters()) == 2 * r * 3 * 2 * 64
        assert sum(p.numel() for p in layer.equivariant_parameters()) == 3 * 2 * 64 + 2
    conv = GroupConv(G, 3, 2, bias=False)
    assert conv.num_parameters == 3 * 2 * 64


@pytest.mark.parametrize("name", ["C4xC3", "D4", "S3"])
def test_gradcheck(name):
    G = GROUPS[name]()
    torch.manual_seed(3)
    x = torch.randn(2, 2, G.order, dtype=torch.float64, requires_grad=True)
    conv = GroupConv(G, 2, 2).double()
    w = conv.weight.detach().clone().requires_grad_(True)
    assert torch.autograd.gradcheck(lambda x, w: group_conv(x, w, G, route=conv.route), (x, w), fast_mode=True)
    layer = GroupLDRLinear(G, 2, 1, rank=2, v_init_std=0.5).double()
    leaves = [p.detach().clone().requires_grad_(True) for p in (layer.b, layer.U, layer.V)]
    plan = layer.plan

    def g(x, b, U, V):
        # the layer's forward with its parameters as explicit inputs
        return plan(x, b) + layer.gamma * torch.einsum("roig,broig->bog", V, plan(x, U, reduce=False))

    with torch.no_grad():
        assert torch.allclose(g(x, *leaves) + layer.bias[:, None], layer(x))
    assert torch.autograd.gradcheck(g, (x, *leaves), fast_mode=True)
    out = layer(x).sum()
    out.backward()
    assert all(p.grad is not None for p in layer.parameters())


def test_bad_input():
    G = gm.dihedral(3)
    with pytest.raises(TypeError, match="G must be a FiniteGroup"):
        GroupConv("D3", 1, 1)
    with pytest.raises(ValueError, match="in_channels must be an integer >= 1"):
        GroupConv(G, 0, 1)
    with pytest.raises(ValueError, match="route must be one of"):
        GroupConv(G, 1, 1, route="magic")
    with pytest.raises(ValueError, match="route='fft' needs"):
        GroupConv(gm.symmetric(3), 1, 1, route="fft")
    with pytest.raises(ValueError, match="support must list distinct"):
        GroupConv(G, 1, 1, support=[0, 0])
    with pytest.raises(ValueError, match="support must hold element indices"):
        GroupConv(G, 1, 1, support=[0, 6])
    with pytest.raises(ValueError, match="needs support"):
        GroupConv(G, 1, 1, route="support")
    conv = GroupConv(G, 2, 1)
    with pytest.raises(ValueError, match=r"x must have shape \(batch, in_channels=2, \|G\|=6\)"):
        conv(torch.zeros(1, 3, 6))
    with pytest.raises(TypeError, match="x must be a torch.Tensor"):
        conv(np.zeros((1, 2, 6)))
    with pytest.raises(ValueError, match="rank must be an integer >= 0"):
        GroupLDRLinear(G, 1, 1, rank=-1)
    with pytest.raises(ValueError, match="GroupLDRLinear uses full kernels"):
        GroupLDRLinear(G, 1, 1, rank=1, route="support")
    with pytest.raises(ValueError, match="k must be a single element index"):
        regular_action(torch.zeros(6), G, [1, 2])
    with pytest.raises(ValueError, match="last axis of length"):
        regular_action(torch.zeros(5), G, 1)


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_random_groups_conv_and_ldr_are_equivariant(data):
    """Every group of the shared strategy (products, semidirect products, relabelled tables...)."""
    from strategies import groups

    G = data.draw(groups(max_order=24))
    seed = data.draw(st.integers(0, 2**16))
    torch.manual_seed(seed)
    x = torch.randn(2, 2, G.order, dtype=torch.float64)
    conv = GroupConv(G, 2, 2).double()
    ref = numpy_layer(x.numpy(), conv.weight.detach().numpy(), G, conv.bias.detach().numpy())
    assert np.allclose(conv(x).detach().numpy(), ref, atol=1e-12)
    assert_equivariant(conv, G, x)
    layer = GroupLDRLinear(G, 2, 1, rank=1).double()
    assert_equivariant(layer, G, x)
    support = sorted(set(data.draw(st.lists(st.integers(0, G.order - 1), min_size=1, max_size=4))))
    assert_equivariant(GroupConv(G, 2, 1, support=support).double(), G, x)


def test_stencil_conv_on_torus_is_circular_conv2d():
    """On C_8 x C_8 with the 3 x 3 stencil, GroupConv is torch's conv2d with circular padding (an
    independent implementation): y[g] = sum_u w(u) x(g u) is a cross-correlation on the torus."""
    G = gm.group("C8xC8")
    torch.manual_seed(5)
    conv = GroupConv(G, 3, 2, support=stencil_support(G)).double()
    x = torch.randn(4, 3, 64, dtype=torch.float64)
    full = conv.kernel().detach()
    da, dc = np.meshgrid(np.arange(3), np.arange(3), indexing="ij")
    idx = torch.as_tensor(G.combine((da - 1) % 8, (dc - 1) % 8))
    k2d = full[..., idx]                                   # (2, 3, 3, 3)
    xp = torch.nn.functional.pad(x.reshape(4, 3, 8, 8), (1, 1, 1, 1), mode="circular")
    ref = torch.nn.functional.conv2d(xp, k2d, bias=conv.bias.detach()).reshape(4, 2, 64)
    routes = (conv, GroupConv(G, 3, 2, route="fft").double(), GroupConv(G, 3, 2, route="dense").double(),
              GroupConv(G, 3, 2, support=stencil_support(G), route="conv").double())
    for route_conv in routes:
        if route_conv is not conv:
            with torch.no_grad():
                route_conv.weight.copy_(full if route_conv.route != "conv" else conv.weight)
                route_conv.bias.copy_(conv.bias)
        assert torch.allclose(route_conv(x), ref, atol=1e-12)


def test_bad_input_types_name_the_argument():
    G = gm.cyclic(4)
    with pytest.raises(TypeError, match="weight must be a torch.Tensor"):
        group_conv(torch.ones(1, 1, 4), np.ones((1, 1, 4)), G)
    with pytest.raises(TypeError, match="x must be a torch.Tensor"):
        group_conv(np.ones((1, 1, 4)), torch.ones(1, 1, 4), G)
    with pytest.raises(ValueError, match=r"x must have shape \(batch, in, \|G\|\)"):
        group_conv(torch.ones(1, 4), torch.ones(1, 1, 4), G)
    with pytest.raises(TypeError, match="x must be a torch.Tensor"):
        regular_action([1, 2, 3, 4], G, 1)
    with pytest.raises(TypeError, match="G must be a FiniteGroup"):
        regular_action(torch.ones(4), "C4", 1)
    # the radius of a stencil is an integer: 1.7 is refused, not truncated to 1
    with pytest.raises(TypeError, match="radius must be an integer"):
        stencil_support(G, radius=1.7)
    with pytest.raises(ValueError, match="radius must be an integer >= 0"):
        stencil_support(G, radius=-1)
    assert stencil_support(gm.cyclic(8), radius=np.int64(2)) == [0, 1, 2, 6, 7]


def test_dense_route_checks_its_size(monkeypatch):
    # C64 x C64 with 8 x 8 channels: the dense gather is 64 group matrices 4096 x 4096 per forward
    with pytest.raises(gm.TooLargeError, match="dense route"):
        GroupConv(gm.group("C64xC64"), 8, 8, route="dense")
    with pytest.raises(gm.TooLargeError, match="dense route"):
        GroupLDRLinear(gm.group("C64xC64"), 8, 8, rank=2, route="dense")
    with pytest.raises(gm.TooLargeError, match="dense route"):
        group_conv(torch.ones(1, 8, 4096), torch.ones(8, 8, 4096), gm.group("C64xC64"), route="dense")
    # within the limit it is built; the limit is read again at every forward (and for dense_weight)
    G = gm.cyclic(32)
    conv = GroupConv(G, 4, 4, route="dense").double()
    x = torch.randn(2, 4, 32, dtype=torch.float64)
    y = conv(x)
    assert torch.allclose((x.reshape(2, -1) @ conv.dense_weight().T).reshape(2, 4, 32) + conv.bias[:, None], y)
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(2 * 16 * 32 * 32 * 8 - 1))
    with pytest.raises(gm.TooLargeError, match="dense route"):
        conv(x)
    with pytest.raises(gm.TooLargeError, match="dense weight"):
        conv.dense_weight()
    ldr = GroupLDRLinear(G, 4, 4, rank=1, route="fft").double()  # the FFT route needs no dense matrices
    ldr(x)
    with pytest.raises(gm.TooLargeError, match="dense weight"):
        ldr.dense_weight()


def _table_only(G, seed=None):
    """``G`` given by its Cayley table alone (declared family "table"), optionally with its elements
    renumbered at random."""
    T = G.cayley_table()
    if seed is not None:
        perm = np.random.default_rng(seed).permutation(G.order)
        inv = np.argsort(perm)
        T = inv[T[perm[:, None], perm[None, :]]]
    return gm.from_cayley_table(T)


@pytest.mark.parametrize("make", [lambda: gm.cyclic(12), lambda: gm.group("C4xC2"), lambda: gm.sign_group(3),
                                  lambda: _table_only(gm.group("C4xC6")), lambda: _table_only(gm.cyclic(10), 3),
                                  lambda: _table_only(gm.group("C2xC2xC3"), 5), lambda: gm.dihedral(5),
                                  lambda: gm.direct_product(gm.dihedral(4)), lambda: _table_only(gm.dihedral(3)),
                                  lambda: gm.group("D3xC2")],
                         ids=["C12", "C4xC2", "C2^3", "table C4xC6", "table C10 renumbered",
                              "table C2xC2xC3 renumbered", "D5", "(D4)", "table D3", "D3xC2"])
def test_auto_route_is_the_routing_rule_and_fft_matches_dense(make):
    """The auto route is ``routing.conv_route``: FFT for every abelian group however it is given (a
    Cayley table alone, elements in any order: laid out on its cyclic coordinates) and for dihedral
    groups (declared by G.structure); the FFT agrees with the dense group matrices."""
    G = make()
    torch.manual_seed(4)
    conv = GroupConv(G, 2, 3).double()
    assert conv.route == gm.routing.conv_route(G)
    assert (conv.route == "fft") == (G.is_abelian or G.structure.unwrapped().family == "dihedral")
    x = torch.randn(3, 2, G.order, dtype=torch.float64)
    ref = numpy_layer(x.numpy(), conv.weight.detach().numpy(), G, conv.bias.detach().numpy())
    assert np.allclose(conv(x).detach().numpy(), ref, atol=1e-12)
    if conv.route == "fft":
        assert_equivariant(conv, G, x)
        layer = GroupLDRLinear(G, 2, 1, rank=1, v_init_std=0.5).double()
        assert layer.route == "fft"
        dense = GroupLDRLinear(G, 2, 1, rank=1, route="dense").double()
        dense.load_state_dict(layer.state_dict())
        assert torch.allclose(layer(x), dense(x), atol=1e-12)
    else:
        with pytest.raises(ValueError, match="route='fft' needs an abelian group"):
            GroupConv(G, 1, 1, route="fft")


def test_stencil_support_reads_the_declared_structure():
    # a nested product: the 3-point stencils of C5 and C4 and both elements of C2
    G = gm.direct_product(gm.direct_product(gm.cyclic(5), gm.cyclic(4)), gm.sign_group(1))
    expect = sorted(int(G.combine(G.factors[0].combine(a, b), c)) for a in (0, 1, 4) for b in (0, 1, 3)
                    for c in (0, 1))
    assert sorted(stencil_support(G)) == expect
    assert stencil_support(G, radius=0) == [G.identity]
    D = gm.dihedral(6)
    assert stencil_support(D, radius=2) == [0, 1, 2, 4, 5, 6, 7, 8, 10, 11]
    assert stencil_support(gm.sign_group(2)) == [0, 1, 2, 3]
    for G in (_table_only(gm.cyclic(6)), gm.quaternion(), gm.group("C3xS3")):
        with pytest.raises(ValueError, match="stencil_support takes cyclic, dihedral and sign groups"):
            stencil_support(G)
    with pytest.raises(TypeError, match="G must be a FiniteGroup"):
        stencil_support(12)
