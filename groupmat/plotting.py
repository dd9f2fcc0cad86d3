"""Pictures of groups and of the matrices they generate (matplotlib, headless-safe).

Every function draws into the matplotlib ``Axes`` given as ``ax=`` (or into a new figure made with
``pyplot`` when ``ax`` is omitted, so that notebooks display it) and returns that ``Axes``. Nothing here
is imported by ``import groupmat``: the names are loaded on first use, e.g. ``groupmat.plot_group_matrix``.

Colour conventions shared by all pictures: a *group element* always gets the same colour (colour
``k`` of a categorical map for element index ``k``), so a group matrix, its Cayley table and its
group diagonals can be read side by side; numeric values use a diverging map centred at zero.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import groupmat as gm
>>> ax = gm.plot_group_matrix(gm.dihedral(3))
>>> ax.images[0].get_array().shape
(6, 6)
>>> import matplotlib.pyplot as plt; plt.close("all")
"""
from __future__ import annotations

import re

import numpy as np

from ._exact import exact_number, is_symbolic, to_numeric, to_object_array
from ._validation import as_element_array, check_choice, check_finite, check_positive_int, check_size
from .groups.core import FiniteGroup, check_group
from .tolerances import imaginary_tol, roundoff

__all__ = [
    "plot_group_matrix",
    "plot_cayley_table",
    "draw_cayley_graph",
    "plot_character_table",
    "plot_displacement_spectrum",
    "plot_defect_spectrum",
    "plot_fourier_blocks",
]

#: Groups larger than this get no tick labels and no cell annotations by default.
_LABEL_LIMIT = 24
_ANNOTATE_LIMIT = 12
#: plot_fourier_blocks draws a picture of at most this many rows (one pixel row per row of M_x at best).
MAX_FOURIER_PICTURE = 4096
#: Peak memory of drawing an image with ``imshow``, per cell, as the budget counts it: the data, its
#: normalised float copy and matplotlib's masked and RGBA work arrays (70 to 110 bytes per cell
#: measured with ``tracemalloc`` on 1000 x 1000 to 2000 x 2000 group matrices).
IMAGE_BYTES_PER_CELL = 100
#: Memory of a drawn Cayley graph per node and per edge, as the budget counts it: the networkx
#: graph and one ``FancyArrowPatch`` (with its path and transforms) per edge: 8 to 9 KiB measured
#: with ``tracemalloc`` on 600 to 1200 nodes and arrows, counted as 12 KiB.
GRAPH_DRAWING_BYTES_PER_ITEM = 12288


def _check_image(shape, what: str, how: str) -> None:
    """Ask the memory budget (:func:`groupmat._validation.check_size`) for an image of ``shape`` cells,
    naming the way out ``how``."""
    check_size(shape, IMAGE_BYTES_PER_CELL, what, how=how)


#: The way out of a picture of a group matrix or Cayley table over the budget.
_SUBGROUP_WAY_OUT = "draw a subgroup instead, e.g. {fn}(G.subgroup(generators))"


# ---------------------------------------------------------------------------------------- helpers
def _axes(ax, figsize=(5.0, 5.0)):
    """Return ``(fig, ax)``: the given Axes, or a new pyplot figure (displayed by notebooks)."""
    if ax is None:
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
        return fig, ax
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax.figure, ax


#: Labels made of words or integers with optional integer powers ("e", "s r^2", "-i", "1"): mathtext.
_WORD = r"-?(?:[A-Za-z]+|[0-9]+)(?:\^-?[0-9]+)?"
_MATH_LABEL = re.compile(rf"^{_WORD}(?: {_WORD})*$")


def format_label(label) -> str:
    r"""A readable (matplotlib mathtext) string for an element label.

    Words with powers are set as mathematics, ``"s r^2"`` as ``"$s\,r^{2}$"``; tuples of a product
    group as ``"$(e,\,r^{2})$"``; other labels (permutations in cycle notation) are kept as text.

    Examples
    --------
    >>> from groupmat.plotting import format_label
    >>> print(format_label("s r^-1"), format_label(("e", "r")), format_label("(0 1 2)"))
    $s\,r^{-1}$ $(e,\,r)$ (0 1 2)
    """
    if isinstance(label, tuple):
        parts = [format_label(p) for p in label]
        if parts and all(p.startswith("$") for p in parts):
            return "$(" + ",\\,".join(p.strip("$") for p in parts) + ")$"
        return "(" + ", ".join(parts) + ")"
    text = str(label)
    if _MATH_LABEL.match(text):
        parts = [re.sub(r"\^(-?[0-9]+)", r"^{\1}", p) for p in text.split()]
        return "$" + r"\,".join(parts) + "$"
    return text.replace("$", r"\$")   # a literal dollar must not start mathtext


