"""The verify package: its registry (groupmat.verify.core) and the rows of each theorem module
(groupmat.verify.theorems_groups, theorems_characters, theorems_displacement, theorems_equivariance), which
must pass on the real library and fail on a broken one."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from strategies import small_groups

import groupmat as gm
import groupmat.verify as verify
import groupmat.verify.theorems_characters as rows_characters
import groupmat.verify.theorems_displacement as rows_displacement
import groupmat.verify.theorems_equivariance as rows_equivariance
import groupmat.verify.theorems_groups as rows_groups
from groupmat.groups import CyclicGroup, TableGroup
from groupmat.verify import NotApplicable, Row, plan, register, registry, run, select, topics, unregister

FOUNDATION = [
    "group axioms: associativity, identity, inverses",
    "Cayley table agrees with mul and is a Latin square bordered by the identity",
    "group matrix of C_n is the circulant (scipy.linalg.circulant)",
    "group matrices commute with the left regular representation, and only they do",
    "closure under products: M_x M_y = M_{x*y}",
    "closure under inverses: M_x^-1 is a group matrix M_y with x*y = delta_e",
    "exact and numeric group matrices equal x(g^-1 h), x(g h^-1), x(g h) computed from the group law",
    "x is recovered from M_x and M_x is a group matrix (all conventions)",
    "sparse group matrix equals the dense one (all conventions)",
]


@pytest.fixture
def temporary():
    """Register checks under fresh names for one test and remove them afterwards."""
    names = []

    def add(name, check, zoo="small", topic="test-temporary"):
        register(name, zoo=zoo, topic=topic)(check)
        names.append(name)
        return name

    yield add
    for name in names:
        if name in registry():
            unregister(name)


# ------------------------------------------------------------------------------------- registry
def test_foundation_rows_are_registered_under_topic_groups():
    reg = registry()
    for name in FOUNDATION:
        assert name in reg, name
        assert reg[name].topic == "groups"
    assert "groups" in topics()


def test_register_rejects_bad_arguments():
    with pytest.raises(ValueError, match="zoo must be one of"):
        register("x", zoo="huge")
    with pytest.raises(TypeError, match="zoo must be one of"):
        register("x", zoo=3)
    with pytest.raises(TypeError, match="name must be a non-empty string"):
        register("")
    with pytest.raises(TypeError, match="name must be a non-empty string"):
        register(None)
    with pytest.raises(TypeError, match="topic must be a non-empty string"):
        register("x", topic="")(lambda G: "exact")
    with pytest.raises(TypeError, match="decorates a function"):
        register("x")(42)
    assert "x" not in registry()


def test_unregister_unknown_name():
    with pytest.raises(ValueError, match="no identity named"):
        unregister("no such identity")


def test_topic_is_inferred_from_the_theorem_module(temporary):
    def check(G):
        return "exact"

    check.__module__ = "groupmat.verify.theorems_characters"
    register("tmp inferred topic")(check)
    try:
        assert registry()["tmp inferred topic"].topic == "characters"
    finally:
        unregister("tmp inferred topic")

    def other(G):
        return "exact"

    register("tmp other topic")(other)  # defined in a test module: topic "other"
    try:
        assert registry()["tmp other topic"].topic == "other"
    finally:
        unregister("tmp other topic")


def test_registering_a_name_twice_replaces_the_check(temporary):
    temporary("tmp twice", lambda G: "exact")
    temporary("tmp twice", lambda G: "numeric")
    rows = run(names=["tmp twice"])
    assert {r.side for r in rows} == {"numeric"}


# ------------------------------------------------------------------------------------------ run
def test_run_reports_pass_fail_crash_skip_and_bad_side(temporary):
    def failing(G):
        assert G.order < 0, f"order of {G.name} is not negative"
        return "exact"

    def crashing(G):
        raise ZeroDivisionError("boom")

    def not_applicable(G):
        raise NotApplicable("only for order 7")

    temporary("tmp failing", failing)
    temporary("tmp crashing", crashing)
    temporary("tmp skipped", not_applicable)
    temporary("tmp bad side", lambda G: None)

    def too_large(G):
        raise gm.TooLargeError("an array of 5 TiB")

    temporary("tmp too large", too_large)
    temporary("tmp empty assertion", lambda G: (_ for _ in ()).throw(AssertionError()))
    by_name = {}
    for row in run(topics=["test-temporary"]):
        by_name.setdefault(row.identity, []).append(row)
    n_small = len(verify.small_zoo())
    assert all(len(v) == n_small for v in by_name.values())
    r = by_name["tmp failing"][0]
    assert (r.ok, r.side, r.status) == (False, "-", "FAIL") and "is not negative" in r.message
    r = by_name["tmp crashing"][0]
    assert not r.ok and r.message == "ZeroDivisionError: boom"
    r = by_name["tmp skipped"][0]
    assert r.ok and r.skipped and r.status == "SKIP" and r.side == "skip" and "order 7" in r.message
    r = by_name["tmp too large"][0]
    assert r.ok and r.skipped and "too large to check: an array of 5 TiB" in r.message
    r = by_name["tmp bad side"][0]
    assert not r.ok and "returned None" in r.message
    r = by_name["tmp empty assertion"][0]
    assert not r.ok and r.message == "assertion failed"


def test_run_progress_counts_every_row(temporary):
    temporary("tmp progress", lambda G: "exact")
    seen = []
    rows = run(names=["tmp progress"], progress=lambda row, k, total: seen.append((row, k, total)))
    assert [k for _, k, _ in seen] == list(range(1, len(rows) + 1))
    assert {t for _, _, t in seen} == {len(rows)}
    assert [r for r, _, _ in seen] == rows


def test_run_on_given_groups_and_pattern(temporary):
    temporary("tmp order check", lambda G: "exact")
    groups = [gm.cyclic(3), gm.dihedral(5)]
    rows = run(pattern="TMP ORDER", groups=groups)
    assert [(r.identity, r.group) for r in rows] == [("tmp order check", "C3"), ("tmp order check", "D5")]


def test_run_rejects_unknown_names_topics_and_non_groups():
    with pytest.raises(ValueError, match="no identity named 'nope'"):
        run(names=["nope"])
    with pytest.raises(ValueError, match="no identity has topic 'nope'; known topics are"):
        run(topics=["nope"])
    with pytest.raises(TypeError, match="groups must be FiniteGroup"):
        run(names=FOUNDATION[:1], groups=["D4"])


def test_a_broken_zoo_is_one_failed_row(temporary):
    def broken_zoo():
        raise RuntimeError("no groups today")

    temporary("tmp broken zoo", lambda G: "exact", zoo=broken_zoo)
    jobs = plan(names=["tmp broken zoo"])
    assert len(jobs) == 1 and isinstance(jobs[0][1], Row)
    (row,) = run(names=["tmp broken zoo"])
    assert not row.ok and "no groups today" in row.message and row.group == "zoo broken_zoo"


def test_the_foundation_rows_pass_on_the_real_registry():
    rows = run(topics=["groups"])
    failures = [(r.identity, r.group, r.message) for r in rows if not r.ok]
    assert not failures
    assert all(r.side in verify.SIDES for r in rows)
    # exact sides ran on small groups, numeric only on large ones
    by = {(r.identity, r.group): r.side for r in rows}
    assert by[(FOUNDATION[4], "D3")] == "both" and by[(FOUNDATION[4], "S4")] == "both"
    assert by[(FOUNDATION[7], "D8")] == "numeric"
    assert by[(FOUNDATION[2], "C257")] == "numeric" and by[(FOUNDATION[2], "C12")] == "both"
    assert by[(FOUNDATION[8], "C32xC32")] == "numeric"


@settings(max_examples=12, deadline=None)
@given(small_groups(max_order=16))
def test_the_foundation_rows_hold_on_random_groups(G):
    # relabelled tables (identity not at 0), products, semidirect products, permutation closures
    for row in run(names=FOUNDATION, groups=[G]):
        assert row.ok, (row.identity, G.name, row.message)
        assert row.skipped == (row.identity == FOUNDATION[2] and not isinstance(G, CyclicGroup))


# ------------------------------------------------------------- the rows catch what they claim to
def _cyclic_table(n):
    return (np.arange(n)[:, None] + np.arange(n)[None, :]) % n


def bad_inverse(n):
    """C_n with a wrong inverse: g^-1 = g (a table group built without validation)."""
    return TableGroup(_cyclic_table(n), inverse=np.arange(n), identity=0, generators=(1,), name=f"BadInv{n}",
                      validate=False)


def subtraction(n):
    """(a, b) -> a - b mod n: a Latin square with a right identity, not associative."""
    table = (np.arange(n)[:, None] - np.arange(n)[None, :]) % n
    return TableGroup(table, inverse=np.arange(n), identity=0, generators=(1,), name=f"Sub{n}", validate=False)


def not_latin(n):
    """C_n whose table has a repeated entry (a*b = 0 whenever a = 1, b = 1)."""
    table = _cyclic_table(n)
    table[1, 1] = 0
    return TableGroup(table, inverse=(-np.arange(n)) % n, identity=0, generators=(1,), name=f"NotLatin{n}",
                      validate=False)


def test_group_axioms_row_catches_broken_groups():
    with pytest.raises(AssertionError, match="g g\\^-1 != e"):
        rows_groups.group_axioms(bad_inverse(5))
    with pytest.raises(AssertionError, match="associativity fails"):
        rows_groups.group_axioms(subtraction(5))


def test_latin_square_row_catches_a_repeated_entry():
    with pytest.raises(AssertionError, match="not a permutation"):
        rows_groups.cayley_latin_square(not_latin(5))


def test_rows_catch_a_wrong_group_matrix(monkeypatch):
    # Frobenius's x(g h) in place of x(g^-1 h) breaks the circulant and commutation rows (a mere
    # transpose would not: the transpose of a group matrix is the group matrix of x(g^-1))
    import groupmat.matrices as matrices

    real = matrices.group_matrix

    def frobenius(G, x=None, convention="ginv_h", sparse=False):
        return real(G, x, convention="gh", sparse=sparse)

    monkeypatch.setattr(matrices, "group_matrix", frobenius)
    with pytest.raises(AssertionError, match="circulant"):
        rows_groups.circulant_is_group_matrix(gm.cyclic(5))
    with pytest.raises(AssertionError, match="M_x L"):
        rows_groups.commute_with_left_regular(gm.dihedral(3))


def test_closure_row_catches_convolution_in_the_wrong_order(monkeypatch):
    # y * x in place of x * y: equal on abelian groups, wrong on D3
    import groupmat.matrices as matrices

    real = matrices.dense_convolve
    monkeypatch.setattr(matrices, "dense_convolve", lambda G, x, y: real(G, y, x))
    assert rows_groups.closure_under_products(gm.cyclic(6)) == "both"
    with pytest.raises(AssertionError, match="convolve|M_x M_y"):
        rows_groups.closure_under_products(gm.dihedral(3))


def test_commutant_row_catches_a_missing_generator():
    # with a generating set too small, more matrices commute with L(s): the commutant is too big
    D4 = gm.dihedral(4)
    G = TableGroup(D4.cayley_table(), identity=D4.identity, generators=(1,), name="D4 with <r>",
                   validate=False)            # only the rotation r as generator: it generates C4, not D4
    with pytest.raises(AssertionError, match="commutant of L has dimension 16, expected"):
        rows_groups.commute_with_left_regular(G)


def test_sparse_row_checks_large_groups_without_a_dense_matrix():
    assert rows_groups.sparse_equals_dense(gm.cyclic(20000)) == "numeric"
    assert rows_groups.sparse_equals_dense(gm.direct_product(gm.dihedral(50), gm.cyclic(60))) == "numeric"


def test_circulant_row_is_not_applicable_to_non_cyclic_groups():
    with pytest.raises(NotApplicable, match="not a cyclic group"):
        rows_groups.circulant_is_group_matrix(gm.dihedral(3))


def test_exact_rows_fall_back_to_numeric_on_large_groups():
    S5 = gm.symmetric(5)
    assert rows_groups.closure_under_products(S5) == "numeric"
    assert rows_groups.closure_under_inverses(S5) == "numeric"
    assert rows_groups.commute_with_left_regular(S5) == "both"  # the commutant is found exactly
    assert rows_groups.commute_with_left_regular(gm.cyclic(300)) == "numeric"
    assert rows_groups.closure_under_products(gm.symmetric(3)) == "both"


# ------------------------------------------------------ the other topics: pass, and catch a broken library
@pytest.mark.parametrize("module", [rows_characters, rows_displacement, rows_equivariance])
def test_every_topic_passes_on_the_real_registry(module):
    topic = module.__name__.rsplit("theorems_", 1)[1]
    rows = run(topics=[topic])
    assert rows and not [(r.identity, r.group, r.message) for r in rows if not r.ok]
    assert {i.topic for i in select(topics=topic)} == {topic}


def test_select_by_name_topic_and_pattern():
    chosen = select(names=FOUNDATION[:2])
    assert [i.name for i in chosen] == FOUNDATION[:2]
    assert [i.name for i in select(FOUNDATION[0])] == FOUNDATION[:1]
    assert [i.name for i in select(topics="groups", pattern="LATIN")] == [FOUNDATION[1]]
    assert select(pattern="no identity says this") == []
    with pytest.raises(ValueError, match="no identity named 'nope'"):
        select(names=["nope"])


def test_convolution_row_checks_every_route(monkeypatch):
    # convolve takes the dense route on D8 (order 16 < FFT_MIN_ORDER) but the Fourier route is FFT-based:
    # the row compares both with the dense sum, so breaking either is caught
    import groupmat.reps as reps

    assert gm.routing.convolve_route(gm.dihedral(8)) == "dense"
    assert gm.routing.transform_kind(gm.dihedral(8)) == "dihedral"
    assert rows_characters.fast_convolution(gm.dihedral(8)) == "numeric"
    real = reps.convolve
    monkeypatch.setattr(reps, "convolve", lambda G, x, y: real(G, y, x))      # y * x: wrong on D8
    with pytest.raises(AssertionError, match="'dense' route of convolve differs"):
        rows_characters.fast_convolution(gm.dihedral(8))
    monkeypatch.setattr(reps, "convolve", real)
    real_fourier = reps.fourier
    monkeypatch.setattr(reps, "fourier", lambda G, x, *a: real_fourier(G, x[..., G.inverses()], *a))
    with pytest.raises(AssertionError, match="'dihedral' transform of x \\* y differs"):
        rows_characters.fast_convolution(gm.dihedral(8))


def test_projection_rows_catch_a_wrong_projection(monkeypatch):
    # the identity map is idempotent and self-adjoint, but it is not the projection onto Hom_G
    import groupmat.equivariance as equivariance

    G = gm.dihedral(3)
    assert rows_equivariance.regular_projection_is_diagonal_means(G) == "both"
    monkeypatch.setattr(equivariance, "project", lambda W, rep_in, rep_out, method=None: W)
    assert rows_equivariance.projection_idempotent_selfadjoint(G) == "both"
    with pytest.raises(AssertionError, match="differs"):
        rows_equivariance.regular_projection_is_diagonal_means(G)


def test_reconstruction_rows_catch_an_inexact_reconstruction(monkeypatch):
    # an error of 1e-9 relative to T is far above the round-off of an m-term reconstruction
    import groupmat.ldr as ldr

    real = ldr.reconstruct
    assert rows_displacement.toeplitz_rank(gm.cyclic(5)) == "both"

    def off(*args, **kwargs):
        R = real(*args, **kwargs)
        return R + 1e-9 * np.abs(R).max() if isinstance(R, np.ndarray) else R

    monkeypatch.setattr(ldr, "reconstruct", off)
    with pytest.raises(AssertionError, match="numeric reconstruction"):
        rows_displacement.toeplitz_rank(gm.cyclic(5))


def test_character_rows_catch_a_wrong_table(monkeypatch):
    import groupmat.reps as reps

    real = reps.character_table

    class Scaled:
        """The character table with its first row doubled: rows are no longer orthonormal."""

        def __init__(self, G):
            self._table = real(G)
            self.values = self._table.values.copy()
            self.values[0] *= 2

        def __getattr__(self, name):
            return getattr(self._table, name)

        def __len__(self):
            return len(self._table)

    assert rows_characters.character_orthogonality(gm.symmetric(3)) == "numeric"
    monkeypatch.setattr(reps, "character_table", Scaled)
    with pytest.raises(AssertionError, match="row orthogonality fails"):
        rows_characters.character_orthogonality(gm.symmetric(3))


# ------------------------------------------------------------------ resource limits are skips, not failures
def test_resource_limits_are_skips_with_their_reason(temporary):
    def memory_error(G):
        raise MemoryError("Unable to allocate 74.5 GiB for an array with shape (10000000000,)")

    def too_large(G):
        verify.require_order(G, 4, "the exact check")
        return "exact"

    temporary("tmp raw memory error", memory_error)
    temporary("tmp order limit", too_large)
    rows = {(r.identity, r.group): r for r in run(topics=["test-temporary"])}
    r = rows[("tmp raw memory error", "D3")]
    assert (r.status, r.ok, r.side) == ("SKIP", True, "skip") and "too large to check: Unable to allocate" in r.message
    r = rows[("tmp order limit", "D3")]
    assert r.status == "SKIP" and r.message == "too large for the exact check (order 6 > 4)"
    assert rows[("tmp order limit", "Q8")].status == "SKIP" and rows[("tmp order limit", "C2^2")].status == "PASS"


def test_a_huge_group_gives_skips_never_failures():
    # C_(10^10): every row either runs (those that use only the order) or skips saying why
    rows = run(groups=[gm.cyclic(10**10)], topics=["groups", "characters", "equivariance"])
    assert rows and not [(r.identity, r.message) for r in rows if not r.ok]
    assert all(r.skipped and ("too large" in r.message or "not a cyclic" in r.message) for r in rows)
    assert sum(r.seconds for r in rows) < 5


def test_rows_decide_up_front_that_a_group_is_too_large_for_their_method():
    S7 = gm.symmetric(7)
    with pytest.raises(verify.TooLargeToCheck, match=r"too large for the dense n x n check \(order 5040 > 2048\)"):
        rows_groups.closure_under_products(S7)
    with pytest.raises(verify.TooLargeToCheck, match=r"too large for the exact check \(order 5040 > 720\)"):
        rows_characters.character_orthogonality_exact(S7)
    with pytest.raises(verify.TooLargeToCheck, match=r"too large for the exact check \(order 24 > 12\)"):
        rows_characters.frobenius_determinant_exact(gm.symmetric(4))
    with pytest.raises(verify.TooLargeToCheck, match=r"dense representations .* \(order 5040 > 256\)"):
        rows_equivariance.defect_pythagoras(S7)
    with pytest.raises(verify.TooLargeToCheck, match=r"too large for the exact check \(33 classes > 24\)"):
        rows_characters.character_orthogonality_exact(gm.dihedral(60))
    # the rows that scale run on S7: the table against mul, the sparse group matrix
    assert rows_groups.cayley_latin_square(S7) == "exact"
    assert rows_groups.sparse_equals_dense(S7) == "numeric"


def test_a_row_over_the_memory_budget_is_skipped(monkeypatch):
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(10**5))
    (row,) = run(names=[FOUNDATION[1]], groups=[gm.cyclic(400)])    # a 400 x 400 table: 160 kB of int16 and a mask
    assert row.status == "SKIP" and "Cayley table of C400" in row.message and "GROUPMAT_MAX_BYTES" in row.message


# ---------------------------------------------------------- the replaced rows fail on plausible bugs
# Each bug below passes the row it replaces (a round trip, one index array for both sides, a table
# never compared with mul, a projector never compared with the Reynolds average, a rank never compared
# with a rank, a homomorphism never checked) and fails the new row.
def test_latin_square_row_compares_the_table_with_mul(monkeypatch):
    G = gm.symmetric(3)
    assert rows_groups.cayley_latin_square(G) == "exact"
    real = gm.FiniteGroup.cayley_table
    monkeypatch.setattr(gm.FiniteGroup, "cayley_table", lambda self: real(self).T)   # T[a, b] = b a: still Latin
    with pytest.raises(AssertionError, match="the Cayley table says .* G.mul says"):
        rows_groups.cayley_latin_square(G)


def test_exact_numeric_row_compares_with_the_group_law(monkeypatch):
    # one wrong index array shared by the exact and the numeric group matrix: x(g h^-1) for x(g^-1 h)
    import groupmat.matrices.group_matrices as group_matrices

    G = gm.symmetric(3)
    assert rows_groups.exact_numeric_agree(G) == "both"
    real = group_matrices.group_matrix_indices
    swap = {"ginv_h": "g_hinv", "g_hinv": "ginv_h", "gh": "gh"}
    monkeypatch.setattr(group_matrices, "group_matrix_indices",
                        lambda G, convention="ginv_h": real(G, swap[convention]))
    with pytest.raises(AssertionError, match="differs from x\\[K\\] of the group law \\(ginv_h\\)"):
        rows_groups.exact_numeric_agree(G)


def test_pair_indices_are_the_conventions():
    G = gm.dihedral(3)
    for convention in gm.matrices.CONVENTIONS:
        K = rows_groups.pair_indices(G, convention)
        for g in range(G.order):
            for h in range(G.order):
                expected = {"ginv_h": G.mul(G.inv(g), h), "g_hinv": G.mul(g, G.inv(h)), "gh": G.mul(g, h)}[convention]
                assert K[g, h] == expected
    with pytest.raises(ValueError, match="convention must be one of"):
        rows_groups.pair_indices(G, "hg")


def test_every_matrix_row_compares_the_group_diagonals_with_the_group_law(monkeypatch):
    # group_diagonals and from_group_diagonals both on the wrong diagonals (g h in place of h g):
    # inverse to each other, so a round trip cannot see it
    import groupmat.matrices.diagonals as diagonals

    G = gm.symmetric(3)
    assert rows_displacement.every_matrix_is_gm_ldr(G) == "both"
    monkeypatch.setattr(diagonals, "group_diagonal_indices", lambda G: G.cayley_table())
    with pytest.raises(AssertionError, match="group_diagonals\\(M\\)\\[g, a\\] != M\\[a, a g\\]"):
        rows_displacement.every_matrix_is_gm_ldr(G)


def test_gm_ldr_reference_is_the_definition():
    # M_b + sum_i diag(v_i) M_(u_i), entry by entry, against group matrices built by index arithmetic
    G = gm.dihedral(4)
    rng = np.random.default_rng(0)
    b, U, V = rng.normal(size=8), rng.normal(size=(2, 8)), rng.normal(size=(2, 8))
    K = rows_groups.pair_indices(G)                         # M_x[a, c] = x(a^-1 c)
    expected = b[K] + sum(V[i][:, None] * U[i][K] for i in range(2))
    assert np.allclose(rows_displacement.gm_ldr_dense(G, b, U, V), expected, rtol=0, atol=1e-13)
    M = rng.normal(size=(8, 8))
    F = rows_displacement.group_diagonals_reference(G, M)
    assert all(F[g, a] == M[a, G.mul(a, g)] for g in range(8) for a in range(8))


def test_product_rule_row_compares_ranks_with_ranks(monkeypatch):
    # a uniform rank error keeps every bound and every equality between two ranks
    import groupmat.ldr as ldr

    G = gm.cyclic(5)
    assert rows_displacement.product_rule_and_rank_bounds(G) == "both"
    real = ldr.displacement_rank
    monkeypatch.setattr(ldr, "displacement_rank", lambda *a, **k: real(*a, **k) + 1)
    with pytest.raises(AssertionError, match="displacement_rank = 1, but A M - M B = X Y\\^T has rank 0"):
        rows_displacement.product_rule_and_rank_bounds(G)


def test_composition_row_catches_a_trivial_projector(monkeypatch):
    import groupmat.equivariance as equivariance

    G = gm.dihedral(3)
    assert rows_equivariance.composition_defect_bound(G) == "numeric"
    # the identity as projector: every defect is 0 and every bound holds
    monkeypatch.setattr(equivariance, "project", lambda W, rep_in, rep_out, method="auto": np.array(W, dtype=float))
    with pytest.raises(AssertionError, match="project differs from the Reynolds average"):
        rows_equivariance.composition_defect_bound(G)
    monkeypatch.undo()

    # the zero projector inside composition_bound: d(X) = ||X||, and ||MN|| <= 2 ||M|| ||N|| holds
    def zero_projector(M, N, rep_in, rep_mid, rep_out, method="auto"):
        dm, dn, dmn = (float(np.linalg.norm(X)) for X in (M, N, M @ N))
        nm, nn = float(np.linalg.norm(M, 2)), float(np.linalg.norm(N, 2))
        return equivariance.CompositionBound(dmn, dm, dn, nm, nn, nm * dn + dm * nn, max(nm, nn) * (dm + dn))

    monkeypatch.setattr(equivariance, "composition_bound", zero_projector)
    with pytest.raises(AssertionError, match="composition_bound's d\\(M\\) = .* the Reynolds average gives"):
        rows_equivariance.composition_defect_bound(G)


def test_reynolds_reference_projects_onto_hom():
    G = gm.dihedral(4)
    L = gm.regular_representation(G)
    W = np.random.default_rng(1).normal(size=(8, 8))
    P = rows_equivariance.reynolds_reference(W, L, L)
    diagonal_means = gm.matrices.group_diagonals(G, W).mean(axis=1)
    assert np.allclose(P, gm.group_matrix(G, diagonal_means), rtol=0, atol=1e-13)
    assert rows_equivariance.commutant_dimension_reference(L, L) == 8


def test_real_irreps_row_checks_the_homomorphism_property(monkeypatch):
    # the transposes of orthogonal irreducibles: orthogonal, same characters, an anti-homomorphism
    import groupmat.reps as reps

    G = gm.symmetric(3)
    assert rows_characters.real_irreps_commutant(G) == "numeric"
    real = reps.irreps

    class Transposed:
        def __init__(self, rho):
            self.name, self.dim, self.frobenius_schur = rho.name, rho.dim, rho.frobenius_schur
            self.matrices = np.ascontiguousarray(np.swapaxes(rho.numeric().matrices, -1, -2))

        def numeric(self):
            return self

    def transposed(G, field="complex", exact=False):
        out = real(G, field, exact)
        return [Transposed(rho) for rho in out] if field == "real" else out

    monkeypatch.setattr(reps, "irreps", transposed)
    with pytest.raises(AssertionError, match="is not a homomorphism: rho\\(g\\) rho\\(h\\) != rho\\(gh\\)"):
        rows_characters.real_irreps_commutant(G)


def test_real_irreps_row():
    for G in (gm.quaternion(), gm.cyclic(5), gm.alternating(4), gm.dicyclic(3)):
        assert rows_characters.real_irreps_commutant(G) == "numeric"


def test_homomorphism_defect_uses_generators_on_large_groups():
    G = gm.cyclic(300)                                   # above PAIRS_MAX: h runs over the generators
    mats = np.exp(2j * np.pi * np.arange(300) / 300)[:, None, None]
    assert rows_characters.homomorphism_defect(G, mats) < 1e-12
    assert rows_characters.homomorphism_defect(G, mats ** 2) < 1e-12
    assert rows_characters.homomorphism_defect(G, mats + 0.01) > 1e-3


# ------------------------------------------------------------------------ complex representations
COMPLEX_ROW = "equivariance, complex representations"


def _complex_row():
    (ident,) = select(pattern=COMPLEX_ROW)
    return ident


def test_complex_row_covers_complex_irreducibles():
    ident = _complex_row()
    names = [G.name for G in ident.groups()]
    assert names == ["C3", "C7", "A4", "C7:C3"]
    for G in ident.groups():
        assert any(rho.frobenius_schur == 0 for rho in gm.irreps(G))   # irreducibles of complex type
    rows = run(names=[ident.name])
    assert all(r.status == "PASS" for r in rows), [(r.group, r.message) for r in rows]
    with pytest.raises(NotApplicable, match="no irreducible representation of complex type"):
        ident.check(gm.symmetric(3))


def _without_conjugate(rep_in, rep_out):
    """The Hom dimension with chi(g) in place of chi(g^-1) = conj(chi(g))."""
    chi_in = np.asarray(rep_in.numeric().character(), dtype=complex)
    chi_out = np.asarray(rep_out.numeric().character(), dtype=complex)
    return int(round(float((chi_in @ chi_out).real) / rep_in.group.order))


@pytest.mark.parametrize("G", [gm.cyclic(3), gm.alternating(4),
                               gm.semidirect_product(gm.cyclic(7), gm.cyclic(3), [lambda n: (2 * n) % 7])],
                         ids=lambda G: G.name)
def test_complex_row_catches_a_hom_dimension_without_the_conjugate(monkeypatch, G):
    import groupmat.equivariance as equivariance

    check = _complex_row().check
    assert check(G) == "numeric"
    monkeypatch.setattr(equivariance, "hom_dimension", _without_conjugate)
    with pytest.raises(AssertionError, match="Schur's lemma says 1"):
        check(G)
    # the real-representation rows cannot see this bug: their characters are real
    assert rows_equivariance.hom_dimension_equals_basis(G) == "numeric"


def test_complex_row_catches_multiplicities_without_the_conjugate(monkeypatch):
    import groupmat.reps as reps

    G = gm.cyclic(7)
    irr = gm.irreps(G)

    def multiplicities(rep, field="complex"):
        chi = np.asarray(rep.numeric().character(), dtype=complex)
        return np.array([int(round(float((chi @ np.asarray(rho.character())).real) / G.order)) for rho in irr])

    monkeypatch.setattr(reps, "multiplicities", multiplicities)
    with pytest.raises(AssertionError, match="multiplicities\\(V\\) = .* it was built with"):
        _complex_row().check(G)


def test_commutant_reference_is_schur():
    # an independent Hom dimension: the null space of W -> rho_out(s) W - W rho_in(s)
    G = gm.semidirect_product(gm.cyclic(7), gm.cyclic(3), [lambda n: (2 * n) % 7])
    irr = gm.irreps(G)
    dims = [[rows_equivariance.commutant_dimension_reference(a, b) for b in irr] for a in irr]
    assert dims == np.eye(len(irr), dtype=int).tolist()


# ---------------------------------------------------------------------------- GM-LDR fast routes
GM_LDR_ROW = "GM-LDR M_b + sum"


def test_gm_ldr_row_reaches_every_product_route():
    (ident,) = select(pattern=GM_LDR_ROW)
    groups = ident.groups()
    routes = {G.name: gm.GroupLDRMatrix(G, np.ones(G.order), np.ones((1, G.order)), np.ones((1, G.order)))
              .product_route() for G in groups}
    assert set(routes.values()) == {"dense", "fft", "convolve"}, routes     # e.g. C300, C16xC18: fft; D520: convolve
    for G in groups:
        assert rows_displacement.expected_ldr_route(G) == routes[G.name]
    rows = run(names=[ident.name])
    assert all(r.status == "PASS" for r in rows), [(r.group, r.message) for r in rows if not r.ok]


def test_gm_ldr_row_catches_a_broken_fft_route(monkeypatch):
    # the spectrum conjugated before the inverse transform: a correlation in place of a convolution
    import scipy.fft

    G = gm.cyclic(300)
    assert rows_displacement.gm_ldr_rank_bounds(G) == "numeric"
    real = scipy.fft.irfft
    monkeypatch.setattr(scipy.fft, "irfft", lambda a, *args, **kw: real(np.conj(a), *args, **kw))
    with pytest.raises(AssertionError, match="the 'fft' product differs from the definition's"):
        rows_displacement.gm_ldr_rank_bounds(G)


def test_gm_ldr_row_catches_a_broken_convolve_route(monkeypatch):
    # y * x in place of x * y in the "convolve" route: wrong on the dihedral group
    import groupmat.ldr.gm_ldr as gm_ldr

    G = gm.dihedral(520)
    real = gm_ldr.convolve
    monkeypatch.setattr(gm_ldr, "convolve", lambda G, x, y: real(G, y, x))
    with pytest.raises(AssertionError, match="the 'convolve' product differs from the definition's"):
        rows_displacement.gm_ldr_rank_bounds(G)


def test_gm_ldr_row_states_the_route(monkeypatch):
    # a router that never takes a fast route is caught, on the groups that must take one
    import groupmat.routing as routing

    monkeypatch.setattr(routing, "ldr_product_route", lambda G, real, dense_fits: "dense")
    with pytest.raises(AssertionError, match="the product route is 'dense', the thresholds say 'fft'"):
        rows_displacement.gm_ldr_rank_bounds(gm.cyclic(300))
    assert rows_displacement.gm_ldr_rank_bounds(gm.dihedral(3)) == "both"


# ------------------------------------------------------------------ the exact character rows
def test_frobenius_row_checks_each_multiplicity():
    import sympy

    G = gm.dihedral(4)
    assert rows_characters.frobenius_determinant_exact(G) == "exact"
    factors = gm.reps.group_determinant(G)
    degrees = gm.character_table(G).degrees
    rows_characters.check_determinant_factors(G, factors, degrees)
    whole = sympy.Mul(*[f**m for f, m in factors])
    # the same product, but the multiplicities are not the degrees
    with pytest.raises(AssertionError, match="multiplicities are not the degrees"):
        rows_characters.check_determinant_factors(G, [(whole, 1)], degrees)
    # the same product and the right degree counts, but the four linear factors merged into one
    linear = sympy.Mul(*[f for f, m in factors if m == 1])
    merged = [(linear, 1)] + [(f, m) for f, m in factors if m == 2]
    with pytest.raises(AssertionError, match="2 distinct factors, but D4 has 5 rational classes"):
        rows_characters.check_determinant_factors(G, merged, degrees)
    # a wrong product
    with pytest.raises(AssertionError, match="product of factors != det M_x"):
        rows_characters.check_determinant_factors(G, [(f + 1, m) for f, m in factors], degrees)


def test_rational_class_count():
    # the number of irreducible rational characters: classes merged with the powers g^t, t prime to o(g)
    # (D8: r ~ r^3, so the 7 classes make 6)
    expected = {"C1": 1, "C7": 2, "C12": 6, "D8": 6, "S4": 5, "A4": 3, "Q8": 5, "C2^3": 8, "C7:C3": 3}
    for G in verify.default_zoo():
        if G.name in expected:
            assert rows_characters.rational_class_count(G) == expected[G.name], G.name


def test_exact_orthogonality_row():
    from types import SimpleNamespace

    G = gm.symmetric(3)
    assert rows_characters.character_orthogonality_exact(G) == "exact"
    T = gm.character_table(G)
    ev = np.array(T.exact_values, dtype=object)            # a copy: the memoised table stays as it is
    ev[1, 2] = 0                                            # chi_1 of S3 is -1 on the 3-cycles
    wrong = SimpleNamespace(exact_values=ev, class_sizes=T.class_sizes, degrees=T.degrees)
    with pytest.raises(AssertionError, match="exactly"):
        rows_characters.check_exact_orthogonality(wrong, G.order)
    unknown = SimpleNamespace(exact_values=None, class_sizes=T.class_sizes, degrees=T.degrees)
    with pytest.raises(NotApplicable, match="known only numerically"):
        rows_characters.check_exact_orthogonality(unknown, G.order)
    assert rows_characters.character_orthogonality_exact(G) == "exact"   # the real table is untouched
