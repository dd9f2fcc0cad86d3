"""The projection-based regulariser ``lambda ||W - P(W)||_F`` of a weight, in PyTorch.

``P(W) = 1/|G| sum_g rho_out(g) W rho_in(g)^-1`` is the Reynolds projection onto
``Hom_G(rho_in, rho_out)`` (see :func:`groupmat.project`); ``||W - P(W)||_F`` is
:func:`groupmat.equivariance_defect`. The route is :func:`groupmat.routing.penalty_route`, chosen
once when the penalty is built:

- ``"orbits"`` (spatial, permutation representations, regular ones with channels included, however
  built: :func:`groupmat.equivariance.regular_channels`): ``P(W)`` averages ``W`` over the orbits of
  ``G`` on index pairs ``(a, b) -> (rho_out(g) a, rho_in(g) b)``. For ``c`` copies of the left
  regular representation the orbit of ``(o |G| + a, i |G| + b)`` is labelled by ``(o, i, a^-1 b)``
  (the group diagonals, from :func:`groupmat.matrices.group_matrix_indices`), so the penalty is the
  deviation of ``W`` from its group-diagonal means: one ``O(d_out d_in)`` pass.
- ``"reynolds"`` (spatial, other representations): the Reynolds sum with the dense images,
  ``O(|G| d^3)``.
- ``"fourier"`` (spectral, regular representations of an abelian group, laid out on the grid of
  its cyclic coordinates ``C_{n_1} x ... x C_{n_k}``, :meth:`groupmat.FiniteGroup.cyclic_coordinates`):
  ``W^ = F W F^*`` with the unitary group Fourier transform (``fftn`` over the output group axes,
  ``ifftn`` over the input ones); equivariant maps are exactly the frequency-diagonal ones, so the
  penalty is the norm of the off-diagonal part, and :meth:`ProjectionPenalty.spectrum` gives its
  energy per frequency pair.
- ``"irreps"`` (spectral, other orthogonal representations): in the real irreducible basis of
  :func:`groupmat.decompose`, ``W' = Q_out^T W Q_in`` splits into blocks between isotypic components;
  by Schur's lemma blocks between inequivalent irreducibles are entirely non-equivariant and the
  others keep their projection onto ``I_{m_out x m_in} (x) Hom_G(sigma_l, sigma_k)`` (the same
  computation as :func:`groupmat.defect_spectrum`, in torch; the bases of ``Hom_G`` between two
  irreducibles from :func:`groupmat.equivariant_basis`). :meth:`ProjectionPenalty.spectrum` gives
  the energy per pair of isotypic components.
"""
from __future__ import annotations

import math
import numbers

import numpy as np
import torch
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from torch import nn

from .._validation import check_choice, check_same_group
from ..equivariance import equivariant_basis, hom_dimension, regular_channels, require_orthogonal
from ..matrices.group_matrices import group_matrix_indices
from ..reps.decomposition import decompose
from ..reps.representation import Representation
from ..routing import PENALTY_BASIS_MAX_ENTRIES, penalty_route
from ..tolerances import imaginary_tol, unitarity_tol

__all__ = ["ProjectionPenalty"]


def _regular_labels(G, c_out: int, c_in: int, side: str) -> np.ndarray:
    """Orbit labels ``(o c_in + i) |G| + K[a, b]`` of the pairs ``(o |G| + a, i |G| + b)``."""
    n = G.order
    K = group_matrix_indices(G, "ginv_h" if side == "left" else "g_hinv").astype(np.int64)
    pair = (np.arange(c_out)[:, None, None, None] * c_in + np.arange(c_in)[None, None, :, None]) * n
    return (pair + K[None, :, None, :]).reshape(c_out * n, c_in * n)


def _permutation_labels(rep_in, rep_out) -> np.ndarray:
    """Orbit labels of index pairs under ``(a, b) -> (perms_out[s, a], perms_in[s, b])`` (generators s)."""
    G = rep_in.group
    d_out, d_in = rep_out.dim, rep_in.dim
    ids = np.arange(d_out * d_in).reshape(d_out, d_in)
    gens = G.generators or (G.identity,)
    dst = [ids[rep_out.perms[s][:, None], rep_in.perms[s][None, :]].ravel() for s in gens]
    src = np.tile(ids.ravel(), len(dst))
    graph = coo_matrix((np.ones(src.size, dtype=np.int8), (src, np.concatenate(dst))),
                       shape=(d_out * d_in, d_out * d_in)).tocsr()
    _, labels = connected_components(graph, directed=True, connection="weak")
    return labels.reshape(d_out, d_in)


