"""The loaders (load_npz, load_mat, from_json) under corrupted, truncated and crafted input.

Whatever the bytes, a loader gives our clear ValueError (naming the file, or "JSON text") within a second, or,
for a change that does not touch the content (a flipped bit in a zip timestamp or a MAT-file's text header), an
object equal to the original: never another exception (a raw KeyError, IndexError, zipfile or zlib error), a
hang, a crash or a silently wrong object (the checksum catches changed data). Crafted bundles (wrong kinds,
huge declared shapes, inconsistent metadata, exact-text bombs, deep nesting) carry a correct checksum, as an
attacker would make them: they give our error or an object that passed every check of its class.
"""
from __future__ import annotations

import functools
import io
import json
import os
import tempfile
import time
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from io_objects import OBJECTS, assert_roundtrip
from budget import HANG_GUARD

import groupmat as gm
from groupmat.io import bundle

#: Small objects of every kind and every way of storing a group.
SAMPLES = {
    "group_matrix": lambda: gm.group_matrix(gm.cyclic(4), np.arange(4.0)),
    "exact_array": OBJECTS["exact_array"],
    "regular_representation": lambda: gm.regular_representation(gm.dihedral(3)),
    "table_group": OBJECTS["table_group_labels"],
    "subgroup": OBJECTS["subgroup"],
    "semidirect_product": OBJECTS["semidirect_product"],
    "permutation_group": lambda: gm.from_permutations([[1, 2, 0, 3], [1, 0, 2, 3]], name="S3 on 4 points"),
    "character_table": lambda: gm.character_table(gm.symmetric(3)),
    "sparse": OBJECTS["sparse_csc_matrix"],
    "irreducible": lambda: gm.irreps(gm.quaternion(), field="real")[-1],
    "group_ldr": lambda: OBJECTS["group_ldr"]().T,
}
FORMATS = ("npz", "mat", "json")
#: Exact-value texts that must be refused at once (bounds of groupmat._exact_text), or that are harmless.
#: Exact texts that are numbers too large to build (or to build quickly): the grammar
#: (groupmat/_exact_text.py) refuses each at once. 1e999999 hung the loaders, 1e99999999999 raised a raw
#: MemoryError, 4000 factors of 2**10000 took 59 s.
NUMBER_BOMBS = ["10**10**10", "2**2**40", "9" * 5000, "(" * 2000 + "1" + ")" * 2000, "-" * 3000 + "1",
                "1e999999", "1e99999999999", "*".join(["2**10000"] * 4000)]
BOMBS = NUMBER_BOMBS + ["__import__('os').getpid()", "Symbol('x')**Symbol('y')", "root(2, 0)", "1/0", "exp(10**6)",
                        "x", "sqrt(2)"]
#: Values worth trying in a header: group descriptions, kinds, dtypes, sides...
WORDS = ["cyclic", "dihedral", "table", "symmetric", "permutation", "subgroup", "direct_product", "group", "array",
         "sparse", "representation", "character_table", "text", "<f8", "|b1", "<U3", "|O", "left", "right", "C8",
         "S30", "checksum", "__group__"]
KEYS = ["build", "n", "k", "order", "degree", "generators", "name", "class", "factors", "parent", "labels", "N",
        "H", "shape", "format", "regular_summands", "summand_dims", "annotations", "transposed"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.sampled_from([0, 1, 2, 3, 8, 10**12, -1])
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12) | st.sampled_from(BOMBS + WORDS),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner,
                                                               max_size=4),
    max_leaves=12)

def robust(examples: int):
    """Hypothesis settings of these tests: ``examples`` examples, no deadline (each load is timed itself)."""
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module", autouse=True)
def small_budget():
    """A budget of 64 MiB: anything a crafted file declares beyond it is refused before it is built."""
    with pytest.MonkeyPatch.context() as m:
        m.setenv("GROUPMAT_MAX_BYTES", str(2**26))
        yield


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory() as d:
        yield d


@functools.lru_cache(maxsize=None)
def original(sample: str, fmt: str):
    """``(object, file bytes)`` of a sample saved in a format (made once)."""
    obj = SAMPLES[sample]()
    if fmt == "json":
        return obj, gm.to_json(obj).encode()
    with tempfile.TemporaryDirectory() as d:
        path = (gm.save_npz if fmt == "npz" else gm.save_mat)(os.path.join(d, "orig"), obj)
        return obj, open(path, "rb").read()


