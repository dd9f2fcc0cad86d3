"""Group axioms and group-matrix identities (the foundation rows of ``groupmat verify``)."""
from __future__ import annotations

import numpy as np

from ..verify import register


@register("group axioms: associativity, identity, inverses", zoo="default")
def group_axioms(G) -> str:
    e = G.elements()
    rng = np.random.default_rng(0)
    a, b, c = (rng.integers(0, G.order, size=min(4096, G.order**3)) for _ in range(3))
    assert np.array_equal(G.mul(G.mul(a, b), c), G.mul(a, G.mul(b, c))), "associativity fails"
    assert np.array_equal(G.mul(G.identity, e), e) and np.array_equal(G.mul(e, G.identity), e), "identity fails"
    assert np.all(G.mul(e, G.inv(e)) == G.identity), "inverses fail"
    return "exact"