def element_colormap(n: int):
    """The categorical colormap giving element ``k`` of a group of order ``n`` its colour ``k``.

    Up to 20 elements get the distinct colours of ``tab10``/``tab20``; larger groups a cyclic
    continuous map (``twilight_shifted``) sampled at ``n`` points. Use it with
    ``imshow(K, cmap=element_colormap(n), vmin=-0.5, vmax=n - 0.5)``.

    Examples
    --------
    >>> from groupmat.plotting import element_colormap
    >>> element_colormap(6).N
    6
    """
    import matplotlib
    from matplotlib.colors import ListedColormap

    n = check_positive_int(n, "n")
    if n <= 10:
        colors = matplotlib.colormaps["tab10"].colors[:n]
    elif n <= 20:
        tab = matplotlib.colormaps["tab20"].colors
        colors = (tab[0::2] + tab[1::2])[:n]
    else:
        colors = matplotlib.colormaps["twilight_shifted"](np.linspace(0.0, 1.0, n, endpoint=False))
    return ListedColormap(colors, name=f"groupmat_elements_{n}")


def _decide(flag, n: int, limit: int, name: str) -> bool:
    if flag is None or flag == "auto":
        return n <= limit
    if not isinstance(flag, (bool, np.bool_)):
        raise TypeError(f"{name} must be True, False or None (automatic), got {flag!r}")
    return bool(flag)


def _tick_labels(ax, row_labels, col_labels) -> None:
    cols = [format_label(lab) for lab in col_labels]
    visible = max(len(re.sub(r"[${}^]|\\,", "", c)) for c in cols)
    wide = len(cols) > 12 or (visible > 3 and len(cols) > 6) or visible > 6
    ax.set_xticks(np.arange(len(cols)), cols, rotation=90 if wide else 0)
    ax.set_yticks(np.arange(len(row_labels)), [format_label(lab) for lab in row_labels])
    ax.tick_params(length=0, labelsize="small")


def _annotate(ax, texts, colors=None, fontsize="small") -> None:
    """Write ``texts[i][j]`` at cell ``(i, j)`` of an image, in black or white for contrast."""
    for i, row in enumerate(texts):
        for j, text in enumerate(row):
            color = "black"
            if colors is not None:
                r, g, b = colors[i][j][:3]
                color = "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"
            ax.text(j, i, text, ha="center", va="center", fontsize=fontsize, color=color)


def _format_number(v, digits: int = 3, dtype=np.float64) -> str:
    """``v`` with ``digits`` significant digits; a real or imaginary part that is round-off next to the
    other (:func:`groupmat.tolerances.imaginary_tol` of ``dtype``, the dtype ``v`` was computed in) is
    not shown."""
    if isinstance(v, complex) or np.iscomplexobj(v):
        v = complex(v)
        tol = imaginary_tol(dtype)
        if abs(v.imag) <= tol * max(1.0, abs(v.real)):
            v = v.real
        else:
            re_, im = v.real, v.imag
            if abs(re_) <= tol * max(1.0, abs(im)):
                return f"{im:.{digits}g}i"
            return f"{re_:.{digits}g}{im:+.{digits}g}i"
    v = float(v)
    if v == 0:
        return "0"
    return f"{v:.{digits}g}"


def _format_exact(v) -> str:
    import sympy

    v = exact_number(v, "a character value")
    if v.is_Integer:
        return str(v)
    return "$" + sympy.latex(v) + "$"


