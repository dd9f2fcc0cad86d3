"""Every public function of groupmat.ldr refuses bad input with our ValueError/TypeError naming the
argument (1-D, 3-D, empty, NaN, infinite, strings), works on complex input, and never blames a ``tol``
the caller did not pass."""
import re

import numpy as np
import pytest

import groupmat as gm

G4 = gm.cyclic(4)
Z, Zm = gm.shift(4, 1), gm.shift(4, -1)


def _nan():
    M = np.eye(4)
    M[1, 2] = np.nan
    return M


def _inf():
    M = np.eye(4)
    M[3, 0] = -np.inf
    return M


#: (label, input, expected exception, pattern the message must match)
BAD_MATRICES = [
    ("1-D", np.ones(4), ValueError, r"2-D.*shape \(4,\)"),
    ("3-D", np.ones((2, 4, 4)), ValueError, r"2-D.*shape \(2, 4, 4\)"),
    ("scalar", 3.0, ValueError, r"2-D.*shape \(\)"),
    ("NaN", _nan(), ValueError, r"finite"),
    ("inf", _inf(), ValueError, r"finite"),
    ("strings", np.array([["a"] * 4] * 4), TypeError, r"numeric"),
    ("ragged", [[1.0, 2.0], [3.0]], ValueError, r"rectangular"),
    ("None", np.full((4, 4), None, dtype=object), TypeError, r"(numeric|numbers)"),
    ("code", np.full((4, 4), '__import__("os").getpid()', dtype=object), TypeError, r"(numeric|numbers)"),
]

#: every public ldr function that takes a matrix M (named "M" in its messages) ...
ON_M = {
    "displacement": lambda M: gm.displacement(M, Z, Zm),
    "displacement_rank": lambda M: gm.displacement_rank(M, Z, Zm),
    "displacement_generators": lambda M: gm.displacement_generators(M, Z, Zm),
    "generator_displacement": lambda M: gm.generator_displacement(G4, M),
    "generator_displacement_rank": lambda M: gm.ldr.generator_displacement_rank(G4, M),
    "coefficient_displacement": lambda M: gm.coefficient_displacement(G4, M),
    "coefficient_displacement_rank": lambda M: gm.ldr.coefficient_displacement_rank(G4, M),
    "fit_group_ldr": lambda M: gm.fit_group_ldr(G4, M, 1),
    "cyclic_decomposition": lambda M: gm.ldr.cyclic_decomposition(M),
    "exact_rank": lambda M: gm.ldr.exact_rank(M),
}


@pytest.mark.parametrize("label, bad, exc, pattern", BAD_MATRICES, ids=[b[0] for b in BAD_MATRICES])
def test_numeric_rank_refuses_bad_input_naming_d(label, bad, exc, pattern):
    with pytest.raises(exc, match=r"^D .*" + pattern):
        gm.ldr.numeric_rank(bad)


@pytest.mark.parametrize("name", sorted(ON_M))
@pytest.mark.parametrize("label, bad, exc, pattern", BAD_MATRICES, ids=[b[0] for b in BAD_MATRICES])
def test_functions_of_m_refuse_bad_input_naming_m(name, label, bad, exc, pattern):
    with pytest.raises(exc, match=r"^M .*" + pattern):
        ON_M[name](bad)


@pytest.mark.parametrize("name", sorted(set(ON_M) - {"displacement", "displacement_rank",
                                                       "displacement_generators", "exact_rank"}))
def test_empty_m_is_refused_naming_m(name):
    with pytest.raises(ValueError, match=r"^(M|n) "):
        ON_M[name](np.zeros((0, 0)))


def test_empty_matrices_have_rank_zero():
    assert gm.ldr.numeric_rank(np.zeros((0, 5))) == 0
    assert gm.ldr.exact_rank(np.zeros((3, 0))) == 0


def test_empty_m_with_operators_of_another_size_names_both():
    with pytest.raises(ValueError, match=r"A must be 0 x 0 to match M"):
        gm.displacement_rank(np.zeros((0, 0)), Z, Zm)


def test_numeric_rank_refuses_sympy_pointing_to_exact_rank():
    import sympy

    with pytest.raises(TypeError, match="exact_rank"):
        gm.ldr.numeric_rank(sympy.Matrix([[1, 2], [2, 4]]))


@pytest.mark.parametrize("name", sorted(set(ON_M) - {"exact_rank"}))
def test_complex_input_works(name):
    rng = np.random.default_rng(3)
    M = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
    ON_M[name](M)


def test_complex_ranks_are_right():
    rng = np.random.default_rng(4)
    u, v = rng.normal(size=(2, 6)) + 1j * rng.normal(size=(2, 6))
    assert gm.ldr.numeric_rank(np.outer(u, v)) == 1
    # a complex Toeplitz matrix: Sylvester rank 2 for (Z_1, Z_-1), exactly as for real ones
    T = gm.toeplitz(u, np.concatenate([[u[0]], v[1:]]))
    assert gm.displacement_rank(T, gm.shift(6, 1), gm.shift(6, -1)) == 2