def _hom_basis(rep_in, rep_out) -> np.ndarray:
    """Orthonormal basis ``(h, d_out, d_in)`` of ``Hom_G(rep_in, rep_out)``, float64, by
    :func:`groupmat.equivariant_basis` (numerically).

    For irreducibles ``h`` is 0 when they are inequivalent and 1, 2 or 4 for equivalent ones of
    real, complex and quaternionic type.
    """
    D = rep_out.dim * rep_in.dim
    h = hom_dimension(rep_in, rep_out)
    if h * D > PENALTY_BASIS_MAX_ENTRIES:
        raise ValueError(f"the spectral form needs an orthonormal basis of Hom_G: {h} elements of size "
                         f"{rep_out.dim} x {rep_in.dim}, too large; use form='spatial'")
    if h == 0:
        return np.zeros((0, rep_out.dim, rep_in.dim))
    basis = equivariant_basis(rep_in, rep_out, exact=False)
    basis = np.asarray(basis)
    if np.iscomplexobj(basis):
        if np.max(np.abs(basis.imag)) > imaginary_tol(basis.dtype):
            raise ValueError("equivariant_basis gave a complex basis for real representations")
        basis = basis.real
    return np.ascontiguousarray(basis, dtype=np.float64).reshape(-1, rep_out.dim, rep_in.dim)


def _isotypic_blocks(parts) -> list:
    out, o = [], 0
    for irrep, m in parts:
        out.append((o, o + m * irrep.dim, irrep, int(m)))
        o += m * irrep.dim
    return out


def _real_decomposition(rep):
    """``(Q, parts)`` from :func:`groupmat.decompose` with a real orthogonal ``Q``, checked on the generators."""
    Q, parts = decompose(rep, field="real")
    Q = np.asarray(Q, dtype=np.result_type(np.asarray(Q).dtype, float))
    if np.iscomplexobj(Q):
        if np.max(np.abs(Q.imag)) > imaginary_tol(Q.dtype):
            raise ValueError("decompose gave a complex change of basis")
        Q = Q.real
    G = rep.group
    gens = np.array(G.generators or (G.identity,), dtype=np.int64)
    R = rep.matrices[gens] if not rep.is_permutation else rep(gens)
    D = np.zeros((gens.size, rep.dim, rep.dim))
    for lo, hi, irrep, m in _isotypic_blocks(parts):
        mats = irrep.numeric().matrices[gens].real
        for c in range(m):
            a = lo + c * irrep.dim
            D[:, a:a + irrep.dim, a:a + irrep.dim] = mats
    tol = max(unitarity_tol(Q.dtype), unitarity_tol(R.dtype))   # the images may be single precision
    if Q.shape != (rep.dim, rep.dim) or not np.allclose(Q.T @ R @ Q, D, rtol=0, atol=tol):
        raise ValueError("decompose gave a change of basis that does not block-diagonalise the representation")
    return Q, parts


#: half-precision weights are penalised in float32 (the sums of squares and the FFT), the result
#: given back in the weight's dtype
_WIDER = {torch.float16: torch.float32, torch.bfloat16: torch.float32}


def _check_strength(strength) -> float:
    """``strength`` as a float: a finite real number ``>= 0`` (a Python or NumPy number, or a real
    tensor with one element); TypeError or ValueError naming it otherwise."""
    value = strength
    if isinstance(value, torch.Tensor):
        if value.numel() != 1 or value.is_complex() or value.dtype == torch.bool:
            raise TypeError(f"strength must be a real number >= 0, got a tensor of dtype {value.dtype} and shape "
                            f"{tuple(value.shape)}")
        value = value.item()
    elif isinstance(value, np.ndarray):
        if value.size != 1 or value.dtype.kind not in "iuf":
            raise TypeError(f"strength must be a real number >= 0, got an array of dtype {value.dtype} and shape "
                            f"{value.shape}")
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"strength must be a real number >= 0, got {type(strength).__name__}")
    try:
        value = float(value)
    except OverflowError:                               # an int beyond the float range, e.g. 10**400
        raise ValueError(f"strength must be a finite number >= 0, got an integer of {len(str(abs(value)))} "
                         "digits, beyond the float range") from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"strength must be a finite number >= 0, got {value}")
    return value


