"""The file formats of a bundle (groupmat.io.npz, groupmat.io.matlab, groupmat.io.json_text): a save replaces its
target whole or not at all; folders and devices are refused; the suffix rule; other versions, files without a
checksum, truncated, corrupted or foreign files and bad input to the writers get clear errors; no pickle anywhere."""
from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import textwrap
import zipfile

import numpy as np
import pytest
import sympy
from io_objects import OBJECTS

import groupmat as gm
import groupmat.io.json_text


def _rewrite_npz(src, dst, change):
    with np.load(src, allow_pickle=False) as f:
        contents = {k: f[k] for k in f.files}
    change(contents)
    np.savez(dst, **contents)


SAVERS = {"npz": (gm.save_npz, gm.load_npz), "mat": (gm.save_mat, gm.load_mat)}


# ---------------------------------------------------------------------------------------------- paths
@pytest.mark.parametrize("fmt", list(SAVERS))
def test_the_suffix_is_appended_when_the_name_lacks_it(fmt, tmp_path):
    """``.npz``/``.mat`` is appended unless the file name already ends in it (in any letter case); the
    path returned is the file written."""
    save, load = SAVERS[fmt]
    for given, written in (("a", f"a.{fmt}"), (f"b.{fmt}", f"b.{fmt}"), (f"c.{fmt.upper()}", f"c.{fmt.upper()}"),
                           ("d.txt", f"d.txt.{fmt}"), (f"e.{fmt}.bak", f"e.{fmt}.bak.{fmt}")):
        path = save(tmp_path / given, np.arange(3.0))
        assert path == str(tmp_path / written)
        assert np.array_equal(load(path), np.arange(3.0))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"a.{fmt}", f"b.{fmt}", f"c.{fmt.upper()}", f"d.txt.{fmt}", f"e.{fmt}.bak.{fmt}"])
    assert save(str(tmp_path / "f"), np.zeros(1)) == str(tmp_path / f"f.{fmt}")      # str paths too


@pytest.mark.parametrize("fmt", list(SAVERS))
def test_folders_devices_and_missing_folders_are_refused_before_writing(fmt, tmp_path):
    """Before issue 12, save_npz('/dev/full') created /dev/full.npz and a folder got a sibling 'folder.npz'."""
    save, _ = SAVERS[fmt]
    for device in ("/dev/full", "/dev/null"):
        if os.path.exists(device):
            with pytest.raises(ValueError, match="not a regular file"):
                save(device, np.zeros(2))
            assert not os.path.exists(f"{device}.{fmt}")
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(ValueError, match="is a folder"):
        save(folder, np.zeros(2))
    with pytest.raises(ValueError, match="does not exist"):
        save(tmp_path / "missing" / "a", np.zeros(2))
    with pytest.raises(TypeError, match="file path"):
        save(3, np.zeros(2))
    assert [p.name for p in tmp_path.iterdir()] == ["out"] and list(folder.iterdir()) == []