def load(fmt: str, data: bytes, folder: str):
    if fmt == "json":
        return gm.from_json(data), "JSON text"
    path = os.path.join(folder, f"probe.{fmt}")
    with open(path, "wb") as f:
        f.write(data)
    return (gm.load_npz if fmt == "npz" else gm.load_mat)(path), path


def outcome(fmt: str, data: bytes, folder: str, original=None):
    """Load ``data``: ``"refused"`` (our ValueError, naming where it was read from) or the object, within a
    second; the object must equal ``original`` when one is given."""
    where = "JSON text" if fmt == "json" else os.path.join(folder, f"probe.{fmt}")
    start = time.perf_counter()
    try:
        back, _ = load(fmt, data, folder)
    except ValueError as err:                       # TooLargeError is a ValueError too
        assert where in str(err) or "GROUPMAT_MAX_BYTES" in str(err), repr(err)
        result = "refused"
    else:
        if original is not None:
            assert_roundtrip(original, back)         # never a silently different object
        result = back
    elapsed = time.perf_counter() - start
    assert elapsed < HANG_GUARD, f"loading took {elapsed:.2f} s"
    return result


# ---------------------------------------------------------------------------------------------- corrupted
@robust(80)
@given(sample=st.sampled_from(sorted(SAMPLES)), fmt=st.sampled_from(FORMATS),
       flips=st.lists(st.tuples(st.integers(0, 2**32), st.sampled_from([1, 2, 4, 8, 16, 32, 64, 128]) |
                                st.integers(1, 255)), min_size=1, max_size=3))
def test_flipped_bytes_are_refused_or_harmless(sample, fmt, flips, folder):
    obj, data = original(sample, fmt)
    data = bytearray(data)
    for position, mask in flips:
        data[position % len(data)] ^= mask
    outcome(fmt, bytes(data), folder, original=obj)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_single_bit_flip_of_a_small_file(fmt, folder):
    """Flip the lowest bit of every byte of a small file in turn (``0.5`` becomes ``0.4`` in JSON text, a
    length or a CRC changes in a zip): each is refused or harmless; some are harmless (a MAT-file's text
    header, a zip timestamp, a JSON space) and most are refused."""
    obj, data = original("group_matrix", fmt)
    results = []
    for position in range(0, len(data), 1 if fmt == "json" else 3):
        flipped = bytearray(data)
        flipped[position] ^= 1
        results.append(outcome(fmt, bytes(flipped), folder, original=obj))
    refused = sum(isinstance(r, str) for r in results)
    assert refused > len(results) // 2


@robust(40)
@given(sample=st.sampled_from(sorted(SAMPLES)), fmt=st.sampled_from(FORMATS), cut=st.floats(0, 1, exclude_max=True))
def test_truncated_files_are_refused(sample, fmt, cut, folder):
    obj, data = original(sample, fmt)
    assert outcome(fmt, data[: int(cut * len(data))], folder, original=obj) == "refused"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_the_originals_load_within_the_budget(sample, fmt, folder):
    obj, data = original(sample, fmt)
    assert not isinstance(outcome(fmt, data, folder, original=obj), str)


# ---------------------------------------------------------------------------------------------- crafted
def _paths(value, prefix=()):
    """Every path (a tuple of keys and indices) inside a JSON value."""
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


def _replace(value, path, new):
    if not path:
        return new
    container = value
    for key in path[:-1]:
        container = container[key]
    container[path[-1]] = new
    return value


def crafted(fmt: str, arrays: dict, header: dict) -> bytes:
    """The file of a bundle with any header and arrays (written as groupmat's writers lay them out)."""
    header = dict(header)
    header["checksum"] = bundle.checksum(arrays, header)
    if fmt == "json":
        def entry(v):
            flat = v.reshape(-1)
            data = np.stack([flat.real, flat.imag], axis=1).tolist() if v.dtype.kind == "c" else flat.tolist()
            return {"dtype": "text" if v.dtype.kind == "U" else v.dtype.str, "shape": list(v.shape), "data": data}

        return json.dumps({"meta": header, "arrays": {k: entry(v) for k, v in arrays.items()}}).encode()
    f = io.BytesIO()
    if fmt == "npz":
        np.savez(f, meta=np.array(json.dumps(header)), **{f"a_{k}": v for k, v in arrays.items()})
    else:
        from scipy.io import savemat

        from groupmat.io.matlab import _variable

        payload = {_variable(k): (json.dumps(v.reshape(-1).tolist()) if v.dtype.kind == "U" else
                                  v.astype(np.uint8) if v.dtype.kind == "b" else v) for k, v in arrays.items()}
        savemat(f, {**payload, "groupmat_meta": json.dumps(header)}, oned_as="row")
    return f.getvalue()


