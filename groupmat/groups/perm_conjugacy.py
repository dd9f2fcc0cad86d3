"""Centralisers, conjugating elements and conjugacy classes of permutation groups too large to list.

A permutation group ``G`` is held by its stabiliser chain
(:class:`~groupmat.groups.schreier_sims.StabilizerChain`); nothing here lists ``G``.

Convention (SymPy's and GAP's): a permutation is its image array ``p`` (``i -> p[i]``) and the product
``g h`` applies ``g`` first: ``perm(g h) = perm(h)[perm(g)]`` (:func:`~groupmat.groups.schreier_sims.compose`).
Conjugation is ``g^x = x^-1 g x`` in that convention, i.e. ``compose(compose(invert(x), g), x)``; as maps
``g^x = x o g o x^-1``, so ``x`` carries every cycle ``(a, g(a), g^2(a), ...)`` of ``g`` onto the cycle
``(x(a), h(x(a)), ...)`` of ``h = g^x``, keeping the cyclic order.

The search (:func:`centralizer`, :func:`conjugating_element`)
---------------------------------------------------------------
An ``x`` with ``x^-1 g x = h`` is fixed by the images ``x(a_j)`` of one *leader* ``a_j`` per cycle of ``g``:
then ``x(g^k(a_j)) = h^k(x(a_j))``. The points are relabelled cycle by cycle (the cycles of ``g`` sorted
longest first, each read from its smallest point), and the chain of the relabelled group is rebuilt with
its known order, so that its base ``0, 1, ..., d-1`` follows the cycles of ``g``. An assignment of the
first ``j`` cycles is then the assignment of a prefix of the base, and "is there an element of ``G`` with
these images?" is one sift of the prefix (the coset ``G^{(k)} w`` of the elements with those images, as in
:meth:`~groupmat.groups.schreier_sims.StabilizerChain.rank`). The backtrack assigns the cycles in turn and
tries all candidate images of a leader at once (one vectorised sift of the batch). Longest cycles first:
one choice fixes the most base images (the prefix test prunes earliest), and the cycles whose
candidates are most numerous and most interchangeable (the fixed points) come last, where the subgroup
pruning below absorbs their symmetry.

The centraliser ``C = C_G(g)`` is found by the standard search for a subgroup (Sims; Butler; Holt, Eick
and O'Brien, *Handbook of Computational Group Theory*, 2005, section 4.6; Seress, *Permutation Group
Algorithms*, 2003, chapter 9): with ``C_j`` the elements of ``C`` fixing ``a_0, ..., a_{j-1}`` (hence, as
they commute with ``g``, fixing the first ``j`` cycles pointwise), the levels are processed from the bottom;
at level ``j`` the generators found so far generate a subgroup of ``C_j`` containing ``C_{j+1}``, and an
image ``b`` of ``a_j`` is tried only when it lies outside the orbit of ``a_j`` under that subgroup; each
element found is added as a generator and the orbit recomputed. When the level is done, the orbit is the
whole orbit ``a_j^{C_j}``, so ``|C| = prod_j |a_j^{C_j}|`` exactly, without counting ``C`` leaf by leaf.

Conjugacy tests prune by the symmetry of the target: the elements ``x`` with ``x^-1 g x = h`` form the
coset ``x C_G(h)``, so the first leader only needs one image per orbit of ``C_G(h)`` (of ``<h>`` when
``C_G(h)`` is unknown: one point per cycle of ``h``).

The classes (:func:`random_classes`)
------------------------------------
Elements are keyed by a class invariant finer than the cycle type (:class:`_Invariants`: the cycle types
on the orbits of ``G`` and on the blocks of its minimal block systems); elements of different keys are
never conjugate. Three sources of elements:

* uniform random elements (:meth:`~groupmat.groups.schreier_sims.StabilizerChain.random`), drawn in
  vectorised batches with their keys. A key not met before is a new class (no test). An element of a known
  key is tested against the representatives of that key only when its cycle type is not yet complete (the
  classes found hold fewer than the ``d! / z_lambda`` permutations of the type: for ``S_n`` no test is
  ever made) and either its key is drawn more often than the classes found predict, beyond chance (three
  standard deviations: a class is missing there), or a coin with probability ``1 / 4`` says so;
* the powers ``g^e`` of each new representative (``e`` a proper divisor of its order): small classes such
  as transpositions are reached as powers, never by luck (the powers of a conjugate of ``g`` are conjugates
  of these, so only new classes need their powers taken);
* a walk on the commuting graph, ``x -> `` a uniform random element of ``C_G(x)`` (from the chain of the
  representative's centraliser): its stationary distribution is proportional to ``|C_G(x)|``, which gives
  every class the same weight ``|x^G| |C_G(x)| = |G|`` (the Burnside process), so the small classes that
  uniform elements miss (the non-powers with large centralisers) are reached too.

A new class gets its centraliser (the search above) and its size ``|G| / |C_G(g)|``. A conjugacy test first
tries the representative's cached chain with a small budget (it succeeds at once for conjugate elements,
typically), then the exact search through the candidate's own chain, its first leader pruned by the orbits
of the representative's centraliser. Relabelled chains are reused across relabellings in one coset of
``G`` (:func:`_relabelled_chain`). The loop stops when the sizes sum to ``|G|``: the result is exact (Las
Vegas); only the representatives and the time depend on the seed.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .._validation import check_size
from .perm_classes import canonical_permutation, centralizer_order, cycle_labels, cycles_of
from .schreier_sims import StabilizerChain, _gather, compose, invert, stabilizer_chain

__all__ = ["ConjugacyClassData", "centralizer", "conjugating_element", "random_classes", "class_index_of"]

#: Random elements drawn per vectorised batch by :func:`random_classes`.
_SAMPLE_BATCH = 32
#: Default safety cap on the random elements :func:`random_classes` draws.
DEFAULT_MAX_SAMPLES = 200_000
#: A random element whose cycle type shows no sign of a missing class is still tested with probability
#: ``1 / _TEST_EVERY``.
_TEST_EVERY = 4
#: Steps of the walk on the commuting graph per batch of random elements (:func:`random_classes`).
_WALK_STEPS = 4
#: Elements whose class was found by a test, remembered (then forgotten all at once) so that an element
#: met again is not tested again.
_TESTED_KEPT = 4096
#: Bytes kept per class and point (representative, cached relabelled chains and centraliser data).
_CLASS_ENTRY_BYTES = 64
#: Sifts of a batch allowed to a conjugacy test through a representative's cached chain before the
#: exact test with the candidate's own chain (and the representative's centraliser) takes over.
_QUICK_BUDGET = 48


# ---------------------------------------------------------------------- validation
def _check_chain(chain) -> StabilizerChain:
    if not isinstance(chain, StabilizerChain):
        raise TypeError(f"chain must be a StabilizerChain (from stabilizer_chain or G.stabilizer_chain()), got "
                        f"{type(chain).__name__}")
    return chain


def _check_perms(perms, degree: int, name: str, ndim: int) -> np.ndarray:
    """``perms`` as int64 image arrays of ``degree`` points with ``ndim`` axes; TypeError/ValueError naming
    ``name`` otherwise."""
    if hasattr(perms, "array_form"):
        perms = perms.array_form
    try:
        arr = np.asarray(perms)
    except ValueError:
        raise ValueError(f"{name} must be image arrays of length {degree} (a rectangular array)") from None
    if arr.dtype == object or arr.dtype.kind not in "iu":
        if arr.dtype == object:
            try:
                arr = arr.astype(np.int64)
            except (TypeError, ValueError, OverflowError):
                raise TypeError(f"{name} must hold integers (an image array of 0..{degree - 1})") from None
        else:
            raise TypeError(f"{name} must hold integers (an image array of 0..{degree - 1}), got dtype {arr.dtype}")
    if arr.ndim != ndim or arr.shape[-1] != degree:
        want = f"({degree},)" if ndim == 1 else f"(B, {degree})"
        raise ValueError(f"{name} must have shape {want} (image arrays of the chain's degree), got {arr.shape}")
    arr = arr.astype(np.int64, copy=False)
    flat = arr.reshape(-1, degree)
    if flat.size and not (np.sort(flat, axis=1) == np.arange(degree)).all():
        raise ValueError(f"{name} must hold permutations of 0..{degree - 1} (each image exactly once)")
    return arr


def _check_member(chain: StabilizerChain, arr: np.ndarray, name: str) -> None:
    flat = arr.reshape(-1, chain.degree)
    inside = chain.contains(flat) if flat.shape[0] else np.ones(0, dtype=bool)
    if not inside.all():
        where = "" if arr.ndim == 1 else f" (row {int(np.flatnonzero(~inside)[0])})"
        raise ValueError(f"{name} must be an element of the chain's group; it is not{where}")


# ---------------------------------------------------------------------- cycles
def _cycles(g: np.ndarray) -> list[np.ndarray]:
    """The cycles of ``g``, each read from its smallest point, sorted longest first (then by that point)."""
    out = [np.array(cyc, dtype=np.int64) for cyc in cycles_of(g)]
    out.sort(key=lambda c: (-c.size, int(c[0])))
    return out


def _cycle_lengths(perms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(labels, lengths)`` of a batch ``(B, d)``: the smallest point of each point's cycle and the length of
    each point's cycle."""
    B, d = perms.shape
    labels = cycle_labels(perms)
    flat = labels + (d * np.arange(B))[:, None]
    counts = np.bincount(flat.reshape(-1), minlength=B * d).reshape(B, d)
    return labels, np.take_along_axis(counts, labels, axis=1)


