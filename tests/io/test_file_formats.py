"""The file formats of a bundle (groupmat.io.npz, groupmat.io.matlab, groupmat.io.json_text): other versions,
truncated, corrupted or foreign files and bad input to the writers get clear errors; no pickle anywhere."""
from __future__ import annotations

import json
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


def test_paths_get_their_suffix(tmp_path):
    assert gm.save_npz(tmp_path / "a", np.zeros(2)).endswith("a.npz")
    assert gm.save_mat(tmp_path / "b", np.zeros(2)).endswith("b.mat")
    assert gm.save_npz(str(tmp_path / "c.npz"), np.zeros(2)).endswith("c.npz")


def test_other_format_version_is_refused(tmp_path):
    path = gm.save_npz(tmp_path / "a.npz", np.arange(3.0))

    def bump(c):
        meta = json.loads(str(c["meta"]))
        meta["version"] = 99
        c["meta"] = np.array(json.dumps(meta))

    _rewrite_npz(path, tmp_path / "b.npz", bump)
    with pytest.raises(ValueError, match="format version 99"):
        gm.load_npz(tmp_path / "b.npz")
    text = gm.to_json(np.arange(3.0)).replace('"version": 1', '"version": 2')
    with pytest.raises(ValueError, match="format version 2"):
        gm.from_json(text)


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
    with pytest.raises(ValueError, match="not a groupmat JSON export"):
        gm.from_json("[1, 2]")
    with pytest.raises(TypeError, match="JSON string"):
        gm.from_json(3)
    doc = json.loads(text)
    doc["arrays"]["data"]["dtype"] = "|O"
    with pytest.raises(ValueError, match="array 'data' cannot be read"):
        gm.from_json(json.dumps(doc))


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