@robust(120)
@given(sample=st.sampled_from(sorted(SAMPLES)), fmt=st.sampled_from(FORMATS), where=st.integers(0, 10**6),
       new=json_values)
def test_crafted_headers_are_refused_or_checked(sample, fmt, where, new, folder):
    """One entry of the header replaced by any JSON value (the checksum recomputed)."""
    _, arrays, header = bundle.encode(original(sample, fmt)[0])
    paths = [p for p in _paths(header) if p[:1] not in (("format",), ("checksum",))]
    header = _replace(json.loads(json.dumps(header)), paths[where % len(paths)], new)
    if not isinstance(header, dict):
        header = {"format": "groupmat-export", "version": 2, "kind": header}
    outcome(fmt, crafted(fmt, arrays, header), folder)


array_values = st.one_of(
    hnp.arrays(st.sampled_from([np.int8, np.int64, np.uint16, np.float64, np.complex128, np.bool_]),
               hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5)),
    st.lists(st.sampled_from(BOMBS), min_size=1, max_size=3).map(lambda xs: np.array(xs)),
)


@robust(60)
@given(sample=st.sampled_from(sorted(SAMPLES)), fmt=st.sampled_from(FORMATS), which=st.integers(0, 100),
       new=array_values)
def test_crafted_arrays_are_refused_or_checked(sample, fmt, which, new, folder):
    """One array replaced by any array (shapes, dtypes and checksum declared to match)."""
    _, arrays, header = bundle.encode(original(sample, fmt)[0])
    name = sorted(arrays)[which % len(arrays)] if arrays else "data"
    arrays[name] = new
    header["shapes"][name] = list(new.shape)
    header["dtypes"][name] = "text" if new.dtype.kind == "U" else new.dtype.str
    header["exact"] = sorted((set(header["exact"]) | {name}) if new.dtype.kind == "U" else
                             set(header["exact"]) - {name})
    outcome(fmt, crafted(fmt, arrays, header), folder)


@pytest.mark.parametrize("fmt", FORMATS)
def test_crafted_extremes(fmt, folder):
    """Huge declared shapes, deep nesting, wrong kinds, exact-text bombs: our error at once."""
    _, arrays, header = bundle.encode(np.arange(3.0))
    cases = []
    h = json.loads(json.dumps(header))
    h["shapes"]["data"] = [10**6, 10**6]
    cases.append((arrays, h, "GROUPMAT_MAX_BYTES"))
    h = json.loads(json.dumps(header))
    nested: list = []
    for _ in range(200):
        nested = [nested]
    h["user"]["deep"] = nested
    cases.append((arrays, h, "nested too deeply"))
    for kind in ("group", "representation", "character_table", "sparse", "group_ldr", "sympy_matrix", "robot"):
        h = json.loads(json.dumps(header))
        h["kind"] = kind
        cases.append((arrays, h, "corrupted"))
    for bomb in NUMBER_BOMBS:
        h = json.loads(json.dumps(header))
        h["dtypes"]["data"], h["exact"], h["shapes"]["data"] = "text", ["data"], [1]
        cases.append(({"data": np.array([bomb])}, h, "exact value"))
    for arrs, h, message in cases:
        start = time.perf_counter()
        with pytest.raises(ValueError, match=message):
            load(fmt, crafted(fmt, arrs, h), folder)
        assert time.perf_counter() - start < HANG_GUARD


def _npz_with(members: dict) -> bytes:
    """A zip of raw ``.npy`` members (name -> bytes)."""
    f = io.BytesIO()
    with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return f.getvalue()