def _cycle_types(perms: np.ndarray) -> list[tuple]:
    """The cycle type (a non-increasing tuple) of each row of ``perms`` ``(B, d)``, vectorised."""
    if perms.shape[0] == 0:
        return []
    B, d = perms.shape
    labels = cycle_labels(perms)
    counts = np.bincount((labels + (d * np.arange(B))[:, None]).reshape(-1), minlength=B * d).reshape(B, d)
    counts = -np.sort(-counts, axis=1)
    return [tuple(int(x) for x in row if x) for row in counts]


def _type_key(shape: tuple, degree: int) -> list:
    """Sort key of cycle types: the lexicographic order of their smallest permutations (the identity first;
    for ``S_n`` the order of :meth:`~groupmat.groups.PermutationGroup.class_permutations`)."""
    return canonical_permutation(shape, degree).tolist()


def _power(g: np.ndarray, e: int) -> np.ndarray:
    """``g^e`` by repeated squaring of image arrays."""
    out = np.arange(g.size, dtype=np.int64)
    base = g
    while e:
        if e & 1:
            out = base[out]
        base = base[base]
        e >>= 1
    return out


def _orbit_mask(point: int, gens: list, degree: int) -> np.ndarray:
    """The orbit of ``point`` under the permutations ``gens`` (a boolean mask)."""
    mask = np.zeros(degree, dtype=bool)
    mask[point] = True
    if not gens:
        return mask
    G = np.stack(gens)
    frontier = np.array([point])
    while frontier.size:
        img = np.unique(G[:, frontier])
        img = img[~mask[img]]
        mask[img] = True
        frontier = img
    return mask


def _orbit_minima(gens: np.ndarray, degree: int) -> np.ndarray:
    """The smallest point of the orbit of every point under the permutations ``gens`` (``(k, d)``)."""
    m = np.arange(degree, dtype=np.int64)
    if gens.shape[0] == 0:
        return m
    while True:
        new = m
        for s in gens:
            new = np.minimum(new, new[s])           # min along the edge i -> s(i); cycles close the orbits
        if np.array_equal(new, m):
            return m
        m = new


