"""``groupmat.caching.Memo``: namespaced, bounded in bytes (least recently used out first), and read-only
results (an in-place edit raises instead of poisoning every later call)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import groupmat as gm
from groupmat.caching import DEFAULT_MEMO_BYTES, Memo, freeze, nbytes_of


def _floats(k: int) -> np.ndarray:
    return np.arange(k, dtype=np.float64)                  # 8 k bytes


def test_compute_runs_once_and_the_result_is_kept():
    memo = Memo("test")
    calls = []
    first = memo.get("ns", "key", lambda: calls.append(1) or _floats(3))
    again = memo.get("ns", "key", lambda: calls.append(1) or _floats(3))
    assert again is first and calls == [1]
    assert memo.peek("ns", "key") is first and memo.peek("ns", "other") is None
    assert memo.peek("ns", "other", default=5) == 5
    assert memo.keys("ns") == ["key"] and memo.nbytes == 24


def test_namespaces_are_kept_apart():
    memo = Memo("test")
    a = memo.get("reps.irreducibles", "k", lambda: _floats(2))
    b = memo.get("equivariance.kernels", "k", lambda: _floats(5))
    assert a is not b and a.size == 2 and b.size == 5
    assert memo.get("reps.irreducibles", "k", lambda: None) is a
    assert memo.keys("reps.irreducibles") == ["k"] and memo.keys("equivariance.kernels") == ["k"]
    memo.clear("reps.irreducibles")                        # one namespace only
    assert memo.keys("reps.irreducibles") == [] and memo.peek("equivariance.kernels", "k") is b
    assert memo.nbytes == b.nbytes
    memo.clear()
    assert memo.nbytes == 0 and memo.keys("equivariance.kernels") == []


def test_least_recently_used_entries_are_dropped_first():
    memo = Memo("test", max_bytes=100)
    memo.put("ns", "a", _floats(5))                        # 40 bytes each
    memo.put("ns", "b", _floats(5))
    memo.get("ns", "a", lambda: pytest.fail("a is held"))  # a is now the most recent
    memo.put("ns", "c", _floats(5))                        # 120 > 100: b goes, not a
    assert memo.keys("ns") == ["a", "c"] and memo.nbytes == 80
    memo.peek("ns", "a")
    memo.put("ns", "d", _floats(3))                        # 104 > 100: c goes
    assert memo.keys("ns") == ["a", "d"] and memo.nbytes == 64


def test_an_entry_larger_than_the_budget_is_returned_but_not_kept():
    memo = Memo("test", max_bytes=100)
    memo.put("ns", "small", _floats(2))
    big = memo.get("ns", "big", lambda: _floats(50))       # 400 bytes
    assert big.size == 50 and not big.flags.writeable      # handed out, frozen
    assert memo.keys("ns") == ["small"] and memo.nbytes == 16   # nothing evicted for it either
    assert memo.peek("ns", "big") is None


def test_replacing_an_entry_counts_its_bytes_once():
    memo = Memo("test", max_bytes=1000)
    memo.put("ns", "k", _floats(10))
    memo.put("ns", "k", _floats(4))
    assert memo.nbytes == 32 and memo.keys("ns") == ["k"]
    memo.put("ns", "k", _floats(200))                       # over budget: the old entry is gone too
    assert memo.nbytes == 0 and memo.peek("ns", "k") is None


@given(st.lists(st.tuples(st.sampled_from(["a", "b"]), st.integers(0, 6), st.integers(0, 20)), max_size=40),
       st.integers(0, 120))
@settings(max_examples=60)
def test_nbytes_never_exceeds_the_budget(ops, budget):
    memo = Memo("test", max_bytes=budget)
    for ns, key, size in ops:
        value = memo.get(ns, key, lambda size=size: _floats(size))
        assert value.size == size or memo.peek(ns, key) is value
        held = sum(memo.peek(n, k).nbytes for n in ("a", "b") for k in memo.keys(n))
        assert memo.nbytes == held <= budget


def test_stored_arrays_are_read_only():
    memo = Memo("test")
    a = memo.get("ns", "array", lambda: _floats(3))
    with pytest.raises(ValueError, match="read-only"):
        a[0] = 7.0
    with pytest.raises(ValueError, match="read-only"):
        a += 1
    nested = memo.get("ns", "nested", lambda: (_floats(2), [_floats(3)], {"x": _floats(4)}, 5, None))
    for arr in (nested[0], nested[1][0], nested[2]["x"]):
        assert not arr.flags.writeable
    assert memo.nbytes == 24 + 16 + 24 + 32
    assert memo.get("ns", "array", lambda: None).tolist() == [0.0, 1.0, 2.0]   # unchanged


class _Frozen:
    """An object that freezes itself on request and reports its size."""

    def __init__(self):
        self.frozen = False
        self.data = np.zeros(4)

    def freeze(self):
        self.frozen = True
        self.data.flags.writeable = False

    @property
    def nbytes(self):
        return int(self.data.nbytes)


def test_objects_with_freeze_are_frozen_and_counted():
    memo = Memo("test")
    obj = memo.get("ns", "obj", _Frozen)
    assert obj.frozen and not obj.data.flags.writeable
    assert memo.nbytes == 32 == nbytes_of(obj)
    assert freeze(_Frozen).__name__ == "_Frozen"             # a class is not asked to freeze
    assert nbytes_of(3) == 0 and nbytes_of("text") == 0 and nbytes_of([_floats(2), (_floats(1),)]) == 24


def test_budget_is_validated_and_defaults_to_a_quarter_of_the_limit(monkeypatch):
    with pytest.raises(ValueError, match="max_bytes must be an integer >= 0"):
        Memo("test", max_bytes=-1)
    with pytest.raises(TypeError, match="max_bytes must be an integer"):
        Memo("test", max_bytes=1.5)
    assert Memo("test", max_bytes=0).get("ns", "k", lambda: _floats(1)).size == 1     # nothing kept, still works
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(4000))
    assert Memo("test").max_bytes == 1000
    monkeypatch.delenv("GROUPMAT_MAX_BYTES")
    assert Memo("test").max_bytes == DEFAULT_MEMO_BYTES
    assert "Memo of test" in repr(Memo("test"))


def test_a_groups_memo_is_bounded_and_frozen(monkeypatch):
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(4 * 1000))
    G = gm.cyclic(150)                                         # a memo of 1000 bytes
    assert G.memo.max_bytes == 1000
    G = gm.cyclic(150)
    monkeypatch.delenv("GROUPMAT_MAX_BYTES")                   # the work arrays fit; the memo stays small
    inv = G.inverses()                                         # 1200 bytes: over the memo's budget, not kept
    assert G.memo.nbytes == 0 and not inv.flags.writeable
    assert np.array_equal(inv, (-np.arange(150)) % 150)
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(4 * 1000))
    H = gm.cyclic(50)
    H.inverses()
    assert H.memo.keys("groups.core") == ["inverses"] and H.memo.nbytes == 400