# ------------------------------------------------------------------------------ group matrices
def plot_group_matrix(G: FiniteGroup, x=None, ax=None, *, convention: str = "ginv_h", color: str = "element",
                      labels=None, annotate=None, cmap=None, title: str | None = None):
    """Draw the group matrix ``M_x[g, h] = x(g^-1 h)`` of ``G`` as a heatmap.

    By default each cell is coloured by the *group element* ``g^-1 h`` it holds (so the picture shows
    the pattern that every group matrix of ``G`` shares, whatever ``x``), the axes carry the element
    labels, and small matrices get the value ``x(g^-1 h)`` written in each cell: a number for numeric
    ``x``, a symbol ``x_g`` for symbolic ``x`` (or ``x=None``).

    Parameters
    ----------
    G : FiniteGroup
    x : array_like of shape (n,), sympy objects, or None
        The function on ``G``; ``None`` stands for one symbol per element (as in
        :func:`groupmat.group_matrix`).
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure.
    convention : {"ginv_h", "g_hinv", "gh"}
        The group-matrix convention (see :data:`groupmat.matrices.CONVENTIONS`).
    color : {"element", "value"}
        Colour cells by the group element (categorical, the default) or by the numeric value of
        ``M_x`` (diverging map with a colour bar; needs numeric ``x``).
    labels : bool, optional
        Element labels on the axes; default when ``|G| <= 24``.
    annotate : bool, optional
        Write ``x(g^-1 h)`` in the cells; default when ``|G| <= 12``.
    cmap : str or Colormap, optional
        Overrides the colormap.
    title : str, optional
        Default ``"group matrix of <G.name>"``.

    Returns
    -------
    matplotlib.axes.Axes
        The image is ``ax.images[0]``; its array is the index array ``K`` of
        :func:`groupmat.matrices.group_matrix_indices` (``color="element"``) or ``M_x`` (``color="value"``).

    Raises
    ------
    TooLargeError
        The ``n x n`` picture (:data:`IMAGE_BYTES_PER_CELL` bytes per cell) would exceed
        ``GROUPMAT_MAX_BYTES``; asked before anything is built.

    See Also
    --------
    groupmat.group_matrix, plot_cayley_table

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import groupmat as gm, numpy as np
    >>> G = gm.cyclic(4)
    >>> ax = gm.plot_group_matrix(G, [1.0, 2.0, 3.0, 4.0])
    >>> np.array_equal(ax.images[0].get_array(), gm.matrices.group_matrix_indices(G))
    True
    >>> ax = gm.plot_group_matrix(G, [1.0, 2.0, 3.0, 4.0], color="value")
    >>> ax.images[0].get_array()[1].tolist()
    [4.0, 1.0, 2.0, 3.0]
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    from .matrices import group_matrix_indices, group_symbols

    G = check_group(G)
    check_choice(color, "color", ("element", "value"))
    n = G.order
    _check_image((n, n), f"the picture of a group matrix of {G.name}", _SUBGROUP_WAY_OUT.format(fn="gm.plot_group_matrix"))
    K = np.asarray(group_matrix_indices(G, convention))
    exact = x is None or is_symbolic(x) or (isinstance(x, np.ndarray) and x.dtype == object)
    if x is None:
        values = np.array(group_symbols(G), dtype=object)
    elif exact:
        values = to_object_array(x).reshape(-1)
    else:
        values = np.asarray(x)
        if values.dtype.kind not in "biuf":
            raise TypeError(f"x must be real numbers or SymPy objects, got dtype {values.dtype}")
        check_finite(values, "x")
    if values.shape != (n,):
        raise ValueError(f"x must have shape (|G|,) = ({n},), got {values.shape}")

    fig, ax = _axes(ax)
    if color == "element":
        image = ax.imshow(K, cmap=cmap or element_colormap(n), vmin=-0.5, vmax=n - 0.5,
                          interpolation="nearest")
    else:
        if exact:
            try:
                numeric = to_numeric(values)
            except TypeError:
                raise ValueError("color='value' needs numeric x (or SymPy numbers without free symbols)") from None
            if np.iscomplexobj(numeric):
                raise ValueError("color='value' needs real x")
        else:
            numeric = values.astype(float)
        M = numeric[K]
        lim = float(np.max(np.abs(M))) or 1.0
        image = ax.imshow(M, cmap=cmap or "RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest")
        fig.colorbar(image, ax=ax, shrink=0.8)
    if _decide(annotate, n, _ANNOTATE_LIMIT, "annotate"):
        cell = [_format_exact(v) for v in values] if exact else [_format_number(v, dtype=values.dtype) for v in values]
        texts = [[cell[k] for k in row] for row in K]
        rgba = image.to_rgba(image.get_array())
        _annotate(ax, texts, rgba, fontsize="small" if n <= 8 else "x-small")
    if _decide(labels, n, _LABEL_LIMIT, "labels"):
        lab = G.labels
        _tick_labels(ax, lab, lab)
        ax.set_xlabel("h")
        ax.set_ylabel("g")
    else:
        ax.set_xticks([])
        ax.set_yticks([])
    conv = {"ginv_h": "x(g^{-1}h)", "g_hinv": "x(gh^{-1})", "gh": "x(gh)"}[convention]
    ax.set_title(title if title is not None else f"group matrix of {G.name}: $M[g,h] = {conv}$")
    return ax


def plot_cayley_table(G: FiniteGroup, ax=None, *, labels=None, annotate=None, cmap=None,
                      title: str | None = None):
    """Draw the Cayley table ``T[g, h] = g h`` of ``G``, each cell coloured by the product.

    Parameters
    ----------
    G : FiniteGroup
    ax : matplotlib.axes.Axes, optional
    labels : bool, optional
        Element labels on the axes; default when ``|G| <= 24``.
    annotate : bool, optional
        The product's label in each cell; default when ``|G| <= 12``.
    cmap : str or Colormap, optional
        Default :func:`element_colormap`.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.images[0].get_array()`` equals ``G.cayley_table()``.

    Raises
    ------
    TooLargeError
        The ``n x n`` picture (:data:`IMAGE_BYTES_PER_CELL` bytes per cell) would exceed
        ``GROUPMAT_MAX_BYTES``; asked before the table is built.

    See Also
    --------
    groupmat.FiniteGroup.cayley_table, plot_group_matrix

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import groupmat as gm, numpy as np
    >>> G = gm.quaternion()
    >>> ax = gm.plot_cayley_table(G)
    >>> np.array_equal(ax.images[0].get_array(), G.cayley_table())
    True
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    G = check_group(G)
    n = G.order
    _check_image((n, n), f"the picture of the Cayley table of {G.name}", _SUBGROUP_WAY_OUT.format(fn="gm.plot_cayley_table"))
    T = np.asarray(G.cayley_table())
    fig, ax = _axes(ax)
    image = ax.imshow(T, cmap=cmap or element_colormap(n), vmin=-0.5, vmax=n - 0.5, interpolation="nearest")
    lab = G.labels
    if _decide(annotate, n, _ANNOTATE_LIMIT, "annotate"):
        names = [format_label(v) for v in lab]
        _annotate(ax, [[names[k] for k in row] for row in T], image.to_rgba(T),
                  fontsize="small" if n <= 8 else "x-small")
    if _decide(labels, n, _LABEL_LIMIT, "labels"):
        _tick_labels(ax, lab, lab)
        ax.xaxis.tick_top()
        ax.set_xlabel("h")
        ax.set_ylabel("g")
    else:
        ax.set_xticks([])
        ax.set_yticks([])
    ax.set_title(title if title is not None else f"Cayley table of {G.name}: $g\\,h$")
    return ax


