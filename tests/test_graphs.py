"""Cayley graphs as networkx DiGraphs."""
from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings

import groupmat as gm
from strategies import groups


@given(groups(max_order=32))
@settings(max_examples=20)
def test_cayley_graph_edges_are_right_multiplications(G):
    Gr = gm.cayley_graph(G)
    n = G.order
    assert isinstance(Gr, nx.DiGraph) and Gr.number_of_nodes() == n
    assert Gr.graph["group"] == G.name and Gr.graph["side"] == "right"
    gens = [s for s in dict.fromkeys(G.generators)]
    for a, b, data in Gr.edges(data=True):
        s = data["generator"]
        assert b == G.mul(a, s) and data["generator_label"] == G.label(s)
    expected = {(g, G.mul(g, s)) for g in range(n) for s in gens}
    assert set(Gr.edges()) == expected
    for g in range(n):
        assert Gr.nodes[g]["label"] == G.label(g)
    if n > 1:
        assert nx.is_strongly_connected(Gr)                    # the generators generate
    # vertex-transitive: every vertex has the same out-degree
    assert len({d for _, d in Gr.out_degree()}) == 1


def test_left_cayley_graph():
    G = gm.dihedral(4)
    L = gm.cayley_graph(G, side="left")
    R = gm.cayley_graph(G)
    assert all(b == G.mul(d["generator"], a) for a, b, d in L.edges(data=True))
    assert set(L.edges()) != set(R.edges())
    # g -> g^-1 maps the right graph onto the left graph with the inverse generator
    inv = G.inv(G.elements())
    assert {(int(inv[a]), int(inv[b])) for a, b in R.edges()} == {
        (a, b) for a, b, d in gm.cayley_graph(G, [int(inv[s]) for s in G.generators], side="left").edges(data=True)}


def test_custom_generators_and_counts():
    G = gm.cyclic(6)
    Gr = gm.cayley_graph(G, [2, 3])
    assert Gr.number_of_edges() == 12
    assert nx.is_strongly_connected(Gr)
    assert not nx.is_strongly_connected(gm.cayley_graph(G, [2]))
    assert gm.cayley_graph(gm.dihedral(3)).edges[0, 1]["generator_label"] == "r"
    # an undirected cycle for C_n with generator r and its inverse
    C = gm.cayley_graph(gm.cyclic(5), [1, 4]).to_undirected()
    assert nx.is_isomorphic(C, nx.cycle_graph(5))
    # the Cayley graph of C2^3 with its generators is the cube
    Q = gm.cayley_graph(gm.sign_group(3)).to_undirected()
    assert nx.is_isomorphic(Q, nx.hypercube_graph(3))
    # repeated generators merge their edges
    assert gm.cayley_graph(G, [1, 1]).number_of_edges() == 6
    assert gm.cayley_graph(gm.cyclic(1)).number_of_edges() == 0


@pytest.mark.parametrize("call, exc, match", [
    (lambda: gm.cayley_graph("D3"), TypeError, r"G must be a FiniteGroup .*got str"),
    (lambda: gm.cayley_graph(gm.cyclic(3), side="up"), ValueError, "side must be one of 'right', 'left', got 'up'"),
    (lambda: gm.cayley_graph(gm.cyclic(3), [3]), ValueError, "generators must hold element indices in 0..2, got 3"),
    (lambda: gm.cayley_graph(gm.cyclic(3), [1.5]), TypeError, "generators must hold integer element indices"),
])
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_cayley_graph_matches_the_table():
    G = gm.symmetric(4)
    Gr = gm.cayley_graph(G)
    T = G.cayley_table()
    adj = nx.to_numpy_array(Gr, nodelist=range(24))
    expected = np.zeros((24, 24))
    for s in G.generators:
        expected[np.arange(24), T[:, s]] = 1
    assert np.array_equal(adj, expected)


def test_a_graph_over_the_budget_is_refused_before_it_is_built(monkeypatch):
    # n nodes and n |S| edges at NETWORKX_BYTES_PER_ITEM bytes each: asked before networkx allocates
    import time

    from groupmat.graphs import NETWORKX_BYTES_PER_ITEM

    G = gm.dihedral(2500)                                   # 5000 nodes, 10000 edges: about 9 MB
    need = G.order * 3 * NETWORKX_BYTES_PER_ITEM
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(need - 1))
    t0 = time.perf_counter()
    with pytest.raises(gm.TooLargeError, match=r"the networkx Cayley graph of D2500 .* \(5000 x 3\) would take .*"
                                               r"GROUPMAT_MAX_BYTES"):
        gm.cayley_graph(G)
    assert time.perf_counter() - t0 < 1
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(need))
    assert gm.cayley_graph(G).number_of_edges() == 10000
    with pytest.raises(gm.TooLargeError, match="networkx Cayley graph of C1000000000"):
        gm.cayley_graph(gm.cyclic(10**9))


def test_the_budget_estimate_is_honest():
    # the bytes per node and edge the budget counts are at least what networkx takes
    import tracemalloc

    from groupmat.graphs import NETWORKX_BYTES_PER_ITEM

    G = gm.dihedral(1000)
    labels = G.labels                                       # built once, outside the measurement
    tracemalloc.start()
    try:
        graph = gm.cayley_graph(G)
        used = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    items = graph.number_of_nodes() + graph.number_of_edges()
    assert labels and 0.3 * NETWORKX_BYTES_PER_ITEM * items < used <= NETWORKX_BYTES_PER_ITEM * items
