"""Which route serves a group: the one module that chooses fast paths and names their thresholds.

Every fast path of groupmat (the Fourier transform, :func:`groupmat.convolve`, products of
:class:`groupmat.GroupLDRMatrix`, the PyTorch layers and the projection penalty) asks this module
which route to take, and this module reads nothing but the group's declared structure
(:attr:`FiniteGroup.structure <groupmat.FiniteGroup>`) and its cyclic coordinates
(:meth:`FiniteGroup.cyclic_coordinates <groupmat.FiniteGroup.cyclic_coordinates>`). So two
functions never disagree about a group, and a threshold is named once, here.

The transform kinds (:func:`transform_kind`):

- ``"abelian"``: any abelian group, as a product of cyclic groups: one ``fftn`` over the cyclic axes,
  ``O(n log n)`` (declared cyclic and sign groups and their products in index order; an abelian
  group given by a table or by permutations through the basis found from its group law);
- ``"dihedral"``: ``D_m`` for ``m >= 3``, by FFTs over the rotations, ``O(n log n)`` (``D_1`` and
  ``D_2`` are abelian, so ``"abelian"``);
- ``"product"``: other direct products, factor by factor, each factor by its own kind;
- ``"dense"``: everything else, the dense transform, ``O(n^2)``.

:func:`has_fast_transform` is True when no factor (recursively) is ``"dense"``: then the transform is
FFT-based all the way down, whatever the order. Below :data:`FFT_MIN_ORDER` the dense product is
still the faster *convolution* for non-abelian groups (:func:`convolve_route`).

Examples
--------
>>> import groupmat as gm
>>> from groupmat import routing
>>> [routing.transform_kind(gm.group(s)) for s in ("C8", "D8", "D3xC5", "S4")]
['abelian', 'dihedral', 'product', 'dense']
>>> routing.has_fast_transform(gm.dihedral(8)), routing.convolve_route(gm.dihedral(8))
(True, 'dense')
>>> T = gm.group("C4xC6").cayley_table()
>>> routing.transform_kind(gm.from_cayley_table(T))          # a table alone reaches the FFT
'abelian'
"""
from __future__ import annotations

from ._validation import check_choice, check_positive_int
from .groups import FiniteGroup, check_group

__all__ = ["FFT_MIN_ORDER", "LDR_DENSE_MAX_ORDER", "LDR_DENSE_MAX_ORDER_ABELIAN", "LDR_FFT_BLOCK",
           "PENALTY_BASIS_MAX_ENTRIES", "CONV_ROUTE_MIN_WORK", "CONV_ROUTE_MAX_FILL",
           "DIXON_SCHNEIDER_ROUTE_MIN_ORDER", "TRANSFORM_KINDS",
           "transform_kind", "factor_kinds", "has_fast_transform", "convolve_route", "ldr_product_route", "conv_route",
           "penalty_route"]

#: The transform kinds, fastest first.
TRANSFORM_KINDS = ("abelian", "dihedral", "product", "dense")

#: :func:`groupmat.character_table` of a group outside the declared families takes Dixon-Schneider's
#: algorithm (class matrices of the smallest classes, modulo a prime) from this order on, Burnside's
#: below it (measured: S_8 given by two permutations 63 ms against 470 ms, S_9 93 ms against 9.7 s;
#: both give the same rows in the same order).
DIXON_SCHNEIDER_ROUTE_MIN_ORDER = 20000

#: :func:`groupmat.convolve` of a non-abelian group with a fast transform takes the FFT route from
#: this order on; below it the dense ``O(n^2)`` product is faster (it is one BLAS call).
FFT_MIN_ORDER = 64

#: A :class:`groupmat.GroupLDRMatrix` over a group with a fast transform multiplies through its cached
#: dense matrix up to this order, by group convolutions above it.
LDR_DENSE_MAX_ORDER = 1024

#: The same bound for real data over abelian groups, whose real-FFT route is cheaper still.
LDR_DENSE_MAX_ORDER_ABELIAN = 256

#: Vectors per block in the real-FFT route of GM-LDR products (bounds the ``(block, r + 1, n)``
#: intermediate spectra).
LDR_FFT_BLOCK = 8

#: :class:`groupmat.torch.GroupConv` with a small support takes the ``"conv"`` route (PyTorch's
#: ``conv1d/2d/3d`` with circular padding) when the work of the gather it replaces, ``|G| x |S| x
#: in_channels`` numbers gathered per sample, is at least this; below it the gather of the
#: ``"support"`` route. The conv route has a fixed cost of about a millisecond per forward + backward
#: (padding, lifting, building the filter bank); the gather's cost grows with that work. Measured with
#: ``benchmarks/bench_conv_routes.py --calibrate`` (CPU clock, the two routes interleaved, batch 32,
#: one thread, forward + backward; 80 cases from ``C_32`` to ``C_28 x C_28``, ``D_8 x D_8`` and
#: ``C_6 x C_6 x C_6``, 1 to 16 input channels; two runs): below a work of 1536 the gather was faster
#: in every case (by up to 2.6x), from 3072 on the convolution in all but one (``C_6^3``, one input
#: channel: 0.92x), by up to 10x (``D_8 x D_8``); in between either (the gather by up to 1.6x, the
#: convolution by up to 1.35x). With this threshold every pick cost at most 1.3x the faster route in
#: both runs (the former rule, order >= 128 whatever the stencil and channels, up to 5x: ``D_4 x D_4``,
#: 36 elements, 16 -> 16 channels, gathered).
#: The batch is not known when the route is chosen; smaller batches favour the gather (at batch 8 the
#: crossover moves about 4x higher and a pick between 2048 and 8192 costs up to 2x, under a millisecond).
CONV_ROUTE_MIN_WORK = 2048

