"""In-memory conversion (groupmat.io.convert): to_numpy of every kind; to_scipy_sparse keeps permutations sparse."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from io_objects import OBJECTS, exact_rep_c3, ldr_dense_reference, make_ldr

import groupmat as gm
from groupmat.io.convert import object_kind


def test_to_numpy_of_every_kind():
    G = gm.dihedral(3)
    rho = gm.regular_representation(G)
    assert np.array_equal(gm.to_numpy(rho)[1], rho(1))
    assert np.array_equal(gm.to_numpy(G), G.cayley_table())
    ldr = make_ldr(G)
    assert np.allclose(gm.to_numpy(ldr), ldr_dense_reference(G, ldr.b, ldr.U, ldr.V))
    ct = gm.character_table(gm.symmetric(3))
    values = gm.to_numpy(ct)
    assert values.shape == (3, 3)
    assert any(np.allclose(row, [2, 0, -1]) for row in values)     # S3's 2-dimensional character
    assert gm.to_numpy(ct, exact=True).dtype == object
    exact = gm.to_numpy(exact_rep_c3(), exact=True)
    assert exact.dtype == object
    assert np.allclose(gm.to_numpy(exact_rep_c3())[1], [[-0.5, -np.sqrt(3) / 2], [np.sqrt(3) / 2, -0.5]])
    assert np.array_equal(gm.to_numpy(sp.csr_array(np.eye(2))), np.eye(2))
    with pytest.raises(TypeError, match="obj must be a groupmat object"):
        gm.to_numpy(object())


def test_a_transposed_gm_ldr_matrix_is_a_gm_ldr_object():
    """M.T is recognised as (the transpose of) a GM-LDR matrix, converted through its dense matrix and
    saved by its parameters (not as a dense array; see test_bundle_format)."""
    M = make_ldr(gm.dihedral(3))
    T = M.T
    assert object_kind(T) == "group_ldr"
    dense = ldr_dense_reference(M.group, M.b, M.U, M.V)
    assert np.allclose(gm.to_numpy(T), dense.T)
    assert np.allclose(gm.to_scipy_sparse(T).toarray(), dense.T)


def test_to_scipy_sparse_keeps_permutations_sparse():
    G = gm.group("C32xC32")
    rho = gm.regular_representation(G)
    mats = gm.to_scipy_sparse(rho, format="csc")
    assert rho.nbytes == rho.perms.nbytes and len(mats) == 1024 and mats[0].format == "csc"
    g = 37
    x = np.random.default_rng(0).normal(size=1024)
    assert np.allclose(mats[g] @ x, rho.apply(g, x))
    M = gm.to_scipy_sparse(gm.group_matrix(gm.cyclic(3), [1.0, 0.0, 2.0]), format="coo")
    assert M.format == "coo" and M.nnz == 6
    basis = gm.to_scipy_sparse(OBJECTS["equivariant_basis"]())
    assert len(basis) == 4 and basis[1].nnz == 4
    with pytest.raises(ValueError, match="format must be one of"):
        gm.to_scipy_sparse(M, format="dense")
    with pytest.raises(ValueError, match="1-, 2- or 3-dimensional"):
        gm.to_scipy_sparse(np.zeros((2, 2, 2, 2)))
