"""``groupmat.tolerances``: each rule is relative to the dtype of the data it judges (float32 looser than
float64, integers judged as float64) and separates real round-off from a real difference."""
from __future__ import annotations

import numpy as np
import pytest

from groupmat import tolerances as tol

RULES = {
    "eps": tol.eps,
    "roundoff": tol.roundoff,
    "unitarity_tol": tol.unitarity_tol,
    "integrality_tol": tol.integrality_tol,
    "imaginary_tol": tol.imaginary_tol,
    "rank_tol": lambda dt: tol.rank_tol(np.array([3.0, 1.0]), (4, 4), dt),
}


@pytest.mark.parametrize("name", sorted(RULES))
def test_float32_rules_are_looser_than_float64(name):
    rule = RULES[name]
    assert rule(np.float32) > rule(np.float64) > 0
    assert rule(np.complex64) == rule(np.float32) and rule(np.complex128) == rule(np.float64)
    assert rule(np.float16) > rule(np.float32)


@pytest.mark.parametrize("name", sorted(RULES))
@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint16, bool, object, int, float, complex])
def test_integer_and_other_dtypes_are_judged_as_float64(name, dtype):
    assert RULES[name](dtype) == RULES[name](np.float64)


def test_values_follow_machine_epsilon():
    for dt in (np.float16, np.float32, np.float64):
        e = float(np.finfo(dt).eps)
        assert tol.eps(dt) == e
        assert tol.roundoff(dt) == tol.ROUNDOFF_ULPS * e
        assert tol.unitarity_tol(dt) == pytest.approx(np.sqrt(e))
        assert tol.integrality_tol(dt) == pytest.approx(e ** (1 / 3))
        assert tol.imaginary_tol(dt) == tol.ROUNDOFF_ULPS * e
    assert tol.float_dtype(np.complex64) == np.float32 and tol.float_dtype(np.int8) == np.float64


def test_rules_accept_data_as_well_as_dtypes():
    x32 = np.ones((2, 2), dtype=np.float32)
    assert tol.eps(x32) == tol.eps(np.float32) == tol.eps("float32") == tol.eps(np.float32(1.0))
    assert tol.roundoff(x32) == tol.roundoff(np.float32)
    assert tol.unitarity_tol(np.ones(3, dtype=np.complex64)) == tol.unitarity_tol(np.float32)
    assert tol.eps([1, 2]) == tol.eps(1.5) == tol.eps(np.float64)
    assert tol.eps([[1], [1, 2]]) == tol.eps(np.float64)                 # not an array: as float64


def test_roundoff_scales_with_magnitude_and_terms():
    base = tol.roundoff(np.float64)
    assert tol.roundoff(np.float64, scale=100.0) == pytest.approx(100 * base)
    assert tol.roundoff(np.float64, scale=0.01) == base                    # small values: judged at scale 1
    assert tol.roundoff(np.float64, terms=50) == pytest.approx(50 * base)
    assert tol.roundoff(np.float64, terms=0) == base


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_roundoff_separates_summation_error_from_a_real_difference(dtype):
    # a sum of n terms computed in dtype versus the same sum in exact (float64 of integers / 8) arithmetic
    rng = np.random.default_rng(0)
    n = 4096
    x = (rng.integers(-(2**10), 2**10, size=n) / 8.0).astype(dtype) * dtype(1.1)
    exact = float(np.sum(x.astype(np.float64)))
    computed = dtype(0)
    for chunk in np.split(x, 64):                                          # a sum carried in dtype
        computed = dtype(computed + chunk.sum(dtype=dtype))
    scale = float(np.abs(x).max())
    bound = tol.roundoff(dtype, scale=scale, terms=n)
    assert abs(float(computed) - exact) <= bound
    assert abs(float(computed) + 1e3 * bound - exact) > bound               # a real difference is seen


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_rank_tol_is_numpys_matrix_rank_rule(dtype):
    rng = np.random.default_rng(1)
    for rank in (1, 3, 5):
        A = (rng.normal(size=(8, rank)) @ rng.normal(size=(rank, 6))).astype(dtype)
        s = np.linalg.svd(A, compute_uv=False)
        assert int(np.sum(s > tol.rank_tol(s, A.shape))) == rank == np.linalg.matrix_rank(A)
    assert tol.rank_tol(np.array([]), (0, 0)) == 0.0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_unitarity_tol_accepts_computed_orthogonal_matrices_only(dtype):
    rng = np.random.default_rng(2)
    q, _ = np.linalg.qr(rng.normal(size=(16, 16)))
    q = q.astype(dtype)
    R = q @ q @ q                                                         # a computed orthogonal matrix
    assert np.abs(R.T @ R - np.eye(16)).max() <= tol.unitarity_tol(dtype)
    bent = R.copy()
    bent[0, 0] += 10 * tol.unitarity_tol(dtype)
    assert np.abs(bent.T @ bent - np.eye(16)).max() > tol.unitarity_tol(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_integrality_and_imaginary_rules_on_computed_values(dtype):
    cdt = np.complex64 if dtype == np.float32 else np.complex128
    n = 360
    k = np.arange(n)
    # a character value on the class {g, g^-1}: exp(i t) + exp(-i t') with t' = 2 pi (n - 1) / n is real,
    # but computed from two rounded angles its imaginary part is round-off only
    for m in range(1, 12):
        z = (np.exp(2j * np.pi * m * k[1] / n).astype(cdt) + np.exp(2j * np.pi * m * k[-1] / n).astype(cdt))
        assert abs(z.imag) <= tol.imaginary_tol(dtype) * max(1.0, abs(z.real))
    assert abs(cdt(1 + 1e-2j).imag) > tol.imaginary_tol(dtype)
    # <chi, chi> = (1/n) sum |chi|^2 and <chi, 1> = 0 for chi(k) = exp(3 i theta_k), computed in dtype
    chi = np.exp(2j * np.pi * 3 * k / n).astype(cdt)
    ones = np.ones(n, dtype=cdt)
    norm = np.vdot(chi, chi) / n
    orth = np.vdot(ones, chi) / n
    for value, expected in ((norm, 1), (orth, 0)):
        assert abs(value.real - expected) <= tol.integrality_tol(dtype)
        assert abs(value.imag) <= tol.integrality_tol(dtype)
    assert abs(0.5 - round(0.5)) > tol.integrality_tol(dtype)
