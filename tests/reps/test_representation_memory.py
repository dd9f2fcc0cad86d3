"""Character tables, class structure, irreducibles, Fourier transforms and decompositions ask the one
budget rule (``GROUPMAT_MAX_BYTES``) for their peak memory before they allocate: what fits is built
(character tables of the families from closed forms on the class representatives, Burnside's algorithm
on blocks), what does not is refused at once with the size and the way out."""
import gc
import time

import numpy as np
import pytest
import sympy  # noqa: F401  (imported once here: no refusal below is timed with SymPy's import)

import groupmat as gm
from budget import limit as _limit, refused_quickly, traced_peak as _traced_peak
from groupmat.reps.families import explicit_irreps


def _orthonormal(T):
    V = T.values
    gram = (V * T.class_sizes) @ V.conj().T / T.group.order
    return np.allclose(gram, np.eye(len(T)), atol=1e-10)


# ------------------------------------------------------------------ character tables
@pytest.mark.parametrize("m", [6, 7, 8, 9])
def test_symmetric_tables_fit_the_default_budget_quickly(m):
    G = gm.symmetric(m)
    start = time.perf_counter()
    T, peak = _traced_peak(lambda: gm.character_table(G))
    assert time.perf_counter() - start < 30
    assert len(T) == {6: 11, 7: 15, 8: 22, 9: 30}[m] and T.exact and _orthonormal(T)
    assert int(np.sum(T.degrees ** 2)) == G.order
    # S8 used to build its irreducibles' 1.6e9 matrix entries (13 GB); the table is 22 x 22, and the
    # class structure of S9 (362880 elements) takes a few arrays of n entries
    assert peak < 96 * 2**20


@pytest.mark.parametrize("m", [3, 4, 5, 6])
def test_symmetric_characters_are_the_traces_of_youngs_representations(m):
    G = gm.symmetric(m)
    T = gm.character_table(G)
    young = np.array([np.trace(r.matrices[T.representatives], axis1=1, axis2=2) for r in explicit_irreps(G)])
    np.testing.assert_allclose(T.values, young, atol=1e-12)


@pytest.mark.parametrize("n", [2, 3, 5, 6])
def test_dicyclic_characters_are_the_traces_of_the_explicit_representations(n):
    G = gm.dicyclic(n)
    T = gm.character_table(G)
    explicit = np.array([np.trace(r.matrices[T.representatives], axis1=1, axis2=2) for r in explicit_irreps(G)])
    np.testing.assert_allclose(T.values, explicit, atol=1e-12)
    assert _orthonormal(T)


def test_a_large_abelian_table_is_refused_before_its_classes_are_found():
    G = gm.group("C2^16")                    # 65536 classes: 2^32 table entries
    msg = refused_quickly(lambda: gm.character_table(G), "65536 classes", "GiB")
    assert "character table of C2^16" in msg
    # finding the 2^20 classes of C2^20 alone takes longer than this refusal may
    refused_quickly(lambda: gm.character_table(gm.group("C2^20")), "1048576 classes", "TiB")


def test_a_large_abelian_table_is_refused_even_under_a_raised_limit(monkeypatch):
    _limit(monkeypatch, 40 * 2**30)          # above the n x n int64 phases alone: the peak is far larger
    refused_quickly(lambda: gm.character_table(gm.group("C2^16")), "65536 classes")


@pytest.mark.parametrize("G", [gm.symmetric(7), gm.alternating(6), gm.cyclic(2000), gm.dihedral(300)], ids=str)
def test_a_small_limit_refuses_tables_at_once_naming_the_size(monkeypatch, G):
    _limit(monkeypatch, 4096)
    refused_quickly(lambda: gm.character_table(G), G.name)


