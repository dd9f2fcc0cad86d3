"""Framework bridges (groupmat.io.frameworks): PyTorch, JAX and DLPack; the core imports none of them."""
from __future__ import annotations

import numpy as np
import pytest
from io_objects import OBJECTS, exact_rep_c3

import groupmat as gm


def test_to_torch_dense_and_sparse():
    torch = pytest.importorskip("torch")
    G = gm.dihedral(4)
    rho = gm.regular_representation(G)
    T = gm.to_torch(rho, sparse=True)
    assert T.is_sparse and T._nnz() == 64 and rho.nbytes == rho.perms.nbytes    # no dense images were made
    assert torch.equal(T.to_dense(), torch.from_numpy(rho.matrices))
    D = gm.to_torch(rho, dtype=torch.float32, device="cpu")
    assert D.dtype == torch.float32 and D.shape == (8, 8, 8)
    S = gm.to_torch(gm.group_matrix(gm.cyclic(8), np.r_[1.0, np.zeros(7)], sparse=True), sparse=True)
    assert torch.equal(S.to_dense(), torch.eye(8, dtype=torch.float64))
    E = gm.to_torch(exact_rep_c3())
    assert E.dtype == torch.float64
    Z = gm.to_torch(OBJECTS["complex_array"](), sparse=True)
    assert Z.dtype == torch.complex128 and torch.allclose(Z.to_dense(), gm.to_torch(OBJECTS["complex_array"]()))
    M = gm.group_matrix(G, np.arange(8.0))
    t = gm.to_torch(M)
    t[0, 0] = 99.0
    assert M[0, 0] == 0.0                              # no shared memory


def test_to_torch_refuses_a_real_dtype_for_complex_values():
    torch = pytest.importorskip("torch")
    import warnings

    chi = gm.irreps(gm.cyclic(3))[1]                   # a complex character of C3
    for sparse in (False, True):
        with pytest.raises(ValueError, match=r"dtype=torch.float32 is real.*imaginary"):
            gm.to_torch(chi, dtype=torch.float32, sparse=sparse)
        with pytest.raises(ValueError, match=r"dtype=torch.float64 is real"):
            gm.to_torch(OBJECTS["complex_array"](), dtype=torch.float64, sparse=sparse)
        Z = gm.to_torch(chi, dtype=torch.complex64, sparse=sparse)
        assert Z.dtype == torch.complex64
        assert np.allclose((Z.to_dense() if sparse else Z).numpy(), chi.matrices, atol=1e-6)
    # complex storage with zero imaginary parts converts without any warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        T = gm.to_torch(np.eye(3) + 0j, dtype=torch.float32)
    assert T.dtype == torch.float32 and torch.equal(T, torch.eye(3))


def test_dlpack_interop():
    torch = pytest.importorskip("torch")
    M = gm.group_matrix(gm.dihedral(5), np.arange(10.0))
    cap = gm.io.to_dlpack(M)
    assert torch.equal(torch.from_dlpack(cap), torch.from_numpy(M))
    rho = gm.regular_representation(gm.cyclic(3))
    rho.matrices.setflags(write=False)
    a = gm.io.to_dlpack(rho)
    assert a.flags.writeable and a.flags.c_contiguous and torch.from_dlpack(a).shape == (3, 3, 3)
    back = gm.io.from_dlpack(torch.arange(4.0))
    assert back.tolist() == [0.0, 1.0, 2.0, 3.0]
    with pytest.raises(TypeError, match="DLPack"):
        gm.io.from_dlpack([1, 2])
    with pytest.raises(TypeError, match="values must be numeric or SymPy"):
        gm.io.to_dlpack(np.array(["a"]))


def test_to_jax_without_jax_names_the_extra(monkeypatch):
    import sys

    # hide jax (installed or not): a None entry in sys.modules makes its import fail
    monkeypatch.setitem(sys.modules, "jax", None)
    monkeypatch.setitem(sys.modules, "jax.numpy", None)
    with pytest.raises(ImportError, match=r"pip install 'groupmat\[jax\]'"):
        gm.to_jax(np.eye(2))