# ---------------------------------------------------------------------- the relabelled chain
class _Frame:
    """``G`` relabelled along the cycles of a source permutation ``g``: ``pi(omega_i) = i`` where ``omega``
    lists the cycles of ``g`` (longest first), and the chain of ``pi G pi^-1`` (base ``0..d-1`` in order, so
    its prefixes are the first cycles of ``g``)."""

    def __init__(self, chain: StabilizerChain, g: np.ndarray, chains: list | None = None):
        d = chain.degree
        check_size((2 * d + 2, d), 8, "the batches of the backtrack search over cycle images",
                   how="use a permutation group of smaller degree")
        cycles = _cycles(g)
        self.degree = d
        self.omega = np.concatenate(cycles) if cycles else np.zeros(0, dtype=np.int64)
        self.pi = invert(self.omega) if d else self.omega
        lengths = np.array([c.size for c in cycles], dtype=np.int64)
        self.lengths = lengths
        self.starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64) if d else lengths
        self.chain = _relabelled_chain(chain, self, chains)
        C = self.chain
        self._pos, self._trans, self._tinv = C._pos, C._trans, C._tinv
        base = np.array(C.base, dtype=np.int64)
        self.levels_of = [np.flatnonzero((base >= s) & (base < s + L)).tolist()
                          for s, L in zip(self.starts.tolist(), lengths.tolist())]
        self.base = C.base
        self.source = self.to_new(g)                      # consecutive cycles: i -> i + 1 within a cycle

    def to_new(self, p: np.ndarray) -> np.ndarray:
        """``pi p pi^-1`` (as maps) of image arrays ``p`` (``(..., d)``)."""
        return self.pi[p[..., self.omega]]

    def to_old(self, p: np.ndarray) -> np.ndarray:
        """The inverse relabelling: ``pi^-1 p pi`` (as maps)."""
        return self.omega[p[..., self.pi]]


#: Relabelled chains kept by one call of :func:`random_classes` or :func:`class_index_of`.
_CHAINS_KEPT = 32


def _relabelled_chain(chain: StabilizerChain, F: "_Frame", chains: list | None) -> StabilizerChain:
    """The chain of ``pi G pi^-1`` (``pi = F.pi``), base ``0..d-1``.

    The group depends only on the coset ``pi G``: when ``pi = pi_0 o tau`` (as maps) with ``tau`` in ``G`` for
    a relabelling ``pi_0`` already built, ``pi G pi^-1 = pi_0 tau G tau^-1 pi_0^-1 = pi_0 G pi_0^-1`` is the
    same group, and its chain is reused (no Schreier-Sims): for ``S_n`` every relabelling shares one chain.
    Otherwise the chain is rebuilt from the relabelled strong generators with the known order (randomised
    Schreier-Sims; a chain of the known order is complete). ``chains`` (the caller's list, or None) keeps the
    last ``_CHAINS_KEPT`` chains built, as ``(omega, chain)``."""
    d = chain.degree
    if np.array_equal(F.omega, np.arange(d)):
        return chain
    cached = chains if chains is not None else []
    if cached:
        taus = np.stack([omega0[F.pi] for omega0, _ in cached])          # tau = pi_0^-1 o pi
        hit = np.flatnonzero(chain.contains(taus))
        if hit.size:
            return cached[int(hit[0])][1]
    strong = chain.strong_generators
    gens = F.to_new(strong) if strong.shape[0] else strong
    built = stabilizer_chain(gens, degree=d, known_order=chain.order)
    check_size((len(cached) + 1, chain.nbytes() + 1), 1, "the relabelled stabiliser chains kept by the search",
               how="use a permutation group of smaller degree")
    if len(cached) >= _CHAINS_KEPT:
        cached.pop(0)
    cached.append((F.omega.copy(), built))
    return built


class _Target:
    """A target permutation ``h`` (new coordinates): its cycle labels and the length of each point's cycle."""

    def __init__(self, h_new: np.ndarray, labels: np.ndarray | None = None, lengths: np.ndarray | None = None):
        self.perm = h_new
        if labels is None:
            labels, lengths = (a[0] for a in _cycle_lengths(h_new[None, :]))
        self.labels, self.lengths = labels, lengths          # any label that is constant on each cycle


def _relabelled_target(F: "_Frame", h: np.ndarray, cyc) -> _Target:
    """``h`` (old coordinates, with its ``(labels, lengths)`` when known) as a target in the frame ``F``."""
    if cyc is None:
        return _Target(F.to_new(h))
    labels, lengths = cyc
    return _Target(F.to_new(h), labels[F.omega], lengths[F.omega])


class _Budget(Exception):
    """The search ran out of its budget of batch sifts (the caller falls back to an exact search)."""


def _expand(F: _Frame, T: _Target, j: int, w: np.ndarray, winv: np.ndarray, cand: np.ndarray):
    """All ways to extend the prefix coset ``G^{(k)} w`` by mapping cycle ``j`` of the source onto the
    target cycle through each candidate image ``b`` of its leader: the surviving ``(W, Winv, b)``.

    The images of the cycle's points are ``T_k = h^k(b)``; each base point ``b_l`` in the cycle's range asks
    for ``y = w^-1(T)`` in the basic orbit and moves the coset representative to ``u_y w``; the other points
    of the range are then determined by ``w`` and must agree with ``T``."""
    s, L = int(F.starts[j]), int(F.lengths[j])
    n = cand.size
    if n == 0:
        return None
    h = T.perm
    targets = np.empty((n, L), dtype=np.int64)
    targets[:, 0] = cand
    for k in range(1, L):
        targets[:, k] = h[targets[:, k - 1]]
    W = np.broadcast_to(w, (n, w.size)).copy()
    WI = np.broadcast_to(winv, (n, w.size)).copy()
    ok = np.ones(n, dtype=bool)
    rows_idx = np.arange(n)
    for lev in F.levels_of[j]:
        b = F.base[lev]
        y = WI[rows_idx, targets[:, b - s]]
        rows = F._pos[lev][y]
        ok &= rows >= 0
        if not ok.any():
            return None
        if not ok.all():
            keep = np.flatnonzero(ok)
            W, WI, targets, rows, cand = W[keep], WI[keep], targets[keep], rows[keep], cand[keep]
            ok = np.ones(keep.size, dtype=bool)
            rows_idx = np.arange(keep.size)
        W = _gather(W, F._trans[lev][rows])                # u_y w: u first
        WI = _gather(F._tinv[lev][rows], WI)               # w^-1 u_y^-1
    ok &= (W[:, s:s + L] == targets).all(axis=1)
    if not ok.any():
        return None
    return W[ok], WI[ok], cand[ok]


