"""Subgroups that networks pool over, cosets as index arrays, and quotient groups.

The GM-CNN of Samudre et al. downsamples a signal on a product of cyclic and dihedral groups by
restricting it to the subgroup of *even* elements (after a local max over a small neighbourhood),
the group analogue of a stride-2 pooling. This module builds that subgroup in one call, the
structured group isomorphic to it (so the next layer runs on ``C_{n/2}`` or ``D_{n/2}`` with its
fast routes), the central subgroup whose quotient is that same group, the cosets of any subgroup as
an index array, and the quotient ``G/H`` of a normal subgroup as a group with its coset map.

What "even" means, factor by factor (``n`` must be even; ``C_2``'s even subgroup is trivial):

=============  ===========================================  =====================  ==============
factor         even subgroup ``E``                          ``E`` is isomorphic to  ``G/E``
=============  ===========================================  =====================  ==============
``C_n``        ``2 Z_n = {r^(2k)}``                          ``C_(n/2)``             ``C_2``
``D_n``        ``{r^(2k)} u {s r^(2k)} = <r^2, s>``          ``D_(n/2)``             ``C_2``
``C_2^k``      ``{e}`` (each ``C_2`` coordinate)             trivial                 ``C_2^k``
product        the product of the factors' even subgroups   the product             the product
=============  ===========================================  =====================  ==============

Each factor's ``E`` has index 2 (index ``2^m`` in a product of ``m`` factors, hence normal). The
*stride subgroup* ``K`` is ``{e, r^(n/2)}`` in each factor (the centre of ``D_n``, ``n >= 4``):
normal, with ``G/K`` isomorphic to ``E``, the group a stride-2 layer lands on.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_choice, check_size, index_dtype
from .core import FiniteGroup, Subgroup, TableGroup, check_group
from .named import cyclic, dihedral
from .products import direct_product, sign_group

__all__ = ["even_subgroup", "even_subgroup_group", "stride_subgroup", "coset_index", "quotient_group"]

#: The namespace of this module's entries in a group's memo.
_NS = "groups.subgroups"


@dataclass(frozen=True)
class _FactorPlan:
    """What the even/stride construction gives for one factor (indices in the factor's own order).

    ``even``: the even subgroup's elements (sorted); ``small``: a builder of the structured group
    isomorphic to it; ``embed``: ``embed[j]`` is the factor element of the small group's element ``j``;
    ``stride``: the stride subgroup's elements (sorted); ``to_small``: ``to_small[g]``, the quotient map
    ``G -> G/K = small``; ``parity``: ``parity[g]``, the quotient map ``G -> G/E``; ``parity_group``: a
    builder of ``G/E``.
    """

    order: int
    even: np.ndarray
    small: object
    embed: np.ndarray
    stride: np.ndarray
    to_small: np.ndarray
    parity: np.ndarray
    parity_group: object


def _plan(structure, name: str) -> _FactorPlan:
    """The factor plan of a declared structure (cyclic, dihedral, sign, direct products of them)."""
    family, params = structure.family, structure.params
    if family in ("cyclic", "dihedral"):
        n = int(params[0])
        if n % 2:
            raise ValueError(f"G must be a product of cyclic and dihedral groups C_n, D_n with n even (a factor "
                             f"{'C' if family == 'cyclic' else 'D'}{n} has no index-2 even subgroup), got {name}")
        h = n // 2
        k = np.arange(n, dtype=np.int64)
        if family == "cyclic":
            # E = 2Z_n = {2j}, iso to C_{n/2} by j -> 2j; K = {0, n/2}; G/K = C_{n/2} by g -> g mod n/2
            return _FactorPlan(n, 2 * np.arange(h, dtype=np.int64), lambda: cyclic(h), 2 * np.arange(h, dtype=np.int64),
                               np.array([0, h], dtype=np.int64), k % h, k % 2,
                               lambda: cyclic(2))
        # D_n, element e n + k = s^e r^k: E = <r^2, s> = {r^(2j), s r^(2j)}, iso to D_{n/2} by
        # r'^j -> r^(2j), s' r'^j -> s r^(2j) (r' = r^2, s' = s keep r' s' = s' r'^-1); K = {e, r^(n/2)}
        j = np.arange(h, dtype=np.int64)
        embed = np.concatenate([2 * j, n + 2 * j])
        e, rot = np.divmod(np.arange(2 * n, dtype=np.int64), n)
        # D_n -> D_n/K = D_{n/2}: s^e r^k -> s'^e r'^(k mod n/2) (a homomorphism: r^(n/2) -> e)
        to_small = e * h + rot % h
        return _FactorPlan(2 * n, np.sort(embed), lambda: dihedral(h), embed,
                           np.array([0, h], dtype=np.int64),
                           to_small, rot % 2, lambda: cyclic(2))
    if family == "sign":
        kk = int(params[0])
        m = 2 ** kk
        # each C_2 coordinate: E = {e} (2Z_2), K = C_2 itself: G/E = G, G/K trivial
        return _FactorPlan(m, np.zeros(1, dtype=np.int64), lambda: cyclic(1), np.zeros(1, dtype=np.int64),
                           np.arange(m, dtype=np.int64), np.zeros(m, dtype=np.int64), np.arange(m, dtype=np.int64),
                           lambda: sign_group(kk))
    if family == "direct_product":
        parts = [_plan(f, name) for f in structure.factors]
        orders = tuple(p.order for p in parts)

        def combine(arrays, shape):
            # the row-major index of every combination of the factors' entries
            grids = np.meshgrid(*arrays, indexing="ij")
            return np.ravel_multi_index(tuple(g.ravel() for g in grids), shape).astype(np.int64)

        def quotient_map(maps, q_orders):
            # g = (g_1, ..., g_m) -> (q_1(g_1), ..., q_m(g_m)) in the product's row-major order
            comps = np.unravel_index(np.arange(int(np.prod(orders)), dtype=np.int64), orders)
            return np.ravel_multi_index(tuple(mp[c] for mp, c in zip(maps, comps)), q_orders).astype(np.int64)

        small_orders = tuple(int(p.embed.size) for p in parts)
        parity_orders = tuple(int(p.parity.max()) + 1 for p in parts)
        return _FactorPlan(
            int(np.prod(orders)),
            np.sort(combine([p.even for p in parts], orders)),
            lambda: direct_product(*[p.small() for p in parts]),
            combine([p.embed for p in parts], orders),
            np.sort(combine([p.stride for p in parts], orders)),
            quotient_map([p.to_small for p in parts], small_orders),
            quotient_map([p.parity for p in parts], parity_orders),
            lambda: direct_product(*[p.parity_group() for p in parts]),
        )
    raise ValueError(f"G must be a cyclic, dihedral or sign group or a direct product of them (the even "
                     f"elements are defined factor by factor), got {name} (declared {family})")


def _factor_plan(G: FiniteGroup) -> _FactorPlan:
    # the index arrays grow with the group: a few int64 arrays of |G| entries
    check_size((6, G.order), 8, f"the even and stride subgroups of {G.name}")
    return G.memo.get(_NS, "plan", lambda: _plan(G.structure, G.name))


def even_subgroup(G: FiniteGroup) -> Subgroup:
    """The subgroup of even elements of a product of cyclic and dihedral groups, in one call.

    Parameters
    ----------
    G : FiniteGroup
        ``C_n``, ``D_n`` (``n`` even), a sign group ``C_2^k``, or a direct product of those (nested
        products included), as declared by ``G.structure``.

    Returns
    -------
    Subgroup
        ``E = E_1 x ... x E_m`` with ``E_i = 2 Z_n`` in ``C_n``, ``<r^2, s>`` in ``D_n`` and ``{e}`` in
        ``C_2``: a normal subgroup of index ``2^m``, its elements sorted (``E.embedding``).

    Raises
    ------
    TypeError
        ``G`` is not a FiniteGroup.
    ValueError
        A factor ``C_n`` or ``D_n`` with ``n`` odd, or a factor of another family.

    See Also
    --------
    even_subgroup_group : the structured group isomorphic to ``E`` and the embedding.
    stride_subgroup : the normal subgroup ``K`` with ``G/K`` isomorphic to ``E``.

    Notes
    -----
    In ``D_n`` (element ``e n + k`` is ``s^e r^k``) the set ``{r^(2j), s r^(2j)}`` is closed because
    ``r^a s = s r^(-a)`` keeps exponents even; index 2 makes it normal. A product of normal subgroups
    of the factors is normal in the product.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.groups import even_subgroup
    >>> even_subgroup(gm.cyclic(6)).embedding.tolist()
    [0, 2, 4]
    >>> E = even_subgroup(gm.dihedral(4))
    >>> E.labels
    ['e', 'r^2', 's', 's r^2']
    >>> even_subgroup(gm.group("C28xC28")).order, even_subgroup(gm.group("D14xD14")).order
    (196, 196)
    """
    G = check_group(G)
    plan = _factor_plan(G)
    return G.memo.get(_NS, "even_subgroup",
                      lambda: Subgroup(G, plan.even, name=f"even({G.name})"))


def even_subgroup_group(G: FiniteGroup) -> tuple[FiniteGroup, np.ndarray]:
    """The even subgroup as a structured group of its own, with the embedding into ``G``.

    Returns
    -------
    (K, embedding) : (FiniteGroup, ndarray of int64, read-only)
        ``K`` is ``C_(n/2)`` for ``C_n``, ``D_(n/2)`` for ``D_n``, trivial for ``C_2^k``, the direct
        product for a product; ``embedding[j]`` is the element of ``G`` that ``K``'s element ``j``
        maps to: an injective homomorphism onto :func:`even_subgroup` ``(G)``. A signal on the even
        elements, read as ``x[..., embedding]``, is a signal on ``K`` (whose FFT and stencil routes
        then apply).

    Raises
    ------
    TypeError, ValueError
        As :func:`even_subgroup`.

    Notes
    -----
    ``C_(n/2) -> C_n``: ``j -> 2j``. ``D_(n/2) -> D_n``: ``r'^j -> r^(2j)``, ``s' r'^j -> s r^(2j)``
    (``r' = r^2`` and ``s' = s`` satisfy ``r'^(n/2) = s'^2 = e`` and ``r' s' = s' r'^-1``).

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.groups import even_subgroup_group
    >>> K, emb = even_subgroup_group(gm.dihedral(6))
    >>> K.name, emb.tolist()
    ('D3', [0, 2, 4, 6, 8, 10])
    >>> even_subgroup_group(gm.group("C8xC8"))[0].name
    'C4xC4'
    """
    G = check_group(G)
    plan = _factor_plan(G)
    return G.memo.get(_NS, "even_subgroup_group", lambda: (plan.small(), plan.embed.copy()))


def stride_subgroup(G: FiniteGroup) -> Subgroup:
    """The normal subgroup ``K = {e, r^(n/2)}`` per factor, whose quotient ``G/K`` is the even subgroup.

    Pooling over the cosets of ``K`` halves every factor, ``C_n -> C_(n/2)`` and ``D_n -> D_(n/2)``,
    exactly like restricting to the even elements, but as a quotient: the output is a signal on
    ``G/K`` (:func:`quotient_group` returns that structured group and the coset map), and the pooling
    commutes with the whole of ``G``. Its cosets ``{g, g r^(n/2)}`` join antipodal points, so it is not
    a local pooling (see ``docs/howto/gm_networks.rst`` for which pooling the GM network uses).

    Parameters
    ----------
    G : FiniteGroup
        As :func:`even_subgroup` (a ``C_2`` factor contributes all of ``C_2``).

    Returns
    -------
    Subgroup
        Central (hence normal) of order ``2^m`` for ``m`` factors with ``n >= 2``.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.groups import stride_subgroup
    >>> stride_subgroup(gm.cyclic(8)).embedding.tolist(), stride_subgroup(gm.dihedral(4)).labels
    ([0, 4], ['e', 'r^2'])
    """
    G = check_group(G)
    plan = _factor_plan(G)
    return G.memo.get(_NS, "stride_subgroup",
                      lambda: Subgroup(G, plan.stride, name=f"stride({G.name})"))


def coset_index(G: FiniteGroup, H, side: str = "left") -> np.ndarray:
    """The coset of every element: ``index[g] = c`` when ``g`` lies in coset number ``c`` of ``H``.

    Parameters
    ----------
    G : FiniteGroup
    H : Subgroup of G or array_like of int
        A subgroup made by ``G.subgroup(...)`` (or :func:`even_subgroup`...), or its element indices
        (checked to be a subgroup).
    side : {"left", "right"}
        ``"left"``: the cosets ``g H``; ``"right"``: the cosets ``H g``.

    Returns
    -------
    ndarray of int64, shape (|G|,)
        Cosets numbered as :meth:`FiniteGroup.left_cosets` / :meth:`FiniteGroup.right_cosets` list them:
        ``H`` itself is coset 0, the others in the order of their smallest element.

    Raises
    ------
    TypeError
        ``G`` is not a FiniteGroup.
    ValueError
        ``H`` is not a subgroup of ``G`` (named), or ``side`` is not ``"left"`` / ``"right"``.

    Notes
    -----
    Left translation permutes left cosets, ``k (g H) = (k g) H``, so ``index[k g]`` depends only on
    ``k`` and ``index[g]``; right translation permutes right cosets.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.groups import coset_index
    >>> G = gm.dihedral(3)
    >>> coset_index(G, [0, 3]).tolist(), coset_index(G, [0, 3], side="right").tolist()
    ([0, 1, 2, 0, 2, 1], [0, 1, 2, 0, 1, 2])
    """
    G = check_group(G)
    check_choice(side, "side", ("left", "right"))
    cosets = G.left_cosets(H) if side == "left" else G.right_cosets(H)
    check_size((G.order,), 8, f"the coset index of {G.name}")
    index = np.empty(G.order, dtype=np.int64)
    index[np.concatenate(cosets)] = np.repeat(np.arange(len(cosets), dtype=np.int64), [c.size for c in cosets])
    return index


def _members(G: FiniteGroup, H) -> np.ndarray:
    """The sorted elements of ``H``, using the check of left_cosets (subgroup of G, or indices)."""
    return G.left_cosets(H)[0]


def quotient_group(G: FiniteGroup, H) -> tuple[FiniteGroup, np.ndarray]:
    """The quotient group ``G/H`` of a normal subgroup, with the coset map ``G -> G/H``.

    Parameters
    ----------
    G : FiniteGroup
    H : Subgroup of G or array_like of int
        A normal subgroup (checked).

    Returns
    -------
    (Q, coset_map) : (FiniteGroup, ndarray of int64, read-only for the structured cases)
        ``coset_map[g]`` is the element of ``Q`` that is the coset ``g H``; it is a surjective
        homomorphism with kernel ``H``: ``coset_map[g h] = Q.mul(coset_map[g], coset_map[h])``. For
        the :func:`stride_subgroup` and the :func:`even_subgroup` of a product of cyclic and dihedral
        groups ``Q`` is the structured group (``C_(n/2)``, ``D_(n/2)``, ``C_2``, their products), so
        group convolutions on ``Q`` take its fast routes; otherwise ``Q`` is a :class:`TableGroup`
        whose element ``c`` is coset ``c`` of :func:`coset_index` (``H`` is element 0, the identity),
        labelled by the representative ``[g]`` with the smallest index.

    Raises
    ------
    TypeError
        ``G`` is not a FiniteGroup.
    ValueError
        ``H`` is not a subgroup of ``G``, or not normal (then ``g H`` times ``g' H`` is not a coset).

    Notes
    -----
    ``(g H)(g' H) = g g' H`` is well defined exactly when ``H`` is normal; the table is
    ``T[a, b] = coset(rep_a rep_b)`` over one representative per coset, ``|G/H|^2`` products.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.groups import quotient_group, stride_subgroup
    >>> G = gm.dihedral(6)
    >>> Q, q = quotient_group(G, stride_subgroup(G))
    >>> Q.name, q.tolist()
    ('D3', [0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5])
    >>> Q, q = quotient_group(gm.symmetric(3), [0, 3, 4])      # S3 / A3
    >>> Q.order, Q.labels, q.tolist()
    (2, ['[()]', '[(1 2)]'], [0, 1, 1, 0, 0, 1])
    """
    G = check_group(G)
    members = _members(G, H)
    if not G.is_normal(members):
        raise ValueError(f"H must be a normal subgroup of {G.name} for G/H to be a group (g^-1 H g = H for all g); "
                         f"its left cosets are not its right cosets: pool over the coset space instead")
    structured = _structured_quotient(G, members)
    if structured is not None:
        return structured
    index = coset_index(G, members)
    m = int(index.max()) + 1
    # one representative per coset (the smallest element), and T[a, b] = coset(rep_a rep_b)
    reps = np.full(m, G.order, dtype=np.int64)
    np.minimum.at(reps, index, np.arange(G.order, dtype=np.int64))
    check_size((2, m, m), 8, f"the Cayley table of the quotient {G.name}/H (order {m})")
    table = index[G.mul_unchecked(reps[:, None], reps[None, :])].astype(index_dtype(m))
    inverse = index[G.inv_unchecked(reps)]
    labels = [f"[{G.label(int(g))}]" for g in reps]
    Q = TableGroup(table, inverse=inverse, identity=0, labels=labels, name=f"{G.name}/H", validate=False)
    return Q, index


def _structured_quotient(G: FiniteGroup, members: np.ndarray):
    """``(Q, map)`` when ``members`` is the stride or even subgroup of a declared product, else None."""
    try:
        plan = _factor_plan(G)
    except ValueError:
        return None
    if np.array_equal(members, plan.stride):
        return G.memo.get(_NS, "quotient_stride", lambda: (plan.small(), plan.to_small.copy()))
    if np.array_equal(members, plan.even):
        return G.memo.get(_NS, "quotient_even", lambda: (plan.parity_group(), plan.parity.copy()))
    return None
