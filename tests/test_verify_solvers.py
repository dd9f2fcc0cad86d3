"""The verify rows of groupmat.verify.theorems_solvers: they pass on the library and fail on a broken one."""
from __future__ import annotations

import numpy as np
import pytest

import groupmat as gm
import groupmat.reps as reps
import groupmat.verify.theorems_solvers as rows_solvers
from groupmat.verify import registry, run

ROWS = ["solvers: the inverse of a group matrix is a group matrix, M_x^-1 = M_z with zhat = xhat^-1",
        "solvers: Frobenius det M_x = prod_rho det(xhat(rho))^{d_rho}",
        "solvers: solve_group_matrix equals the dense solve, residual at round-off"]


def test_rows_registered_under_topic_solvers():
    for name in ROWS:
        assert name in registry() and registry()[name].topic == "solvers"
    kinds = {gm.routing.transform_kind(G) for G in rows_solvers.solver_zoo()}
    assert kinds == {"abelian", "dihedral", "product", "dense"}


def test_rows_pass_exact_and_numeric():
    rows = run(names=ROWS)
    assert rows and all(r.ok and not r.skipped for r in rows), [(r.identity, r.group, r.message) for r in rows if not r.ok]
    sides = {(r.identity, r.group): r.side for r in rows}
    for name in ROWS:
        assert sides[(name, "C5")] == "both" and sides[(name, "D4")] == "both"
        assert sides[(name, "D64")] == "numeric"


def _failing(monkeypatch, attr, broken, names, groups=("D3", "C5")):
    monkeypatch.setattr(reps, attr, broken)
    rows = [r for r in run(names=names) if r.group in groups]
    assert rows and not any(r.ok for r in rows), [(r.group, r.side) for r in rows]


def test_inverse_row_fails_on_a_wrong_convention(monkeypatch):
    real = reps.invert_group_matrix

    def transposed(G, x, convention="ginv_h", rcond=None):        # the inverse of M_x^T
        return real(G, np.asarray(x)[..., G.inverses()] if not isinstance(x, list) else [x[i] for i in G.inverses()],
                    convention, rcond)

    _failing(monkeypatch, "invert_group_matrix", transposed, ROWS[:1], groups=("D3", "D4"))


def test_det_row_fails_when_the_degree_power_is_dropped(monkeypatch):
    def no_power(G, x, convention="ginv_h"):
        xhat = reps.fourier(G, np.asarray(x, dtype=float))
        s = 1.0
        l = 0.0
        for k in range(len(xhat)):
            sk, lk = np.linalg.slogdet(xhat[k])
            s, l = s * sk, l + lk                             # should be d * lk
        return np.sign(np.real(s)), l

    _failing(monkeypatch, "group_matrix_slogdet", no_power, ROWS[1:2], groups=("D3", "D4"))


def test_solve_row_fails_on_the_transposed_system(monkeypatch):
    real = reps.solve_group_matrix

    def wrong(G, x, b, convention="ginv_h", assume_a="gen", rcond=None):
        xv = np.asarray(x)[G.inverses()] if not isinstance(x, list) else [x[i] for i in G.inverses()]
        return real(G, xv, b, convention)                   # solves M_x^T y = b

    _failing(monkeypatch, "solve_group_matrix", wrong, ROWS[2:], groups=("D3", "D4"))