#: ... and only while the lifted filter bank has at most this many taps per support element (taps:
#: ``2^d`` times the kernel box, ``d`` the number of dihedral factors; the box is the smallest one
#: around the identity holding the support): a support spread over a large box gathers instead.
CONV_ROUTE_MAX_FILL = 4

#: The spectral ``"irreps"`` route of :class:`groupmat.torch.ProjectionPenalty` builds, for each pair of
#: irreducibles, a dense orthonormal basis of ``Hom_G`` between them of at most this many numbers.
PENALTY_BASIS_MAX_ENTRIES = 2**25


def transform_kind(G: FiniteGroup) -> str:
    """How the Fourier transform on ``G`` is computed: one of :data:`TRANSFORM_KINDS`.

    Every abelian group is ``"abelian"`` (whatever its declaration: ``D_2``, ``Dic_1``, ``S_2``, an
    abelian table or product); a non-abelian group is ``"dihedral"`` when declared dihedral,
    ``"product"`` when a direct product (a one-factor product has the kind of its factor), else
    ``"dense"``.

    Parameters
    ----------
    G : FiniteGroup

    Returns
    -------
    str
        ``"abelian"``, ``"dihedral"``, ``"product"`` or ``"dense"``.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.routing import transform_kind
    >>> transform_kind(gm.quaternion()), transform_kind(gm.direct_product(gm.dihedral(4)))
    ('dense', 'dihedral')
    >>> transform_kind(gm.dihedral(2)), transform_kind(gm.group("D2xC3"))     # abelian, whatever declared
    ('abelian', 'abelian')
    """
    G = check_group(G)
    structure = G.structure.unwrapped()
    if structure.cyclic_shape is not None or G.is_abelian:
        return "abelian"
    if structure.family == "dihedral":
        return "dihedral"
    if structure.family == "direct_product":
        return "product"
    return "dense"


def factor_kinds(G: FiniteGroup) -> list[str]:
    """The transform kinds of the non-product factors of ``G``, flattened in factor order.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.routing import factor_kinds
    >>> factor_kinds(gm.group("D4xS3xC2"))
    ['dihedral', 'dense', 'abelian']
    """
    G = check_group(G)
    kind = transform_kind(G)
    if kind != "product":
        return [kind]
    out: list[str] = []
    for F in _factors(G):
        out.extend(factor_kinds(F))
    return out


def _factors(G: FiniteGroup) -> tuple:
    while G.structure.family == "direct_product" and len(G.factors) == 1:
        G = G.factors[0]
    return G.factors


def has_fast_transform(G: FiniteGroup) -> bool:
    """True when the Fourier transform on ``G`` is FFT-based all the way down: ``G`` is abelian,
    dihedral, or a direct product none of whose factors (recursively) takes the dense transform.

    Parameters
    ----------
    G : FiniteGroup

    Returns
    -------
    bool

    Examples
    --------
    >>> import groupmat as gm
    >>> gm.routing.has_fast_transform(gm.cyclic(10)), gm.routing.has_fast_transform(gm.dihedral(8))
    (True, True)
    >>> gm.routing.has_fast_transform(gm.symmetric(5)), gm.routing.has_fast_transform(gm.group("D16xS3"))
    (False, False)
    """
    return "dense" not in factor_kinds(G)


def convolve_route(G: FiniteGroup) -> str:
    """How :func:`groupmat.convolve` computes on ``G``.

    Returns
    -------
    str
        ``"fft"``: abelian groups at any order, and other groups with a fast transform
        (:func:`has_fast_transform`) of order at least :data:`FFT_MIN_ORDER`; ``"factorwise"``: a
        direct product of at least that order with a factor that takes the dense transform;
        ``"dense"``: everything else (the dense product).

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.routing import convolve_route
    >>> [convolve_route(gm.group(s)) for s in ("C5", "D8", "D32", "D32xS3", "S5")]
    ['fft', 'dense', 'fft', 'factorwise', 'dense']
    """
    G = check_group(G)
    kind = transform_kind(G)
    if kind == "abelian":
        return "fft"
    if kind == "dense" or G.order < FFT_MIN_ORDER:
        return "dense"
    if kind == "product" and not has_fast_transform(G):
        return "factorwise"
    return "fft"


