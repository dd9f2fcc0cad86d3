"""Equivariance: projections onto equivariant maps, defects, and equivariant bases.

- :func:`project` and :func:`non_equivariant_part`: the Reynolds projection
  ``P(W) = 1/|G| sum_g rho_out(g) W rho_in(g)^-1`` and ``W - P(W)``, by the definition, by orbit
  means for permutation representations, by group-diagonal means for (channels of) regular
  representations, or in the irreducible basis;
- :func:`equivariance_defect`, :func:`defect_spectrum`, :func:`sample_equivariance_error`,
  :func:`composition_bound`: how far a map is from equivariant;
- :func:`equivariant_basis`, :func:`hom_dimension`: orthonormal bases of ``Hom_G`` and its dimension;
- :func:`regular_channels` and :func:`require_orthogonal`: what the routes read of a pair of
  representations (for other packages, e.g. :class:`groupmat.torch.ProjectionPenalty`).
"""
from .basis import equivariant_basis, hom_dimension
from .defect import CompositionBound, composition_bound, equivariance_defect, sample_equivariance_error
from .orbits import OrbitBasis, orbit_basis, tuple_orbits
from .projection import non_equivariant_part, project, regular_channels, require_orthogonal
from .spectral import DefectSpectrum, defect_spectrum

__all__ = ["orbit_basis", "OrbitBasis", "tuple_orbits", "project", "non_equivariant_part", "equivariance_defect", "defect_spectrum", "DefectSpectrum",
           "sample_equivariance_error", "composition_bound", "CompositionBound", "equivariant_basis",
           "hom_dimension", "regular_channels", "require_orthogonal"]