def test_the_table_estimate_covers_its_peak(monkeypatch):
    """Under a limit just above the estimate the table is built, and its traced peak is below it."""
    from groupmat.reps.characters import _route, _table_bytes, class_structure

    makers = (lambda: gm.cyclic(600), lambda: gm.alternating(5), lambda: gm.symmetric(6),
              lambda: gm.direct_product(gm.dihedral(5), gm.cyclic(7)))
    for make in makers:     # the first table of each kind imports and initialises what it needs: not measured
        gm.character_table(make())
    for make in makers:
        G = make()
        cs = class_structure(G)                          # under the default limit
        estimate = _table_bytes(G, cs.r, _route(G), cs)
        _limit(monkeypatch, estimate + cs.r ** 2)        # check_size rounds the bytes per entry up
        # the smaller peak of two fresh groups: a one-time allocation of the interpreter or of a
        # library cache (seen once in a whole-suite run: 270 KB for A5's 5 x 5 table) is not the
        # table's; every array the table allocates comes back in the second build
        peaks = []
        for _ in range(2):
            G = make()
            class_structure(G)
            gc.collect()
            T, peak = _traced_peak(lambda: gm.character_table(G))
            assert _orthonormal(T)
            peaks.append(peak)
        assert min(peaks) <= estimate, (G.name, peaks, estimate)


def test_burnside_tables_are_computed_on_blocks():
    """A group without a closed form (Burnside's algorithm): the class products are counted on blocks of
    elements, so the peak is far below the n x r arrays of a one-shot count."""
    G = gm.semidirect_product(gm.cyclic(1531), gm.cyclic(10), [lambda x: (x * 15) % 1531])
    from groupmat.reps.characters import class_structure

    cs = class_structure(G)
    assert G.structure.family == "semidirect_product" and cs.r > 150
    T, peak = _traced_peak(lambda: gm.character_table(G))
    assert _orthonormal(T) and int(np.sum(T.degrees ** 2)) == G.order
    assert peak < 3 * 8 * G.order * cs.r      # one n x r int64 array is 8 n r bytes; the old count held five


# ------------------------------------------------------------------ irreducibles, characters on elements
def test_irreducibles_of_s9_are_refused_before_the_table_is_computed():
    G = gm.symmetric(9)
    refused_quickly(lambda: gm.irreps(G), "irreducible representations of S9", "362880 x 362880")


def test_irreducibles_count_their_work_arrays(monkeypatch):
    G = gm.alternating(6)                    # Burnside's characters, then the general construction
    gm.character_table(G)
    n = G.order
    _limit(monkeypatch, 16 * n * n + 2**20)  # the matrices alone (complex) fit; with the work arrays they do not
    refused_quickly(lambda: gm.irreps(G), "with their work arrays")
    monkeypatch.delenv("GROUPMAT_MAX_BYTES")
    R, peak = _traced_peak(lambda: gm.irreps(G))
    assert R[0].dim == 1 and all(r.is_unitary() for r in R)
    assert sum(r.dim ** 2 for r in R) == n
    # no n x n index array, projector or (n, generators, d^2) gather: about the matrices kept and a few copies
    # of the largest irreducible's (n, d^2) work arrays
    assert peak < 16 * n * n + 12 * 16 * n * max(r.dim for r in R) ** 2


def test_all_characters_on_elements_ask_first(monkeypatch):
    T = gm.character_table(gm.symmetric(8))      # by cycle types: no class is listed
    assert T.character(1).shape == (40320,)       # one character on all elements lists the classes (26 MiB)
    _limit(monkeypatch, 2**20)
    refused_quickly(T.characters, "characters of S8 on all elements")


def test_from_generators_asks_before_building_all_images(monkeypatch):
    G = gm.symmetric(8)
    rho = gm.reps.natural_representation(G)
    images = [rho(s) for s in G.generators]
    _limit(monkeypatch, 2**20)               # 40320 images of 8 x 8 (and the products of a level): 41 MB
    refused_quickly(lambda: gm.from_generators(G, images), "degree-8 representation of S8")


