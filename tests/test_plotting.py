"""Pictures: each is rendered to PNG (Agg) and its artists must hold the mathematics they show."""
import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import scipy.linalg  # noqa: E402
import sympy  # noqa: E402
from matplotlib.patches import FancyArrowPatch  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from strategies import groups  # noqa: E402

import groupmat as gm  # noqa: E402
from groupmat import plotting  # noqa: E402

GROUPS = [gm.cyclic(5), gm.dihedral(4), gm.quaternion(), gm.symmetric(3),
          gm.direct_product(gm.cyclic(2), gm.cyclic(3)), gm.sign_group(3)]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def render(ax) -> np.ndarray:
    """Render the figure holding ``ax`` to PNG, read it back, and check it is not blank."""
    buf = io.BytesIO()
    ax.figure.savefig(buf, format="png", dpi=50)
    assert buf.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"
    buf.seek(0)
    img = plt.imread(buf)
    rgb = img[..., :3].reshape(-1, 3)
    colours = np.unique(np.round(rgb * 255).astype(int), axis=0)
    assert rgb.std() > 0.05, "the picture is blank"
    assert len(colours) > 8, "the picture has almost no content"
    return img


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_import_groupmat_does_not_import_matplotlib():
    import subprocess
    import sys

    code = ("import sys, groupmat; assert 'matplotlib' not in sys.modules, 'matplotlib imported'; "
            "assert callable(groupmat.plot_cayley_table)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_lazy_import_contract():
    # the plotting names are served by groupmat.__getattr__ from plotting.__all__
    for name in plotting.__all__:
        assert name.startswith(("plot_", "draw_"))
        assert getattr(gm, name) is getattr(plotting, name)
        assert getattr(plotting, name).__doc__


# ----------------------------------------------------------------------------- group matrix
@pytest.mark.parametrize("G", GROUPS, ids=lambda G: G.name)
def test_group_matrix_colours_are_group_elements(G):
    ax = gm.plot_group_matrix(G, np.random.default_rng(0).normal(size=G.order))
    render(ax)
    K = ax.images[0].get_array()
    # independent: M[g, h] holds x(g^-1 h)
    e = np.arange(G.order)
    expected = np.array([[G.mul(G.inv(int(g)), int(h)) for h in e] for g in e])
    assert np.array_equal(np.asarray(K), expected)
    # equal elements get equal colours, distinct elements distinct colours
    rgba = ax.images[0].to_rgba(np.asarray(K))
    colour_of = {}
    for k, c in zip(expected.ravel(), rgba.reshape(-1, 4)):
        colour_of.setdefault(int(k), tuple(c))
        assert colour_of[int(k)] == tuple(c)
    assert len(set(colour_of.values())) == G.order


@pytest.mark.parametrize("convention", ["ginv_h", "g_hinv", "gh"])
def test_group_matrix_conventions_and_values(convention):
    G = gm.dihedral(3)
    x = np.arange(6.0) - 2.5
    ax = gm.plot_group_matrix(G, x, convention=convention, color="value")
    render(ax)
    assert np.array_equal(np.asarray(ax.images[0].get_array()), gm.group_matrix(G, x, convention=convention))
    K = gm.matrices.group_matrix_indices(G, convention)
    cells = texts(ax)
    assert len(cells) == 36
    assert cells[7] == f"{x[K[1, 1]]:.3g}"                    # row 1, column 1: x(g^-1 h), 3 digits


def test_group_matrix_symbolic_cells_show_the_symbols():
    G = gm.cyclic(3)
    ax = gm.plot_group_matrix(G)               # x=None: one symbol per element
    render(ax)
    cells = texts(ax)
    symbols = gm.matrices.group_symbols(G)
    K = gm.matrices.group_matrix_indices(G)
    assert cells == ["$" + sympy.latex(symbols[k]) + "$" for k in K.ravel()]
    a, b = sympy.symbols("a b")
    ax = gm.plot_group_matrix(gm.cyclic(2), [a, sympy.Rational(1, 2) * b])
    assert texts(ax) == ["$a$", r"$\frac{b}{2}$", r"$\frac{b}{2}$", "$a$"]
    # exact numbers may be coloured by value
    ax = gm.plot_group_matrix(gm.cyclic(2), [sympy.Integer(1), sympy.sqrt(2)], color="value")
    assert np.allclose(ax.images[0].get_array(), [[1, np.sqrt(2)], [np.sqrt(2), 1]])


def test_group_matrix_labels_and_large_groups():
    G = gm.dihedral(3)
    ax = gm.plot_group_matrix(G, np.ones(6))
    assert [t.get_text() for t in ax.get_yticklabels()] == [plotting.format_label(lab) for lab in G.labels]
    big = gm.cyclic(64)
    ax = gm.plot_group_matrix(big, np.arange(64.0))
    render(ax)
    assert len(ax.texts) == 0 and len(ax.get_xticks()) == 0
    assert np.array_equal(np.asarray(ax.images[0].get_array()), gm.matrices.group_matrix_indices(big))


def test_group_matrix_draws_into_given_axes():
    fig, (a1, a2) = plt.subplots(1, 2)
    out = gm.plot_group_matrix(gm.cyclic(4), np.arange(4.0), ax=a2)
    assert out is a2 and len(a1.images) == 0
    render(a2)


def test_group_matrix_bad_input():
    G = gm.cyclic(4)
    with pytest.raises(TypeError, match="G must be a FiniteGroup"):
        gm.plot_group_matrix([0, 1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match=r"shape \(\|G\|,\) = \(4,\)"):
        gm.plot_group_matrix(G, [1.0, 2.0])
    with pytest.raises(ValueError, match="color must be one of"):
        gm.plot_group_matrix(G, np.ones(4), color="rainbow")
    with pytest.raises(ValueError, match="convention must be one of"):
        gm.plot_group_matrix(G, np.ones(4), convention="hg")
    with pytest.raises(ValueError, match="finite"):
        gm.plot_group_matrix(G, [1.0, np.nan, 0.0, 0.0])
    with pytest.raises(ValueError, match="numeric x"):
        gm.plot_group_matrix(G, color="value")
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        gm.plot_group_matrix(G, np.ones(4), ax="left")
    with pytest.raises(TypeError, match="annotate must be"):
        gm.plot_group_matrix(G, np.ones(4), annotate="yes")
    with pytest.raises(TypeError, match="real numbers or SymPy"):
        gm.plot_group_matrix(G, ["a", "b", "c", "d"])


@settings(max_examples=12, deadline=None)
@given(G=groups(max_order=24))
def test_pictures_of_random_groups_hold_their_tables(G):
    # any group (products, semidirect products, permutation closures, relabelled tables): the group
    # matrix picture is x(g^-1 h), the Cayley table picture is g h, the graph has one arrow per edge
    e = G.elements()
    ax = gm.plot_group_matrix(G, np.arange(G.order, dtype=float))
    assert np.array_equal(np.asarray(ax.images[0].get_array()), G.mul(G.inv(e)[:, None], e[None, :]))
    ax = gm.plot_cayley_table(G)
    assert np.array_equal(np.asarray(ax.images[0].get_array()), G.mul(e[:, None], e[None, :]))
    ax = gm.draw_cayley_graph(G, layout="shell")
    assert len(arrows(ax)) == gm.cayley_graph(G).number_of_edges()
    plt.close("all")


# ----------------------------------------------------------------------------- Cayley table
@pytest.mark.parametrize("G", GROUPS, ids=lambda G: G.name)
def test_cayley_table_picture(G):
    ax = gm.plot_cayley_table(G)
    render(ax)
    T = np.asarray(ax.images[0].get_array())
    e = np.arange(G.order)
    assert np.array_equal(T, G.mul(e[:, None], e[None, :]))
    if G.order <= 12:
        labels = [plotting.format_label(lab) for lab in G.labels]
        assert texts(ax) == [labels[k] for k in T.ravel()]


def test_cayley_table_of_a_table_group_and_bad_input():
    T = gm.dihedral(3).cayley_table()
    G = gm.from_cayley_table(np.asarray(T))
    ax = gm.plot_cayley_table(G, annotate=False, labels=False)
    render(ax)
    assert np.array_equal(np.asarray(ax.images[0].get_array()), T) and len(ax.texts) == 0
    with pytest.raises(TypeError, match="G must be a FiniteGroup"):
        gm.plot_cayley_table(np.asarray(T))


# ----------------------------------------------------------------------------- Cayley graph
def arrows(ax):
    return [p for p in ax.patches if isinstance(p, FancyArrowPatch)]


@pytest.mark.parametrize("layout", ["circular", "spring", "shell"])
@pytest.mark.parametrize("G", [gm.dihedral(4), gm.symmetric(3), gm.quaternion(), gm.cyclic(7)],
                         ids=lambda G: G.name)
def test_cayley_graph_edges(G, layout):
    ax = gm.draw_cayley_graph(G, layout=layout)
    render(ax)
    graph = gm.cayley_graph(G)
    patches = arrows(ax)
    assert len(patches) == graph.number_of_edges()
    # one colour per generator, and as many arrows of each generator as the graph has edges of it
    for s in G.generators:
        mine = [p for p in patches if p.get_gid() == str(s)]
        assert len(mine) == sum(1 for *_, d in graph.edges(data=True) if d["generator"] == s)
        assert len({tuple(p.get_edgecolor()) for p in mine}) == 1
    assert len({tuple(p.get_edgecolor()) for p in patches}) == len(G.generators)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [plotting.format_label(G.label(s)) for s in G.generators]


def test_cayley_graph_arrows_join_g_to_g_s():
    G = gm.dihedral(3)
    pos = {g: (np.cos(2 * np.pi * g / 6), np.sin(2 * np.pi * g / 6)) for g in range(6)}
    ax = gm.draw_cayley_graph(G, layout=pos, labels=True)
    render(ax)
    for p in arrows(ax):
        (xa, ya), (xb, yb) = p._posA_posB
        a = min(pos, key=lambda g: np.hypot(pos[g][0] - xa, pos[g][1] - ya))
        b = min(pos, key=lambda g: np.hypot(pos[g][0] - xb, pos[g][1] - yb))
        assert b == G.mul(a, int(p.get_gid()))
    assert sorted(texts(ax)) == sorted(plotting.format_label(lab) for lab in G.labels)


def test_cayley_graph_generators_side_and_bad_input():
    G = gm.cyclic(6)
    ax = gm.draw_cayley_graph(G, generators=[2, 3], side="left")
    assert len(arrows(ax)) == 12
    # left multiplication on a non-abelian group, a repeated generator drawn once
    D = gm.dihedral(3)
    pos = {g: (np.cos(2 * np.pi * g / 6), np.sin(2 * np.pi * g / 6)) for g in range(6)}
    ax = gm.draw_cayley_graph(D, generators=[3, 1, 3], side="left", layout=pos)
    render(ax)
    drawn = set()
    for p in arrows(ax):
        (xa, ya), (xb, yb) = p._posA_posB
        a = min(pos, key=lambda g: np.hypot(pos[g][0] - xa, pos[g][1] - ya))
        b = min(pos, key=lambda g: np.hypot(pos[g][0] - xb, pos[g][1] - yb))
        assert b == D.mul(int(p.get_gid()), a)                      # s g, not g s
        drawn.add((a, b))
    assert drawn == set(gm.cayley_graph(D, [3, 1], side="left").edges) and len(arrows(ax)) == 12
    with pytest.raises(ValueError, match="layout must be one of"):
        gm.draw_cayley_graph(G, layout="grid")
    with pytest.raises(ValueError, match="missing"):
        gm.draw_cayley_graph(G, layout={0: (0, 0)})
    with pytest.raises(ValueError, match="max_order"):
        gm.draw_cayley_graph(gm.cyclic(600))
    with pytest.raises(ValueError, match="element indices"):
        gm.draw_cayley_graph(G, generators=[7])
    with pytest.raises(TypeError, match="G must be a FiniteGroup"):
        gm.draw_cayley_graph("D4")


# ----------------------------------------------------------------------------- displacement
def test_displacement_spectrum_shows_the_rank_gap():
    rng = np.random.default_rng(1)
    n = 12
    T = scipy.linalg.toeplitz(rng.normal(size=n), rng.normal(size=n))
    Z = np.roll(np.eye(n), 1, axis=0)
    ax = gm.plot_displacement_spectrum(T, Z, Z, label="Toeplitz")
    C = gm.group_matrix(gm.cyclic(n), rng.normal(size=n))
    gm.plot_displacement_spectrum(C, Z, Z, ax=ax, label="circulant")
    R = rng.normal(size=(n, n))
    gm.plot_displacement_spectrum(R, Z, Z, ax=ax, label="random")
    render(ax)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Toeplitz (rank 2)", "circulant (rank 0)", "random (rank 12)"]
    s = np.linalg.svd(Z @ T - T @ Z, compute_uv=False)
    line = ax.lines[0]
    assert np.allclose(line.get_ydata(), np.maximum(s, s[0] * 1e-17), rtol=1e-10, atol=0)


def test_displacement_spectrum_stein_and_bad_input():
    n = 8
    T = scipy.linalg.toeplitz(np.arange(1.0, n + 1))
    Z = np.roll(np.eye(n), 1, axis=0)
    ax = gm.plot_displacement_spectrum(T, Z, Z.T, kind="stein")
    render(ax)
    s = np.linalg.svd(T - Z @ T @ Z.T, compute_uv=False)
    assert np.allclose(ax.lines[0].get_ydata()[:2], s[:2])
    assert ax.get_legend().get_texts()[0].get_text() == "rank 2"
    with pytest.raises(ValueError, match="kind must be one of"):
        gm.plot_displacement_spectrum(T, Z, Z, kind="toeplitz")
    with pytest.raises(ValueError, match="2-d"):
        gm.plot_displacement_spectrum(np.ones(4), Z, Z)
    with pytest.raises(ValueError, match="finite"):
        gm.plot_displacement_spectrum(np.full((n, n), np.inf), Z, Z)


# ------------------------------------------------------------------ other helpers' functions
def test_character_table_picture():
    G = gm.symmetric(3)
    table = gm.character_table(G)
    ax = gm.plot_character_table(G)
    render(ax)
    grid = np.asarray(ax.images[0].get_array())
    assert grid.shape == (3, 3)
    assert np.allclose(grid, np.real(table.values))
    # independent facts about S3: degrees 1, 1, 2 in the identity column; rows are orthonormal
    assert sorted(grid[:, 0].tolist()) == [1, 1, 2]
    sizes = np.array([len(c) for c in table.classes])
    assert np.allclose((grid * sizes) @ grid.T / 6, np.eye(3))
    # the same from the table object; cells carry the exact values, columns the class sizes
    ax2 = gm.plot_character_table(table)
    assert np.allclose(ax2.images[0].get_array(), grid)
    cells = texts(ax2)
    assert len(cells) == 9 and set(cells) <= {"1", "-1", "0", "2"}
    assert [t.get_text().split("\n")[1] for t in ax2.get_xticklabels()] == [f"({k})" for k in sizes]
    with pytest.raises(TypeError, match="FiniteGroup or a character table"):
        gm.plot_character_table(np.eye(3))


def test_character_table_picture_complex_values():
    ax = gm.plot_character_table(gm.cyclic(3))
    render(ax)
    grid = ax.images[0].get_array()
    # the characters of C3 are k -> w^(jk), w = exp(2 pi i / 3): real parts cos(2 pi jk / 3)
    expected = np.cos(2 * np.pi * np.outer(range(3), range(3)) / 3)
    assert np.allclose(np.sort(grid, axis=None), np.sort(expected, axis=None))
    # a table given by plain complex values (no exact ones) still draws, with numeric cells
    class Plain:
        values = np.exp(2j * np.pi * np.outer(range(3), range(3)) / 3)
        classes = [np.array([0]), np.array([1]), np.array([2])]

    ax = gm.plot_character_table(Plain())
    assert np.allclose(ax.images[0].get_array(), expected)
    assert "-0.5+0.87i" in texts(ax)


def test_fourier_blocks_picture():
    rng = np.random.default_rng(2)
    for G in (gm.dihedral(4), gm.symmetric(3), gm.cyclic(6)):
        x = rng.normal(size=G.order)
        ax = gm.plot_fourier_blocks(G, x)
        render(ax)
        grid = np.asarray(ax.images[0].get_array())
        assert grid.shape == (G.order, G.order)
        # Plancherel: sum_rho d_rho ||x^(rho)||_F^2 = |G| ||x||^2 = ||M_x||_F^2 (unitary irreps)
        M = gm.group_matrix(G, x)
        assert np.isclose(np.sum(grid ** 2), np.sum(M ** 2))
        # nothing outside the diagonal blocks
        once = np.asarray(gm.plot_fourier_blocks(G, x, multiplicity=False).images[0].get_array())
        assert once.shape[0] < G.order or G.is_abelian
    with pytest.raises(ValueError, match="shape"):
        gm.plot_fourier_blocks(gm.cyclic(3), [1.0, 2.0])
    with pytest.raises(ValueError, match="finite"):
        gm.plot_fourier_blocks(gm.cyclic(3), [1.0, np.inf, 2.0])
    with pytest.raises(TypeError, match="FiniteGroup"):
        gm.plot_fourier_blocks(3, [1.0, 2.0, 3.0])


def test_defect_spectrum_picture():
    G = gm.dihedral(3)
    rep = gm.regular_representation(G)
    W = np.random.default_rng(3).normal(size=(6, 6))
    ax = gm.plot_defect_spectrum(W, rep, rep)
    render(ax)
    grid = np.asarray(ax.images[0].get_array())
    assert np.isclose(grid.sum(), gm.equivariance_defect(W, rep, rep) ** 2)
    ax = gm.plot_defect_spectrum(W, rep, rep, relative=True)
    assert np.isclose(np.asarray(ax.images[0].get_array()).sum(),
                      gm.equivariance_defect(W, rep, rep) ** 2 / np.sum(W ** 2))
    with pytest.raises(ValueError):
        gm.plot_defect_spectrum(np.ones((5, 6)), rep, rep)      # W of the wrong shape


def test_defect_spectrum_grid_reader():
    # the reader takes what defect_spectrum really returns: a DefectSpectrum with .energy and the
    # (irrep, multiplicity) pairs of both sides, in the order of groupmat.decompose
    G = gm.symmetric(3)
    rep_in = gm.regular_representation(G)
    rep_out = gm.reps.trivial_representation(G) + gm.reps.natural_representation(G)
    W = np.random.default_rng(5).normal(size=(rep_out.dim, rep_in.dim))
    spectrum = gm.defect_spectrum(W, rep_in, rep_out)
    assert isinstance(spectrum, gm.equivariance.DefectSpectrum)
    ax = gm.plot_defect_spectrum(W, rep_in, rep_out)
    grid = np.asarray(ax.images[0].get_array())
    rows = [t.get_text() for t in ax.get_yticklabels()]
    cols = [t.get_text() for t in ax.get_xticklabels()]
    assert np.array_equal(grid, np.asarray(spectrum.energy, dtype=float))
    assert np.isclose(grid.sum(), gm.equivariance_defect(W, rep_in, rep_out) ** 2)
    # S3 has three irreducibles, all in the regular representation (multiplicity = degree)
    assert grid.shape[1] == 3 and len(cols) == 3
    assert sorted(c.split("(")[1] for c in cols) == ["dim 1, x1)", "dim 1, x1)", "dim 2, x2)"]
    assert len(rows) == grid.shape[0] == len(spectrum.irreps_out)
    for name, (irrep, m) in zip(rows, spectrum.irreps_out):
        assert f"dim {irrep.dim}, x{m})" in name


def test_defect_spectrum_shows_round_off_as_zero():
    # an equivariant W (a group matrix) has a zero defect: every cell reads 0, whatever the scale of W
    G = gm.dihedral(3)
    rep = gm.regular_representation(G)
    for scale in (1e-8, 1.0, 1e8):
        W = scale * gm.group_matrix(G, np.random.default_rng(7).normal(size=6))
        ax = gm.plot_defect_spectrum(W, rep, rep, annotate=True)
        assert set(texts(ax)) == {"0"}
    # a generic W shows its energies
    W = np.random.default_rng(8).normal(size=(6, 6)) * 1e-8
    assert set(texts(gm.plot_defect_spectrum(W, rep, rep, annotate=True))) != {"0"}


def test_fourier_blocks_picture_holds_the_fourier_coefficients():
    # each irreducible's block x^(rho) = sum_g x(g) rho(g) sits on the diagonal, once per multiplicity
    G = gm.dihedral(4)
    x = np.random.default_rng(6).normal(size=G.order)
    coeffs = gm.fourier(G, x).to_list()
    assert sorted(b.shape[0] for b in coeffs) == [1, 1, 1, 1, 2]
    once = np.asarray(gm.plot_fourier_blocks(G, x, multiplicity=False).images[0].get_array())
    pos = 0
    for b in coeffs:
        d = b.shape[0]
        assert np.allclose(once[pos:pos + d, pos:pos + d], np.abs(b))
        pos += d
    assert pos == once.shape[0]
    # exact input is evaluated numerically first: the same picture as the float one
    exact = gm.plot_fourier_blocks(G, [sympy.Integer(k) for k in range(G.order)])
    numeric = gm.plot_fourier_blocks(G, np.arange(G.order, dtype=float))
    assert np.allclose(exact.images[0].get_array(), numeric.images[0].get_array())


def test_fourier_blocks_refuses_huge_pictures(monkeypatch):
    # |G| = 6000 would be a 6000 x 6000 float picture (288 MB): refused before it is allocated
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(10**8))
    x = np.ones(6000)
    with pytest.raises(gm.TooLargeError, match="Fourier block picture"):
        gm.plot_fourier_blocks(gm.cyclic(6000), x)
    monkeypatch.delenv("GROUPMAT_MAX_BYTES")
    # within the memory limit but more rows than a picture shows: a clear ValueError
    with pytest.raises(ValueError, match="above 4096 rows"):
        gm.plot_fourier_blocks(gm.cyclic(6000), x)
    with pytest.raises(ValueError, match="above 4096 rows"):
        gm.plot_fourier_blocks(gm.cyclic(6000), x, multiplicity=False)
    assert plt.get_fignums() == []  # nothing was drawn


@pytest.mark.parametrize("draw, what", [
    (lambda G: gm.plot_group_matrix(G, labels=False, annotate=False), "picture of a group matrix of C600"),
    (lambda G: gm.plot_cayley_table(G, labels=False, annotate=False), "picture of the Cayley table of C600"),
    (lambda G: gm.draw_cayley_graph(G, max_order=1000, labels=False), "drawing of the Cayley graph of C600"),
])
def test_pictures_over_the_budget_are_refused_before_anything_is_built(monkeypatch, draw, what):
    # the index array or table alone fits (600^2 int16 = 720 kB), the picture does not: asked first
    import time

    G = gm.cyclic(600)
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(4 * 10**6))
    t0 = time.perf_counter()
    with pytest.raises(gm.TooLargeError, match=f"{what} .* would take .*GROUPMAT_MAX_BYTES"):
        draw(G)
    assert time.perf_counter() - t0 < 1 and plt.get_fignums() == []   # nothing was drawn
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(plotting.IMAGE_BYTES_PER_CELL * 600 * 600))
    assert draw(G) is not None      # the picture's own estimate is what it asks for


