"""The equivariance rows of ``groupmat verify`` all pass."""
from __future__ import annotations

from groupmat.verify import registry, run


def test_equivariance_rows_pass():
    names = [k for k, ident in registry().items() if ident.topic == "equivariance"]
    assert len(names) >= 8         # the rows of issue 11, plus those added since (complex representations)
    rows = run(topics=["equivariance"])
    failures = [(r.identity, r.group, r.message) for r in rows if not r.ok]
    assert not failures, failures
    assert {r.side for r in rows} <= {"exact", "numeric", "both", "skip"}
    assert any(r.side == "both" for r in rows)
