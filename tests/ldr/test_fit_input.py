"""fit_group_ldr's input rule: numbers in any container are taken by value."""
from __future__ import annotations

import numpy as np

import groupmat as gm

RNG = np.random.default_rng(11)


def test_fit_group_ldr_takes_an_object_array_of_plain_numbers_by_value():
    """An object array of floats is numbers, not symbols: the fit equals the fit of the float array (it
    raised NumPy's raw UFuncTypeError from inside the SVD)."""
    G = gm.cyclic(6)
    W = RNG.standard_normal((6, 6))
    a, ea = gm.fit_group_ldr(G, W, 2, return_error=True)
    b, eb = gm.fit_group_ldr(G, np.array(W, dtype=object), 2, return_error=True)
    assert np.allclose(a.dense(), b.dense()) and np.isclose(ea, eb)
