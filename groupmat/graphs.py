"""Cayley graphs as networkx directed graphs."""
from __future__ import annotations

import numpy as np

from ._validation import as_element_array, check_choice, check_size
from .groups.core import FiniteGroup, check_group

__all__ = ["cayley_graph", "NETWORKX_BYTES_PER_ITEM"]

#: Memory of a ``networkx.DiGraph`` per node and per edge, as the budget counts it: a node with its
#: label costs about 500 bytes (attribute dict, successor and predecessor dicts, the label string), an
#: edge 300 to 600 bytes (its attribute dict and two adjacency entries), measured with ``tracemalloc``.
NETWORKX_BYTES_PER_ITEM = 600


def cayley_graph(G: FiniteGroup, generators=None, side: str = "right"):
    """The Cayley graph of ``G``: a ``networkx.DiGraph`` with an edge ``g -> g s`` per generator ``s``.

    Parameters
    ----------
    G : FiniteGroup
    generators : sequence of int, optional
        Element indices; default ``G.generators``.
    side : {"right", "left"}
        Right multiplication ``g -> g s`` (default) or left ``g -> s g``.

    Returns
    -------
    networkx.DiGraph
        Nodes are element indices with attribute ``label``; each edge carries ``generator`` (the index
        of ``s``) and ``generator_label``. Edges from different generators between the same pair are
        merged into one with the first generator (use ``G.generators`` without repeats to avoid it).

    Raises
    ------
    TooLargeError
        The graph (``n`` nodes and ``n |S|`` edges at :data:`NETWORKX_BYTES_PER_ITEM` bytes each)
        would exceed ``GROUPMAT_MAX_BYTES``; asked before anything is built.

    Examples
    --------
    >>> import groupmat as gm
    >>> Gr = gm.cayley_graph(gm.dihedral(3))
    >>> Gr.number_of_nodes(), Gr.number_of_edges()
    (6, 12)
    >>> Gr.edges[0, 1]["generator_label"]
    'r'
    """
    import networkx as nx

    G = check_group(G)
    check_choice(side, "side", ("right", "left"))
    gens = G.generators if generators is None else tuple(int(s) for s in as_element_array(generators, G.order, "generators").ravel())
    n = G.order
    check_size((n, 1 + len(gens)), NETWORKX_BYTES_PER_ITEM,
               f"the networkx Cayley graph of {G.name} ({n} nodes and {n} edges per generator)",
               how="follow edges on demand with G.mul(g, s) (right) or G.mul(s, g) (left) on blocks of indices")
    graph = nx.DiGraph(group=G.name, side=side)
    labels = G.labels
    graph.add_nodes_from((g, {"label": labels[g]}) for g in range(G.order))
    e = G.elements()
    for s in gens:
        targets = G.mul_unchecked(e, np.int64(s)) if side == "right" else G.mul_unchecked(np.int64(s), e)
        graph.add_edges_from(
            (int(a), int(b), {"generator": s, "generator_label": labels[s]})
            for a, b in zip(e, targets) if not graph.has_edge(int(a), int(b))
        )
    return graph