def _has_complex_images(rep: Representation) -> bool:
    """Whether a summand of ``rep`` has images with an imaginary part beyond
    :func:`groupmat.tolerances.imaginary_tol` (complex dtype with real values counts as real)."""
    for s in {id(s): s for s in rep.summands}.values():
        if s.is_permutation:
            continue
        m = s.numeric().matrices
        if np.iscomplexobj(m) and m.size and np.max(np.abs(m.imag)) > imaginary_tol(m.dtype):
            return True
    return False


def _real_dtype(dtype: torch.dtype) -> torch.dtype:
    """The real dtype of a norm of a ``dtype`` tensor (float32 for complex64...)."""
    return dtype.to_real()


def _is_real_orthogonal(rep: Representation) -> bool:
    """Real orthogonal images, judged summand by summand by :func:`groupmat.tolerances.unitarity_tol`
    of the coarsest dtype among them (float32 images are orthogonal to float32 round-off)."""
    tol = max(unitarity_tol(np.float64 if s.is_permutation else s.matrices.dtype) for s in rep.summands)
    return rep.is_orthogonal(tol)


class ProjectionPenalty(nn.Module):
    """``strength * ||W - P(W)||_F``: the non-equivariant part of a weight, differentiable.

    Parameters
    ----------
    rep_in, rep_out : Representation
        Representations of one group on the input and output of the weight; ``c`` channels of
        the regular representation are ``c * groupmat.regular_representation(G)``.
    form : {"spatial", "spectral"}
        The route (see the module notes); both give the same value to round-off.
    strength : float
        The multiplier ``lambda``: a finite real number ``>= 0`` (a Python or NumPy number, or a
        real one-element tensor, read once as a float); checked again when the attribute is set.
    squared : bool
        Return ``strength * ||W - P(W)||_F^2`` instead.
    check_orthogonal : bool
        Refuse non-orthogonal representations (as :func:`groupmat.equivariance_defect` does): for
        them the Reynolds operator ``P`` is an oblique projection and ``||W - P(W)||`` is not the
        distance to ``Hom_G``. ``False`` computes the spatial form for the oblique ``P`` anyway
        (the spectral form always needs orthogonal representations).

    Raises
    ------
    TypeError
        ``rep_in`` or ``rep_out`` is not a Representation, or ``strength`` is not a real number;
        at ``forward``: ``W`` is not a floating-point or complex tensor (an integer weight has no
        gradient and its projection is not an integer: convert it with ``W.float()``).
    ValueError
        Representations of different groups or with complex images (the penalty is for real
        weights between real representations), an unknown ``form``, ``strength`` negative, NaN
        or infinite, or (with ``check_orthogonal``) a representation that is not orthogonal.

    Attributes
    ----------
    route : str
        ``"orbits"``, ``"reynolds"`` (spatial), ``"fourier"`` or ``"irreps"`` (spectral), from
        :func:`groupmat.routing.penalty_route`.

    Notes
    -----
    ``forward(W)`` takes a tensor of shape ``(d_out, d_in)`` or ``(d_out, d_in, *kernel)`` (the
    group acts on the two channel axes; kernel positions are independent matrices and their
    defects add in squares; an empty kernel gives 0), or a module with a ``.weight``
    (``nn.Linear``, ``nn.Conv1d``...), in any floating or complex dtype: float16 and bfloat16
    weights are penalised in float32 and the value given back in their dtype; a complex weight
    ``A + iB`` has ``||W - P(W)||^2 = ||A - P(A)||^2 + ||B - P(B)||^2`` (``P`` is real-linear). The
    value is a real scalar in the real dtype of ``W``. The index arrays, images or changes of basis
    are computed once, at construction (for the irreducible route that is the cost of
    :func:`groupmat.decompose`), and move with ``.to(device)``.

    Examples
    --------
    >>> import groupmat as gm, torch
    >>> from groupmat.torch import ProjectionPenalty
    >>> G = gm.cyclic(8)
    >>> reg = 2 * gm.regular_representation(G)
    >>> lin = torch.nn.Linear(16, 16).double()
    >>> spatial = ProjectionPenalty(reg, reg)
    >>> spectral = ProjectionPenalty(reg, reg, form="spectral")
    >>> spatial.route, spectral.route
    ('orbits', 'fourier')
    >>> bool(torch.isclose(spatial(lin), spectral(lin)))
    True
    """

    def __init__(self, rep_in: Representation, rep_out: Representation, form: str = "spatial",
                 strength: float = 1.0, squared: bool = False, check_orthogonal: bool = True):
        super().__init__()
        for name, r in (("rep_in", rep_in), ("rep_out", rep_out)):
            if not isinstance(r, Representation):
                raise TypeError(f"{name} must be a groupmat Representation, got {type(r).__name__}")
        check_same_group(rep_in, rep_out, ("rep_in", "rep_out"))
        check_choice(form, "form", ("spatial", "spectral"))
        self.strength = strength  # checked by the property's setter
        for name, r in (("rep_in", rep_in), ("rep_out", rep_out)):
            if _has_complex_images(r):
                raise ValueError(f"ProjectionPenalty takes real representations, but {name} has complex images "
                                 "(e.g. a complex irreducible); use a real form, such as the irreducibles of "
                                 "groupmat.irreps(G, field='real'), or groupmat.equivariance_defect for complex ones")
        self.check_orthogonal = bool(check_orthogonal)
        if self.check_orthogonal:
            require_orthogonal(rep_in, rep_out, "ProjectionPenalty")
        self.rep_in, self.rep_out, self.form = rep_in, rep_out, form
        self.squared = bool(squared)
        self.d_in, self.d_out = rep_in.dim, rep_out.dim
        G = rep_in.group
        n = G.order
        chan_in, chan_out = regular_channels(rep_in), regular_channels(rep_out)
        regular = chan_in is not None and chan_out is not None and chan_in[0] == chan_out[0]
        # regular representations (however built) are permutation representations: orbits
        permutation = regular or (rep_in.is_permutation and rep_out.is_permutation)
        self.route = penalty_route(G, form, regular, permutation)
        if self.route == "fourier":
            coords = G.cyclic_coordinates()
            self.shape = tuple(int(m) for m in coords.shape)
            self.c_in, self.c_out = chan_in[1], chan_out[1]
            # the group axes laid out on the grid: W[..., elements] (None: already in grid order)
            grid = None if coords.elements is None else torch.tensor(coords.elements, dtype=torch.long)
            self.register_buffer("grid_elements", grid, persistent=False)
        elif self.route == "orbits":
            labels = (_regular_labels(G, chan_out[1], chan_in[1], chan_in[0]) if regular
                      else _permutation_labels(rep_in, rep_out))
            _, labels = np.unique(labels.ravel(), return_inverse=True)
            counts = np.bincount(labels)
            self.register_buffer("labels", torch.as_tensor(labels.astype(np.int64)), persistent=False)
            self.register_buffer("counts", torch.as_tensor(counts, dtype=torch.float64), persistent=False)
        elif self.route == "reynolds":
            inv = G.inverses()
            A = np.real(rep_out.numeric().matrices)   # real images (checked above), maybe of complex dtype
            B = np.real(rep_in.numeric().matrices[inv])
            self.register_buffer("A", torch.tensor(np.asarray(A, dtype=np.float64)), persistent=False)
            self.register_buffer("B", torch.tensor(np.asarray(B, dtype=np.float64)), persistent=False)
        else:
            if not (_is_real_orthogonal(rep_in) and _is_real_orthogonal(rep_out)):
                raise ValueError("the spectral form of a non-regular pair needs orthogonal representations "
                                 "(then P is the orthogonal projection); use form='spatial'")
            self._setup_irreps()

    def _setup_irreps(self) -> None:
        Qi, parts_in = _real_decomposition(self.rep_in)
        Qo, parts_out = _real_decomposition(self.rep_out)
        self.blocks_in, self.blocks_out = _isotypic_blocks(parts_in), _isotypic_blocks(parts_out)
        self.pairs = []
        for k, (olo, ohi, irr_o, mo) in enumerate(self.blocks_out):
            for l, (ilo, ihi, irr_i, mi) in enumerate(self.blocks_in):
                E = _hom_basis(irr_i, irr_o)
                if E.shape[0]:
                    self.register_buffer(f"hom_{k}_{l}", torch.tensor(E), persistent=False)
                    self.pairs.append((k, l))
        self.register_buffer("Q_in", torch.tensor(Qi), persistent=False)
        self.register_buffer("Q_out", torch.tensor(Qo), persistent=False)

    @property
    def strength(self) -> float:
        """The multiplier ``lambda``: a finite real number ``>= 0`` (checked when set)."""
        return self._strength

    @strength.setter
    def strength(self, value) -> None:
        self._strength = _check_strength(value)

    # ---------------------------------------------------------------- helpers
    def _weight(self, W) -> torch.Tensor:
        if isinstance(W, nn.Module):
            if not isinstance(getattr(W, "weight", None), torch.Tensor):
                raise TypeError(f"W must be a tensor or a module with a .weight, got {type(W).__name__}")
            W = W.weight
        if not isinstance(W, torch.Tensor):
            raise TypeError(f"W must be a torch.Tensor or a module with a .weight, got {type(W).__name__}")
        if not (W.is_floating_point() or W.is_complex()) or W.dtype == torch.complex32:
            raise TypeError(f"W must be a floating-point or complex tensor (float16 to float64, complex64, "
                            f"complex128): the penalty is a differentiable norm and the projection averages "
                            f"entries; got dtype {W.dtype} (convert it with W.float())")
        if W.dim() < 2 or W.shape[0] != self.d_out or W.shape[1] != self.d_in:
            raise ValueError(f"W must have shape (d_out, d_in, ...) = ({self.d_out}, {self.d_in}, ...), "
                             f"got {tuple(W.shape)}")
        return W

    def _residual(self, W) -> tuple[torch.Tensor, torch.dtype]:
        """``(W - P(W), dtype of W)`` for a checked weight; half precision computed in float32."""
        W = self._weight(W)
        dtype = W.dtype
        wide = _WIDER.get(dtype)
        return self._residual_of(W if wide is None else W.to(wide)), dtype

    def _fourier(self, W: torch.Tensor) -> torch.Tensor:
        """``W^`` of shape ``(k, c_out, c_in, n, n)`` (kernel positions first; frequencies in the
        row-major order of the cyclic coordinates)."""
        n, shape, d = self.rep_in.group.order, self.shape, len(self.shape)
        Wb = W.reshape(self.c_out, n, self.c_in, n, self._kernel_size(W)).permute(4, 0, 2, 1, 3)
        if Wb.numel() == 0:  # no kernel positions: nothing to transform (MKL refuses an empty FFT)
            return Wb.to(torch.promote_types(Wb.dtype, torch.complex64))
        if self.grid_elements is not None:
            Wb = Wb[..., self.grid_elements, :][..., self.grid_elements]
        Wb = Wb.reshape(*Wb.shape[:3], *shape, *shape)
        out_dims = tuple(range(3, 3 + d))
        in_dims = tuple(range(3 + d, 3 + 2 * d))
        Wh = torch.fft.fftn(torch.fft.ifftn(Wb, dim=in_dims, norm="ortho"), dim=out_dims, norm="ortho")
        return Wh.reshape(*Wh.shape[:3], n, n)

    def residual(self, W) -> torch.Tensor:
        """``W - P(W)`` (for the Fourier route: its off-diagonal Fourier coefficients), in the dtype of
        ``W``; half precision is computed in float32 (the Fourier route then gives complex64)."""
        r, dtype = self._residual(W)
        return r.to(dtype) if dtype in _WIDER and not r.is_complex() else r

    def _kernel_size(self, W: torch.Tensor) -> int:
        """The number of kernel positions (the axes after the two channel axes; 0 for an empty kernel)."""
        return math.prod(W.shape[2:])

    def _residual_of(self, W: torch.Tensor) -> torch.Tensor:
        if self.route == "orbits":
            flat = W.reshape(self.d_out * self.d_in, self._kernel_size(W))
            sums = flat.new_zeros(self.counts.numel(), flat.shape[1]).index_add(0, self.labels, flat)
            means = sums / self.counts.to(flat.dtype)[:, None]
            return (flat - means[self.labels]).reshape(W.shape)
        if self.route == "reynolds":
            A, B = self.A.to(W.dtype), self.B.to(W.dtype)
            T = torch.einsum("gab,bc...->gac...", A, W)
            P = torch.einsum("gac...,gcd->ad...", T, B) / A.shape[0]
            return W - P
        if self.route == "fourier":
            Wh = self._fourier(W)
            return Wh - torch.diag_embed(torch.diagonal(Wh, dim1=-2, dim2=-1))
        return self._irreps_residual(W)

    def _irreps_residual(self, W: torch.Tensor) -> torch.Tensor:
        """``W' - P(W')`` in the irreducible basis, shape ``(k, d_out, d_in)`` (kernel positions first)."""
        Wk = W.reshape(self.d_out, self.d_in, self._kernel_size(W)).permute(2, 0, 1)
        Xp = self.Q_out.to(W.dtype).T @ Wk @ self.Q_in.to(W.dtype)
        P = torch.zeros_like(Xp)
        for k, l in self.pairs:
            olo, ohi, irr_o, mo = self.blocks_out[k]
            ilo, ihi, irr_i, mi = self.blocks_in[l]
            E = getattr(self, f"hom_{k}_{l}").to(W.dtype)
            Xb = Xp[:, olo:ohi, ilo:ihi].reshape(-1, mo, irr_o.dim, mi, irr_i.dim)
            coef = torch.einsum("kaxby,hxy->kabh", Xb, E)
            Pb = torch.einsum("kabh,hxy->kaxby", coef, E)
            P[:, olo:ohi, ilo:ihi] = Pb.reshape(-1, ohi - olo, ihi - ilo)
        return Xp - P

    def defect(self, W) -> torch.Tensor:
        """``||W - P(W)||_F`` (no strength, not squared), real, in the (real) dtype of ``W``."""
        r, dtype = self._residual(W)
        return torch.linalg.vector_norm(r).to(_real_dtype(dtype))

    def forward(self, W) -> torch.Tensor:
        """``strength * ||W - P(W)||_F`` (squared if ``squared``): a real scalar in the (real) dtype of
        ``W`` (half precision is summed in float32)."""
        r, dtype = self._residual(W)
        if self.squared:
            value = (r.abs() ** 2).sum() if r.is_complex() else (r * r).sum()
        else:
            value = torch.linalg.vector_norm(r)
        return (self.strength * value).to(_real_dtype(dtype))

    def spectrum(self, W) -> torch.Tensor:
        """Energy of the non-equivariant part per spectral pair; the entries sum to ``||W - P(W)||_F^2``.

        Fourier route: ``(|G|, |G|)``, per (output frequency, input frequency) in the row-major
        order of the group's cyclic coordinates, summed over channels, zero on the diagonal.
        Irreducible route: ``(K_out, K_in)``, per pair of isotypic components (the order of
        :func:`groupmat.decompose`), as :func:`groupmat.defect_spectrum`. Real, in the real dtype
        of ``W`` (a complex weight's energies are ``|.|^2``).
        """
        if self.route not in ("fourier", "irreps"):
            raise ValueError(f"spectrum needs the spectral form (route 'fourier' or 'irreps'); this penalty "
                             f"uses {self.route!r}")
        r, dtype = self._residual(W)
        energy = r.abs() ** 2 if r.is_complex() else r * r
        if self.route == "fourier":
            return energy.sum(dim=(0, 1, 2)).to(_real_dtype(dtype))
        E = energy.new_zeros(len(self.blocks_out), len(self.blocks_in))
        for k, (olo, ohi, _, _) in enumerate(self.blocks_out):
            for l, (ilo, ihi, _, _) in enumerate(self.blocks_in):
                E[k, l] = energy[:, olo:ohi, ilo:ihi].sum()
        return E.to(_real_dtype(dtype))

    def extra_repr(self) -> str:
        return (f"d_out={self.d_out}, d_in={self.d_in}, form={self.form!r}, route={self.route!r}, "
                f"strength={self.strength}, squared={self.squared}")