def _npy(arr, shape_override=None) -> bytes:
    f = io.BytesIO()
    np.save(f, arr, allow_pickle=True)
    data = f.getvalue()
    if shape_override is not None:                   # rewrite the declared shape in the .npy header
        old = repr(arr.shape).encode()
        new = repr(shape_override).encode()
        start = data.index(b"'shape': ") + len(b"'shape': ")
        header_end = data.index(b"\n")
        header = data[:start] + data[start:header_end + 1].replace(old, new, 1)
        pad = (64 - len(header) % 64) % 64
        header = header[:-1] + b" " * pad + b"\n"
        header = header[:8] + (len(header) - 10).to_bytes(2, "little") + header[10:]
        data = header + data[header_end + 1:]
    return data


def test_npz_members_are_checked_before_they_are_read(folder):
    _, arrays, header = bundle.encode(np.arange(3.0))
    header["checksum"] = bundle.checksum(arrays, header)
    meta = _npy(np.array(json.dumps(header)))
    good = _npy(arrays["data"])
    assert np.array_equal(load("npz", _npz_with({"meta.npy": meta, "a_data.npy": good}), folder)[0], np.arange(3.0))
    huge = dict(header, shapes={"data": [10**12]})
    huge["checksum"] = bundle.checksum({"data": np.zeros(0)}, huge)
    cases = [
        ({"meta.npy": meta, "a_data.npy": _npy(np.arange(3.0), (10**12,))},
         r"holds float64 of shape \(1000000000000,\), but its metadata declares float64 of shape \(3,\)"),
        ({"meta.npy": _npy(np.array(json.dumps(huge))), "a_data.npy": _npy(np.arange(3.0), (10**12,))},
         "would take 7.3 TiB.*GROUPMAT_MAX_BYTES"),
        ({"meta.npy": meta, "a_data.npy": _npy(np.arange(3.0), (4,))}, "declares float64 of shape"),
        ({"meta.npy": meta, "a_data.npy": _npy(np.array([1.0, None, "x"], dtype=object))}, "no objects or pickles"),
        ({"meta.npy": meta, "a_data.npy": good + b"\0" * 10**7}, "data after the end of the array"),  # a zip bomb
        ({"meta.npy": meta, "a_data.npy": good[:-5]}, "ends after"),
        ({"meta.npy": meta, "a_data.npy": good, "a_more.npy": good}, "does not declare"),
        ({"meta.npy": meta, "a_data.npy": good, "notes.txt": b"hi"}, "unexpected member 'notes.txt'"),
        ({"a_data.npy": good}, "has no 'meta' header"),
        ({"meta.npy": _npy(np.array([json.dumps(header)])), "a_data.npy": good}, "the metadata must be one text"),
        ({"meta.npy": _npy(np.array("[" * 5000 + "]" * 5000)), "a_data.npy": good}, "nested too deeply"),
    ]
    for members, message in cases:
        start = time.perf_counter()
        with pytest.raises(ValueError, match=message):
            load("npz", _npz_with(members), folder)
        assert time.perf_counter() - start < HANG_GUARD


def test_devices_pipes_and_folders_are_refused_before_they_are_opened(tmp_path):
    """load_npz("/dev/zero") read until memory ran out and a FIFO blocked for ever: both loaders now refuse
    anything but a regular file, naming the path, before opening it. Run in a child process under a 2 GB
    address-space limit and the hang guard, so that a regression fails instead of eating memory or hanging."""
    import subprocess
    import sys

    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    targets = ["/dev/zero", str(fifo), str(tmp_path)]
    code = f"""
import resource, groupmat as gm
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
for load in (gm.load_npz, gm.load_mat):
    for target in {targets!r}:
        try:
            load(target)
            print("LOADED", target)
        except ValueError as err:
            print("REFUSED", str(err))
        except BaseException as err:
            print("OTHER", type(err).__name__, str(err)[:200])
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=6 * HANG_GUARD)
    lines = out.stdout.splitlines()
    kinds = ["a character device", "a pipe (FIFO)", "a folder"]
    expected = [f"REFUSED path {t!r} is not a regular file ({k}); groupmat reads only regular files"
                for t, k in zip(targets, kinds)] * 2
    assert lines == expected, (out.stdout, out.stderr[-2000:])
    with pytest.raises(FileNotFoundError, match="no such file"):
        gm.load_npz(tmp_path / "missing.npz")