# ------------------------------------------------------------------------------ Cayley graphs
def _layout(graph, G: FiniteGroup, layout, gens, seed):
    import networkx as nx

    if isinstance(layout, dict):
        missing = [g for g in graph.nodes if g not in layout]
        if missing:
            raise ValueError(f"layout must give a position for every element, missing {missing[:5]}")
        return {g: np.asarray(layout[g], dtype=float) for g in graph.nodes}
    check_choice(layout, "layout", ("circular", "spring", "shell"))
    if layout == "circular":
        return nx.circular_layout(graph)
    if layout == "spring":
        return nx.spring_layout(graph, seed=seed)
    # shell: the cosets g<s> of the cyclic subgroup of the first generator, one ring each, so that the
    # edges of s run around the rings (two concentric n-gons for D_n)
    s = gens[0] if gens else G.identity
    cyc = [G.identity]
    while True:
        nxt = int(G.mul_unchecked(np.int64(cyc[-1]), np.int64(s)))
        if nxt == G.identity:
            break
        cyc.append(nxt)
    cyc = np.asarray(cyc, dtype=np.int64)
    seen = np.zeros(G.order, dtype=bool)
    shells = []
    for g in range(G.order):
        if seen[g]:
            continue
        coset = G.mul_unchecked(np.int64(g), cyc)
        members = set(coset.tolist())
        # line the ring up with one already drawn: position k holds c_k t when the ring is {c t : c in R}
        # for a drawn ring R and a generator t (e.g. r^k and r^k s = s r^-k for D_n)
        for ring in shells:
            for t in gens:
                moved = G.mul_unchecked(np.asarray(ring, dtype=np.int64), np.int64(t))
                if set(moved.tolist()) == members:
                    coset = moved
                    break
            else:
                continue
            break
        seen[coset] = True
        shells.append([int(c) for c in coset])
    return nx.shell_layout(graph, nlist=shells, rotate=0)


def _cayley_digraph(G: FiniteGroup, generators, side: str):
    """The graph of :func:`groupmat.cayley_graph` (same nodes, edges and edge data), built here from
    the group law: the pictures sit beside :mod:`groupmat.graphs` in the layers, not above it."""
    import networkx as nx

    check_choice(side, "side", ("right", "left"))
    gens = G.generators if generators is None else \
        tuple(int(s) for s in as_element_array(generators, G.order, "generators").ravel())
    e = G.elements()
    n = G.order
    src, dst, via = [], [], []
    for s in gens:
        src.append(e)
        dst.append(G.mul_unchecked(e, np.int64(s)) if side == "right" else G.mul_unchecked(np.int64(s), e))
        via.append(np.full(n, s, dtype=np.int64))
    graph = nx.DiGraph(group=G.name, side=side)
    labels = G.labels
    graph.add_nodes_from((g, {"label": labels[g]}) for g in range(n))
    if gens:
        src, dst, via = np.concatenate(src), np.concatenate(dst), np.concatenate(via)
        _, first = np.unique(src * n + dst, return_index=True)      # one edge per pair: the first generator's
        first.sort()
        graph.add_edges_from((int(a), int(b), {"generator": int(s), "generator_label": labels[int(s)]})
                             for a, b, s in zip(src[first], dst[first], via[first]))
    return graph