def test_to_jax_when_installed():
    jnp = pytest.importorskip("jax.numpy")
    import jax

    M = gm.group_matrix(gm.cyclic(4), np.arange(4.0))
    J = gm.to_jax(M, dtype=jnp.float32)
    assert isinstance(J, jax.Array) and J.shape == (4, 4) and J.dtype == jnp.float32
    assert bool(jnp.all(J[1] == jnp.asarray([3.0, 0.0, 1.0, 2.0])))  # M[g, h] = x(g^-1 h) on C4
    S = gm.to_jax(gm.regular_representation(gm.cyclic(4)), sparse=True, dtype=jnp.float32)
    assert np.array_equal(np.asarray(S.todense()), gm.regular_representation(gm.cyclic(4)).matrices)
    # a real dtype for complex values is refused, naming the dtype (no silent loss of the imaginary part)
    chi = gm.irreps(gm.cyclic(3))[1]
    with pytest.raises(ValueError, match="dtype=.*float32.* is real.*imaginary"):
        gm.to_jax(chi, dtype=jnp.float32)
    assert np.allclose(np.asarray(gm.to_jax(chi, dtype=jnp.complex64)), chi.matrices, atol=1e-6)


def _x64(enabled: bool):
    import contextlib

    import jax

    @contextlib.contextmanager
    def switch():
        before = jax.config.read("jax_enable_x64")
        jax.config.update("jax_enable_x64", enabled)
        try:
            yield
        finally:
            jax.config.update("jax_enable_x64", before)

    return switch()


def test_to_jax_never_rounds_float64_to_float32_silently():
    """Before issue 12, to_jax of float64 data gave float32 when JAX's x64 was off (JAX's default)."""
    jnp = pytest.importorskip("jax.numpy")
    M = gm.group_matrix(gm.cyclic(4), np.arange(4.0) + 1 / 3)
    with _x64(False):
        enable = r'jax\.config\.update\("jax_enable_x64", True\).*dtype=jax\.numpy\.float32'
        for obj, sparse in ((M, False), (gm.regular_representation(gm.cyclic(4)), True),
                            (OBJECTS["complex_array"](), False)):
            with pytest.raises(ValueError, match=enable):
                gm.to_jax(obj, sparse=sparse)
        with pytest.raises(ValueError, match="dtype=float64 was asked for"):
            gm.to_jax(M, dtype=jnp.float64)
        assert gm.to_jax(M, dtype=jnp.float32).dtype == jnp.float32       # rounding asked for: done
        assert gm.to_jax(gm.cyclic(5)).dtype == jnp.int8                  # integers that fit: kept
        assert np.array_equal(np.asarray(gm.to_jax(np.arange(4))), np.arange(4))   # int64 -> int32, lossless
        with pytest.raises(ValueError, match="does not fit.*x64 is disabled"):
            gm.to_jax(np.array([2**40]))
    with _x64(True):
        J = gm.to_jax(M)
        assert J.dtype == jnp.float64 and np.array_equal(np.asarray(J), M)
        assert gm.to_jax(np.array([2**40]))[0] == 2**40


def test_to_torch_takes_dtype_names():
    torch = pytest.importorskip("torch")
    M = gm.group_matrix(gm.cyclic(4), np.arange(4.0))
    for name, expected in (("float32", torch.float32), ("torch.float64", torch.float64), ("int64", torch.int64),
                           ("torch.int16", torch.int16), ("complex64", torch.complex64), ("double", torch.float64),
                           (np.float32, torch.float32), (np.dtype("uint8"), torch.uint8)):
        T = gm.to_torch(M, dtype=name)
        assert T.dtype == expected and np.array_equal((T.real if T.is_complex() else T).to(torch.float64).numpy(), M)
        S = gm.to_torch(M, dtype=name, sparse=True)
        assert S.dtype == expected and torch.equal(S.to_dense(), T)
    with pytest.raises(ValueError, match="'float31' names no torch dtype"):
        gm.to_torch(M, dtype="float31")
    with pytest.raises(ValueError, match="names no torch dtype"):
        gm.to_torch(M, dtype="nn")
    with pytest.raises(TypeError, match="dtype must be a torch.dtype"):
        gm.to_torch(M, dtype=3.5)


