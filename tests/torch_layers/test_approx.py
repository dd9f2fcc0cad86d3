"""ApproxGroupConv (error-correction group convolution) and layer_defect."""
from __future__ import annotations

import numpy as np
import pytest

import groupmat as gm

torch = pytest.importorskip("torch")
from budget import limit, refused_quickly  # noqa: E402
from groupmat.torch import (ApproxGroupConv, GroupConv, GroupLDRLinear, layer_defect,  # noqa: E402
                            regular_action, stencil_support)

pytestmark = pytest.mark.filterwarnings("ignore:Complex modules are a new feature:UserWarning")

CASES = [
    ("C8xC8", True, [0, 27]),
    ("D4", False, [3]),
    ("S3", False, [0, 1, 5]),
    ("D3xC2", True, [7]),
]


def make(spec, stencil, positions, channels=(2, 3), seed=0):
    G = gm.group(spec)
    torch.manual_seed(seed)
    support = stencil_support(G) if stencil else None
    layer = ApproxGroupConv(G, *channels, error_positions=positions, support=support).double()
    return G, layer


def reference(G, layer, x):
    """NumPy: y[b, o, g] = sum_{i, t} (w[o, i, t] + [g = p_k] E[k, o, i, t]) x[b, i, g S_t] + bias[o]."""
    n = G.order
    S = np.arange(n) if layer.conv.route not in ("support", "conv") else np.asarray(stencil_support(G))
    w = layer.conv.weight.detach().numpy()
    E = layer.error.detach().numpy()
    kernel = np.zeros(w.shape[:2] + (n,))
    kernel[..., S] = w
    y = np.einsum("oigh,bih->bog", gm.group_matrix(G, kernel), x)             # M[g, h] = w(g^-1 h)
    for k, p in enumerate(layer.error_positions):
        y[:, :, p] += np.einsum("oit,bit->bo", E[k], x[:, :, G.mul(p, S)])
    return y + layer.conv.bias.detach().numpy()[:, None]


@pytest.mark.parametrize("spec,stencil,positions", CASES)
def test_forward_dense_weight_and_defect(spec, stencil, positions):
    G, layer = make(spec, stencil, positions)
    n = G.order
    x = np.random.default_rng(1).standard_normal((4, 2, n))
    xt = torch.tensor(x)
    # zero corrections: exactly the GroupConv, defect zero
    plain = GroupConv(G, 2, 3, support=stencil_support(G) if stencil else None).double()
    plain.load_state_dict(layer.conv.state_dict())
    assert torch.equal(layer(xt), plain(xt))
    assert layer_defect(layer) < gm.tolerances.roundoff(np.float64, 1.0, n)
    # non-zero corrections: the forward pass against NumPy, the dense weight against the forward pass
    with torch.no_grad():
        layer.error.normal_()
    np.testing.assert_allclose(layer(xt).detach().numpy(), reference(G, layer, x), atol=1e-11)
    W = layer.dense_weight().detach()
    y = (xt.reshape(4, -1) @ W.T).reshape(4, 3, n) + layer.conv.bias.detach()[:, None]
    assert torch.allclose(y, layer(xt), atol=1e-11)
    # the defect in closed form: each correction E[k, o, i, t] sits on group diagonal S_t of block
    # (o, i), whose n entries the projection averages, so
    # ||W - P(W)||^2 = sum_{o, i, t} (sum_k E_k^2 - (sum_k E_k)^2 / n)
    E = layer.error.detach().numpy()
    expected = float(np.sum(np.sum(E ** 2, axis=0) - np.sum(E, axis=0) ** 2 / n))
    assert layer_defect(layer, squared=True) == pytest.approx(expected, rel=1e-10)
    assert layer_defect(layer) > 0.1


def test_not_equivariant_with_corrections_and_equivariant_without():
    G, layer = make("C8xC8", True, [])
    x = torch.randn(2, 2, 64, dtype=torch.float64)
    for k in (1, 9, 30):
        assert torch.allclose(layer(regular_action(x, G, k)), regular_action(layer(x), G, k), atol=1e-12)
    G, layer = make("C8xC8", True, [5], seed=1)
    with torch.no_grad():
        layer.error.normal_()
    assert not torch.allclose(layer(regular_action(x, G, 1)), regular_action(layer(x), G, 1), atol=1e-6)


def test_gradients_reach_every_parameter_and_counts():
    G, layer = make("D4", False, [0, 5])
    assert layer.num_parameters == 3 * 2 * 8 + 3 + 2 * 3 * 2 * 8
    assert sum(p.numel() for p in layer.error_parameters()) == 2 * 3 * 2 * 8
    assert sum(p.numel() for p in layer.equivariant_parameters()) == 3 * 2 * 8 + 3
    x = torch.randn(5, 2, 8, dtype=torch.float64)
    layer(x).square().sum().backward()
    for p in layer.parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0
    # the dense weight is differentiable too (a defect penalty can be trained)
    layer.zero_grad()
    layer.dense_weight().square().sum().backward()
    assert layer.error.grad.abs().sum() > 0


