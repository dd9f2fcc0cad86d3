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
arrays), GM-LDR matrices and their transposes, character tables and finite groups.

What the file formats promise
-----------------------------
``.npz`` (:func:`save_npz`), ``.mat`` (:func:`save_mat`) and JSON (:func:`to_json`) hold the same
bundle (:mod:`groupmat.io.bundle`), and:

- **A save never destroys the file it replaces.** The file is written to a temporary file in the
  same folder, flushed to disk and renamed over the target: after a failed write (full disk, size
  limit, an exception, an interrupt) the previous file is untouched and no partial file remains. A
  folder, a device (``/dev/full``) or a path in a missing folder is refused before anything is
  written. ``.npz``/``.mat`` is appended unless the file name already ends in it (in any letter
  case); the path actually written is returned.
- **Objects come back as what they were**: the same class (groups, permutation, irreducible and
  regular representations, GM-LDR matrices and their transposes, character tables, sparse matrices
  of the same format, SymPy matrices), values bit for bit (exact values exactly), dtypes kept
  (booleans, integers, float16/32/64, complex64/128; ``longdouble`` is refused before writing).
- **Groups are stored by their description, never by enumerating them**: cyclic, dihedral,
  dicyclic and sign groups by their parameter, symmetric and alternating groups by ``n``, other
  permutation groups by their generators, products by their factors, subgroups by their parent and
  embedding, always with name and generators (``cyclic(10**9)`` takes a few bytes). Only a group
  given by nothing but a Cayley table is stored by its table, refused with ``TooLargeError`` when
  that is over ``GROUPMAT_MAX_BYTES``.
- **Reading never runs code and never allocates beyond the budget.** No pickle; exact values are
  parsed by a restricted grammar (no ``eval``/``sympify`` of file text) with bounds on digits,
  exponents and nesting; every declared shape is checked against the header and the memory budget
  before it is read. A truncated, corrupted or crafted file gives a ``ValueError`` naming the file
  (never a partial object).
- **The SHA-256 checksum is an integrity check, not authentication**: it detects accidental
  corruption (a flipped bit, a truncated copy, an edited value) but anyone who edits a file can
  recompute it, so it says nothing about who wrote it. A file without a checksum is refused unless
  the reader passes ``allow_missing_checksum=True``.
- Files written by this version (format version 2) are read by it; version 1 files still load.

Examples
--------
>>> import groupmat as gm, os, tempfile
>>> rho = gm.regular_representation(gm.dihedral(3))
>>> gm.io.to_numpy(rho).shape
(6, 6, 6)
>>> back = gm.io.load_npz(gm.io.save_npz(os.path.join(tempfile.mkdtemp(), "d3"), rho))
>>> back.regular_side, back.group.name
('left', 'D3')
>>> C = gm.io.from_json(gm.io.to_json(gm.cyclic(10**9)))       # a description, not 10**9 elements
>>> type(C).__name__, C.order
('CyclicGroup', 1000000000)
"""
from .convert import to_numpy, to_scipy_sparse
from .frameworks import from_dlpack, to_dlpack, to_jax, to_torch
from .json_text import from_json, to_json
from .latex import to_latex
from .matlab import load_mat, save_mat
from .npz import load_npz, save_npz

__all__ = ["to_numpy", "to_scipy_sparse", "to_torch", "to_jax", "to_dlpack", "from_dlpack", "save_npz",
           "load_npz", "save_mat", "load_mat", "to_json", "from_json", "to_latex"]