def _search(F: _Frame, T: _Target, j0: int, used: np.ndarray, first: np.ndarray | None = None,
            budget: int | None = None) -> np.ndarray | None:
    """Depth-first search for an ``x`` of the relabelled group mapping the source cycles ``j0, j0+1, ...``
    onto unused target cycles of the same lengths (the first ``j0`` cycles fixed pointwise), the first
    leader's image among ``first`` when given. The first solution (new coordinates) or None; raises
    :class:`_Budget` after ``budget`` batch sifts."""
    d = F.degree
    c = F.lengths.size
    if j0 == c:
        return np.arange(d, dtype=np.int64)
    ident = np.arange(d, dtype=np.int64)
    used = used.copy()
    spent = 0

    def candidates(j):
        L = F.lengths[j]
        return np.flatnonzero((T.lengths == L) & ~used)

    cand = candidates(j0)
    if first is not None:
        cand = np.intersect1d(cand, first)
    spent += 1
    top = _expand(F, T, j0, ident, ident, cand)
    if top is None:
        return None
    stack = [[j0, *top, 0]]
    while stack:
        fr = stack[-1]
        j, Ws, WIs, bs, i = fr
        if i > 0:
            used[T.labels == T.labels[bs[i - 1]]] = False
        if i == bs.size:
            stack.pop()
            continue
        fr[4] = i + 1
        b = bs[i]
        if j + 1 == c:
            return Ws[i]
        used[T.labels == T.labels[b]] = True
        if budget is not None and spent >= budget:
            raise _Budget
        spent += 1
        nxt = _expand(F, T, j + 1, Ws[i], WIs[i], candidates(j + 1))
        if nxt is not None:
            stack.append([j + 1, *nxt, 0])
    return None


def _centralizer_search(F: _Frame) -> tuple[list, int]:
    """Generators (new coordinates) and order of the centraliser of the source, by the subgroup search with
    orbit pruning (module docstring)."""
    d = F.degree
    T = _Target(F.source)
    c = F.lengths.size
    ar = np.arange(d)
    gens: list[np.ndarray] = []
    order = 1
    for j in range(c - 1, -1, -1):
        s, L = int(F.starts[j]), int(F.lengths[j])
        cand = np.flatnonzero((T.lengths == L) & (ar >= s))
        orbit = _orbit_mask(s, gens, d)
        used = ar < s
        for b in cand.tolist():
            if orbit[b]:
                continue
            x = _search(F, T, j, used, first=np.array([b]))
            if x is not None:
                gens.append(x)
                orbit = _orbit_mask(s, gens, d)
        order *= int(orbit.sum())
    return gens, order


# ---------------------------------------------------------------------- public functions
def centralizer(chain: StabilizerChain, g) -> StabilizerChain:
    """The centraliser ``C_G(g)`` of an element ``g`` of the group of ``chain``, as a stabiliser chain.

    Parameters
    ----------
    chain : StabilizerChain
        The chain of ``G``.
    g : array_like of int, shape (degree,)
        The image array of an element of ``G``.

    Returns
    -------
    StabilizerChain
        The chain of ``C_G(g) = {x in G : x g = g x}``; its ``order`` is ``|C_G(g)|``, exact.

    Raises
    ------
    TypeError, ValueError
        ``chain`` not a StabilizerChain; ``g`` not an integer image array of the chain's degree, not a
        permutation, or not in ``G``.

    Notes
    -----
    The subgroup search of the module docstring (Holt, Eick and O'Brien, section 4.6; Seress, chapter 9):
    backtrack over the images of one leader per cycle of ``g``, pruned by the relabelled chain's prefix test
    and by the orbits of the subgroup found so far. The result is checked: every generator lies in ``G``
    and commutes with ``g``.

    Examples
    --------
    >>> import math, numpy as np
    >>> from groupmat.groups.schreier_sims import stabilizer_chain
    >>> from groupmat.groups.perm_conjugacy import centralizer
    >>> S6 = stabilizer_chain(np.array([[1, 0, 2, 3, 4, 5], [1, 2, 3, 4, 5, 0]]))
    >>> centralizer(S6, [1, 0, 3, 2, 4, 5]).order        # (0 1)(2 3): 2^2 2! 2!
    16
    >>> centralizer(S6, [1, 2, 0, 4, 5, 3]).order        # (0 1 2)(3 4 5): 3^2 2!
    18
    """
    chain = _check_chain(chain)
    d = chain.degree
    g = _check_perms(g, d, "g", 1)
    _check_member(chain, g, "g")
    if np.array_equal(g, np.arange(d)):
        return chain
    F = _Frame(chain, g)
    gens_new, order = _centralizer_search(F)
    return _centralizer_chain(chain, g, F, gens_new, order)


def _centralizer_chain(chain, g, F: _Frame, gens_new: list, order: int) -> StabilizerChain:
    d = chain.degree
    gens = F.to_old(np.stack(gens_new)) if gens_new else np.zeros((0, d), dtype=np.int64)
    if gens.shape[0] and not (chain.contains(gens).all() and (compose(gens, np.broadcast_to(g, gens.shape))
                                                              == compose(np.broadcast_to(g, gens.shape), gens)).all()):
        raise AssertionError("internal error: a centraliser generator is not in G or does not commute with g")
    return stabilizer_chain(gens, degree=d, known_order=order)


