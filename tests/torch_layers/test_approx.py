"""ApproxGroupConv (error-correction group convolution) and layer_defect."""
from __future__ import annotations

import numpy as np
import pytest

import groupmat as gm

torch = pytest.importorskip("torch")
from groupmat.torch import (ApproxGroupConv, GroupConv, GroupLDRLinear, layer_defect,  # noqa: E402
                            regular_action, stencil_support)

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


def test_layer_defect_of_other_layers():
    G = gm.group("C4xC2")
    assert layer_defect(GroupConv(G, 2, 2).double()) < 1e-12
    ldr = GroupLDRLinear(G, 1, 2, rank=1).double()
    assert layer_defect(ldr) < 1e-12                              # V = 0 at the start
    with torch.no_grad():
        ldr.V.normal_()
    W = ldr.dense_weight().detach().numpy()
    L = gm.regular_representation(G)
    assert layer_defect(ldr) == pytest.approx(gm.equivariance_defect(W, L, gm.direct_sum(L, L)), rel=1e-12)
    assert 0 < layer_defect(ldr, relative=True) < 1


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