def test_picture_estimates_are_honest():
    # the bytes per cell and per graph item the budget counts cover what drawing really takes
    import tracemalloc

    for draw, count, per_item in (
            (lambda: gm.plot_group_matrix(gm.cyclic(1200), labels=False, annotate=False), 1200**2,
             plotting.IMAGE_BYTES_PER_CELL),
            (lambda: gm.draw_cayley_graph(gm.dihedral(50), labels=False), 100 * 3,
             plotting.GRAPH_DRAWING_BYTES_PER_ITEM)):
        draw().figure.canvas.draw()                         # warm up: imports, fonts, caches
        plt.close("all")
        tracemalloc.start()
        try:
            draw().figure.canvas.draw()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        plt.close("all")
        # the estimate covers the peak; how far above it lies depends on the Matplotlib version (~8x at 3.9)
        assert 0.05 * per_item * count < peak <= per_item * count, (peak / count, per_item)


@pytest.mark.parametrize("draw, way_out", [
    (lambda G: gm.plot_group_matrix(G, labels=False, annotate=False), "gm.plot_group_matrix(G.subgroup("),
    (lambda G: gm.plot_cayley_table(G, labels=False, annotate=False), "gm.plot_cayley_table(G.subgroup("),
    (lambda G: gm.draw_cayley_graph(G, max_order=1000, labels=False), "gm.cayley_graph(G)"),
    (lambda G: gm.plot_character_table(G), "gm.character_table(G).values"),
    (lambda G: gm.plot_fourier_blocks(G, np.ones(G.order)), "gm.fourier(G, x)"),
], ids=["group_matrix", "cayley_table", "cayley_graph", "character_table", "fourier_blocks"])
def test_refused_pictures_name_a_way_out_that_exists(monkeypatch, draw, way_out):
    """Each refusal names a function that exists (no bare "use a structured or sparse route")."""
    import re

    G = gm.cyclic(600)
    gm.character_table(G)                              # the table itself fits; its picture does not
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(10**6))
    with pytest.raises(gm.TooLargeError) as info:
        draw(G)
    msg = str(info.value)
    assert way_out in msg and "structured or sparse route" not in msg, msg
    for name in re.findall(r"gm\.(\w+)\(", msg):
        assert callable(getattr(gm, name)), name
    assert callable(G.subgroup)
    assert plt.get_fignums() == []
