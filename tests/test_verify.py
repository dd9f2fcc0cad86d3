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
    "Cayley table is a Latin square bordered by the identity",
    "group matrix of C_n is the circulant (scipy.linalg.circulant)",
    "group matrices commute with the left regular representation, and only they do",
    "closure under products: M_x M_y = M_{x*y}",
    "closure under inverses: M_x^-1 is a group matrix M_y with x*y = delta_e",
    "exact and numeric group matrices agree (all conventions)",
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
