"""CosetPool, CosetUnpool and StridePool: direct computation, exact equivariance, adjointness, bad input."""
from __future__ import annotations

import numpy as np
import pytest

import groupmat as gm
from groupmat.groups import even_subgroup, stride_subgroup

torch = pytest.importorskip("torch")
from groupmat.torch import CosetPool, CosetUnpool, GroupConv, StridePool, regular_action  # noqa: E402


def cases():
    """(G, H): normal and non-normal subgroups, structured and generic quotients."""
    D4, S4, C8, DC = gm.dihedral(4), gm.symmetric(4), gm.group("C4xC4"), gm.group("D4xC2")
    D6 = gm.dihedral(6)
    return [
        (D4, D4.subgroup([4])),                       # {e, s}: not normal
        (D4, stride_subgroup(D4)),                    # centre: D4/Z = D2
        (DC, even_subgroup(DC)),
        (S4, S4.subgroup([S4.element("(0 1 2)")])),   # C3 in S4: not normal
        (S4, S4.subgroup([S4.element("(0 1)(2 3)"), S4.element("(0 2)(1 3)")])),   # V4: S4/V4 = S3
        (C8, stride_subgroup(C8)),
        (D6, D6.subgroup([2])),                       # <r^2>: a generic (table) quotient
    ]


def brute_cosets(G, H, side):
    """coset[g]: the sorted elements of g H (left) or H g (right), from the Cayley table."""
    T = G.cayley_table().astype(np.int64)
    h = np.asarray(H.embedding)
    return [np.sort(T[g, h] if side == "left" else T[h, g]) for g in range(G.order)]