def conjugating_element(chain: StabilizerChain, g, h) -> np.ndarray | None:
    """An ``x`` in ``G`` with ``x^-1 g x = h``, or None when ``g`` and ``h`` are not conjugate in ``G``.

    The product applies the left factor first (:func:`~groupmat.groups.schreier_sims.compose`), so the
    identity is ``compose(compose(invert(x), g), x) == h``; as maps ``h = x o g o x^-1``: ``x`` carries each
    cycle of ``g`` onto a cycle of ``h``.

    Parameters
    ----------
    chain : StabilizerChain
        The chain of ``G``.
    g, h : array_like of int, shape (degree,)
        Image arrays of elements of ``G``.

    Returns
    -------
    ndarray of int64, shape (degree,), or None

    Raises
    ------
    TypeError, ValueError
        As :func:`centralizer`, naming ``g`` or ``h``.

    Notes
    -----
    Different cycle types return None at once. Otherwise the backtrack of the module docstring maps the
    cycles of ``g`` onto those of ``h`` (cycle by cycle, pruned by the relabelled chain's prefix test), the
    first leader taking one image per cycle of ``h`` (the solutions form a coset ``x C_G(h)`` and ``<h>``
    rotates each cycle), and stops at the first solution.

    Examples
    --------
    >>> import numpy as np
    >>> from groupmat.groups.schreier_sims import stabilizer_chain, compose, invert
    >>> from groupmat.groups.perm_conjugacy import conjugating_element
    >>> A5 = stabilizer_chain(np.array([[1, 2, 0, 3, 4], [0, 1, 3, 4, 2], [1, 2, 3, 4, 0]]))
    >>> g, h = np.array([1, 2, 3, 4, 0]), np.array([4, 0, 1, 2, 3])      # (0 1 2 3 4) and its inverse
    >>> x = conjugating_element(A5, g, h)
    >>> compose(compose(invert(x), g), x).tolist() == h.tolist()
    True
    >>> conjugating_element(A5, g, np.array([2, 3, 4, 0, 1])) is None   # its square: the other A5-class
    True
    """
    chain = _check_chain(chain)
    d = chain.degree
    g = _check_perms(g, d, "g", 1)
    h = _check_perms(h, d, "h", 1)
    _check_member(chain, g, "g")
    _check_member(chain, h, "h")
    tg, th = _cycle_types(np.stack([g, h]))
    if tg != th:
        return None
    F = _Frame(chain, g)
    x = _conjugate_in_frame(F, _Target(F.to_new(h)))
    return None if x is None else F.to_old(x)


def _conjugate_in_frame(F: _Frame, T: _Target, first: np.ndarray | None = None,
                        budget: int | None = None) -> np.ndarray | None:
    """``x`` (new coordinates) with ``x^-1 source x = T.perm``, or None; the first leader's images are
    ``first`` (points meeting every orbit of a subgroup of ``C(h)`` on the first cycle length); by default
    one point per cycle of the target (``<h>`` rotates each cycle)."""
    if first is None:
        first = np.unique(T.labels, return_index=True)[1]
    return _search(F, T, 0, np.zeros(F.degree, dtype=bool), first=first, budget=budget)


# ---------------------------------------------------------------------- class invariants
#: Block systems are looked for only up to this degree (Atkinson's algorithm from each point, in Python).
_BLOCKS_MAX_DEGREE = 128
#: At most this many block systems refine the invariant.
_BLOCK_SYSTEMS_KEPT = 8


def _minimal_block_system(gens: np.ndarray, d: int, x: int) -> np.ndarray:
    """The finest ``G``-invariant partition in which ``0`` and ``x`` share a block (Atkinson's algorithm:
    merge ``0, x``, then ``s(a), s(b)`` for every merged pair and generator ``s``), as labels (the smallest
    point of each block)."""
    parent = list(range(d))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    rows = [s.tolist() for s in gens]
    parent[x] = 0
    queue = [(0, x)]
    while queue:
        a, b = queue.pop()
        for s in rows:
            ra, rb = find(s[a]), find(s[b])
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
                queue.append((s[a], s[b]))
    return np.array([find(i) for i in range(d)], dtype=np.int64)


class _Invariants:
    """Class invariants finer than the cycle type, cheap and vectorised: the cycle type on each orbit of
    ``G`` (orbits are ``G``-invariant, so conjugation by ``G`` keeps each orbit), and for a transitive ``G``
    the cycle type of the action on the blocks of its minimal block systems (``G`` permutes the blocks of a
    system, so conjugates act on them by conjugate permutations). Elements with different keys are never
    conjugate: most new classes are recognised without a conjugacy test."""

    def __init__(self, chain: StabilizerChain):
        d = chain.degree
        gens = chain.strong_generators
        omin = _orbit_minima(gens, d)
        orbits = [np.flatnonzero(omin == m) for m in np.unique(omin)]
        self.orbits = [o for o in orbits if o.size > 1] if len(orbits) > 1 else []
        self.blocks = []                       # (block of each point, one point per block)
        if len(orbits) == 1 and 3 < d <= _BLOCKS_MAX_DEGREE and gens.shape[0]:
            found = set()
            for x in range(1, d):
                labels = _minimal_block_system(gens, d, x)
                key = labels.tobytes()
                if key in found or np.unique(labels).size in (1, d):
                    continue
                found.add(key)
                tops = np.unique(labels)
                index = np.full(d, -1, dtype=np.int64)
                index[tops] = np.arange(tops.size)
                self.blocks.append((index[labels], tops))
                if len(self.blocks) >= _BLOCK_SYSTEMS_KEPT:
                    break

    def keys(self, perms: np.ndarray, shapes: list, cyc=None) -> list:
        """``(cycle type, cycle types on the orbits, cycle types on the blocks)`` of each row of ``perms``."""
        B = perms.shape[0]
        parts = [shapes]
        if self.orbits:
            labels, lengths = cyc if cyc is not None else _cycle_lengths(perms)
            lead = np.where(labels == np.arange(perms.shape[1]), lengths, 0)
            per = [-np.sort(-lead[:, o], axis=1) for o in self.orbits]
            parts.append([tuple(tuple(int(v) for v in p[r] if v) for p in per) for r in range(B)])
        for block_of, tops in self.blocks:
            parts.append(_cycle_types(block_of[perms[:, tops]]))
        return list(zip(*parts))