# ---------------------------------------------------------------------------------------------- safe saves
@pytest.mark.parametrize("fmt", list(SAVERS))
def test_a_failed_write_leaves_the_previous_file_loadable(fmt, tmp_path):
    """A child process with a file size limit (RLIMIT_FSIZE, as on a full disk) fails to save a large
    object over a small file: the small file still loads, and no partial file remains."""
    save, load = SAVERS[fmt]
    path = save(tmp_path / "data", np.arange(3.0))
    code = textwrap.dedent(f"""
        import resource, signal
        import numpy as np
        import groupmat as gm
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        big = np.random.default_rng(0).normal(size=200000)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))
        try:
            gm.save_{fmt}({path!r}, big)
        except OSError as err:
            print("refused", err.errno)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "refused" in out.stdout, out.stderr[-2000:]
    assert np.array_equal(load(path), np.arange(3.0))
    assert [p.name for p in tmp_path.iterdir()] == [f"data.{fmt}"]


@pytest.mark.parametrize("fmt", list(SAVERS))
def test_an_error_while_writing_or_encoding_leaves_the_previous_file(fmt, tmp_path, monkeypatch):
    save, load = SAVERS[fmt]
    path = save(tmp_path / "data", np.arange(3.0))
    before = open(path, "rb").read()
    # the writer (numpy's or scipy's) writes half a file, then fails
    public = ("numpy", "savez_compressed") if fmt == "npz" else ("scipy.io", "savemat")

    def half_then_fail(file, *args, **kwargs):
        f = open(file, "wb") if isinstance(file, (str, os.PathLike)) else file
        f.write(before[: len(before) // 2])
        f.flush()
        raise OSError("the writer died")

    with monkeypatch.context() as m:
        m.setattr(importlib.import_module(public[0]), public[1], half_then_fail)
        with pytest.raises(OSError, match="the writer died"):
            save(path, np.arange(5.0))
    # encoding fails (an exact value outside the exact-text grammar): refused before anything is written
    with pytest.raises(ValueError, match="cannot write the exact value"):
        save(path, np.array([sympy.gamma(sympy.Rational(1, 3))], dtype=object))
    assert open(path, "rb").read() == before and np.array_equal(load(path), np.arange(3.0))
    assert [p.name for p in tmp_path.iterdir()] == [f"data.{fmt}"]


def test_save_mat_refuses_dtypes_it_cannot_read_back_before_writing(tmp_path):
    """scipy.io.savemat stores longdouble as double (precision lost): refused before anything is written,
    by every format (longdouble differs between platforms). float16 goes through double exactly."""
    for dtype in (np.longdouble, np.clongdouble):
        if np.dtype(dtype).itemsize <= {"f": 8, "c": 16}[np.dtype(dtype).kind]:
            continue                                  # platforms where longdouble is double
        for save in (gm.save_mat, gm.save_npz):
            with pytest.raises(TypeError, match="longdouble"):
                save(tmp_path / "x", np.ones(3, dtype=dtype))
        with pytest.raises(TypeError, match="longdouble"):
            gm.to_json(np.ones(3, dtype=dtype))
    assert list(tmp_path.iterdir()) == []
    half = np.array([0.1, -65504.0, 2.0**-24, 0.0], dtype=np.float16)
    for save, load in SAVERS.values():
        back = load(save(tmp_path / "h", half))
        assert back.dtype == np.float16 and np.array_equal(back, half)
    assert np.array_equal(gm.from_json(gm.to_json(half)), half)


# ---------------------------------------------------------------------------------------------- checksums
def _without_checksum_npz(path, dst):
    def drop(c):
        meta = json.loads(str(c["meta"]))
        del meta["checksum"]
        c["meta"] = np.array(json.dumps(meta))

    _rewrite_npz(path, dst, drop)


def test_a_file_without_a_checksum_needs_an_explicit_flag(tmp_path):
    from scipy.io import loadmat, savemat

    obj = gm.regular_representation(gm.dihedral(3))
    src = gm.save_npz(tmp_path / "a", obj)
    _without_checksum_npz(src, tmp_path / "b.npz")
    contents = loadmat(gm.save_mat(tmp_path / "a", obj))
    meta = json.loads(str(contents["groupmat_meta"][0]))
    del meta["checksum"]
    savemat(tmp_path / "b.mat", {"groupmat_meta": json.dumps(meta)})
    doc = json.loads(gm.to_json(obj))
    del doc["meta"]["checksum"]
    text = json.dumps(doc)
    for load, where in ((gm.load_npz, tmp_path / "b.npz"), (gm.load_mat, tmp_path / "b.mat"),
                        (gm.from_json, text)):
        with pytest.raises(ValueError, match="has no checksum.*allow_missing_checksum=True"):
            load(where)
        back = load(where, allow_missing_checksum=True)
        assert np.array_equal(back.perms, obj.perms) and back.regular_side == "left"
    # the flag never lets a wrong checksum through
    doc["meta"]["checksum"] = "0" * 64
    with pytest.raises(ValueError, match="does not match its SHA-256 checksum"):
        gm.from_json(json.dumps(doc), allow_missing_checksum=True)


def test_the_checksum_is_an_integrity_check_not_authentication(tmp_path):
    """An edit is caught; an edit with a recomputed checksum loads (what the docs say: anyone can recompute it)."""
    from groupmat.io import bundle

    doc = json.loads(gm.to_json(np.arange(3.0), author="me"))
    doc["meta"]["user"]["author"] = "someone else"
    with pytest.raises(ValueError, match="checksum"):
        gm.from_json(json.dumps(doc))
    doc["meta"]["checksum"] = bundle.checksum({"data": np.arange(3.0)}, doc["meta"])
    assert gm.from_json(json.dumps(doc), return_metadata=True)[1]["author"] == "someone else"


# ---------------------------------------------------------------------------------------------- versions
def test_other_format_version_is_refused(tmp_path):
    path = gm.save_npz(tmp_path / "a.npz", np.arange(3.0))

    def bump(c):
        meta = json.loads(str(c["meta"]))
        meta["version"] = 99
        c["meta"] = np.array(json.dumps(meta))

    _rewrite_npz(path, tmp_path / "b.npz", bump)
    with pytest.raises(ValueError, match="format version 99"):
        gm.load_npz(tmp_path / "b.npz")
    text = gm.to_json(np.arange(3.0)).replace('"version": 2', '"version": 3')
    with pytest.raises(ValueError, match="format version 3"):
        gm.from_json(text)


def test_version_1_bundles_are_still_read():
    """Version 1 stored groups by a spec string (their name) or a Cayley table; such files still load."""
    from groupmat.io import bundle

    D3 = gm.dihedral(3)
    _, arrays, header = bundle.encode(gm.regular_representation(D3))
    header["version"] = 1
    header["info"]["group"] = {"name": "D3", "order": 6, "class": "DihedralGroup", "spec": "D3",
                               "labels": list(D3.labels)}
    header["checksum"] = bundle.checksum(arrays, header)
    back = bundle.decode(arrays, header, "a version-1 bundle")
    assert type(back.group) is type(D3) and np.array_equal(back.perms, gm.regular_representation(D3).perms)
    T = np.asarray(D3.cayley_table())
    header["info"]["group"] = {"name": "T", "order": 6, "class": "TableGroup", "spec": None, "labels": None}
    arrays = {"group_table": T}
    header["shapes"], header["dtypes"] = {"group_table": [6, 6]}, {"group_table": T.dtype.str}
    header["kind"], header["info"] = "group", {"group": header["info"]["group"]}
    header["checksum"] = bundle.checksum(arrays, header)
    G = bundle.decode(arrays, header, "a version-1 bundle")
    assert np.array_equal(G.cayley_table(), T) and G.name == "T"


def test_truncated_and_corrupted_files_are_refused(tmp_path):
    rho = gm.regular_representation(gm.dihedral(8))
    for save, load, suffix in ((gm.save_npz, gm.load_npz, "npz"), (gm.save_mat, gm.load_mat, "mat")):
        path = save(tmp_path / f"r.{suffix}", rho)
        data = open(path, "rb").read()
        for cut in (len(data) // 2, len(data) - 7, 40):
            bad = tmp_path / f"cut{cut}.{suffix}"
            bad.write_bytes(data[:cut])
            with pytest.raises(ValueError):
                load(bad)
        flipped = bytearray(data)
        flipped[len(data) // 2] ^= 0xFF
        (tmp_path / f"flip.{suffix}").write_bytes(bytes(flipped))
        with pytest.raises(ValueError):
            load(tmp_path / f"flip.{suffix}")
    # a valid zip whose content was edited: caught by the checksum
    path = gm.save_npz(tmp_path / "m.npz", gm.group_matrix(gm.cyclic(4), np.arange(4.0)))

    def edit(c):
        c["a_data"] = c["a_data"].copy()
        c["a_data"][0, 0] = 7.0

    _rewrite_npz(path, tmp_path / "edited.npz", edit)
    with pytest.raises(ValueError, match="checksum"):
        gm.load_npz(tmp_path / "edited.npz")
    # an array removed
    _rewrite_npz(path, tmp_path / "missing.npz", lambda c: c.pop("a_data"))
    with pytest.raises(ValueError, match="missing"):
        gm.load_npz(tmp_path / "missing.npz")
    # not a groupmat file at all
    np.savez(tmp_path / "plain.npz", x=np.arange(3))
    with pytest.raises(ValueError, match="not a groupmat export"):
        gm.load_npz(tmp_path / "plain.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="corrupted or truncated"):
        gm.load_npz(tmp_path / "junk.npz")
    for load, suffix in ((gm.load_npz, "npz"), (gm.load_mat, "mat")):
        with pytest.raises(FileNotFoundError):
            load(tmp_path / f"nope.{suffix}")
    with zipfile.ZipFile(path) as z:
        assert all(not name.endswith(".pkl") for name in z.namelist())


def test_json_corruption():
    text = gm.to_json(np.array([sympy.Rational(1, 3)], dtype=object))
    with pytest.raises(ValueError, match="not valid JSON"):
        gm.from_json(text[: len(text) // 2])
    with pytest.raises(ValueError, match="JSON text is not a groupmat JSON export"):
        gm.from_json("[1, 2]")
    with pytest.raises(TypeError, match="JSON string"):
        gm.from_json(3)
    doc = json.loads(text)
    doc["arrays"]["data"]["dtype"] = "|O"
    with pytest.raises(ValueError, match="array 'data' must hold 1 values of dtype text"):
        gm.from_json(json.dumps(doc))
    doc = json.loads(text)
    doc["arrays"]["data"]["shape"] = [10**12]                       # a huge declared shape: refused at once
    with pytest.raises(ValueError, match="does not have the declared shape"):
        gm.from_json(json.dumps(doc))
    doc = json.loads(text)
    doc["meta"]["shapes"]["data"] = [10**12]
    with pytest.raises(gm.TooLargeError, match="array 'data' of JSON text"):
        gm.from_json(json.dumps(doc))
    with pytest.raises(ValueError, match="nested too deeply"):
        gm.from_json(text[:-1] + ', "x": ' + "[" * 100000 + "]" * 100000 + "}")


def test_bad_input_to_writers(tmp_path, monkeypatch):
    with pytest.raises(TypeError, match="metadata 'when' must be a JSON value"):
        gm.save_npz(tmp_path / "a", np.zeros(2), when=object())
    with pytest.raises(ValueError, match="must be finite"):
        gm.to_json(np.zeros(2), scale=float("nan"))
    with pytest.raises(ValueError, match="metadata key 'kind' is reserved"):
        gm.save_npz(tmp_path / "a", np.zeros(2), kind="mine")
    with pytest.raises(TypeError, match="metadata 'group' must be a FiniteGroup"):
        gm.save_mat(tmp_path / "a", np.zeros(2), group="D4")
    with pytest.raises(ValueError, match="finite values"):
        gm.to_json(np.array([np.inf]))
    monkeypatch.setattr(groupmat.io.json_text, "MAX_JSON_ENTRIES", 10)
    with pytest.raises(ValueError, match="use save_npz"):
        gm.to_json(np.zeros(11))
    with pytest.raises(TypeError, match="values must be numeric or SymPy"):
        gm.save_npz(tmp_path / "s", np.array(["text"]))


def test_files_hold_no_pickle(tmp_path):
    path = gm.save_npz(tmp_path / "e.npz", OBJECTS["exact_array"]())
    with np.load(path, allow_pickle=False) as f:
        assert all(f[k].dtype != object for k in f.files)


def test_npz_keeps_non_finite_values(tmp_path):
    arr = np.array([np.nan, np.inf, -np.inf, 1.0])
    back = gm.load_npz(gm.save_npz(tmp_path / "nan", arr))
    assert np.array_equal(back, arr, equal_nan=True)