def draw_cayley_graph(G: FiniteGroup, generators=None, layout="circular", ax=None, *, side: str = "right",
                      labels=None, node_size=None, seed: int = 0, max_order: int = 512,
                      title: str | None = None):
    """Draw the Cayley graph of ``G``: one arrow ``g -> g s`` per element and generator.

    Each generator gets its own colour (with a legend), arrows show the direction, and nodes carry
    the element labels. The graph is that of :func:`groupmat.cayley_graph`.

    Parameters
    ----------
    G : FiniteGroup
    generators : sequence of int, optional
        Element indices; default ``G.generators``.
    layout : {"circular", "spring", "shell"} or dict
        Node positions: on a circle in index order; a force-directed layout (``seed`` fixes it);
        one ring per coset of the cyclic subgroup of the first generator; or a dict
        ``element -> (x, y)``.
    ax : matplotlib.axes.Axes, optional
    side : {"right", "left"}
        Edges ``g -> g s`` (default) or ``g -> s g``.
    labels : bool, optional
        Element labels on the nodes; default when ``|G| <= 24``.
    node_size : float, optional
        Default shrinks with the order.
    seed : int
        Seed of the spring layout.
    max_order : int
        Refuse larger groups (a picture of thousands of arrows says little and takes long).
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
        One ``FancyArrowPatch`` per edge of the graph in ``ax.patches``; each carries the generator
        index as its ``gid``.

    Raises
    ------
    ValueError
        ``|G| > max_order``, an unknown layout, a layout dict without every element.
    TooLargeError
        The drawing (``n`` nodes and ``n |S|`` arrows at :data:`GRAPH_DRAWING_BYTES_PER_ITEM` bytes
        each) would exceed ``GROUPMAT_MAX_BYTES``; asked before the graph is built.

    See Also
    --------
    groupmat.cayley_graph

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import groupmat as gm
    >>> ax = gm.draw_cayley_graph(gm.dihedral(4), layout="shell")
    >>> len(ax.patches) == gm.cayley_graph(gm.dihedral(4)).number_of_edges()
    True
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    import matplotlib
    import networkx as nx
    from matplotlib.lines import Line2D

    G = check_group(G)
    max_order = check_positive_int(max_order, "max_order")
    if G.order > max_order:
        raise ValueError(f"G has order {G.order}, over max_order={max_order}; pass a larger max_order to draw it")
    n_gens = len(G.generators) if generators is None else int(np.size(generators))
    check_size((G.order, 1 + n_gens), GRAPH_DRAWING_BYTES_PER_ITEM,
               f"the drawing of the Cayley graph of {G.name} ({G.order} nodes and {G.order} arrows per generator)",
               how="use gm.cayley_graph(G) for the graph without drawing it, or draw a subgroup's")
    graph = _cayley_digraph(G, generators, side)
    # one colour per distinct generator, in the order given (the graph keeps one edge per pair)
    given = np.ravel(generators) if generators is not None else G.generators
    gens = list(dict.fromkeys(int(s) for s in given))
    pos = _layout(graph, G, layout, gens, seed)
    fig, ax = _axes(ax, figsize=(5.5, 5.0))
    n = G.order
    show_labels = _decide(labels, n, _LABEL_LIMIT, "labels")
    names = {g: format_label(G.label(g)) for g in graph.nodes} if show_labels else {}
    longest = max((len(re.sub(r"[${}^]|\\,", "", t)) for t in names.values()), default=0)
    boxed = longest > 4          # long labels ("(0 2)(1 3)") go in boxes instead of circles
    if node_size is None:
        node_size = 700 if n <= 12 else (400 if n <= 24 else max(30, 6000 // n))
        if boxed:
            node_size = max(node_size, 90 * longest)
    palette = matplotlib.colormaps["tab10"].colors
    if not boxed:
        nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=node_size, node_color="white", edgecolors="0.2")
    handles = []
    for k, s in enumerate(gens):
        edges = [(a, b) for a, b, d in graph.edges(data=True) if d["generator"] == s]
        if not edges:
            continue
        colour = palette[k % len(palette)]
        patches = nx.draw_networkx_edges(graph, pos, edgelist=edges, ax=ax, edge_color=[colour],
                                         arrows=True, arrowstyle="-|>", arrowsize=12 if n <= 24 else 6,
                                         node_size=node_size, connectionstyle="arc3,rad=0.12",
                                         width=1.4 if n <= 24 else 0.8)
        for p in patches:
            p.set_gid(str(s))
        handles.append(Line2D([], [], color=colour, lw=2, label=format_label(G.label(s))))
    if show_labels:
        box = dict(boxstyle="round,pad=0.25", fc="white", ec="0.2", lw=0.8) if boxed else None
        nx.draw_networkx_labels(graph, pos, labels=names, ax=ax, font_size=9 if n <= 12 else 7, bbox=box)
    if handles:
        ax.legend(handles=handles, title="generator", loc="upper left", bbox_to_anchor=(1.0, 1.0),
                  frameon=False)
    ax.set_aspect("equal")
    ax.set_axis_off()
    mult = "g s" if side == "right" else "s g"
    ax.set_title(title if title is not None else f"Cayley graph of {G.name} (edges $g \\to {mult}$)")
    return ax


# ------------------------------------------------------------------------ character tables
def _table_of(G_or_table):
    if isinstance(G_or_table, FiniteGroup):
        from .reps import character_table

        return G_or_table, character_table(G_or_table)
    table = G_or_table
    for attr in ("values", "classes"):
        if not hasattr(table, attr):
            raise TypeError("plot_character_table takes a FiniteGroup or a character table (with .values and "
                            f".classes), got {type(table).__name__}")
    return getattr(table, "group", None), table


def plot_character_table(G_or_table, ax=None, *, annotate=None, cmap=None, title: str | None = None):
    """Draw a character table: one row per irreducible character, one column per conjugacy class.

    Cells are coloured by the real part of the character value and carry the value itself (exact
    values such as ``-1``, ``sqrt(5)/2 + 1/2`` or ``e^{2 pi i/3}`` in LaTeX); columns are labelled
    by a class representative and the class size.

    Parameters
    ----------
    G_or_table : FiniteGroup or character table
        A group (its table comes from :func:`groupmat.character_table`) or a table with
        ``.values[k, c]`` and ``.classes``.
    ax : matplotlib.axes.Axes, optional
    annotate : bool, optional
        Values in the cells; default when there are at most 12 classes.
    cmap : str or Colormap, optional
        Default a diverging map.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.images[0].get_array()`` is the real part of the values.

    See Also
    --------
    groupmat.character_table

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import groupmat as gm
    >>> ax = gm.plot_character_table(gm.symmetric(3))
    >>> ax.images[0].get_array().shape
    (3, 3)
    >>> [t.get_text() for t in ax.texts][:3]         # the trivial character
    ['1', '1', '1']
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    G, table = _table_of(G_or_table)
    raw = table.values
    exact = is_symbolic(raw) or (isinstance(raw, np.ndarray) and raw.dtype == object)
    if exact:
        obj = to_object_array(raw)
        values = to_numeric(obj, dtype=complex)
        computed = np.float64                   # exact values evaluated in double precision
    else:
        computed = np.asarray(raw).dtype
        values = np.asarray(raw, dtype=complex)
        # exact values (sums of roots of unity) for the cell texts, where the table knows them
        obj = getattr(table, "exact_values", None) if values.shape[0] <= 30 else None
        if obj is not None and np.shape(obj) != values.shape:
            obj = None
    if values.ndim != 2:
        raise ValueError(f"the character table's values must be a 2-d array, got shape {values.shape}")
    k, c = values.shape
    _check_image((k, c), f"the picture of a character table with {k} rows and {c} classes",
                 "read the values from gm.character_table(G).values instead of drawing them")
    classes = [np.asarray(cl).ravel() for cl in table.classes]
    if len(classes) != c:
        raise ValueError(f"the table has {c} columns but {len(classes)} classes")
    fig, ax = _axes(ax, figsize=(1.0 + 0.8 * c, 0.8 + 0.55 * k))
    lim = float(np.max(np.abs(values.real))) or 1.0
    image = ax.imshow(values.real, cmap=cmap or "RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest",
                      aspect="auto")
    if _decide(annotate, c, 12, "annotate"):
        texts = [[_format_number(v, 2, dtype=computed) for v in row] for row in values]
        if obj is not None:  # exact values where they are short enough to read (1, -1, (1 + sqrt5)/2)
            for i, row in enumerate(obj):
                for j, v in enumerate(row):
                    text = _format_exact(v)
                    if len(re.sub(r"\\[a-z]+|[{}$ ]", "", text)) <= 10:
                        texts[i][j] = text
        _annotate(ax, texts, image.to_rgba(values.real), fontsize="small")
    sizes = getattr(table, "class_sizes", None)
    sizes = [len(cl) for cl in classes] if sizes is None else [int(s) for s in np.ravel(sizes)]
    if G is not None:
        cols = [f"{format_label(G.label(int(cl[0])))}\n({s})" for cl, s in zip(classes, sizes)]
    else:
        cols = [f"class {j}\n({s})" for j, s in enumerate(sizes)]
    rows = [f"$\\chi_{{{i}}}$" for i in range(k)]
    ax.set_xticks(np.arange(c), cols, fontsize="small")
    ax.set_yticks(np.arange(k), rows, fontsize="small")
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    name = getattr(G, "name", None) or getattr(table, "name", None) or ""
    ax.set_title(title if title is not None else f"character table of {name}" if name else "character table", pad=28)
    return ax


