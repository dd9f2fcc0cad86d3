"""Export and import of groupmat objects: one module per idea.

=====================================  ===============================================================
:mod:`groupmat.io.convert`             in-memory conversion: :func:`to_numpy`, :func:`to_scipy_sparse`
:mod:`groupmat.io.frameworks`          bridges to PyTorch, JAX and DLPack (imported on first use):
                                       :func:`to_torch`, :func:`to_jax`, :func:`to_dlpack`,
                                       :func:`from_dlpack`
:mod:`groupmat.io.bundle`              the bundle format: any object as arrays plus a JSON header
                                       (checksum, exact values as text), and back
:mod:`groupmat.io.npz`                 the bundle in a ``.npz`` file: :func:`save_npz`, :func:`load_npz`
:mod:`groupmat.io.matlab`              the bundle in a MATLAB ``.mat`` file: :func:`save_mat`,
                                       :func:`load_mat`
:mod:`groupmat.io.json_text`           the bundle as JSON text: :func:`to_json`, :func:`from_json`
:mod:`groupmat.io.latex`               LaTeX of small objects: :func:`to_latex`
=====================================  ===============================================================

Every converter takes the same objects: arrays (group matrices, equivariant bases...),
``sympy.Matrix``, SciPy sparse matrices, representations (permutation representations stay index
arrays), GM-LDR matrices, character tables and finite groups (their Cayley table).

Examples
--------
>>> import groupmat as gm, os, tempfile
>>> rho = gm.regular_representation(gm.dihedral(3))
>>> gm.io.to_numpy(rho).shape
(6, 6, 6)
>>> back = gm.io.load_npz(gm.io.save_npz(os.path.join(tempfile.mkdtemp(), "d3"), rho))
>>> back.regular_side, back.group.name
('left', 'D3')
"""
from .convert import to_numpy, to_scipy_sparse
from .frameworks import from_dlpack, to_dlpack, to_jax, to_torch
from .json_text import from_json, to_json
from .latex import to_latex
from .matlab import load_mat, save_mat
from .npz import load_npz, save_npz

__all__ = ["to_numpy", "to_scipy_sparse", "to_torch", "to_jax", "to_dlpack", "from_dlpack", "save_npz",
           "load_npz", "save_mat", "load_mat", "to_json", "from_json", "to_latex"]