def ldr_product_route(G: FiniteGroup, real: bool, dense_fits: bool) -> str:
    """How a :class:`groupmat.GroupLDRMatrix` over ``G`` multiplies.

    Parameters
    ----------
    G : FiniteGroup
    real : bool
        Whether the matrix's parameters are real (the real-FFT route needs real data).
    dense_fits : bool
        Whether its dense ``n x n`` form fits under the memory limit.

    Returns
    -------
    str
        ``"fft"`` (real FFTs over an abelian group, above :data:`LDR_DENSE_MAX_ORDER_ABELIAN`),
        ``"convolve"`` (group convolutions, for groups with a fast transform above
        :data:`LDR_DENSE_MAX_ORDER`) or ``"dense"`` (the cached dense matrix, when it fits); a
        matrix too large to hold densely takes ``"fft"`` or ``"convolve"`` whatever its order.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.routing import ldr_product_route
    >>> ldr_product_route(gm.cyclic(4096), True, True), ldr_product_route(gm.symmetric(5), True, True)
    ('fft', 'dense')
    """
    G = check_group(G)
    n = G.order
    fft = bool(real) and transform_kind(G) == "abelian"
    if fft and n > LDR_DENSE_MAX_ORDER_ABELIAN:
        return "fft"
    if has_fast_transform(G) and n > LDR_DENSE_MAX_ORDER:
        return "convolve"
    if dense_fits:
        return "dense"
    return "fft" if fft else "convolve"


def conv_route(G: FiniteGroup, support: int | None = None, taps: int | None = None, in_channels: int = 1) -> str:
    """The route of :class:`groupmat.torch.GroupConv` with ``route="auto"``.

    Parameters
    ----------
    G : FiniteGroup
    support : int, optional
        The number of elements of the kernel's support; None for full kernels.
    taps : int, optional
        For a support on a group laid out on at most three cyclic axes (a product of cyclic, sign and
        dihedral groups, or any abelian group): the taps per channel pair of the lifted filter bank,
        ``2^d`` times the volume of the kernel box (``d`` dihedral factors); None when the group has
        no such layout.
    in_channels : int
        The input channels of the layer (a support only): the gather reads ``|G| x support x
        in_channels`` numbers per sample.

    Returns
    -------
    str
        Full kernels: ``"fft"`` for abelian and dihedral groups of order above 1, ``"dense"``
        otherwise. A support: ``"conv"`` (PyTorch's convolutions) when ``taps`` is given, the work
        ``|G| x support x in_channels`` is at least :data:`CONV_ROUTE_MIN_WORK` and
        ``taps <= CONV_ROUTE_MAX_FILL * support``, else ``"support"`` (the gather).

    Raises
    ------
    TypeError
        ``support``, ``taps`` or ``in_channels`` is not an integer (or None for the first two).
    ValueError
        ``support``, ``taps`` or ``in_channels`` is not positive, or ``taps`` without a support.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.routing import conv_route
    >>> conv_route(gm.group("C8xC8")), conv_route(gm.dihedral(5)), conv_route(gm.symmetric(4))
    ('fft', 'fft', 'dense')
    >>> G = gm.group("C32xC32")                  # a 3 x 3 stencil: 9 elements, 9 taps
    >>> conv_route(G, support=9, taps=9), conv_route(G, support=2, taps=81), conv_route(G, support=9)
    ('conv', 'support', 'support')
    >>> H = gm.group("C8xC8")                    # 64 x 9 = 576 numbers per input channel
    >>> conv_route(H, support=9, taps=9, in_channels=2), conv_route(H, support=9, taps=9, in_channels=4)
    ('support', 'conv')
    """
    G = check_group(G)
    in_channels = check_positive_int(in_channels, "in_channels")
    if support is None:
        if taps is not None:
            raise ValueError(f"taps describes a support; got taps={taps!r} with support=None")
        return "fft" if G.order > 1 and transform_kind(G) in ("abelian", "dihedral") else "dense"
    support = check_positive_int(support, "support")
    if taps is None:
        return "support"
    taps = check_positive_int(taps, "taps")
    work = G.order * support * in_channels
    return "conv" if work >= CONV_ROUTE_MIN_WORK and taps <= CONV_ROUTE_MAX_FILL * support else "support"


def penalty_route(G: FiniteGroup, form: str, regular: bool, permutation: bool) -> str:
    """The route of :class:`groupmat.torch.ProjectionPenalty` for a pair of representations of ``G``.

    Parameters
    ----------
    G : FiniteGroup
    form : {"spatial", "spectral"}
    regular : bool
        Both representations are (channels of) one regular representation of the same side.
    permutation : bool
        Both are permutation representations.

    Returns
    -------
    str
        ``"orbits"`` or ``"reynolds"`` (spatial), ``"fourier"`` (spectral, regular, abelian),
        ``"irreps"`` (spectral, in the real irreducible basis from the decomposition).

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.routing import penalty_route
    >>> penalty_route(gm.cyclic(8), "spectral", True, True), penalty_route(gm.cyclic(8), "spatial", True, True)
    ('fourier', 'orbits')
    """
    G = check_group(G)
    check_choice(form, "form", ("spatial", "spectral"))
    if form == "spectral":
        return "fourier" if regular and transform_kind(G) == "abelian" else "irreps"
    return "orbits" if permutation else "reynolds"
