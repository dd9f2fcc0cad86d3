"""``groupmat.routing``: one rule for every fast route, read from the group's declared structure.

The kinds follow the mathematics (every abelian group is a product of cyclic groups, whatever it was given
as), ``has_fast_transform`` is exactly "no dense factor", and each route function is checked on
representative groups on both sides of its threshold.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

import groupmat as gm
from groupmat import routing
from groupmat.routing import (CONV_ROUTE_MAX_FILL, CONV_ROUTE_MIN_WORK, FFT_MIN_ORDER, LDR_DENSE_MAX_ORDER,
                              LDR_DENSE_MAX_ORDER_ABELIAN, conv_route, convolve_route, factor_kinds, has_fast_transform,
                              ldr_product_route, penalty_route, transform_kind)
from strategies import groups, relabelled_table_group


def _table(G):
    return relabelled_table_group(G, 7)[0]


def _disjoint_cycles():
    p = np.arange(7)
    q = p.copy()
    p[:3] = [1, 2, 0]
    q[3:] = [4, 5, 6, 3]
    return gm.from_permutations([p, q])                     # C3 x C4 as permutations


KINDS = [
    (gm.cyclic(1), "abelian"), (gm.cyclic(8), "abelian"), (gm.sign_group(3), "abelian"),
    (gm.group("C4xC2"), "abelian"), (_table(gm.group("C4xC6")), "abelian"), (_disjoint_cycles(), "abelian"),
    (gm.dihedral(8).subgroup([1]), "abelian"), (gm.dihedral(1), "abelian"), (gm.dihedral(2), "abelian"),
    (gm.dicyclic(1), "abelian"), (gm.symmetric(2), "abelian"), (gm.alternating(3), "abelian"),
    (gm.group("D2xC3"), "abelian"),
    (gm.dihedral(3), "dihedral"), (gm.dihedral(8), "dihedral"), (gm.direct_product(gm.dihedral(4)), "dihedral"),
    (gm.group("D3xC5"), "product"), (gm.group("S3xS3"), "product"), (gm.group("Q8xC2"), "product"),
    (gm.symmetric(4), "dense"), (gm.quaternion(), "dense"), (gm.alternating(4), "dense"),
    (_table(gm.dihedral(4)), "dense"), (gm.symmetric(4).subgroup([1, 3]), "dense"),
    (gm.semidirect_product(gm.cyclic(7), gm.cyclic(3), [lambda n: (2 * n) % 7]), "dense"),
]


@pytest.mark.parametrize("G, kind", KINDS, ids=lambda x: getattr(x, "name", x))
def test_transform_kind(G, kind):
    assert transform_kind(G) == kind
    assert kind in routing.TRANSFORM_KINDS


@given(groups(max_order=48))
@settings(max_examples=40)
def test_abelian_kind_is_exactly_having_cyclic_coordinates(G):
    assert (transform_kind(G) == "abelian") == G.is_abelian == (G.cyclic_coordinates() is not None)


@pytest.mark.parametrize("G, kinds", [
    (gm.group("D4xS3xC2"), ["dihedral", "dense", "abelian"]),
    (gm.direct_product(gm.group("D3xS3"), gm.cyclic(5)), ["dihedral", "dense", "abelian"]),
    (gm.direct_product(gm.direct_product(gm.dihedral(5)), gm.quaternion()), ["dihedral", "dense"]),
    (gm.group("C4xC2"), ["abelian"]),
    (gm.dihedral(8), ["dihedral"]),
    (gm.symmetric(3), ["dense"]),
])
def test_factor_kinds_flatten_products(G, kinds):
    assert factor_kinds(G) == kinds


@given(groups(max_order=64))
@settings(max_examples=40)
def test_has_fast_transform_is_no_dense_factor(G):
    assert has_fast_transform(G) == ("dense" not in factor_kinds(G))


@pytest.mark.parametrize("G, fast", [
    (gm.dihedral(8), True), (gm.dihedral(3), True), (gm.cyclic(10), True), (_table(gm.group("C2^4")), True),
    (gm.group("D16xC8"), True), (gm.group("D3xD5"), True),
    (gm.symmetric(5), False), (gm.group("D16xS3"), False), (gm.quaternion(), False),
])
def test_has_fast_transform_at_any_order(G, fast):
    assert has_fast_transform(G) is fast


@pytest.mark.parametrize("G, route", [
    (gm.cyclic(1), "fft"), (gm.cyclic(5), "fft"), (_table(gm.group("C3xC3")), "fft"), (gm.dihedral(2), "fft"),
    (gm.dihedral(FFT_MIN_ORDER // 2 - 1), "dense"), (gm.dihedral(FFT_MIN_ORDER // 2), "fft"),
    (gm.group("D32xC2"), "fft"), (gm.group("D32xS3"), "factorwise"), (gm.group("D3xS3"), "dense"),
    (gm.symmetric(5), "dense"), (gm.direct_product(gm.symmetric(4), gm.cyclic(4)), "factorwise"),
])
def test_convolve_route(G, route):
    assert convolve_route(G) == route


@pytest.mark.parametrize("G, real, dense_fits, route", [
    (gm.cyclic(LDR_DENSE_MAX_ORDER_ABELIAN + 1), True, True, "fft"),
    (gm.cyclic(LDR_DENSE_MAX_ORDER_ABELIAN), True, True, "dense"),
    (gm.cyclic(LDR_DENSE_MAX_ORDER_ABELIAN + 1), False, True, "dense"),       # complex data: no real FFT
    (gm.cyclic(LDR_DENSE_MAX_ORDER + 1), False, True, "convolve"),
    (gm.cyclic(4096), True, True, "fft"),
    (gm.dihedral(LDR_DENSE_MAX_ORDER // 2), True, True, "dense"),
    (gm.dihedral(LDR_DENSE_MAX_ORDER // 2 + 1), True, True, "convolve"),
    (gm.symmetric(5), True, True, "dense"),
    (gm.symmetric(5), True, False, "convolve"),                               # too large to hold densely
    (gm.cyclic(64), True, False, "fft"),
    (gm.cyclic(64), False, False, "convolve"),
    (_table(gm.group("C16xC32")), True, True, "fft"),                         # abelian by its table
])
def test_ldr_product_route(G, real, dense_fits, route):
    assert ldr_product_route(G, real, dense_fits) == route


@pytest.mark.parametrize("G, route", [
    (gm.cyclic(1), "dense"), (gm.group("C8xC8"), "fft"), (gm.dihedral(5), "fft"), (_table(gm.cyclic(6)), "fft"),
    (gm.symmetric(4), "dense"), (gm.group("D3xC5"), "dense"), (gm.quaternion(), "dense"),
])
def test_conv_route(G, route):
    assert conv_route(G) == route


@pytest.mark.parametrize("G, support, taps, route", [
    (gm.group("C32xC32"), 9, 9, "conv"),                               # the 3 x 3 stencil of an image
    (gm.cyclic(-(-CONV_ROUTE_MIN_WORK // 3)), 3, 3, "conv"),               # 3 x |G| reaches the threshold
    (gm.cyclic(-(-CONV_ROUTE_MIN_WORK // 3) - 1), 3, 3, "support"),         # less work: the gather
    (gm.group("D8xD8"), 36, 36, "conv"),                               # 4 flip pairs x 3 x 3 box
    (gm.group("C32xC32"), 2, 2 * CONV_ROUTE_MAX_FILL, "conv"),
    (gm.group("C32xC32"), 2, 2 * CONV_ROUTE_MAX_FILL + 1, "support"),        # a support spread over a large box
    (gm.group("C32xC32"), 9, None, "support"),                         # no layout on <= 3 axes
    (gm.symmetric(6), 3, None, "support"),
])
def test_conv_route_with_a_support(G, support, taps, route):
    assert conv_route(G, support=support, taps=taps) == route
    assert conv_route(G, support=np.int64(support), taps=taps) == route


@pytest.mark.parametrize("spec, support, taps", [
    ("C8xC8", 9, 9),          # 576 numbers per input channel: from 4 channels on
    ("D4xD4", 36, 36),        # the layer after a StridePool on D8xD8: 2304 per input channel
    ("C128", 3, 3),           # a 3-tap stencil: 384 per input channel
    ("C4xD4", 18, 18),
    ("C28xC28", 9, 9),        # one input channel is enough
])
def test_conv_route_follows_the_work_of_the_gather(spec, support, taps):
    """The rule reads the work |G| x |S| x in_channels, not the order alone: for each group the route
    switches from the gather to the convolution exactly at the first channel count whose work reaches
    CONV_ROUTE_MIN_WORK, and stays there for more channels."""
    G = gm.group(spec)
    routes = [conv_route(G, support=support, taps=taps, in_channels=c) for c in range(1, 33)]
    first = -(-CONV_ROUTE_MIN_WORK // (G.order * support))                 # ceil: the first channel count
    assert routes == ["support"] * (first - 1) + ["conv"] * (32 - first + 1), spec
    # the cases of the audit: D4 x D4 with 4-16 channels and C8 x C8 16 -> 16 convolve
    if spec in ("C8xC8", "D4xD4"):
        assert all(conv_route(G, support=support, taps=taps, in_channels=c) == "conv" for c in (4, 8, 16))
    # a spread support gathers whatever the work
    assert conv_route(G, support=support, taps=CONV_ROUTE_MAX_FILL * support + 1, in_channels=64) == "support"


def test_conv_route_checks_its_arguments():
    G = gm.group("C16xC16")
    with pytest.raises(ValueError, match="support must be an integer >= 1, got 0"):
        conv_route(G, support=0, taps=1)
    with pytest.raises(TypeError, match="support must be an integer >= 1, got float 2.0"):
        conv_route(G, support=2.0, taps=1)
    with pytest.raises(TypeError, match="taps must be an integer >= 1, got str '9'"):
        conv_route(G, support=9, taps="9")
    with pytest.raises(ValueError, match="taps describes a support; got taps=9 with support=None"):
        conv_route(G, taps=9)
    with pytest.raises(ValueError, match="in_channels must be an integer >= 1, got 0"):
        conv_route(G, support=9, taps=9, in_channels=0)
    with pytest.raises(TypeError, match="in_channels must be an integer >= 1, got float 4.0"):
        conv_route(G, support=9, taps=9, in_channels=4.0)


@pytest.mark.parametrize("G, form, regular, permutation, route", [
    (gm.cyclic(8), "spectral", True, True, "fourier"),
    (_table(gm.group("C2xC4")), "spectral", True, True, "fourier"),
    (gm.cyclic(8), "spectral", False, True, "irreps"),
    (gm.dihedral(4), "spectral", True, True, "irreps"),
    (gm.cyclic(8), "spatial", True, True, "orbits"),
    (gm.symmetric(3), "spatial", False, True, "orbits"),
    (gm.symmetric(3), "spatial", False, False, "reynolds"),
])
def test_penalty_route(G, form, regular, permutation, route):
    assert penalty_route(G, form, regular, permutation) == route


def test_penalty_route_names_a_bad_form():
    with pytest.raises(ValueError, match="form must be one of 'spatial', 'spectral', got 'fourier'"):
        penalty_route(gm.cyclic(4), "fourier", True, True)


@pytest.mark.parametrize("call", [
    lambda: transform_kind("C4"), lambda: factor_kinds(4), lambda: has_fast_transform(None),
    lambda: convolve_route("D8"), lambda: ldr_product_route("C4", True, True), lambda: conv_route([1]),
    lambda: penalty_route("C4", "spatial", True, True),
])
def test_routes_need_a_group(call):
    with pytest.raises(TypeError, match="G must be a FiniteGroup"):
        call()


def test_thresholds_are_positive_integers():
    for name in ("FFT_MIN_ORDER", "LDR_DENSE_MAX_ORDER", "LDR_DENSE_MAX_ORDER_ABELIAN", "LDR_FFT_BLOCK",
                 "PENALTY_BASIS_MAX_ENTRIES", "CONV_ROUTE_MIN_WORK", "CONV_ROUTE_MAX_FILL"):
        value = getattr(routing, name)
        assert isinstance(value, int) and value > 0, name
    assert LDR_DENSE_MAX_ORDER_ABELIAN <= LDR_DENSE_MAX_ORDER
