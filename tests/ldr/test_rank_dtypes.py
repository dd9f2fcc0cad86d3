"""numeric_rank in every float dtype: scaled by the range of the data's own dtype, float16 computed in
float32, never an error about an argument the caller did not pass."""
from __future__ import annotations

import numpy as np
import pytest

import groupmat as gm


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.complex64, np.complex128])
def test_rank_of_a_scaled_low_rank_matrix_at_the_edges_of_the_dtype(dtype):
    rng = np.random.default_rng(1)
    base = (rng.normal(size=(40, 2)) @ rng.normal(size=(2, 30)))
    base /= np.abs(base).max()
    info = np.finfo(dtype)
    for scale in (1.0, float(info.max) / 4, float(info.tiny) * 2**10):
        M = (base * scale).astype(dtype)
        assert np.all(np.isfinite(M))
        assert gm.ldr.numeric_rank(M) == 2, (dtype, scale)


def test_a_constant_float32_matrix_near_its_largest_value_has_rank_one():
    # 3e38 * ones: its Frobenius norm overflows float32 unless scaled by float32's range
    assert gm.ldr.numeric_rank(np.full((30, 30), 3e38, dtype=np.float32)) == 1
    assert gm.ldr.numeric_rank(np.full((300, 300), 3e38, dtype=np.float32)) == 1   # the randomized route


def test_float16_is_computed_in_float32():
    assert gm.ldr.numeric_rank(np.eye(3, dtype=np.float16)) == 3
    assert gm.ldr.numeric_rank(np.ones((4, 5), dtype=np.float16)) == 1