def dense_reference(layer, relative=False, squared=False):
    """The defect through the dense weight: groupmat.equivariance_defect between copies of the left
    regular representation (the projection onto Hom_G, independent of the closed forms)."""
    W = layer.dense_weight().detach()
    W = W.to(torch.complex128 if W.is_complex() else torch.float64).numpy()
    L = gm.regular_representation(layer.group)
    rep_in = gm.direct_sum(*[L] * layer.in_channels) if layer.in_channels > 1 else L
    rep_out = gm.direct_sum(*[L] * layer.out_channels) if layer.out_channels > 1 else L
    return float(gm.equivariance_defect(W, rep_in, rep_out, relative=relative, squared=squared))


def randomise(layer, seed, dtype=torch.float64):
    """Every parameter (and GroupLDRLinear's gamma) drawn at random, in ``dtype``."""
    layer = layer.to(dtype)
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in layer.parameters():
            p.copy_(torch.randn(p.shape, generator=gen, dtype=torch.float64).to(dtype) if not dtype.is_complex
                    else torch.randn(p.shape, generator=gen, dtype=dtype))
        if hasattr(layer, "gamma"):
            layer.gamma.fill_(0.7)
    return layer


def closed_form_cases():
    """(id, layer factory): every layer with a closed form, on stencils, full kernels, several ranks."""
    C8, D4, S3, D3C2, C4C2 = (gm.group(s) for s in ("C8xC8", "D4", "S3", "D3xC2", "C4xC2"))
    return [
        ("conv C8xC8 stencil", lambda: GroupConv(C8, 2, 3, support=stencil_support(C8))),
        ("conv D4 full fft", lambda: GroupConv(D4, 2, 3)),
        ("conv S3 full dense", lambda: GroupConv(S3, 3, 2)),
        ("approx C8xC8", lambda: ApproxGroupConv(C8, 2, 3, error_positions=[0, 27], support=stencil_support(C8))),
        ("approx D4 full", lambda: ApproxGroupConv(D4, 2, 3, error_positions=[3])),
        ("approx S3 all positions", lambda: ApproxGroupConv(S3, 1, 2, error_positions=range(6))),
        ("approx D3xC2 none", lambda: ApproxGroupConv(D3C2, 2, 2, support=stencil_support(D3C2))),
        ("approx D3xC2 support", lambda: ApproxGroupConv(D3C2, 2, 1, error_positions=[7, 0], support=[0, 1, 5])),
        ("ldr C4xC2 rank 2", lambda: GroupLDRLinear(C4C2, 2, 3, rank=2)),
        ("ldr D4 rank 1", lambda: GroupLDRLinear(D4, 1, 2, rank=1)),
        ("ldr S3 rank 3", lambda: GroupLDRLinear(S3, 2, 2, rank=3)),
        ("ldr D4 rank 0", lambda: GroupLDRLinear(D4, 2, 2, rank=0)),
    ]


@pytest.mark.parametrize("make", [m for _, m in closed_form_cases()], ids=[i for i, _ in closed_form_cases()])
@pytest.mark.parametrize("dtype", [torch.float64, torch.complex128], ids=["real", "complex"])
def test_closed_forms_equal_the_dense_projection(make, dtype):
    layer = randomise(make(), seed=3, dtype=dtype)
    for relative in (False, True):
        for squared in (False, True):
            ref = dense_reference(layer, relative=relative, squared=squared)
            got = layer_defect(layer, relative=relative, squared=squared)
            assert got == pytest.approx(ref, rel=1e-10, abs=1e-12), (relative, squared)
    equivariant = isinstance(layer, GroupConv) or getattr(layer, "rank", 1) == 0 or \
        not getattr(layer, "error_positions", [0])
    assert (layer_defect(layer) == 0.0) == equivariant
    if isinstance(layer, GroupConv):
        assert layer_defect(layer) == 0.0                  # exactly, not to round-off


def test_closed_form_at_the_papers_sizes_without_the_dense_weight(monkeypatch):
    """C32 x C32, 16 -> 16: the dense weight would be 16384 x 16384 (2 GiB in float64). Under a budget of
    1 MiB the defect still comes, from the parameters: the squared defect against the diagonal sums
    sum_{o, i, t} (sum_k E_k^2 - (sum_k E_k)^2 / |G|), ||W||^2 as n ||w||^2 plus the corrections'
    changes of their entries, both in NumPy."""
    G = gm.group("C32xC32")
    n = G.order
    torch.manual_seed(0)
    layer = ApproxGroupConv(G, 16, 16, error_positions=[0, 528, 1000], support=stencil_support(G)).double()
    with torch.no_grad():
        layer.error.normal_()
    E = layer.error.detach().numpy()
    w = layer.conv.weight.detach().numpy()
    d2 = float(np.sum(np.sum(E ** 2, axis=0) - np.sum(E, axis=0) ** 2 / n))
    w2 = float(n * np.sum(w ** 2) + np.sum((w + E) ** 2 - w ** 2))
    limit(monkeypatch, 2**20)
    assert layer_defect(layer, squared=True) == pytest.approx(d2, rel=1e-12)
    assert layer_defect(layer, relative=True) == pytest.approx(np.sqrt(d2 / w2), rel=1e-12)
    assert layer_defect(layer.conv) == 0.0
    with pytest.raises(gm.TooLargeError):                          # the dense weight itself is refused
        layer.dense_weight()