# ---------------------------------------------------------------------- classes
@dataclass(frozen=True, eq=False)
class ConjugacyClassData:
    """The conjugacy classes of a permutation group found by :func:`random_classes`.

    Attributes
    ----------
    representatives : ndarray of int64, shape (r, degree)
        One element per class (read-only).
    sizes : list of int
        Class sizes (Python ints, summing to the group's order).
    centralizer_orders : list of int
        ``|C_G(g)|`` of each representative (``order // size``).
    cycle_types : list of tuple
        The cycle type (non-increasing, fixed points included) of each class.
    order : int
        ``|G|``.
    samples : int
        Random elements drawn (uniform ones and steps of the walk on the commuting graph).
    tests : int
        Conjugacy tests made (a candidate against one representative).

    Classes are ordered by cycle type (in the lexicographic order of the smallest permutation of each
    type: the identity first, then ``(d-2 d-1)``, ...; for ``S_n`` the order of
    :meth:`~groupmat.groups.PermutationGroup.class_permutations`), then by the lexicographic order of the
    representatives (the first element found in each class, which depends on ``seed``).
    """

    representatives: np.ndarray
    sizes: list
    centralizer_orders: list
    cycle_types: list
    order: int
    samples: int = 0
    tests: int = 0
    _classes: tuple = field(default=(), repr=False, compare=False)     # the search data of each class

    def __len__(self) -> int:
        return len(self.sizes)


class _Class:
    """A class found so far: representative, its frame (chain along its cycles) and centraliser data."""

    def __init__(self, rep, shape, frame, cent_gens_old, cent_order):
        self.rep = rep
        self.shape = shape
        self.frame = frame
        self.cent_order = cent_order
        d = rep.size
        gens = cent_gens_old if cent_gens_old is not None else np.zeros((0, d), dtype=np.int64)
        self.orbit_min = _orbit_minima(np.vstack([gens, rep[None, :]]), d)   # orbits of C_G(rep) (old coords)
        self.gens = gens
        self._chain = None

    def centralizer_chain(self, chain: StabilizerChain) -> StabilizerChain:
        """The chain of ``C_G(rep)`` (built once, from the generators found and the known order)."""
        if self._chain is None:
            self._chain = chain if self.cent_order == chain.order else stabilizer_chain(
                self.gens, degree=self.rep.size, known_order=self.cent_order)
        return self._chain


def _is_conjugate_to(chain, cls: _Class, h: np.ndarray, cyc, frames: dict, chains: list | None = None) -> bool:
    """Whether ``h`` (same cycle type; ``cyc`` its cycle labels and lengths) is conjugate to the
    representative of ``cls``: first a budgeted search through the representative's cached chain (mapping its
    cycles onto those of ``h``), then, if that neither succeeded nor finished, the exact search through
    ``h``'s own chain with the first leader pruned by the orbits of ``C_G(rep)``."""
    F = cls.frame
    try:
        return _conjugate_in_frame(F, _relabelled_target(F, h, cyc), budget=_QUICK_BUDGET) is not None
    except _Budget:
        pass
    key = h.tobytes()
    if key not in frames:
        frames.clear()                                   # only the latest candidate's chain is kept
        frames[key] = _Frame(chain, h, chains)
    Fh = frames[key]
    # y^-1 h y = rep: the solutions form y C_G(rep), so the first leader of h needs one image per orbit of
    # C_G(rep): the orbits' smallest points (old labels), relabelled into h's frame
    first = Fh.pi[np.flatnonzero(cls.orbit_min == np.arange(Fh.degree))]
    return _conjugate_in_frame(Fh, _Target(Fh.to_new(cls.rep)), first) is not None


def _divisors(m: int) -> list[int]:
    return [e for e in range(2, m) if m % e == 0]


