"""groupmat: finite groups and the structured matrices they generate.

Group matrices, regular and irreducible representations, the Fourier transform on a group,
displacement structure, and projections onto equivariant maps, exact (SymPy) and fast (NumPy).

The top level holds the contract: the names a user, a tutorial or a paper's code calls (listed in
``groupmat.__all__``). Everything else lives in its package, one idea per module:

=========================  ==================================================================
``groupmat.groups``        finite groups: the core class, named families, products, permutations
``groupmat.matrices``      group matrices, group diagonals, Toeplitz/Hankel/... (classical)
``groupmat.reps``          representations, irreducibles, characters, Fourier transform
``groupmat.ldr``           displacement operators, ranks, generators, GM-LDR matrices
``groupmat.equivariance``  projections onto equivariant maps, defects, equivariant bases
``groupmat.io``            conversion, framework bridges, bundle files, LaTeX
``groupmat.verify``        the registry of checkable identities behind ``groupmat verify``
``groupmat.dask``          batches as Dask arrays, verify sweeps on a cluster (the ``dask`` extra)
``groupmat.routing``       which fast route serves a group (the one place with thresholds)
``groupmat.tolerances``    the named tolerance rules
``groupmat.plotting``      pictures (matplotlib, loaded on first use)
``groupmat.torch``         PyTorch layers (the ``torch`` extra; never imported by the core)
=========================  ==================================================================

The core imports neither matplotlib nor any optional dependency: the plotting functions
(``plot_group_matrix``, ``draw_cayley_graph``, ...) are loaded on first use, and ``dir(groupmat)``
lists them with the rest.
"""
__version__ = "0.1.0"

from ._validation import TooLargeError
from .graphs import cayley_graph
from .groups import (FiniteGroup, alternating, cyclic, dicyclic, dihedral, direct_product, from_cayley_table,
                     from_permutations, from_sympy, group, quaternion, semidirect_product, sign_group, symmetric)
from .matrices import (circulant, from_group_diagonals, group_diagonals, group_matrix, hankel, is_group_matrix,
                       toeplitz, x_from_group_matrix)
from .reps import (CharacterTable, Representation, block_diagonalize, character_table, convolve, decompose,
                   direct_sum, fourier, from_generators, group_determinant, inverse_fourier, invert_group_matrix,
                   irreps, natural_action, permutation_representation, regular_representation, solve_group_matrix,
                   tensor)
from .ldr import (GroupLDRMatrix, coefficient_displacement, displacement, displacement_generators, displacement_rank,
                  fit_group_ldr, generator_displacement, shift)
from .equivariance import (defect_spectrum, equivariance_defect, equivariant_basis, hom_dimension,
                           non_equivariant_part, orbit_basis, project)
from .io import (from_json, load_mat, load_npz, save_mat, save_npz, to_jax, to_json, to_latex, to_numpy,
                 to_scipy_sparse, to_torch)
from . import groups, matrices, reps, ldr, equivariance, io, routing, tolerances  # noqa: E402,F401

#: The plotting functions, loaded from :mod:`groupmat.plotting` on first use (it imports matplotlib).
_PLOTTING = ("plot_group_matrix", "plot_cayley_table", "draw_cayley_graph", "plot_character_table",
             "plot_displacement_spectrum", "plot_defect_spectrum", "plot_fourier_blocks")

__all__ = [
    "__version__", "TooLargeError",
    # groups
    "FiniteGroup", "cyclic", "dihedral", "dicyclic", "quaternion", "symmetric", "alternating", "sign_group",
    "direct_product", "semidirect_product", "from_permutations", "from_cayley_table", "from_sympy", "group",
    # group matrices and classical structured matrices
    "group_matrix", "is_group_matrix", "x_from_group_matrix", "group_diagonals", "from_group_diagonals",
    "convolve", "toeplitz", "hankel", "circulant",
    # representations, characters, Fourier
    "Representation", "regular_representation", "permutation_representation", "from_generators", "direct_sum",
    "tensor", "irreps", "character_table", "CharacterTable", "fourier", "inverse_fourier", "block_diagonalize",
    "decompose", "group_determinant", "solve_group_matrix", "invert_group_matrix", "natural_action",
    # displacement structure
    "displacement", "displacement_rank", "displacement_generators", "shift", "generator_displacement",
    "coefficient_displacement", "GroupLDRMatrix", "fit_group_ldr",
    # equivariance
    "project", "non_equivariant_part", "equivariance_defect", "equivariant_basis", "hom_dimension",
    "defect_spectrum", "orbit_basis",
    # graphs, export
    "cayley_graph", "to_numpy", "to_scipy_sparse", "to_torch", "to_jax", "save_npz", "load_npz", "save_mat",
    "load_mat", "to_json", "from_json", "to_latex",
    # pictures (loaded on first use)
    *_PLOTTING,
]


def __getattr__(name):
    # plotting needs matplotlib: import it only when a plotting name is first used
    if name in _PLOTTING:
        from . import plotting

        return getattr(plotting, name)
    if name in ("plotting", "verify", "dask"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'groupmat' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_PLOTTING) | {"plotting", "verify", "dask"})