@pytest.mark.parametrize("bad, exc", [(np.array(["a", "b"]), TypeError), (np.array([1.0, np.nan]), ValueError),
                                      (np.ones((2, 2)), ValueError)])
def test_default_rank_tol_checks_the_singular_values(bad, exc):
    with pytest.raises(exc, match="^singular_values "):
        gm.ldr.default_rank_tol(bad, (2, 2))


def test_default_rank_tol_checks_shape_and_scale():
    with pytest.raises(TypeError, match="^shape "):
        gm.ldr.default_rank_tol([1.0], 3)
    with pytest.raises(ValueError, match="^scale "):
        gm.ldr.default_rank_tol([1.0], (2, 2), scale=np.inf)


@pytest.mark.parametrize("bad, exc, pattern", [(3.0, ValueError, "scalar"),
                                               (np.array(["a"] * 4), TypeError, "dtype"),
                                               (np.full(4, None, dtype=object), TypeError, "None")])
def test_operators_refuse_scalars_and_strings(bad, exc, pattern):
    with pytest.raises(exc, match=r"^X .*" + pattern):
        Z @ bad
    with pytest.raises(exc, match=r"^X .*" + pattern):
        gm.ldr.PermutationOperator([1, 0]).apply_right(bad)


def test_diagonal_operator_message_gives_the_shape_not_the_data():
    with pytest.raises(ValueError, match=r"^d must be a non-empty 1-D .* got shape \(300, 300\)$"):
        gm.ldr.DiagonalOperator(np.ones((300, 300)))


# ------------------------------------------------------------------ huge entries: no tol blamed
HUGE = [1e154, 1e200, 1e300, 1e-300]


def _low_rank_huge(scale):
    rng = np.random.default_rng(0)
    M = rng.normal(size=(5, 2)) @ rng.normal(size=(2, 5))
    return M * scale, M


@pytest.mark.parametrize("scale", HUGE)
def test_ranks_are_scale_invariant_and_never_blame_an_unpassed_tol(scale):
    M, M1 = _low_rank_huge(scale)
    G = gm.cyclic(5)
    A, B = gm.shift(5, 1), gm.shift(5, -1)
    assert gm.ldr.numeric_rank(M) == gm.ldr.numeric_rank(M1) == 2
    assert gm.displacement_rank(M, A, B) == gm.displacement_rank(M1, A, B)
    assert gm.ldr.generator_displacement_rank(G, M) == gm.ldr.generator_displacement_rank(G, M1)
    assert gm.ldr.coefficient_displacement_rank(G, M) == gm.ldr.coefficient_displacement_rank(G, M1)
    Gs, Hs = gm.displacement_generators(M, A, B)
    G1, H1 = gm.displacement_generators(M1, A, B)
    assert Gs.shape == G1.shape
    np.testing.assert_allclose((Gs @ Hs.T) / scale, G1 @ H1.T, atol=1e-12)
    fit, err = gm.fit_group_ldr(G, M, 2, return_error=True)
    fit1, err1 = gm.fit_group_ldr(G, M1, 2, return_error=True)
    assert np.all(np.isfinite(fit.dense()))
    np.testing.assert_allclose(fit.dense() / scale, fit1.dense(), atol=1e-12)
    assert np.isclose(err / scale, err1, atol=1e-12)


def test_a_tolerance_passed_with_huge_entries_is_used_in_the_units_of_m():
    M, _ = _low_rank_huge(1e200)
    s = np.linalg.svd(M / 1e200, compute_uv=False) * 1e200
    # a tolerance between the two nonzero singular values keeps only the larger one
    assert gm.ldr.numeric_rank(M, tol=float(np.sqrt(s[0]) * np.sqrt(s[1]))) == 1
    assert gm.ldr.numeric_rank(M, tol=float(s[0]) * 2) == 0


def test_overflowing_displacement_is_refused_naming_m_not_tol():
    # A M - M B with A = diag(1.5e308, ...), B = -A: the entry (0, 0) is 3e308, beyond float64
    A = gm.ldr.DiagonalOperator([1.5e308, 1.0, 1.0, 1.0])
    B = gm.ldr.DiagonalOperator([-1.5e308, 1.0, 1.0, 1.0])
    with pytest.raises(ValueError) as info:
        gm.displacement_rank(np.ones((4, 4)), A, B)
    msg = str(info.value)
    assert msg.startswith("the displacement of M overflows") and not re.search(r"\btol\b", msg)


def test_a_bad_tol_passed_by_the_caller_is_named():
    with pytest.raises(ValueError, match="^tol "):
        gm.displacement_rank(np.eye(4), Z, Zm, tol=np.nan)
    with pytest.raises(ValueError, match="^tol "):
        gm.ldr.numeric_rank(np.eye(4), tol=-1.0)


def test_gm_ldr_products_name_bad_exact_operands():
    M = gm.GroupLDRMatrix(G4, np.ones(4))
    with pytest.raises(TypeError, match=r"^X must hold numbers"):
        M @ np.full(4, None, dtype=object)