@pytest.mark.parametrize("values, dtype, message", [
    ([0.5, 1.0], "int64", r"would truncate non-integer values \(e\.g\. 0\.5\)"),
    ([1.0, np.nan], "int32", "NaN or infinity"),
    ([300.0], "uint8", "range from 300.0 to 300.0.*from 0 to 255"),
    ([-1], "uint8", "from 0 to 255"),
    ([2**40], "int32", "does not fit dtype=torch.int32"),
    ([2.0**63], "int64", "does not fit dtype=torch.int64"),
    ([2.0, 0.0], "bool", "does not fit dtype=torch.bool"),
    ([1e40], "float32", "overflow dtype=torch.float32"),
    ([70000.0], "float16", "overflow dtype=torch.float16"),
    ([1 + 2j], "int64", "is real, but the values have a non-zero imaginary part"),
])
def test_to_torch_refuses_lossy_casts(values, dtype, message):
    """Before issue 12, to_torch([0.5], dtype=torch.int64) gave 0 and [300.0] to uint8 gave 44."""
    pytest.importorskip("torch")
    for sparse in (False, True):
        with pytest.raises(ValueError, match=message):
            gm.to_torch(np.array(values), dtype=dtype, sparse=sparse)


def test_to_torch_lossless_integer_casts_are_made():
    torch = pytest.importorskip("torch")
    T = gm.to_torch(np.array([1.0, -2.0, 255.0]), dtype="int16")
    assert T.dtype == torch.int16 and T.tolist() == [1, -2, 255]
    assert gm.to_torch(np.array([0.0, 1.0]), dtype="bool").tolist() == [False, True]
    assert gm.to_torch(np.eye(2) + 0j, dtype="int8").tolist() == [[1, 0], [0, 1]]
    assert gm.to_torch(np.array([np.inf, 1.0]), dtype="float32").tolist() == [np.inf, 1.0]   # inf stays inf
    table = gm.to_torch(gm.cyclic(200), dtype="uint8")
    assert table.dtype == torch.uint8 and table[199, 1].item() == 0


def test_import_groupmat_loads_no_optional_dependency():
    import subprocess
    import sys

    code = ("import sys, groupmat, groupmat.io; "
            "bad = [m for m in ('torch', 'jax', 'matplotlib') if m in sys.modules]; "
            "assert not bad, bad; print('ok')")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr[-2000:]


def test_to_torch_refuses_integers_a_float_dtype_cannot_hold():
    """to_torch(np.array([2**24 + 1]), dtype="float32") gave 16777216 silently: an integer that the float's
    significand cannot hold is refused, naming it and the dtype. Which integers are refused is checked
    against torch's own cast (refused exactly when the cast changes the value)."""
    torch = pytest.importorskip("torch")
    import math

    with pytest.raises(ValueError, match=r"dtype=torch.float32 cannot hold the integer 16777217 exactly"):
        gm.to_torch(np.array([2**24 + 1]), dtype="float32")
    with pytest.raises(ValueError, match=r"torch.complex128 cannot hold the integer 9007199254740993 exactly .*; pass an integer dtype"):
        gm.to_torch(gm.group_matrix(gm.cyclic(2), np.array([1, 2**53 + 1])), dtype="complex128", sparse=True)
    rng = np.random.default_rng(7)
    values = np.concatenate([rng.integers(-2**62, 2**62, 40), rng.integers(-2**12, 2**12, 40) << rng.integers(0, 50, 40),
                             np.array([0, 1, -1, 2**24, 2**24 + 1, 2**24 + 2, 2**53, 2**53 + 1, -2**63, 2**63 - 1,
                                       2048, 2049, 256, 257, 65504, 65505])])
    for dtype in (torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.complex64):
        for v in values.tolist():
            x = torch.tensor([v], dtype=torch.int64).to(dtype)[0]
            x = x.real.item() if dtype.is_complex else x.item()
            exact = math.isfinite(x) and int(x) == v
            try:
                out = gm.to_torch(np.array([v], dtype=np.int64), dtype=dtype)
            except ValueError as err:
                message = str(err)
                assert not exact and str(dtype) in message, (dtype, v, message)
                assert f"cannot hold the integer {v} exactly" in message or "overflow" in message, message
            else:
                assert exact and int(out.real[0].item() if dtype.is_complex else out[0].item()) == v, (dtype, v)
