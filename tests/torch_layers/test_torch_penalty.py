"""ProjectionPenalty: equals the dense reference Reynolds defect (``tests/reference.py``) and
groupmat.equivariance_defect, in both forms, for regular (with channels, however built), permutation
and dense representations; routes from groupmat.routing; float32; differentiable; bad input."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import groupmat as gm
from reference import reynolds, reynolds_defect

torch = pytest.importorskip("torch")
from groupmat.torch import GroupConv, GroupLDRLinear, ProjectionPenalty  # noqa: E402


def rotation_rep(G, k):
    """The 2-d rotation representation r -> rot(2 pi k / n) (s -> reflection) of C_n or D_n."""
    n = G.n
    t = 2 * np.pi * k / n
    rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    images = [rot] if len(G.generators) == 1 else [rot, np.diag([1.0, -1.0])]
    return gm.from_generators(G, images)


def cases():
    C = gm.group("C4xC2")
    D = gm.dihedral(4)
    S = gm.symmetric(3)
    out = []
    for G in (C, D, S):
        L, R = gm.regular_representation(G), gm.regular_representation(G, "right")
        out += [(f"{G.name}-reg2-reg3", 2 * L, 3 * L), (f"{G.name}-right", R, 2 * R), (f"{G.name}-L-R", L, R),
                (f"{G.name}-triv-L", gm.reps.trivial_representation(G, 2), L)]
    nat = gm.reps.natural_representation(gm.symmetric(4))
    out.append(("S4-natural", nat, nat + nat))
    out.append(("D4-rot", rotation_rep(D, 1), rotation_rep(D, 1) + gm.regular_representation(D)))
    C8 = gm.cyclic(8)
    out.append(("C8-rot-mixed", gm.regular_representation(C8), rotation_rep(C8, 3)))
    return out


CASES = cases()


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_penalty_equals_numpy_defect_in_both_forms(case):
    _, rep_in, rep_out = case
    rng = np.random.default_rng(0)
    W = rng.normal(size=(rep_out.dim, rep_in.dim))
    ref = reynolds_defect(W, rep_in, rep_out)
    lib = gm.equivariance_defect(W, rep_in, rep_out)
    assert np.isclose(lib, ref, rtol=1e-10, atol=1e-12)
    for form in ("spatial", "spectral"):
        pen = ProjectionPenalty(rep_in, rep_out, form=form, strength=0.5)
        value = pen(torch.from_numpy(W))
        assert abs(value.item() - 0.5 * ref) <= 1e-10 * max(1.0, ref), (form, pen.route)
        sq = ProjectionPenalty(rep_in, rep_out, form=form, squared=True)(torch.from_numpy(W))
        assert np.isclose(sq.item(), ref**2, rtol=1e-10)


def test_routes():
    G = gm.group("C4xC4")
    L = gm.regular_representation(G)
    assert ProjectionPenalty(2 * L, L).route == "orbits"
    assert ProjectionPenalty(2 * L, L, form="spectral").route == "fourier"
    D = gm.dihedral(3)
    assert ProjectionPenalty(gm.regular_representation(D), gm.regular_representation(D), form="spectral").route == "irreps"
    rot = rotation_rep(gm.cyclic(4), 1)
    assert ProjectionPenalty(rot, rot).route == "reynolds"


def test_equivariant_weights_have_zero_penalty_and_layers_plug_in():
    G = gm.dihedral(4)
    torch.manual_seed(0)
    conv = GroupConv(G, 2, 3).double()
    reg = gm.regular_representation(G)
    pen = ProjectionPenalty(2 * reg, 3 * reg)
    assert pen(conv.dense_weight()).item() < 1e-12
    ldr = GroupLDRLinear(G, 2, 3, rank=2, v_init_std=1.0).double()
    W = ldr.dense_weight()
    assert np.isclose(pen(W).item(), reynolds_defect(W.detach().numpy(), 2 * reg, 3 * reg), rtol=1e-10)
    lin = torch.nn.Linear(16, 24).double()
    assert np.isclose(pen(lin).item(), reynolds_defect(lin.weight.detach().numpy(), 2 * reg, 3 * reg))
    # a conv weight with a kernel axis: defects of the kernel positions add in squares
    Wk = torch.randn(24, 16, 3, dtype=torch.float64)
    per = [reynolds_defect(Wk[..., t].numpy(), 2 * reg, 3 * reg) for t in range(3)]
    assert np.isclose(pen(Wk).item(), np.sqrt(np.sum(np.square(per))))


def test_gradient_is_the_non_equivariant_part():
    """d/dW (1/2 ||W - P W||^2) = W - P W, and gradcheck in double precision."""
    G = gm.group("C3xC2")
    reg = gm.regular_representation(G)
    torch.manual_seed(1)
    W = torch.randn(12, 6, dtype=torch.float64, requires_grad=True)
    expected = W.detach().numpy() - reynolds(W.detach().numpy(), reg, 2 * reg)
    for form in ("spatial", "spectral"):
        pen = ProjectionPenalty(reg, 2 * reg, form=form, squared=True, strength=0.5)
        (grad,) = torch.autograd.grad(pen(W), W)
        assert np.allclose(grad.numpy(), expected, atol=1e-12)
        assert torch.autograd.gradcheck(ProjectionPenalty(reg, 2 * reg, form=form), (W,), fast_mode=True)
    rot = rotation_rep(gm.dihedral(3), 1)
    V = torch.randn(2, 2, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(ProjectionPenalty(rot, rot), (V,))
    # the norm's gradient at an equivariant weight is finite (zero), not NaN
    Z = torch.zeros(12, 6, dtype=torch.float64, requires_grad=True)
    (gz,) = torch.autograd.grad(ProjectionPenalty(reg, 2 * reg)(Z), Z)
    assert torch.isfinite(gz).all()


def test_float32_weights():
    G = gm.dihedral(4)
    reg = gm.regular_representation(G)
    W = torch.randn(16, 8)
    ref = reynolds_defect(W.double().numpy(), reg, 2 * reg)
    for form in ("spatial", "spectral"):
        value = ProjectionPenalty(reg, 2 * reg, form=form)(W)
        assert value.dtype == torch.float32 and abs(value.item() - ref) < 1e-5 * ref
    # images in single precision (a dense orthogonal conjugate of reg): orthogonal by the float32 rule
    Q, _ = np.linalg.qr(np.random.default_rng(7).normal(size=(8, 8)))
    conj = Q.T[None] @ reg.numeric().matrices @ Q[None]
    reg_q, reg_q32 = gm.Representation(G, conj), gm.Representation(G, conj.astype(np.float32), check=False)
    ref = reynolds_defect(W.double().numpy(), reg_q, 2 * reg)
    for form in ("spatial", "spectral"):
        value = ProjectionPenalty(reg_q32, 2 * reg, form=form)(W)
        assert value.dtype == torch.float32 and abs(value.item() - ref) < 1e-5 * ref


def test_spectrum_sums_to_the_squared_defect():
    G = gm.group("C4xC2")
    reg = gm.regular_representation(G)
    W = torch.randn(16, 8, dtype=torch.float64)
    pen = ProjectionPenalty(reg, 2 * reg, form="spectral")
    E = pen.spectrum(W)
    assert E.shape == (8, 8) and torch.all(torch.diagonal(E) == 0)
    assert np.isclose(E.sum().item(), reynolds_defect(W.numpy(), reg, 2 * reg) ** 2)
    with pytest.raises(ValueError, match="spectrum needs the spectral form"):
        ProjectionPenalty(reg, 2 * reg).spectrum(W)


def test_irreducible_spectrum_matches_defect_spectrum():
    G = gm.dihedral(3)
    rot = rotation_rep(G, 1)
    rep_in, rep_out = gm.regular_representation(G), rot + gm.regular_representation(G)
    W = np.random.default_rng(3).normal(size=(rep_out.dim, rep_in.dim))
    pen = ProjectionPenalty(rep_in, rep_out, form="spectral")
    assert pen.route == "irreps"
    E = pen.spectrum(torch.from_numpy(W)).numpy()
    ref = gm.defect_spectrum(W, rep_in, rep_out)
    assert E.shape == ref.energy.shape and np.allclose(E, ref.energy, atol=1e-10)
    assert np.isclose(E.sum(), reynolds_defect(W, rep_in, rep_out) ** 2)


def _table_only(G, seed):
    T = G.cayley_table()
    perm = np.random.default_rng(seed).permutation(G.order)
    inv = np.argsort(perm)
    return gm.from_cayley_table(inv[T[perm[:, None], perm[None, :]]])


@pytest.mark.parametrize("make", [lambda: gm.group("C4xC2"), lambda: _table_only(gm.group("C4xC2"), 1),
                                  lambda: _table_only(gm.cyclic(9), 2), lambda: gm.dihedral(3)],
                         ids=["C4xC2", "table C4xC2 renumbered", "table C9 renumbered", "D3"])
def test_routes_follow_the_routing_rule_and_regular_reps_however_built(make):
    """Regular representations built three ways (constructor, PermutationRepresentation of its
    permutations, dense images) take one route, the one of ``routing.penalty_route``, and give the
    reference defect; an abelian group given by a renumbered table reaches the Fourier route."""
    G = make()
    L = gm.regular_representation(G)
    built = (L, gm.reps.PermutationRepresentation(G, L.perms), L.numeric_dense())
    W = np.random.default_rng(6).normal(size=(3 * G.order, 2 * G.order))
    ref = reynolds_defect(W, 2 * L, 3 * L)
    for form in ("spatial", "spectral"):
        expected_route = gm.routing.penalty_route(G, form, True, True)
        assert expected_route == ("orbits" if form == "spatial" else "fourier" if G.is_abelian else "irreps")
        for rep in built:
            pen = ProjectionPenalty(2 * rep, 3 * rep, form=form)
            assert pen.route == expected_route
            assert np.isclose(pen(torch.from_numpy(W)).item(), ref, rtol=1e-10)
    if G.is_abelian:
        pen = ProjectionPenalty(2 * built[2], 3 * built[1], form="spectral")
        E = pen.spectrum(torch.from_numpy(W))
        assert E.shape == (G.order, G.order) and torch.all(torch.diagonal(E) == 0)
        assert np.isclose(E.sum().item(), ref**2)


def test_bad_input():
    G = gm.cyclic(4)
    L = gm.regular_representation(G)
    with pytest.raises(TypeError, match="rep_in must be a groupmat Representation"):
        ProjectionPenalty(np.eye(4), L)
    with pytest.raises(ValueError, match="one group object"):
        ProjectionPenalty(L, gm.regular_representation(gm.cyclic(4)))
    with pytest.raises(ValueError, match="form must be one of"):
        ProjectionPenalty(L, L, form="fourier")
    pen = ProjectionPenalty(L, 2 * L)
    with pytest.raises(ValueError, match=r"W must have shape \(d_out, d_in, ...\) = \(8, 4, ...\)"):
        pen(torch.zeros(4, 8))
    with pytest.raises(TypeError, match="W must be a torch.Tensor"):
        pen(np.zeros((8, 4)))
    skew = gm.Representation(G, np.array([np.linalg.matrix_power(np.array([[1.0, 1.0], [0.0, 1.0]]) @
                                                                   np.diag([1.0, 1.0]), 0)] * 4))
    assert ProjectionPenalty(skew, skew).route == "reynolds"
    shear = gm.from_generators(gm.cyclic(2), [np.array([[1.0, 1.0], [0.0, -1.0]])])
    with pytest.raises(ValueError, match="needs orthogonal representations"):
        ProjectionPenalty(shear, shear, form="spectral")


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_random_representations_match_equivariance_defect(data):
    from strategies import groups, representations

    G = data.draw(groups(max_order=16))
    rep_in = data.draw(representations(G, max_dim=24))
    rep_out = data.draw(representations(G, max_dim=24))
    W = np.random.default_rng(data.draw(st.integers(0, 2**16))).normal(size=(rep_out.dim, rep_in.dim))
    ref = gm.equivariance_defect(W, rep_in, rep_out)
    assert np.isclose(ref, reynolds_defect(W, rep_in, rep_out), rtol=1e-9, atol=1e-12)
    for form in ("spatial", "spectral"):
        pen = ProjectionPenalty(rep_in, rep_out, form=form)
        value = pen(torch.from_numpy(W)).item()
        assert abs(value - ref) <= 1e-8 * max(1.0, ref), (form, pen.route)


def test_non_orthogonal_representations_are_refused_like_equivariance_defect():
    # r2 = A^-1 rho A is equivalent to rho but not orthogonal: P is then an oblique projection and
    # ||W - P(W)|| is not the distance to Hom_G, so both groupmat and the penalty refuse it
    G = gm.symmetric(3)
    rho = gm.reps.natural_representation(G)
    A = np.array([[2.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    r2 = gm.Representation(G, np.linalg.inv(A) @ rho.numeric().matrices @ A)
    W = np.random.default_rng(11).normal(size=(3, 3))
    with pytest.raises(ValueError, match="rep_in is not orthogonal"):
        gm.equivariance_defect(W, r2, rho)
    for form in ("spatial", "spectral"):
        with pytest.raises(ValueError, match="rep_in is not orthogonal"):
            ProjectionPenalty(r2, rho, form=form)
        with pytest.raises(ValueError, match="rep_out is not orthogonal"):
            ProjectionPenalty(rho, r2, form=form)
    # the explicit opt-out computes the oblique defect, as equivariance_defect(check_orthogonal=False)
    pen = ProjectionPenalty(r2, rho, check_orthogonal=False)
    ref = gm.equivariance_defect(W, r2, rho, check_orthogonal=False)
    assert np.isclose(pen(torch.from_numpy(W)).item(), ref)
    assert np.isclose(ref, reynolds_defect(W, r2, rho))
    with pytest.raises(ValueError, match="needs orthogonal representations"):
        ProjectionPenalty(r2, rho, form="spectral", check_orthogonal=False)
    # orthogonal representations are unaffected by the flag
    assert np.isclose(ProjectionPenalty(rho, rho, check_orthogonal=False)(torch.from_numpy(W)).item(),
                      gm.equivariance_defect(W, rho, rho))


def test_hom_basis_is_groupmat_equivariant_basis():
    # the spectral routes take their bases of Hom_G from groupmat.equivariant_basis (one source)
    from groupmat.torch import penalty

    G = gm.dihedral(4)
    rho = rotation_rep(G, 1)
    reg = gm.regular_representation(G)
    for rep_in, rep_out in ((rho, rho), (reg, rho), (rho, 2 * reg)):
        B = penalty._hom_basis(rep_in, rep_out)
        ref = np.asarray(gm.equivariant_basis(rep_in, rep_out, exact=False), dtype=float)
        assert B.shape == ref.shape and np.allclose(B, ref)
        assert B.shape[0] == gm.hom_dimension(rep_in, rep_out)
        # orthonormal, and equivariant: rho_out(g) B = B rho_in(g)
        flat = B.reshape(B.shape[0], -1)
        assert np.allclose(flat @ flat.T, np.eye(B.shape[0]))
        Ao, Ai = rep_out.numeric().matrices, rep_in.numeric().matrices
        assert np.allclose(np.einsum("gab,kbc->gkac", Ao, B), np.einsum("kab,gbc->gkac", B, Ai))
    assert not hasattr(penalty, "_own_basis")


# ---------------------------------------------------------------------------- strength, dtypes, empty kernels
def _route_cases():
    """One penalty per route: (id, rep_in, rep_out, form)."""
    C = gm.group("C4xC2")
    D = gm.dihedral(3)
    LC, LD = gm.regular_representation(C), gm.regular_representation(D)
    LT = gm.regular_representation(_table_only(C, 1))
    rot = rotation_rep(gm.cyclic(4), 1)
    nat = gm.reps.natural_representation(gm.symmetric(3))
    return [("orbits regular", LD, 2 * LD, "spatial"), ("orbits permutation", nat, nat + nat, "spatial"),
            ("reynolds", rot, rot + rot, "spatial"), ("fourier", LC, 2 * LC, "spectral"),
            ("fourier renumbered", LT, 2 * LT, "spectral"),
            ("irreps", LD, rotation_rep(D, 1) + LD, "spectral")]


ROUTE_CASES = _route_cases()
EXPECTED_ROUTE = {"orbits regular": "orbits", "orbits permutation": "orbits", "reynolds": "reynolds",
                  "fourier": "fourier", "fourier renumbered": "fourier", "irreps": "irreps"}


@pytest.mark.parametrize("bad,error", [(-0.5, ValueError), (float("nan"), ValueError), (float("inf"), ValueError),
                                       (-np.inf, ValueError), ("1.0", TypeError), (1 + 0j, TypeError),
                                       (True, TypeError), (None, TypeError), ([1.0], TypeError),
                                       (torch.tensor([1.0, 2.0]), TypeError), (torch.tensor(1j), TypeError),
                                       (np.array([0.5, 1.0]), TypeError), (10**400, ValueError)])
def test_strength_must_be_a_finite_real_number_at_least_zero(bad, error):
    L = gm.regular_representation(gm.cyclic(4))
    with pytest.raises(error, match="strength must be a"):
        ProjectionPenalty(L, L, strength=bad)
    pen = ProjectionPenalty(L, L, strength=2)
    with pytest.raises(error, match="strength must be a"):
        pen.strength = bad                                      # setting it later is checked too
    assert pen.strength == 2.0


def test_strength_accepts_real_numbers_and_scales_the_value():
    L = gm.regular_representation(gm.cyclic(4))
    W = torch.randn(4, 4, dtype=torch.float64)
    base = ProjectionPenalty(L, L)(W).item()
    assert base > 0
    for good in (0, 0.0, 3, 2.5, np.float32(0.25), np.int64(4), torch.tensor(1.5), np.array(0.75)):
        pen = ProjectionPenalty(L, L, strength=good)
        assert isinstance(pen.strength, float) and pen.strength == float(good)
        assert np.isclose(pen(W).item(), float(good) * base, rtol=1e-12)


@pytest.mark.parametrize("case", ROUTE_CASES, ids=[c[0] for c in ROUTE_CASES])
def test_integer_and_boolean_weights_are_refused(case):
    name, ri, ro, form = case
    pen = ProjectionPenalty(ri, ro, form=form)
    assert pen.route == EXPECTED_ROUTE[name]
    for dtype in (torch.int64, torch.int32, torch.uint8, torch.bool):
        with pytest.raises(TypeError, match=rf"W must be a floating-point or complex tensor .* got dtype {dtype}"):
            pen(torch.ones(ro.dim, ri.dim, dtype=dtype))


@pytest.mark.parametrize("case", ROUTE_CASES, ids=[c[0] for c in ROUTE_CASES])
def test_half_precision_weights_are_penalised_in_float32(case):
    """float16/bfloat16 weights on every route: the value (and its gradient) in the weight's dtype,
    equal to the float64 reference defect of the same rounded numbers to half-precision accuracy."""
    name, ri, ro, form = case
    rng = np.random.default_rng(5)
    W64 = rng.normal(size=(ro.dim, ri.dim, 2))
    for squared in (False, True):
        pen = ProjectionPenalty(ri, ro, form=form, strength=0.5, squared=squared)
        assert pen.route == EXPECTED_ROUTE[name]
        for dtype, u in ((torch.float16, 2.0**-11), (torch.bfloat16, 2.0**-8)):
            W = torch.from_numpy(W64).to(dtype).requires_grad_(True)
            Wr = W.detach().double().numpy()                     # the rounded numbers
            per = [reynolds_defect(Wr[..., t], ri, ro) for t in range(2)]
            d = np.sqrt(np.sum(np.square(per)))
            ref = 0.5 * (d**2 if squared else d)
            value = pen(W)
            assert value.dtype == dtype and value.dim() == 0
            assert abs(value.item() - ref) <= 4 * u * ref, (dtype, abs(value.item() - ref) / (u * ref))
            (grad,) = torch.autograd.grad(value, W)
            R = Wr - np.moveaxis(reynolds(np.moveaxis(Wr, -1, 0), ri, ro), 0, -1)   # W - P(W)
            expect = 0.5 * (2 * R if squared else R / d)
            assert grad.dtype == dtype
            assert np.linalg.norm(grad.double().numpy() - expect) <= 16 * u * np.linalg.norm(expect)
            assert pen.residual(W).dtype == (dtype if pen.route != "fourier" else torch.complex64)
            if pen.route in ("fourier", "irreps"):
                E = pen.spectrum(W)
                assert E.dtype == dtype and abs(E.double().sum().item() - d**2) <= 8 * u * d**2


@pytest.mark.parametrize("case", ROUTE_CASES, ids=[c[0] for c in ROUTE_CASES])
def test_complex_weights_split_into_real_and_imaginary_parts(case):
    """P is real-linear, so ||W - P(W)||^2 = ||A - P(A)||^2 + ||B - P(B)||^2 for W = A + iB; on
    every route, with the spectrum and the gradient."""
    name, ri, ro, form = case
    rng = np.random.default_rng(8)
    A, B = rng.normal(size=(2, ro.dim, ri.dim))
    pen = ProjectionPenalty(ri, ro, form=form, squared=True)
    W = torch.from_numpy(A + 1j * B).requires_grad_(True)
    value = pen(W)
    expect = reynolds_defect(A, ri, ro) ** 2 + reynolds_defect(B, ri, ro) ** 2
    assert value.dtype == torch.float64 and np.isclose(value.item(), expect, rtol=1e-10)
    assert np.isclose(gm.equivariance_defect(A + 1j * B, ri, ro, squared=True), expect, rtol=1e-10)
    if pen.route in ("fourier", "irreps"):
        E = pen.spectrum(W)
        assert E.dtype == torch.float64 and np.isclose(E.sum().item(), expect, rtol=1e-10)
        if pen.route == "irreps":   # a real change of basis: each block splits too (Fourier modes mix A and B)
            assert torch.allclose(E, pen.spectrum(torch.from_numpy(A)) + pen.spectrum(torch.from_numpy(B)))
    (grad,) = torch.autograd.grad(value, W)
    # torch's convention for a real function of complex W: the gradient is dL/dRe + i dL/dIm
    R = (A + 1j * B) - reynolds(A + 1j * B, ri, ro)
    np.testing.assert_allclose(grad.numpy(), 2 * R, atol=1e-10)
    with warnings.catch_warnings():   # torch notes that complex32 is experimental; we refuse it
        warnings.simplefilter("ignore", UserWarning)
        W32 = W.detach().to(torch.complex32)
    with pytest.raises(TypeError, match="W must be a floating-point or complex tensor"):
        pen(W32)


@pytest.mark.parametrize("case", ROUTE_CASES, ids=[c[0] for c in ROUTE_CASES])
def test_empty_kernel_has_zero_penalty(case):
    name, ri, ro, form = case
    for squared in (False, True):
        pen = ProjectionPenalty(ri, ro, form=form, squared=squared)
        for dtype in (torch.float64, torch.float16):
            W = torch.zeros(ro.dim, ri.dim, 0, dtype=dtype, requires_grad=True)
            value = pen(W)
            assert value.dtype == dtype and value.item() == 0.0
            value.backward()
            assert W.grad.shape == W.shape
            if pen.route in ("fourier", "irreps"):
                assert pen.spectrum(W).abs().sum().item() == 0.0
    with pytest.raises(ValueError, match="W must have shape"):
        pen(torch.zeros(ro.dim + 1, ri.dim, 0))


def test_complex_representations_are_refused_with_the_reason():
    G = gm.cyclic(3)
    chi = next(r for r in gm.irreps(G, field="complex") if r.type == "complex")
    L = gm.regular_representation(G)
    for form in ("spatial", "spectral"):
        with pytest.raises(ValueError, match="rep_out has complex images .* field='real'"):
            ProjectionPenalty(L, chi, form=form)
        with pytest.raises(ValueError, match="rep_in has complex images"):
            ProjectionPenalty(chi + L, L, form=form)
    # complex dtype with real values is a real representation
    rot = rotation_rep(gm.cyclic(4), 1)
    rot_c = gm.Representation(rot.group, rot.matrices.astype(complex))
    W = torch.randn(2, 2, dtype=torch.float64)
    assert np.isclose(ProjectionPenalty(rot_c, rot_c)(W).item(), reynolds_defect(W.numpy(), rot, rot))