# ----------------------------------------------------------------------------- displacement
def _displacement_matrix(M, A, B, kind: str):
    """``(D, scale)`` from :func:`groupmat.ldr.core.displacement_with_scale` (numeric: exact
    input is evaluated first), the one place that defines the size of a displacement's terms."""
    from .ldr.core import displacement_with_scale

    if is_symbolic(M) or (isinstance(M, np.ndarray) and M.dtype == object):
        M = to_numeric(to_object_array(M))
    return displacement_with_scale(M, A, B, kind)

def plot_displacement_spectrum(M, A, B, ax=None, *, kind: str = "sylvester", tol=None, label: str | None = None,
                               title: str | None = None):
    """Plot the singular values of the displacement ``A M - M B`` (or ``M - A M B``) on a log scale.

    A matrix of low displacement rank ``r`` shows ``r`` singular values of the size of ``M`` and then
    a cliff down to round-off: the *rank gap*. The threshold used to count the rank is drawn as a
    dashed line and the rank is written in the legend. Call it several times on one ``ax`` to
    compare matrices (e.g. Toeplitz vs a random matrix).

    Parameters
    ----------
    M : (m, n) array_like
    A, B : operators
        As accepted by :func:`groupmat.displacement` (dense, sparse, or a 1-d array meaning a
        diagonal).
    ax : matplotlib.axes.Axes, optional
    kind : {"sylvester", "stein"}
    tol : float, optional
        Rank threshold; default ``max(m, n) * eps * (||A M|| + ||M B||)`` (``||M|| + ||A M B||`` for
        Stein): NumPy's ``matrix_rank`` rule measured against the terms whose difference is taken, so
        round-off in a displacement much smaller than ``M`` is not counted as rank.
    label : str, optional
        Legend entry; ``" (rank r)"`` is appended.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
        Each call adds, in order: a line of the singular values in decreasing order (labelled with
        the rank), a dashed line at the threshold, and a dotted line at the gap when ``0 < rank < n``;
        values below ``1e-17 * s_max`` are drawn at that floor.

    See Also
    --------
    groupmat.displacement, groupmat.displacement_rank

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import numpy as np, scipy.linalg
    >>> from groupmat.plotting import plot_displacement_spectrum
    >>> T = scipy.linalg.toeplitz(np.arange(1.0, 9.0), np.arange(1.0, 17.0, 2))
    >>> Z = np.roll(np.eye(8), 1, axis=0)            # the cyclic down-shift Z_1
    >>> ax = plot_displacement_spectrum(T, Z, Z, label="Toeplitz")
    >>> ax.get_legend().get_texts()[0].get_text()
    'Toeplitz (rank 2)'
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    check_choice(kind, "kind", ("sylvester", "stein"))
    if not is_symbolic(M):
        Ma = np.asarray(M)
        if Ma.ndim != 2:
            raise ValueError(f"M must be a 2-d matrix, got shape {Ma.shape}")
        if Ma.dtype.kind not in "biufc":
            raise TypeError(f"M must be numeric or SymPy, got dtype {Ma.dtype}")
        check_finite(Ma, "M")
    D, scale = _displacement_matrix(M, A, B, kind)
    s = np.linalg.svd(D, compute_uv=False)
    smax = float(s[0]) if s.size else 0.0
    if tol is None:
        from .ldr.core import default_rank_tol

        tol = default_rank_tol(s, D.shape, scale)
    rank = int(np.sum(s > tol))
    fig, ax = _axes(ax, figsize=(5.5, 3.8))
    floor = (smax if smax > 0 else max(float(scale), 1.0)) * 1e-17
    text = f"{label} (rank {rank})" if label else f"rank {rank}"
    (line,) = ax.semilogy(np.arange(1, s.size + 1), np.maximum(s, floor), "o-", ms=4, label=text)
    ax.axhline(tol if tol > 0 else floor, ls="--", lw=0.8, color=line.get_color(), alpha=0.7)
    if 0 < rank < s.size:  # the rank gap
        ax.axvline(rank + 0.5, ls=":", lw=1.0, color=line.get_color(), alpha=0.8)
    ax.set_xlabel("index $k$")
    ax.set_ylabel(r"singular value $\sigma_k$")
    op = "A M - M B" if kind == "sylvester" else "M - A M B"
    ax.set_title(title if title is not None else f"displacement spectrum of ${op}$")
    ax.legend(frameon=False)
    return ax


# ----------------------------------------------------------------------------- equivariance
def plot_defect_spectrum(W, rep_in, rep_out, ax=None, *, relative: bool = False, annotate=None, cmap="magma",
                         title: str | None = None):
    """Draw the energy of the non-equivariant part of ``W`` per pair of isotypic components.

    The energies come from :func:`groupmat.defect_spectrum`; entry ``[i, j]`` is the squared
    Frobenius norm of the part of ``W - P(W)`` that maps the ``j``-th isotypic component of
    ``rep_in`` to the ``i``-th of ``rep_out``. Their sum is ``equivariance_defect(W, ...)**2``.

    Parameters
    ----------
    W : (d_out, d_in) array_like
    rep_in, rep_out : Representation
    ax : matplotlib.axes.Axes, optional
    relative : bool
        Divide by ``||W||_F^2`` (the share of the energy of ``W``).
    annotate : bool, optional
        Numbers in the cells; default when the grid has at most 12 x 12 cells.
    cmap : str or Colormap
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.images[0].get_array()`` is the energy grid.

    See Also
    --------
    groupmat.defect_spectrum, groupmat.equivariance_defect

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import groupmat as gm, numpy as np
    >>> rep = gm.regular_representation(gm.dihedral(3))
    >>> W = np.eye(6)[::-1]                       # reverses the order of the elements: not equivariant
    >>> ax = gm.plot_defect_spectrum(W, rep, rep)
    >>> bool(np.isclose(ax.images[0].get_array().sum(), gm.equivariance_defect(W, rep, rep) ** 2))
    True
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    from .equivariance import defect_spectrum

    spectrum = defect_spectrum(W, rep_in, rep_out)
    energies, row_names, col_names = _spectrum_grid(spectrum)
    Wn = np.asarray(to_numeric(to_object_array(W)) if is_symbolic(W) else W)
    total = float(np.sum(np.abs(Wn) ** 2))
    # the energies are parts of ||W||^2 computed by sums over the group: smaller ones are round-off
    tiny = roundoff(Wn.dtype, terms=rep_in.group.order) * total
    if relative and total > 0:
        energies, tiny = energies / total, tiny / total
    fig, ax = _axes(ax, figsize=(1.5 + 0.6 * energies.shape[1], 1.2 + 0.5 * energies.shape[0]))
    image = ax.imshow(energies, cmap=cmap, interpolation="nearest", aspect="auto", vmin=0.0)
    fig.colorbar(image, ax=ax, shrink=0.8, label="share of $\\|W\\|^2$" if relative else "energy")
    if _decide(annotate, max(energies.shape), 12, "annotate"):
        _annotate(ax, [[_format_number(v if v > tiny else 0.0, 2) for v in row] for row in energies],
                  image.to_rgba(energies), fontsize="x-small")
    ax.set_xticks(np.arange(energies.shape[1]), col_names, fontsize="small", rotation=90)
    ax.set_yticks(np.arange(energies.shape[0]), row_names, fontsize="small")
    ax.set_xlabel("isotypic component of the input")
    ax.set_ylabel("isotypic component of the output")
    ax.set_title(title if title is not None else "non-equivariant energy per isotypic pair")
    return ax