# ------------------------------------------------------------------ decompositions without irreducibles
def test_multiplicities_and_projectors_need_only_the_character_table():
    G = gm.symmetric(8)                      # all its irreducibles would be n^2 = 1.6e9 numbers
    rho = gm.reps.natural_representation(G)
    m = gm.reps.multiplicities(rho)
    assert m.tolist() == [1, 1] + [0] * 20   # trivial + standard (partition (7, 1), second in order)
    assert gm.reps.multiplicities(rho, field="real").tolist() == m.tolist()
    P = gm.reps.isotypic_projectors(rho)
    np.testing.assert_allclose(P[0], np.full((8, 8), 1 / 8), atol=1e-12)
    np.testing.assert_allclose(P[1], np.eye(8) - 1 / 8, atol=1e-12)
    assert all(np.allclose(p, 0) for p in P[2:])


def test_induced_representation_asks_before_allocating(monkeypatch):
    G = gm.symmetric(7)
    H = G.subgroup([G.element("(0 1)")])     # 2520 cosets: 5040 dense matrices of size 2520
    one = gm.Representation(H, np.ones((2, 1, 1)))
    refused_quickly(lambda: gm.reps.induced_representation(one), "induced", "S7")
    _limit(monkeypatch, 2**16)
    refused_quickly(lambda: gm.reps.coset_representation(G, H), "cosets")


# ------------------------------------------------------------------ Fourier transforms on dense groups
def test_dense_fourier_makes_no_copy_of_the_stacked_irreducibles():
    G = gm.alternating(6)
    x = np.random.default_rng(0).normal(size=G.order)
    xhat = gm.fourier(G, x)                  # builds and keeps the stacked irreducibles
    stacked = sum(M.nbytes for _, M in gm.reps.fourier_transform._stacked_irreps(G, "complex"))
    xhat, peak = _traced_peak(lambda: gm.fourier(G, x))
    assert peak < 0.25 * stacked
    y, peak = _traced_peak(lambda: gm.inverse_fourier(G, xhat))
    assert peak < 0.25 * stacked
    np.testing.assert_allclose(y, x, atol=1e-10)
    # the definition, from the irreducibles
    R = gm.irreps(G)
    for k in (0, 3, len(R) - 1):
        np.testing.assert_allclose(xhat[k], np.einsum("g,gij->ij", x, R[k].matrices), atol=1e-10)


def test_block_diagonalize_builds_one_basis_array(monkeypatch):
    G = gm.alternating(5)
    n = G.order
    M = gm.group_matrix(G, np.arange(n, dtype=float))
    gm.irreps(G, "real")
    Q, peak = _traced_peak(lambda: gm.block_diagonalize(G, M)[0])
    assert peak < 1.6 * n * n * 8 + 2**20     # the basis and the blocks, no list of columns and its concatenation
    np.testing.assert_allclose(Q.T @ Q, np.eye(n), atol=1e-10)


# ------------------------------------------------------------------ the table before the power maps
def _way_out_exists(msg):
    """Every ``gm.name`` the message names as a way out is a real function of groupmat."""
    import re

    names = re.findall(r"gm\.([\w.]+)\(", msg)
    for name in names:
        obj = gm
        for part in name.split("."):
            obj = getattr(obj, part)
        assert callable(obj), name
    return names


def test_class_counts_by_formula_agree_with_the_listed_classes():
    from groupmat.reps.characters import _class_count

    groups = [gm.dihedral(n) for n in range(1, 14)] + [gm.dicyclic(n) for n in range(1, 9)] \
        + [gm.symmetric(n) for n in range(1, 6)] + [gm.alternating(5), gm.quaternion(), gm.group("C2^3"),
                                                   gm.direct_product(gm.dihedral(4), gm.symmetric(3), gm.cyclic(2)),
                                                   gm.direct_product(gm.dicyclic(3), gm.dihedral(5))]
    for G in groups:
        assert _class_count(G) == len(G.conjugacy_classes()), G.name


@pytest.mark.parametrize("make, r, max_order", [(lambda: gm.dihedral(2000), 1003, 2000),
                                                 (lambda: gm.dicyclic(1000), 1003, 2000),
                                                 (lambda: gm.direct_product(gm.dihedral(150), gm.cyclic(12)), 936, 300)],
                         ids=["D2000", "Dic1000", "D150xC12"])