@pytest.mark.parametrize("case", range(len(cases())))
@pytest.mark.parametrize("side", ["left", "right"])
def test_pool_is_the_direct_computation(case, side):
    G, H = cases()[case]
    rng = np.random.default_rng(case)
    x = rng.standard_normal((2, 3, G.order))
    xt = torch.tensor(x)
    cos = brute_cosets(G, H, side)
    for reduce, fn in (("max", np.max), ("mean", np.mean)):
        pool = CosetPool(G, H, reduce=reduce, side=side)
        y = pool(xt).numpy()
        assert y.shape == (2, 3, G.order // H.order)
        for g in range(G.order):
            np.testing.assert_allclose(y[..., pool.coset_map[g]], fn(x[..., cos[g]], axis=-1), rtol=1e-14)


@pytest.mark.parametrize("case", range(len(cases())))
def test_left_pooling_commutes_with_left_translations(case):
    G, H = cases()[case]
    pool = CosetPool(G, H)
    c = pool.coset_map
    x = torch.randn(2, G.order, dtype=torch.float64)
    y = pool(x)
    for k in range(G.order):
        yk = pool(regular_action(x, G, k))
        # pool(L(k) x)[c(k g)] = pool(x)[c(g)]: left translation permutes the left cosets
        kg = G.mul(k, G.elements())
        assert torch.equal(yk[:, c[kg]], y[:, c])
        if pool.quotient is not None:           # H normal: the left regular action of q(k) on G/H
            assert torch.equal(yk, regular_action(y, pool.quotient, int(c[k])))


def test_right_pooling_commutes_with_right_translations():
    G = gm.dihedral(4)
    H = G.subgroup([4])
    pool = CosetPool(G, H, side="right")
    c = pool.coset_map
    x = torch.randn(3, G.order, dtype=torch.float64)
    y = pool(x)
    g = G.elements()
    for k in g:
        xk = x[:, G.mul(g, k)]                                   # (R(k) x)(g) = x(g k)
        assert torch.equal(pool(xk)[:, c], y[:, c[G.mul(g, k)]])
    # and the left pooling does not (H is not normal): the test above can tell the sides apart
    left = CosetPool(G, H)
    assert not all(torch.equal(left(x[:, G.mul(g, k)])[:, left.coset_map], left(x)[:, left.coset_map[G.mul(g, k)]])
                   for k in g)


def test_quotient_feeds_a_group_conv_equivariantly():
    G = gm.group("C8xC8")
    pool = CosetPool(G, stride_subgroup(G))
    Q = pool.quotient
    assert Q.name == "C4xC4"
    torch.manual_seed(0)
    conv = GroupConv(Q, 2, 3).double()
    x = torch.randn(4, 2, G.order, dtype=torch.float64)
    for k in (1, 9, 37):
        lhs = conv(pool(regular_action(x, G, k)))
        rhs = regular_action(conv(pool(x)), Q, int(pool.coset_map[k]))
        assert torch.allclose(lhs, rhs, atol=1e-12)


@pytest.mark.parametrize("case", range(len(cases())))
def test_unpool_is_the_transpose(case):
    G, H = cases()[case]
    torch.manual_seed(case)
    for side in ("left", "right"):
        P = CosetPool(G, H, reduce="mean", side=side)
        U = CosetUnpool(G, H, side=side)
        x = torch.randn(5, G.order, dtype=torch.float64)
        y = torch.randn(5, P.out_size, dtype=torch.float64)
        assert torch.allclose((P(x) * y).sum(-1), (x * U(y)).sum(-1), rtol=1e-12)    # <P x, y> = <x, U y>
    # max pooling: the unpool with indices is the transposed Jacobian (autograd computes it independently)
    Pm = CosetPool(G, H, return_indices=True)
    x = torch.randn(5, 2, G.order, dtype=torch.float64, requires_grad=True)
    y = torch.randn(5, 2, Pm.out_size, dtype=torch.float64)
    out, idx = Pm(x)
    (grad,) = torch.autograd.grad((out * y).sum(), x)
    assert torch.equal(CosetUnpool(G, H)(y, idx), grad)
    assert torch.equal(torch.gather(x.detach(), -1, idx), out.detach())                # the max sits there


def test_stride_pool_is_2x2_max_pooling_on_the_torus():
    G = gm.group("C8xC8")
    pool = StridePool(G)
    assert pool.out_group.name == "C4xC4" and pool.window == [0, 1, 8, 9]
    x = torch.randn(3, 2, 64, dtype=torch.float64)
    ref = torch.nn.functional.max_pool2d(x.reshape(3, 2, 8, 8), 2).reshape(3, 2, 16)
    assert torch.equal(pool(x), ref)
    ref = torch.nn.functional.avg_pool2d(x.reshape(3, 2, 8, 8), 2).reshape(3, 2, 16)
    assert torch.allclose(StridePool(G, reduce="mean")(x), ref, atol=1e-14)


@pytest.mark.parametrize("spec", ["C8xC8", "D4xD4", "D6", "C4xD4", "C2^2xC4"])
def test_stride_pool_commutes_with_the_even_subgroup(spec):
    G = gm.group(spec)
    pool = StridePool(G)
    K, emb = pool.out_group, pool.embedding
    # the default window's blocks e_j N partition G (each input is read exactly once)
    assert np.array_equal(np.sort(pool.gather.numpy().ravel()), np.arange(G.order))
    x = torch.randn(2, 3, G.order, dtype=torch.float64)
    y = pool(x)
    assert y.shape == (2, 3, K.order)
    for a in range(K.order):
        assert torch.equal(pool(regular_action(x, G, int(emb[a]))), regular_action(y, K, a))
    # an odd translation is not respected (a stride-2 pooling is not shift-equivariant)
    odd = int(np.setdiff1d(G.elements(), emb)[0])
    assert not any(torch.equal(pool(regular_action(x, G, odd)), regular_action(y, K, a)) for a in range(K.order))


def test_gradients_flow():
    G = gm.dihedral(4)
    x = torch.randn(2, 1, 8, dtype=torch.float64, requires_grad=True)
    for layer in (CosetPool(G, [0, 4], reduce="mean"), CosetPool(G, [0, 2]), StridePool(G)):
        layer(x).sum().backward()
        assert x.grad is not None and x.grad.abs().sum() > 0
        x.grad = None


def test_bad_input():
    G = gm.dihedral(4)
    with pytest.raises(ValueError, match="H must be a subgroup"):
        CosetPool(G, [0, 1])
    with pytest.raises(ValueError, match="reduce"):
        CosetPool(G, [0, 2], reduce="sum")
    with pytest.raises(ValueError, match="side"):
        CosetPool(G, [0, 2], side="up")
    with pytest.raises(ValueError, match="return_indices"):
        CosetPool(G, [0, 2], reduce="mean", return_indices=True)
    with pytest.raises(TypeError, match="G must be a FiniteGroup"):
        CosetPool("D4", [0])
    pool = CosetPool(G, [0, 2])
    with pytest.raises(ValueError, match="last axis of length 8"):
        pool(torch.randn(2, 7))
    with pytest.raises(TypeError, match="torch.Tensor"):
        pool(np.zeros(8))
    U = CosetUnpool(G, [0, 2])
    with pytest.raises(ValueError, match="last axis of length 4"):
        U(torch.randn(2, 8))
    with pytest.raises(ValueError, match="indices"):
        U(torch.randn(2, 4), torch.zeros(2, 3, dtype=torch.long))
    with pytest.raises(ValueError, match="n even"):
        StridePool(gm.group("C4xC3"))
    with pytest.raises(ValueError, match="window"):
        StridePool(G, window=[1, 2])
    with pytest.raises(ValueError, match="window"):
        StridePool(G, window=[0, 9])


def test_unpool_refuses_bad_indices_with_our_errors():
    """Out-of-range indices, indices outside their coset, float and bool indices: our errors naming
    ``indices`` (not torch's RuntimeError from inside scatter); other integer dtypes are taken."""
    G = gm.dihedral(4)
    H = G.subgroup([4])                                        # {e, s}: 4 cosets of 2 elements
    pool = CosetPool(G, H, return_indices=True)
    U = CosetUnpool(G, H)
    x = torch.randn(2, G.order, dtype=torch.float64)
    y, idx = pool(x)
    for bad, value in ((8, 8), (-1, -1), (100, 100)):
        wrong = idx.clone()
        wrong[1, 2] = bad
        with pytest.raises(ValueError, match=f"indices must be .*0..7, got {value}"):
            U(y, wrong)
    # an element of G, but of another coset than its position's
    wrong = idx.clone()
    wrong[0, 0] = int(pool.blocks[1, 0])
    with pytest.raises(ValueError, match="indices must be .*element of coset c.*at position 0"):
        U(y, wrong)
    # the right cosets of a non-normal H are other blocks: indices of a right pooling are refused
    right, ridx = CosetPool(G, H, side="right", return_indices=True)(x)
    if not torch.equal(pool.blocks, CosetPool(G, H, side="right").blocks):
        with pytest.raises(ValueError, match="coset"):
            U(right, ridx)
    for dtype in (torch.float32, torch.float64, torch.bool):
        with pytest.raises(TypeError, match=f"indices must be .*integer dtype.*got dtype {dtype}"):
            U(y, idx.to(dtype))
    with pytest.raises(TypeError, match="indices must be .*torch.Tensor of integers, got list"):
        U(y, idx.tolist())
    with pytest.raises(ValueError, match=r"indices must be .*shape of y \(2, 4\), got shape \(2, 3\)"):
        U(y, idx[:, :3])
    # int32 indices are integers too: the same result as int64
    assert torch.equal(U(y, idx.to(torch.int32)), U(y, idx))
    # an empty batch has nothing to check
    assert U(y[:0], idx[:0]).shape == (0, G.order)


@pytest.mark.parametrize("dtype", [torch.int64, torch.int32, torch.uint8, torch.bool])
def test_mean_pooling_refuses_integer_signals(dtype):
    """As torch's avg_pool: a mean of integers is refused, naming x and the dtype; max pooling of integer
    signals is exact and allowed; complex signals have no max."""
    G = gm.group("C4xC4")
    x = torch.arange(16).reshape(1, 16).to(dtype)
    for layer in (CosetPool(G, stride_subgroup(G), reduce="mean"), StridePool(G, reduce="mean")):
        with pytest.raises(TypeError, match=f"x must be a floating-point or complex tensor for reduce='mean'.*"
                                            f"got dtype {dtype}"):
            layer(x)
    if dtype != torch.bool:
        assert StridePool(G)(x).tolist() == [[5, 7, 13, 15]]
        assert CosetPool(G, stride_subgroup(G))(x).dtype == dtype
    z = torch.randn(1, 16, dtype=torch.complex128)
    for layer in (CosetPool(G, stride_subgroup(G)), StridePool(G)):
        with pytest.raises(TypeError, match="x must be real for reduce='max'"):
            layer(z)
    assert torch.allclose(StridePool(G, reduce="mean")(z), StridePool(G, reduce="mean")(z.real.contiguous())
                          + 1j * StridePool(G, reduce="mean")(z.imag.contiguous()))


def test_mean_unpooling_refuses_integer_signals():
    """The transpose of a mean divides by |H|: integer y is refused naming ``y`` (as mean pooling refuses
    integer x), never turned into float32 silently; with argmax indices an integer y is scattered as it is."""
    G = gm.dihedral(4)
    H = G.subgroup([4])
    U = CosetUnpool(G, H)
    with pytest.raises(TypeError, match="y must be a floating-point or complex tensor"):
        U(torch.ones(3, 4, dtype=torch.int64))
    assert U(torch.ones(3, 4, dtype=torch.float64)).dtype == torch.float64
    _, idx = CosetPool(G, H, return_indices=True)(torch.randn(3, G.order, dtype=torch.float64))
    assert U(torch.ones(3, 4, dtype=torch.int64), idx).dtype == torch.int64