def random_classes(chain: StabilizerChain, seed=0, max_samples: int | None = None) -> ConjugacyClassData:
    """The conjugacy classes of the group of ``chain`` from random elements, exact (Las Vegas).

    Parameters
    ----------
    chain : StabilizerChain
        The chain of ``G``.
    seed : int or numpy.random.Generator
        The random elements' source (the classes found do not depend on it; their representatives and the
        time taken do).
    max_samples : int, optional
        Safety cap on the random elements drawn (default ``DEFAULT_MAX_SAMPLES``).

    Returns
    -------
    ConjugacyClassData
        Representatives, sizes, centraliser orders and cycle types, ordered as described there.

    Raises
    ------
    TypeError, ValueError
        ``chain`` not a StabilizerChain, ``seed`` or ``max_samples`` invalid.
    RuntimeError
        The cap on samples was reached before the sizes summed to ``|G|`` (pass a larger ``max_samples``).
    TooLargeError
        The classes found so far would exceed the memory budget.

    Notes
    -----
    Uniform random elements, the powers ``g^e`` of new classes (``e`` a proper divisor of the order of
    ``g``) and the steps of a walk ``x -> `` random element of ``C_G(x)`` (every class equally likely in
    the long run) are tested against the representatives of the same class invariant
    (:func:`conjugating_element`'s search, the first leader pruned by the representative's centraliser),
    with the rules of the module docstring on which uniform elements need a test; a new class gets its
    centraliser (:func:`centralizer`'s search) and the size ``|G| / |C_G(g)|``. The loop ends when the sizes
    sum to ``|G|``. Abelian groups are listed directly (every element is a class; within the memory
    budget). ``max_samples`` counts the uniform elements and the walk's steps.

    Examples
    --------
    >>> import numpy as np
    >>> from groupmat.groups.schreier_sims import stabilizer_chain
    >>> from groupmat.groups.perm_conjugacy import random_classes
    >>> A5 = stabilizer_chain(np.array([[1, 2, 0, 3, 4], [1, 2, 3, 4, 0]]))
    >>> data = random_classes(A5)
    >>> data.sizes, data.cycle_types                     # doctest: +NORMALIZE_WHITESPACE
    ([1, 20, 15, 12, 12], [(1, 1, 1, 1, 1), (3, 1, 1), (2, 2, 1), (5,), (5,)])
    >>> data.centralizer_orders
    [60, 3, 4, 5, 5]
    """
    chain = _check_chain(chain)
    if isinstance(seed, np.random.Generator):
        rng = seed
    elif isinstance(seed, (int, np.integer)) and not isinstance(seed, (bool, np.bool_)):
        rng = np.random.default_rng(int(seed))
    else:
        raise TypeError(f"seed must be an int or a numpy.random.Generator, got {type(seed).__name__}")
    if max_samples is None:
        max_samples = DEFAULT_MAX_SAMPLES
    elif (not isinstance(max_samples, (int, np.integer)) or isinstance(max_samples, (bool, np.bool_))
          or max_samples < 1):
        raise ValueError(f"max_samples must be a positive int, got {max_samples!r}")
    d, N = chain.degree, chain.order
    ident = np.arange(d, dtype=np.int64)
    if _is_abelian(chain):
        return _abelian_classes(chain)
    id_shape = (1,) * d
    inv = _Invariants(chain)
    id_key = inv.keys(ident[None, :], [id_shape])[0]
    chains: list = []                        # relabelled chains, reused across one coset of G
    classes = [_Class(ident, id_shape, _Frame(chain, ident, chains), chain.strong_generators, N)]
    by_key: dict = {id_key: [0]}             # the classes found, by invariant (_Invariants)
    mass: dict = {id_key: 1}                 # elements of each invariant in the classes found
    type_mass: dict = {id_shape: 1}          # elements of each cycle type in the classes found
    seen: Counter = Counter()                # uniform random elements of each invariant drawn
    state = {"total": 1, "tests": 0}
    frames: dict = {}
    tested: dict = {}                        # elements already placed: their class
    fact = math.factorial(d)

    def sym_count(shape) -> int:
        """Elements of ``Sym(d)`` of this cycle type: when the classes found hold that many, the type is
        complete and nothing of that type needs a test."""
        return fact // centralizer_order(shape)

    def classify(h, cyc, shape, inv_key, need: bool) -> int | None:
        """The class of ``h`` (a new one, with its centraliser, when no representative of its invariant is
        conjugate to it; its powers are then classified in turn). None when its cycle type is complete and
        the class is not ``need``-ed."""
        known = by_key.get(inv_key, [])
        key = h.tobytes()
        if known:
            complete = type_mass[shape] == sym_count(shape)
            if complete and len(known) == 1:               # the only class of its type and invariant
                return known[0]
            if key in tested:
                return tested[key]
            if complete and not need:
                return None
            for i in known:
                state["tests"] += 1
                if _is_conjugate_to(chain, classes[i], h, cyc, frames, chains):
                    if len(tested) >= _TESTED_KEPT:
                        tested.clear()
                    tested[key] = i
                    return i
        if type_mass.get(shape, 0) == sym_count(shape):
            raise AssertionError("internal error: a new class of a cycle type whose classes are all known")
        # per class: its representative and search data, and up to one chain (its centraliser's) of at
        # most the size of G's
        check_size((len(classes) + 1, 3 * d * _CLASS_ENTRY_BYTES + chain.nbytes()), 1, "the conjugacy classes "
                   "found (representatives, centraliser chains)", how="use a group with fewer classes")
        F = frames[key] if key in frames else _Frame(chain, h, chains)
        gens_new, cent_order = _centralizer_search(F)
        if N % cent_order:
            raise AssertionError("internal error: a centraliser order does not divide |G|")
        classes.append(_Class(h.copy(), shape, F, F.to_old(np.stack(gens_new)) if gens_new else None, cent_order))
        index = len(classes) - 1
        by_key.setdefault(inv_key, []).append(index)
        mass[inv_key] = mass.get(inv_key, 0) + N // cent_order
        type_mass[shape] = type_mass.get(shape, 0) + N // cent_order
        state["total"] += N // cent_order
        # the powers h^e (e a proper divisor of the order): the classes of powers of any conjugate of h
        divisors = _divisors(math.lcm(*shape))
        if divisors:
            powers = np.stack([_power(h, e) for e in divisors])
            plab, plen = _cycle_lengths(powers)
            pshapes = _cycle_types(powers)
            pkeys = inv.keys(powers, pshapes, (plab, plen))
            for k, t in enumerate(pshapes):
                if state["total"] < N and t != id_shape:
                    classify(powers[k], (plab[k], plen[k]), t, pkeys[k], False)
        return index

    samples = uniform = 0
    walk = 0                                 # the class of the walk on the commuting graph
    while state["total"] < N:
        if samples >= max_samples:
            raise RuntimeError(
                f"random_classes drew {samples} random elements (max_samples) and found {len(classes)} classes "
                f"covering {state['total']} of the {N} elements; pass a larger max_samples to keep sampling")
        batch = chain.random(_SAMPLE_BATCH, rng)
        labels, lengths = _cycle_lengths(batch)
        shapes = _cycle_types(batch)
        keys = inv.keys(batch, shapes, (labels, lengths))
        coins = rng.random(_SAMPLE_BATCH)
        for k in range(_SAMPLE_BATCH):
            if state["total"] >= N:
                break
            samples += 1
            uniform += 1
            t, key = shapes[k], keys[k]
            seen[key] += 1
            if key not in by_key:                    # an invariant not met yet: a new class, no test needed
                classify(batch[k], (labels[k], lengths[k]), t, key, False)
                continue
            if type_mass[t] == sym_count(t):         # every permutation of this type is in a class found
                continue
            # a type whose random elements outnumber its classes found (beyond chance) hides a class: test
            # its elements; any other is tested with probability 1 / _TEST_EVERY (so that every class is
            # found eventually, whatever the statistics say)
            expected = uniform * (mass[key] / N)
            if seen[key] > expected + 3.0 * math.sqrt(expected) + 2 or coins[k] < 1.0 / _TEST_EVERY:
                classify(batch[k], (labels[k], lengths[k]), t, key, False)
        # steps of the walk x -> a uniform element of C_G(x): its stationary distribution gives every class
        # the same weight, so the small classes that uniform elements miss are reached
        for _ in range(_WALK_STEPS):
            if state["total"] >= N:
                break
            c = classes[walk].centralizer_chain(chain).random(1, rng)
            samples += 1
            clab, clen = _cycle_lengths(c)
            cshape = _cycle_types(c)
            walk = classify(c[0], (clab[0], clen[0]), cshape[0], inv.keys(c, cshape, (clab, clen))[0], True)
    if state["total"] != N:
        raise AssertionError("internal error: the class sizes exceed |G|")
    order = sorted(range(len(classes)), key=lambda i: (_type_key(classes[i].shape, d), classes[i].rep.tolist()))
    classes = [classes[i] for i in order]
    reps = np.stack([c.rep for c in classes]) if classes else np.zeros((0, d), dtype=np.int64)
    reps.flags.writeable = False
    return ConjugacyClassData(reps, [N // c.cent_order for c in classes], [c.cent_order for c in classes],
                              [c.shape for c in classes], N, samples, state["tests"], tuple(classes))


def _is_abelian(chain: StabilizerChain) -> bool:
    S = chain.strong_generators
    if S.shape[0] < 2:
        return True
    k = S.shape[0]
    i, j = np.triu_indices(k, 1)
    return bool((compose(S[i], S[j]) == compose(S[j], S[i])).all())


def _abelian_classes(chain: StabilizerChain) -> ConjugacyClassData:
    """Every element is a class: the listed group (within the memory budget)."""
    d, N = chain.degree, chain.order
    check_size((N, 3 * d), _CLASS_ENTRY_BYTES, f"the {N} conjugacy classes of an abelian group of order {N}",
               how="use the group's structure (an abelian group has one class per element)")
    elems = chain.unrank(np.arange(N, dtype=np.int64)) if N > 1 else np.arange(d, dtype=np.int64)[None, :]
    shapes = _cycle_types(elems)
    order = sorted(range(N), key=lambda i: (_type_key(shapes[i], d), elems[i].tolist()))
    reps = np.ascontiguousarray(elems[order])
    reps.flags.writeable = False
    return ConjugacyClassData(reps, [1] * N, [N] * N, [shapes[i] for i in order], N, 0)


def _data_classes(chain: StabilizerChain, data: ConjugacyClassData, chains: list) -> tuple:
    """The per-class search data of ``data``: those of :func:`random_classes` when they describe this group
    (their group lies in ``G`` and has its order), else built here (for data made by hand)."""
    if data._classes:
        own = data._classes[0].frame.chain                 # the identity's frame: the chain data was built on
        if own is chain or chain.contains(own.strong_generators).all():
            return data._classes
    out = []
    for rep, shape, co in zip(data.representatives, data.cycle_types, data.centralizer_orders):
        rep = np.array(rep)
        C = centralizer(chain, rep)
        out.append(_Class(rep, shape, _Frame(chain, rep, chains), C.strong_generators, co))
    return tuple(out)


def class_index_of(chain: StabilizerChain, data: ConjugacyClassData, perms) -> np.ndarray:
    """The position in ``data`` of the class of each element of the batch ``perms``.

    Parameters
    ----------
    chain : StabilizerChain
        The chain of ``G``.
    data : ConjugacyClassData
        The classes of ``G`` (from :func:`random_classes` on this group).
    perms : array_like of int, shape (B, degree)
        Image arrays of elements of ``G``.

    Returns
    -------
    ndarray of int64, shape (B,)

    Raises
    ------
    TypeError, ValueError
        ``chain`` or ``data`` of the wrong type or of another group, ``perms`` not image arrays of members
        of ``G``.

    Notes
    -----
    Cycle types and the finer invariants of :class:`_Invariants` (cycle types on the orbits and on the
    blocks of ``G``) are computed for the whole batch at once; only where an invariant holds several
    classes is an element tested for conjugacy (against all but the last representative of its invariant).

    Examples
    --------
    >>> import numpy as np
    >>> from groupmat.groups.schreier_sims import stabilizer_chain
    >>> from groupmat.groups.perm_conjugacy import random_classes, class_index_of
    >>> A5 = stabilizer_chain(np.array([[1, 2, 0, 3, 4], [1, 2, 3, 4, 0]]))
    >>> data = random_classes(A5)
    >>> i = class_index_of(A5, data, [[1, 2, 3, 4, 0], [2, 3, 4, 0, 1], [0, 1, 2, 3, 4]])
    >>> bool(i[0] != i[1]), [data.sizes[k] for k in i]
    (True, [12, 12, 1])
    """
    chain = _check_chain(chain)
    if not isinstance(data, ConjugacyClassData):
        raise TypeError(f"data must be a ConjugacyClassData (from random_classes), got {type(data).__name__}")
    d = chain.degree
    if data.order != chain.order or data.representatives.shape[1:] != (d,):
        raise ValueError(f"data describes a group of order {data.order} on {data.representatives.shape[-1]} points, "
                         f"not the chain's group (order {chain.order}, degree {d})")
    arr = _check_perms(perms, d, "perms", 2)
    _check_member(chain, arr, "perms")
    B = arr.shape[0]
    out = np.empty(B, dtype=np.int64)
    if B == 0:
        return out
    inv = _Invariants(chain)
    reps = np.asarray(data.representatives, dtype=np.int64)
    where: dict = {}
    for k, key in enumerate(inv.keys(reps, _cycle_types(reps))):
        where.setdefault(key, []).append(k)
    keys = inv.keys(arr, _cycle_types(arr))
    classes = None
    frames: dict = {}
    chains: list = []
    for r, t in enumerate(keys):
        ks = where.get(t)
        if not ks:
            raise ValueError(f"perms row {r} has the class invariant {t} (cycle type first), which no class of data "
                             "has: data is not the classes of this group")
        if len(ks) == 1:
            out[r] = ks[0]
            continue
        if classes is None:
            classes = _data_classes(chain, data, chains)
        for k in ks[:-1]:
            if _is_conjugate_to(chain, classes[k], arr[r], None, frames, chains):
                out[r] = k
                break
        else:
            out[r] = ks[-1]
    return out