def test_a_table_over_the_limit_is_refused_before_the_power_maps(monkeypatch, make, r, max_order):
    """The class index (n int64) and the power maps (r x max order int64: 16 MB for D2000) fit under the
    limit, the r x r table (48 MB at least) does not: refused before the power maps are built (D20000 took
    40 s and 2.5 GB to refuse its 23 GiB table)."""
    from groupmat.reps.characters import _route, _table_bytes

    G = make()
    assert len(G.conjugacy_classes()) == r and int(G.element_order(np.arange(G.order)).max()) == max_order
    assert _table_bytes(G, r, _route(G)) > 32 * 2**20
    _limit(monkeypatch, 32 * 2**20)
    # a fresh group per call: the class structure a refused call built would be kept in the group's memo
    msg = refused_quickly(lambda: gm.character_table(make()), f"character table of {G.name} ({r} classes)")
    assert "rho.character()" in msg and "structured or sparse route" not in msg
    _way_out_exists(msg)
    H = make()
    gc.collect()
    _, peak = _traced_peak(lambda: pytest.raises(gm.TooLargeError, gm.character_table, H))
    assert peak < 8 * r * max_order / 2          # the power maps (r x max order int64) were never built


def test_refused_tables_and_irreducibles_name_a_way_out_that_exists():
    msg = refused_quickly(lambda: gm.character_table(gm.group("C2^16")), "gm.fourier(G, x)", "abelian")
    _way_out_exists(msg)
    msg = refused_quickly(lambda: gm.irreps(gm.symmetric(9)), "gm.character_table(G)", "gm.reps.multiplicities(rho)")
    _way_out_exists(msg)
    msg = refused_quickly(lambda: gm.irreps(gm.cyclic(10**6)), "gm.fourier(G, x)")
    _way_out_exists(msg)
    msg = refused_quickly(lambda: gm.regular_representation(gm.cyclic(10**6)), "G.mul(g, G.elements())",
                          "gm.convolve(G, x, y)")
    _way_out_exists(msg)
    assert "structured or sparse route" not in msg


# ------------------------------------------------------------------ the FFT routes ask the budget
_FFT_N = 2**17