def _spectrum_grid(spectrum):
    """(energies (k_out, k_in), row names, column names) of a :class:`groupmat.equivariance.DefectSpectrum`."""
    grid = np.asarray(spectrum.energy, dtype=float)
    if grid.ndim != 2:
        raise ValueError(f"defect_spectrum gave energies of shape {grid.shape}, expected a 2-d grid")

    def names(parts, count):
        out = [f"$\\rho_{{{j}}}$" for j in range(count)]
        for j, (irrep, mult) in enumerate(parts[:count]):
            out[j] = f"{out[j]} (dim {irrep.dim}, x{int(mult)})"
        return out

    return grid, names(list(spectrum.irreps_out), grid.shape[0]), names(list(spectrum.irreps_in), grid.shape[1])


# -------------------------------------------------------------------------------- Fourier
def _fourier_blocks(G: FiniteGroup, x: np.ndarray) -> list:
    """The blocks ``x^(rho)`` of :func:`groupmat.fourier` for a numeric ``x`` (a FourierCoefficients)."""
    from .reps import fourier

    return [np.asarray(b) for b in fourier(G, x).to_list()]


def plot_fourier_blocks(G: FiniteGroup, x, ax=None, *, multiplicity: bool = True, cmap="viridis",
                        title: str | None = None):
    """Draw the Fourier transform of ``x`` as the block-diagonal matrix it makes of ``M_x``.

    For each irreducible representation ``rho`` of degree ``d`` the block ``x^(rho) = sum_g x(g)
    rho(g)`` (from :func:`groupmat.fourier`) is placed on the diagonal, ``d`` times when
    ``multiplicity=True``: Schur's picture ``M_x ~ (+)_rho I_d (x) x^(rho)``, an ``n x n`` matrix
    whose only non-zero entries are in the blocks. Cells show ``|x^(rho)|`` (blocks are complex for
    complex irreps); each block is outlined.

    Parameters
    ----------
    G : FiniteGroup
    x : array_like of shape (n,)
    ax : matplotlib.axes.Axes, optional
    multiplicity : bool
        Repeat each block ``deg rho`` times (total size ``|G|``), or show each once.
    cmap : str or Colormap
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.images[0].get_array()`` is the block-diagonal array of ``|x^(rho)|``.

    Raises
    ------
    groupmat.TooLargeError
        The ``size x size`` picture (``size = |G|`` with ``multiplicity``) would exceed
        ``GROUPMAT_MAX_BYTES``.
    ValueError
        ``size`` above ``MAX_FOURIER_PICTURE`` (4096): more rows than a picture can show.

    See Also
    --------
    groupmat.fourier, plot_group_matrix

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import groupmat as gm, numpy as np
    >>> ax = gm.plot_fourier_blocks(gm.dihedral(3), np.arange(6.0))
    >>> ax.images[0].get_array().shape
    (6, 6)
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    from matplotlib.patches import Rectangle

    G = check_group(G)
    xa = np.asarray(x)
    if xa.dtype == object or is_symbolic(x):
        xa = to_numeric(to_object_array(x))
    if xa.shape != (G.order,):
        raise ValueError(f"x must have shape (|G|,) = ({G.order},), got {xa.shape}")
    check_finite(xa, "x")

    def check_picture(size):
        _check_image((size, size), f"the Fourier block picture of a group of order {G.order}",
                     "read the blocks from gm.fourier(G, x) instead of drawing them"
                     + (", or pass multiplicity=False (each block once)" if multiplicity else ""))
        if size > MAX_FOURIER_PICTURE:
            raise ValueError(f"plot_fourier_blocks draws a {size} x {size} picture for {G.name}, above "
                             f"{MAX_FOURIER_PICTURE} rows; plot a smaller group"
                             + ("" if not multiplicity else " or pass multiplicity=False"))

    if multiplicity:
        check_picture(G.order)  # before transforming: the picture is |G| x |G|
    blocks = _fourier_blocks(G, xa)
    placed = [(b, d) for b in blocks for d in range(b.shape[0] if multiplicity else 1)]
    size = sum(b.shape[0] for b, _ in placed)
    check_picture(size)
    grid = np.zeros((size, size))
    fig, ax = _axes(ax)
    starts = []
    pos = 0
    for b, _ in placed:
        d = b.shape[0]
        grid[pos:pos + d, pos:pos + d] = np.abs(b)
        starts.append((pos, d))
        pos += d
    image = ax.imshow(grid, cmap=cmap, interpolation="nearest", vmin=0.0)
    fig.colorbar(image, ax=ax, shrink=0.8, label=r"$|\hat{x}(\rho)|$")
    for (start, d), (b, rep) in zip(starts, placed):
        ax.add_patch(Rectangle((start - 0.5, start - 0.5), d, d, fill=False, lw=1.2,
                               ec="white" if rep == 0 else "0.7"))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title if title is not None else f"Fourier blocks of $M_x$ on {G.name}")
    return ax