class Shifted(torch.nn.Module):
    """A layer without a closed form: a GroupConv's dense weight with its rows shifted by one element
    (not equivariant), through the generic interface."""

    def __init__(self, G, in_channels, out_channels):
        super().__init__()
        self.conv = GroupConv(G, in_channels, out_channels).double()
        self.group, self.in_channels, self.out_channels = G, in_channels, out_channels

    def dense_weight(self):
        return torch.roll(self.conv.dense_weight(), 1, dims=0)


class Overriding(ApproxGroupConv):
    """An ApproxGroupConv subclass with another matrix: the closed form must not be used for it."""

    def dense_weight(self):
        return 2 * super().dense_weight()


def test_layers_without_a_closed_form_take_the_dense_route():
    layer = Shifted(gm.group("C4xC2"), 2, 3)
    assert layer_defect(layer) == pytest.approx(dense_reference(layer), rel=1e-12)
    assert layer_defect(layer) > 0.1
    assert layer_defect(layer, relative=True, squared=True) == pytest.approx(
        dense_reference(layer, relative=True, squared=True), rel=1e-12)
    G = gm.dihedral(4)
    sub = randomise(Overriding(G, 2, 2, error_positions=[1]), seed=5)
    assert layer_defect(sub) == pytest.approx(dense_reference(sub), rel=1e-12)
    assert layer_defect(sub) == pytest.approx(2 * dense_reference(randomise(ApproxGroupConv(G, 2, 2, [1]), 5)),
                                              rel=1e-12)


def test_dense_route_asks_the_budget_first(monkeypatch):
    """A layer without a closed form on C16 x C16 with 4 -> 4 channels: a 1024 x 1024 dense weight and its
    projection (about 32 MiB). Under a budget of 4 MiB it is refused before anything near that size is
    allocated, and the message names the way out."""
    layer = Shifted(gm.group("C16xC16"), 4, 4)
    limit(monkeypatch, 4 * 2**20)
    msg = refused_quickly(lambda: layer_defect(layer), "layer_defect of Shifted", "sample_equivariance_error",
                          "closed forms for GroupConv, ApproxGroupConv and GroupLDRLinear")
    assert "1024 x 1024" in msg


def test_layer_defect_of_other_layers():
    G = gm.group("C4xC2")
    assert layer_defect(GroupConv(G, 2, 2).double()) == 0.0
    ldr = GroupLDRLinear(G, 1, 2, rank=1).double()
    assert layer_defect(ldr) == 0.0                               # V = 0 at the start
    with torch.no_grad():
        ldr.V.normal_()
    W = ldr.dense_weight().detach().numpy()
    L = gm.regular_representation(G)
    assert layer_defect(ldr) == pytest.approx(gm.equivariance_defect(W, L, gm.direct_sum(L, L)), rel=1e-12)
    assert 0 < layer_defect(ldr, relative=True) < 1
    ldr.gamma.fill_(0.0)                                          # gamma = 0: exactly equivariant
    assert layer_defect(ldr) == 0.0
    assert layer_defect(_zero(GroupConv(G, 1, 1).double()), relative=True) == 0.0       # W = 0
    assert layer_defect(_zero(ApproxGroupConv(G, 1, 1, [2])).double(), relative=True) == 0.0


def _zero(layer):
    with torch.no_grad():
        for p in layer.parameters():
            p.zero_()
    return layer


def test_bad_input():
    G = gm.dihedral(4)
    with pytest.raises(ValueError, match="error_positions must be distinct"):
        ApproxGroupConv(G, 1, 1, error_positions=[1, 1])
    with pytest.raises(ValueError, match="error_positions"):
        ApproxGroupConv(G, 1, 1, error_positions=[8])
    with pytest.raises(ValueError, match="support"):
        ApproxGroupConv(G, 1, 1, support=[0, 9])
    layer = ApproxGroupConv(G, 2, 1, error_positions=[0])
    with pytest.raises(ValueError, match="shape"):
        layer(torch.randn(3, 2, 7))
    with pytest.raises(TypeError, match="dtype"):
        layer(torch.randn(3, 2, 8, dtype=torch.float64))
    with pytest.raises(TypeError, match="dense_weight"):
        layer_defect(torch.nn.Linear(3, 3))