def _fft_cases():
    """``(name, group, operation)``: one call per fast route, on a group of order about 2^17."""
    C = gm.cyclic(_FFT_N)
    grid = gm.direct_product(gm.cyclic(256), gm.cyclic(512))
    D = gm.dihedral(_FFT_N // 2)
    P = gm.direct_product(gm.dihedral(256), gm.cyclic(256))
    f32 = np.ones(_FFT_N, dtype=np.float32)
    f64 = np.ones((2, _FFT_N))
    X = {G.name: gm.fourier(G, f64) for G in (C, D, P)}           # under the default limit
    XR = gm.fourier(C, f64, "real")
    return [
        ("fourier C, one float32 function (the fast return)", lambda: gm.fourier(C, f32), "Fourier transform"),
        ("fourier C, a batch", lambda: gm.fourier(C, f64), "Fourier transform"),
        ("fourier C, real field", lambda: gm.fourier(C, f32, "real"), "real Fourier transform"),
        ("fourier on a grid", lambda: gm.fourier(grid, f32), "Fourier transform"),
        ("fourier dihedral", lambda: gm.fourier(D, f32), "Fourier transform"),
        ("fourier product", lambda: gm.fourier(P, f32), "Fourier transform"),
        ("inverse C", lambda: gm.inverse_fourier(C, X[C.name]), "inverse Fourier transform"),
        ("inverse C, real field", lambda: gm.inverse_fourier(C, XR), "real inverse Fourier transform"),
        ("inverse dihedral", lambda: gm.inverse_fourier(D, X[D.name]), "inverse Fourier transform"),
        ("inverse product", lambda: gm.inverse_fourier(P, X[P.name]), "inverse Fourier transform"),
        ("convolve C", lambda: gm.convolve(C, f32, f32), "FFT convolution"),
        ("convolve C, a batch", lambda: gm.convolve(C, f64, f32), "FFT convolution"),
        ("convolve dihedral", lambda: gm.convolve(D, f32, f32), "FFT convolution"),
        ("convolve product, a batch", lambda: gm.convolve(P, f64, f64), "FFT convolution"),
        ("matvec dihedral", lambda: gm.reps.fast_group_matvec(D, f32, f32), "FFT convolution"),
    ]


def test_the_fft_routes_refuse_over_the_limit(monkeypatch):
    """Under a 1 MiB limit every fast route refuses before its FFT (they all used to run: 92 MiB traced
    for one float32 function on C2000000 under 16 MiB)."""
    cases = _fft_cases()
    _limit(monkeypatch, 2**20)
    for name, call, words in cases:
        msg = refused_quickly(call, words, "with its work arrays")
        assert ("split the batch" in msg) == ("batch" in name or name.startswith("inverse")), (name, msg)


def test_the_fft_estimates_cover_their_traced_peaks():
    """At a size that fits, the traced peak of each fast route is within its estimate (the first call of a
    fresh group included: its layouts and real-field structure are built then)."""
    from groupmat import routing
    from groupmat.reps.fourier_transform import fast_route_bytes

    rng = np.random.default_rng(0)
    makers = [lambda: gm.cyclic(2**14), lambda: gm.direct_product(gm.cyclic(64), gm.cyclic(200)),
              lambda: gm.dihedral(2**13), lambda: gm.direct_product(gm.dihedral(40), gm.cyclic(150)),
              lambda: gm.direct_product(gm.symmetric(3), gm.cyclic(3000))]
    for make in makers:                      # imports and one-time caches of the first use: not measured
        G = make()
        gm.inverse_fourier(G, gm.fourier(G, np.ones(G.order), "real"))
        gm.convolve(G, np.ones(G.order), np.ones(G.order))
    for make in makers:
        for dtype, batch in [(np.float32, ()), (np.float64, (2,)), (np.complex128, ()), (np.int64, (3,))]:
            G = make()
            kind = routing.transform_kind(G)
            x = rng.integers(-3, 4, size=batch + (G.order,)).astype(dtype)
            calls = [("fourier", lambda: gm.fourier(G, x)), ("fourier real", lambda: gm.fourier(G, x, "real")),
                     ("convolve", lambda: gm.convolve(G, x, x)),
                     ("convolve", lambda: gm.reps.fast_group_matvec(G, x, x))]
            for op, call in calls:
                out, peak = _traced_peak(call)
                assert peak <= fast_route_bytes(G, batch, op, kind), (G.name, op, dtype, batch, peak / G.order)
            for field in ("complex", "real"):
                X = gm.fourier(G, x, field)
                y, peak = _traced_peak(lambda: gm.inverse_fourier(G, X))
                np.testing.assert_allclose(y, x, atol=1e-3)
                op = "inverse" if field == "complex" else "inverse real"
                assert peak <= fast_route_bytes(G, batch, op, kind), (G.name, op, dtype, batch, peak / G.order)


def test_fast_route_bytes_names_an_unknown_operation_or_route():
    from groupmat.reps.fourier_transform import fast_route_bytes

    with pytest.raises(ValueError, match="op must be one of .*'convolve'.*got 'fft'"):
        fast_route_bytes(gm.cyclic(8), (), "fft", "abelian")
    with pytest.raises(ValueError, match="kind must be one of .*'abelian'.*got 'dense'"):
        fast_route_bytes(gm.cyclic(8), (), "fourier", "dense")
    # the real routes of a dihedral group cost what its complex routes cost
    assert fast_route_bytes(gm.dihedral(8), (3,), "fourier real", "dihedral") == \
        fast_route_bytes(gm.dihedral(8), (3,), "fourier", "dihedral")
