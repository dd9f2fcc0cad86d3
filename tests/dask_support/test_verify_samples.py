"""The unit of a sweep, serially: ``run_row``, sampled identities and ``run(..., samples=k)``, the
``sample`` and ``lost`` fields of a row (no Dask needed)."""
from __future__ import annotations

import functools
import pickle

import pytest

import groupmat as gm
from groupmat.cli import main
from groupmat.verify import Identity, Row, plan, register, run, select, unregister
from groupmat.verify.core import run_row  # (groupmat.verify re-exports it once integrated)

import sweep_checks as checks


@pytest.fixture
def temporary():
    names = []

    def add(name, check, **kw):
        register(name, topic="tmp-samples", **kw)(check)
        names.append(name)

    yield add
    for name in names:
        unregister(name)


def test_a_check_taking_sample_is_sampled_and_others_are_not(temporary):
    temporary("tmp sampled assoc", checks.associativity_on_samples, zoo="small")
    temporary("tmp plain", checks.false_identity, zoo="small")
    temporary("tmp partial", functools.partial(checks.slow, 0.0), zoo="small")
    reg = {i.name: i for i in select(topics="tmp-samples")}
    assert reg["tmp sampled assoc"].sampled
    assert not reg["tmp plain"].sampled and not reg["tmp partial"].sampled


def test_samples_multiply_the_rows_of_sampled_identities_only(temporary):
    temporary("tmp sampled assoc", checks.associativity_on_samples, zoo="small")
    temporary("tmp abelian only", checks.only_abelian, zoo="small")
    groups = [gm.dihedral(3), gm.cyclic(4)]
    jobs = plan(topics="tmp-samples", groups=groups, samples=3)
    assert [(i.name, G.name, s) for i, G, s in jobs] == (
        [("tmp sampled assoc", g, s) for g in ("D3", "C4") for s in range(3)]
        + [("tmp abelian only", "D3", None), ("tmp abelian only", "C4", None)])
    rows = run(topics="tmp-samples", groups=groups, samples=3)
    assert [(r.group, r.sample, r.status) for r in rows] == (
        [(g, s, "PASS") for g in ("D3", "C4") for s in range(3)] + [("D3", None, "SKIP"), ("C4", None, "PASS")])
    # without samples: one row each, the check's own default, no triples
    assert all(len(job) == 2 for job in plan(topics="tmp-samples", groups=groups))
    assert [r.sample for r in run(topics="tmp-samples", groups=groups)] == [None] * 4


def test_a_sample_that_fails_is_one_failed_row(temporary):
    temporary("tmp bad sample", checks.wrong_on_sample_two, zoo="small")
    rows = run(names=["tmp bad sample"], groups=[gm.cyclic(3)], samples=4)
    assert [r.status for r in rows] == ["PASS", "PASS", "FAIL", "PASS"]
    assert rows[2].sample == 2 and rows[2].message == "sample 2 is the bad one"


def test_run_row_is_the_row_of_run_and_refuses_a_sample_for_an_unsampled_check(temporary):
    temporary("tmp false", checks.false_identity, zoo="small")
    temporary("tmp crash", checks.crash, zoo="small")
    (ident,) = select(names=["tmp false"])
    row = run_row(ident, gm.cyclic(4))
    assert (row.status, row.side, row.message, row.sample, row.lost) == ("FAIL", "-", "|C4| = 4 is even", None, False)
    assert run_row(select(names=["tmp crash"])[0], gm.cyclic(3)).message == "KeyError: 'no such key'"
    with pytest.raises(TypeError, match="sample: the check of 'tmp false' takes no sample, got sample=1"):
        run_row(ident, gm.cyclic(3), sample=1)
    with pytest.raises(TypeError, match="ident must be a registered Identity"):
        run_row("tmp false", gm.cyclic(3))


def test_rows_and_identities_pickle(temporary):
    # the sweep sends (identity, group, sample) to a worker and a Row back
    temporary("tmp sampled assoc", checks.associativity_on_samples, zoo="small")
    (ident,) = select(names=["tmp sampled assoc"])
    again = pickle.loads(pickle.dumps(ident))
    assert isinstance(again, Identity) and again.sampled and again.name == ident.name
    row = run_row(again, gm.quaternion(), sample=5)
    assert pickle.loads(pickle.dumps(row)) == row and row.sample == 5


def test_samples_must_be_positive():
    with pytest.raises(ValueError, match="samples must be a positive integer"):
        plan(samples=0)
    with pytest.raises(ValueError, match="samples must be a positive integer"):
        plan(samples=True)


def test_a_lost_row_is_neither_a_pass_nor_a_skip():
    row = Row("x", "C3", False, "-", 0.0, "not run: the workers running it died", lost=True)
    assert row.status == "LOST" and not row.ok and not row.skipped


def test_the_cli_prints_the_sample_of_each_row(temporary, capsys):
    temporary("tmp bad sample", checks.wrong_on_sample_two, zoo="small")
    assert main(["verify", "--topic", "tmp-samples", "--group", "C3", "--samples", "3"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("C3  tmp bad sample  [sample 0]") and "PASS" in out[0]
    assert out[2].startswith("[3/3] FAIL") and out[2].endswith("[sample 2]")
    assert out[-1].startswith("2 passed, 1 failed (1 of ")
    assert main(["verify", "--topic", "tmp-samples", "--samples", "0"]) == 2
    assert "--samples must be a positive integer, got 0" in capsys.readouterr().err
