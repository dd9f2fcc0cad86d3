"""Stabiliser chains of permutation groups (Schreier-Sims): a base and strong generating set.

A permutation group ``G`` on the points ``0..d-1`` is handled through its chain of pointwise
stabilisers along the base ``0, 1, ..., d-1`` in its natural order:

.. math::

    G = G^{(0)} \\ge G^{(1)} \\ge \\dots, \\qquad G^{(k)} = \\{g \\in G : g(p) = p
    \\text{ for all points } p < b_k\\},

kept only at the *active* points ``b_0 < b_1 < ...`` (the points some element of the stabiliser
moves: elsewhere the stabiliser does not change). For each level the chain stores the basic orbit
``Delta_k = b_k^{G^{(k)}}`` and a transversal: for each ``y`` in ``Delta_k`` an element ``u_y`` of
``G^{(k)}`` with ``u_y(b_k) = y``, as image arrays (and their inverses), so that every step below is
a gather over a whole batch of permutations at once. Then

* ``|G| = prod_k |Delta_k|`` (an exact Python int, however large);
* membership is *sifting*: ``g -> g u_y^{-1}`` with ``y = g(b_k)``, level by level; ``g`` is in ``G``
  exactly when every ``y`` lies in its orbit and the residue is the identity;
* since the base is ``0..d-1`` in order, the elements with the same images of the points ``< b_k``
  as ``g`` form the coset ``G^{(k)} w_k``, so the **lexicographic rank** of ``g`` (its position among
  the image arrays of ``G`` sorted lexicographically) is
  ``sum_k |G^{(k+1)}| #{z in Delta_k : w_k(z) < g(b_k)}``: element indices without enumeration.

Convention (SymPy's and GAP's): a permutation is its image array ``p`` (``i -> p[i]``) and the
product ``g h`` applies ``g`` first: ``perm(g h) = perm(h)[perm(g)]``.

The algorithm (:func:`stabilizer_chain`): a randomised Schreier-Sims phase (random elements from a
product-replacement walk are sifted, residues become strong generators) builds a chain quickly;
when the order is not known in advance, the deterministic Schreier-Sims test then proves the chain
complete: every Schreier generator ``u_beta s u_{beta^s}^{-1}`` of every level is sifted through
the levels below, in vectorised batches, and a non-trivial residue is added and the test resumed
at its level (Sims' algorithm). When the order is known (symmetric and alternating groups and their
stabilisers) a chain of that order is complete by Lagrange, and the test is skipped. Either way
the result is exact (Las Vegas, never Monte Carlo).

References
----------
.. [1] C. C. Sims, "Computational methods in the study of permutation groups", 1970.
.. [2] D. F. Holt, B. Eick, E. A. O'Brien, *Handbook of Computational Group Theory*, ch. 4, 2005.
.. [3] A. Seress, *Permutation Group Algorithms*, ch. 4, 2003.
"""
from __future__ import annotations

import math
import random
from collections.abc import Sequence

import numpy as np

from .._validation import check_size

__all__ = ["StabilizerChain", "stabilizer_chain", "symmetric_chain", "compose", "invert", "first_moved"]

#: Bytes per entry of the stored image arrays (transversals and their inverses are kept as int64
#: rows, gathered directly).
_ENTRY_BYTES = 8
#: Consecutive random elements that must sift to the identity before the randomised phase stops.
_RANDOM_QUIET = 24
#: Below this degree the randomised phase is skipped when the order is unknown: the deterministic test
#: alone, started from the generators, is cheaper for small groups.
_RANDOM_PHASE_MIN_DEGREE = 16
#: Schreier generators sifted per vectorised batch (bounds the ``(batch, degree)`` work arrays).
_BATCH_ROWS = 1024


def compose(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The product ``a b`` (``a`` first, then ``b``) of image arrays, broadcast over leading axes:
    ``(a b)(i) = b(a(i))``.

    Examples
    --------
    >>> import numpy as np
    >>> from groupmat.groups.schreier_sims import compose
    >>> compose(np.array([1, 0, 2]), np.array([0, 2, 1])).tolist()       # (0 1) then (1 2)
    [2, 0, 1]
    """
    if a.ndim == 1 and b.ndim == 1:
        return b[a]
    if a.ndim == 2 and b.ndim == 2 and a.shape == b.shape:
        return _gather(b, a)
    a, b = np.broadcast_arrays(a, b)
    return np.take_along_axis(b, a.astype(np.intp, copy=False), axis=-1)


def _gather(table: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """``out[r, i] = table[r, idx[r, i]]`` for 2-D arrays of one shape (``take_along_axis`` without
    its per-call overhead: one flat gather)."""
    B, d = idx.shape
    return table.reshape(-1)[idx + (np.arange(B, dtype=np.int64) * d)[:, None]]


def invert(p: np.ndarray) -> np.ndarray:
    """The inverse image arrays of ``p`` (shape ``(..., d)``): ``invert(p)[p[i]] = i``.

    Examples
    --------
    >>> import numpy as np
    >>> from groupmat.groups.schreier_sims import invert
    >>> invert(np.array([1, 2, 0])).tolist()
    [2, 0, 1]
    """
    p = np.asarray(p)
    out = np.empty(p.shape, dtype=np.int64)
    ar = np.broadcast_to(np.arange(p.shape[-1], dtype=np.int64), p.shape)
    np.put_along_axis(out, p.astype(np.intp, copy=False), ar, axis=-1)
    return out


def first_moved(p: np.ndarray) -> np.ndarray:
    """The smallest point each image array moves (``d`` for the identity), over the last axis.

    Examples
    --------
    >>> import numpy as np
    >>> from groupmat.groups.schreier_sims import first_moved
    >>> first_moved(np.array([[0, 2, 1], [0, 1, 2]])).tolist()
    [1, 3]
    """
    p = np.asarray(p)
    d = p.shape[-1]
    moved = p != np.arange(d)
    return np.where(moved.any(axis=-1), moved.argmax(axis=-1), d)


def _sift_step(g: np.ndarray, ok: np.ndarray, pos: np.ndarray, tinv: np.ndarray, b: int):
    """One level of sifting a batch: ``g -> g u_y^{-1}`` with ``y = g(b)`` (then ``g`` fixes ``b``),
    for the rows still ``ok`` whose ``y`` lies in the orbit; the others stop (``ok`` False)."""
    rows = pos[g[:, b]]                                   # y = g(b): its row in the orbit, or -1
    ok &= rows >= 0
    if ok.all():                                          # the usual case: one gather, no copies
        return _gather(tinv[rows], g), ok
    live = np.flatnonzero(ok)
    if live.size:
        g[live] = _gather(tinv[rows[live]], g[live])      # (g u^-1)(i) = u^-1(g(i))
    return g, ok


class _Level:
    """One level of a chain under construction: base point, generator indices, orbit, transversal."""

    def __init__(self, point: int, degree: int):
        self.point = point
        self.gens: list[int] = []                      # indices into the strong generators
        self.orbit = np.array([point], dtype=np.int64)  # in the order found (the base point first)
        self.pos = np.full(degree, -1, dtype=np.int64)  # pos[y]: row of y in orbit, or -1
        self.pos[point] = 0
        self.trans = np.arange(degree, dtype=np.int64)[None, :]     # trans[r](point) = orbit[r]
        self.tinv = self.trans.copy()
        self.checked = (1, 0)                          # Schreier pairs rows[:R] x gens[:Q] proven

    def extend(self, strong: list[np.ndarray], new_gens: Sequence[int]) -> None:
        """Add generators (indices into ``strong``) and grow the orbit breadth-first, vectorised:
        ``u_{y^s} = u_y s`` for each new point ``y^s`` found from ``y`` by the generator ``s``."""
        if not len(new_gens):
            return
        self.gens.extend(new_gens)
        gens = np.stack([strong[i] for i in self.gens])
        # the new generators act on every known point; then all generators on the new points
        new_idx = np.array([self.gens.index(i) for i in new_gens], dtype=np.int64)
        frontier_rows = np.arange(self.orbit.size)
        use = new_idx
        while frontier_rows.size:
            pts = self.orbit[frontier_rows]
            images = gens[use][:, pts]                               # (q, f): y^s
            src = np.broadcast_to(frontier_rows[None, :], images.shape).ravel()
            via = np.broadcast_to(use[:, None], images.shape).ravel()
            images = images.ravel()
            fresh = self.pos[images] < 0
            images, src, via = images[fresh], src[fresh], via[fresh]
            images, first = np.unique(images, return_index=True)
            src, via = src[first], via[first]
            if not images.size:
                break
            check_size((self.orbit.size + images.size, 2 * self.pos.size), _ENTRY_BYTES,
                       "a transversal of the stabiliser chain",
                       how="use a permutation group of smaller degree")
            rows = compose(self.trans[src], gens[via])               # u_{y^s} = u_y s
            start = self.orbit.size
            self.orbit = np.concatenate([self.orbit, images])
            self.pos[images] = np.arange(start, start + images.size)
            self.trans = np.concatenate([self.trans, rows])
            self.tinv = np.concatenate([self.tinv, invert(rows)])
            frontier_rows = np.arange(start, start + images.size)
            use = np.arange(len(self.gens))


class _Builder:
    """A stabiliser chain under construction (see :func:`stabilizer_chain`)."""

    def __init__(self, degree: int):
        self.degree = degree
        self.strong: list[np.ndarray] = []
        self.levels: list[_Level] = []                 # sorted by base point

    def points(self) -> list[int]:
        return [L.point for L in self.levels]

    def order(self) -> int:
        return math.prod(int(L.orbit.size) for L in self.levels)

    def add(self, h: np.ndarray) -> int:
        """Add a non-identity element ``h`` as a strong generator; return the level index of its
        first moved point (created when new). ``h`` joins every level whose point is ``<= fm(h)``."""
        j = int(first_moved(h))
        k = len(self.strong)
        self.strong.append(np.asarray(h, dtype=np.int64))
        pts = self.points()
        at = int(np.searchsorted(pts, j))
        if at == len(pts) or pts[at] != j:
            L = _Level(j, self.degree)
            # the stabiliser of 0..j-1 holds every strong generator fixing those points
            L.extend(self.strong, [i for i, s in enumerate(self.strong[:-1]) if first_moved(s) >= j])
            self.levels.insert(at, L)
        for L in self.levels[:at + 1]:
            L.extend(self.strong, [k])
        return at

    def sift(self, g: np.ndarray, start: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Sift a batch ``g`` (``(B, d)``) through the levels ``start, start + 1, ...``.

        Returns ``(residue, ok)``: ``ok[i]`` when every basic image was in its orbit (the residue is
        then ``g`` divided by the transversal elements); ``g[i]`` is in the chain's group exactly
        when ``ok[i]`` and the residue is the identity."""
        g = np.array(g, dtype=np.int64, copy=True)
        ok = np.ones(g.shape[0], dtype=bool)
        for L in self.levels[start:]:
            g, ok = _sift_step(g, ok, L.pos, L.tinv, L.point)
        return g, ok

    def random_phase(self, gens: list, rng: random.Random, known_order: int | None) -> None:
        """Randomised Schreier-Sims: sift random elements (product replacement), add residues,
        until ``_RANDOM_QUIET`` in a row sift to the identity or the known order is reached."""
        d = self.degree
        ident = np.arange(d)
        pool = [g for g in gens] * max(1, -(-10 // max(1, len(gens))))
        pool = pool[:max(10, len(gens))]
        acc = ident.copy()
        for _ in range(50):                                           # mix the pool first
            acc = self._replace(pool, acc, rng)
        quiet = 0
        while quiet < _RANDOM_QUIET:
            if known_order is not None and self.order() >= known_order:
                break
            acc = self._replace(pool, acc, rng)
            res, ok = self.sift(acc[None, :])
            if ok[0] and np.array_equal(res[0], ident):
                quiet += 1
                continue
            quiet = 0
            if not ok[0]:
                self._add_residue(res[0])
            else:
                self.add(res[0])

    def _add_residue(self, h: np.ndarray) -> None:
        """A residue that left some orbit: it still lies in ``G``; add it (not the identity)."""
        if not np.array_equal(h, np.arange(self.degree)):
            self.add(h)

    @staticmethod
    def _replace(pool: list, acc: np.ndarray, rng) -> np.ndarray:
        """One step of the product-replacement walk (Celler et al.) with an accumulator ("rattle")."""
        i = rng.randrange(len(pool))
        j = rng.randrange(len(pool) - 1) if len(pool) > 1 else i
        j += j >= i and len(pool) > 1
        if rng.random() < 0.5:
            pool[i] = compose(pool[i], pool[j])
        else:
            pool[i] = compose(pool[j], pool[i])
        return compose(acc, pool[i])

    def verify(self) -> None:
        """The deterministic Schreier-Sims test, deepest level first: all Schreier generators of a
        level sift to the identity through the levels below, else the residue is added and the test
        resumes at the residue's level. Pairs already proven are not sifted again."""
        d = self.degree
        ident = np.arange(d)
        k = len(self.levels) - 1
        while k >= 0:
            L = self.levels[k]
            R0, Q0 = L.checked
            R, Q = L.orbit.size, len(L.gens)
            gens = np.stack([self.strong[i] for i in L.gens])
            # the unproven pairs: rows[:R0] x gens[Q0:] and rows[R0:] x gens[:]
            pairs = [(np.arange(R0), np.arange(Q0, Q)), (np.arange(R0, R), np.arange(Q))]
            found = None
            for rows, qs in pairs:
                if not rows.size or not qs.size:
                    continue
                rr = np.repeat(rows, qs.size)
                qq = np.tile(qs, rows.size)
                for s in range(0, rr.size, _BATCH_ROWS):
                    r, q = rr[s:s + _BATCH_ROWS], qq[s:s + _BATCH_ROWS]
                    check_size((r.size, 4 * d), _ENTRY_BYTES, "a batch of Schreier generators")
                    # u_beta s u_{beta^s}^{-1}: fixes the base point b_k
                    us = compose(L.trans[r], gens[q])
                    back = L.pos[gens[q, L.orbit[r]]]
                    sch = compose(us, L.tinv[back])
                    nontrivial = ~(sch == ident).all(axis=1)
                    if not nontrivial.any():
                        continue
                    res, _ = self.sift(sch[nontrivial], k + 1)
                    moved = ~(res == ident).all(axis=1)
                    if moved.any():
                        found = res[np.argmax(moved)]
                        break
                if found is not None:
                    break
            if found is None:
                L.checked = (R, Q)
                k -= 1
                continue
            k = self.add(found)                     # resume at the (possibly new) deeper level

    def freeze(self) -> "StabilizerChain":
        return StabilizerChain(self.degree, self.levels, self.strong)


class StabilizerChain:
    """A base and strong generating set of a permutation group, with transversals (read-only).

    Built by :func:`stabilizer_chain`; see the module docstring for the mathematics.

    Attributes
    ----------
    degree : int
        The number of points.
    base : tuple of int
        The active base points ``b_0 < b_1 < ...`` (the pointwise stabiliser of ``0..b_k - 1``
        moves ``b_k``); the stabiliser of all points ``< b_k`` is ``G^{(k)}``.
    strong_generators : ndarray, shape (m, degree)
        A strong generating set: those fixing ``0..b_k - 1`` generate ``G^{(k)}``.
    orbits : list of ndarray
        The basic orbits ``Delta_k`` (the base point first).
    order : int
        ``prod_k |Delta_k|``, exact.

    Examples
    --------
    >>> import numpy as np
    >>> from groupmat.groups.schreier_sims import stabilizer_chain
    >>> C = stabilizer_chain(np.array([[1, 2, 3, 0], [3, 2, 1, 0]]))     # the square's symmetries
    >>> C.order, C.base, [o.size for o in C.orbits]
    (8, (0, 1), [4, 2])
    """

    def __init__(self, degree: int, levels: list, strong: list):
        self.degree = degree
        self.base = tuple(int(L.point) for L in levels)
        self.orbits = [L.orbit for L in levels]
        self._pos = [L.pos for L in levels]
        self._trans = [L.trans for L in levels]
        self._tinv = [L.tinv for L in levels]
        self.strong_generators = (np.stack(strong) if strong else np.zeros((0, degree), dtype=np.int64))
        self._level_gens = [tuple(L.gens) for L in levels]
        for arr in (*self.orbits, *self._pos, *self._trans, *self._tinv, self.strong_generators):
            arr.flags.writeable = False
        #: sizes[k] = |G^{(k)}| = prod_{j >= k} |Delta_j| (exact ints); sizes[-1] = 1
        sizes = [1]
        for o in reversed(self.orbits):
            sizes.append(sizes[-1] * int(o.size))
        self.sizes = tuple(reversed(sizes))
        self.order = self.sizes[0]

    def __repr__(self) -> str:
        return f"<StabilizerChain of degree {self.degree}, order {self.order}, base of length {len(self.base)}>"

    def level_generators(self, k: int) -> np.ndarray:
        """The strong generators of ``G^{(k)}`` (those fixing every point ``< base[k]``)."""
        return self.strong_generators[list(self._level_gens[k])]

    def transversal(self, k: int) -> np.ndarray:
        """The transversal of level ``k``: row ``r`` maps ``base[k]`` to ``orbits[k][r]``."""
        return self._trans[k]

    def nbytes(self) -> int:
        """Bytes held by the transversals and generators."""
        return int(sum(t.nbytes for t in self._trans) * 2 + self.strong_generators.nbytes)

    # ------------------------------------------------------------------ membership
    def sift(self, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(residue, ok)`` of sifting the image arrays ``g`` (shape ``(B, degree)``)."""
        g = np.array(g, dtype=np.int64, copy=True)
        ok = np.ones(g.shape[0], dtype=bool)
        for pos, tinv, b in zip(self._pos, self._tinv, self.base):
            g, ok = _sift_step(g, ok, pos, tinv, b)
        return g, ok

    def contains(self, g: np.ndarray) -> np.ndarray:
        """Membership of the (valid) image arrays ``g`` (shape ``(B, degree)``), a bool array."""
        res, ok = self.sift(g)
        return ok & (res == np.arange(self.degree)).all(axis=1)

    # ------------------------------------------------------------------ lexicographic ranks
    def rank(self, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Lexicographic ranks of image arrays ``g`` (shape ``(B, degree)``) among the elements of
        the group, and whether each is a member (``rank`` is meaningless where it is not).

        ``rank(g) = sum_k |G^{(k+1)}| #{z in Delta_k : w_k(z) < g(b_k)}`` with
        ``w_{k+1} = u_{y_k} w_k`` and ``y_k = w_k^{-1}(g(b_k))`` (``G^{(k)} w_k`` is the set of
        elements agreeing with ``g`` on the points ``< b_k``). Needs ``order <= 2**62`` (int64)."""
        g = np.asarray(g, dtype=np.int64)
        B = g.shape[0]
        w = np.broadcast_to(np.arange(self.degree), g.shape).copy()
        winv = w.copy()
        ok = np.ones(B, dtype=bool)
        rank = np.zeros(B, dtype=np.int64)
        for k, b in enumerate(self.base):
            target = g[:, b]
            y = winv[np.arange(B), target]
            rows = self._pos[k][y]
            ok &= rows >= 0
            rows = np.where(rows >= 0, rows, 0)
            below = (np.take_along_axis(w, np.broadcast_to(self.orbits[k], (B, self.orbits[k].size)), axis=1)
                     < target[:, None]).sum(axis=1)
            rank += below.astype(np.int64) * np.int64(self.sizes[k + 1])
            u = self._trans[k][rows]
            w = compose(u, w)                                       # w_{k+1} = u_y w_k
            winv = compose(winv, self._tinv[k][rows])               # its inverse w_k^-1 u_y^-1
        ok &= (w == g).all(axis=1)
        return rank, ok

    def unrank(self, r: np.ndarray) -> np.ndarray:
        """The elements of lexicographic ranks ``r`` (int64, ``0 <= r < order``), as image arrays
        ``(B, degree)``: at level ``k`` the digit ``r // |G^{(k+1)}|`` picks the point ``z`` of
        ``Delta_k`` whose image ``w_k(z)`` has that position among ``w_k(Delta_k)``."""
        r = np.array(r, dtype=np.int64, copy=True).ravel()
        B = r.size
        w = np.broadcast_to(np.arange(self.degree), (B, self.degree)).copy()
        for k, _b in enumerate(self.base):
            size = np.int64(self.sizes[k + 1])
            digit, r = r // size, r % size
            orbit = self.orbits[k]
            vals = np.take_along_axis(w, np.broadcast_to(orbit, (B, orbit.size)), axis=1)
            pick = np.argsort(vals, axis=1, kind="stable")[np.arange(B), digit]
            w = compose(self._trans[k][pick], w)
        return w

    def random(self, count: int, rng: np.random.Generator) -> np.ndarray:
        """``count`` uniformly random elements: a random transversal element per level, multiplied
        (``u_m ... u_1 u_0`` covers ``G`` once each)."""
        w = np.broadcast_to(np.arange(self.degree), (count, self.degree)).copy()
        for k in range(len(self.base)):
            pick = rng.integers(0, self.orbits[k].size, size=count)
            w = compose(self._trans[k][pick], w)
        return w


def stabilizer_chain(generators, degree: int | None = None, known_order: int | None = None,
                  seed: int = 0) -> StabilizerChain:
    """The stabiliser chain (base ``0..d-1`` in order) of the group generated by permutations.

    Parameters
    ----------
    generators : array_like of int, shape (k, d)
        Image arrays of valid permutations (checked by the caller: this is a kernel).
    degree : int, optional
        ``d``, when ``k = 0``.
    known_order : int, optional
        The group's order when known in advance: the randomised phase stops once the chain reaches
        it, and the deterministic test is skipped (a chain of the right order is complete).
    seed : int
        Seed of the random walk (the result, a complete chain, does not depend on it; its strong
        generators and transversals may).

    Returns
    -------
    StabilizerChain

    Notes
    -----
    Randomised Schreier-Sims followed, when ``known_order`` is None, by the deterministic
    Schreier-Sims test (see the module docstring): the chain returned is always complete.

    Examples
    --------
    >>> import numpy as np
    >>> from groupmat.groups.schreier_sims import stabilizer_chain
    >>> d = 30
    >>> C = stabilizer_chain(np.array([np.r_[1, 0, 2:d], np.roll(np.arange(d), -1)]))   # S_30
    >>> C.order == __import__("math").factorial(30), len(C.base)
    (True, 29)
    """
    gens = np.asarray(generators, dtype=np.int64)
    if gens.ndim != 2:
        gens = gens.reshape(-1, degree or 0)
    d = gens.shape[1] if degree is None else int(degree)
    builder = _Builder(d)
    gens = gens[(gens != np.arange(d)).any(axis=1)] if gens.size else gens.reshape(0, d)
    if gens.shape[0]:
        for g in gens:                       # every generator sifts into the chain
            res, ok = builder.sift(g[None, :])
            if not (ok[0] and np.array_equal(res[0], np.arange(d))):
                builder.add(g if not builder.levels else res[0] if ok[0] else g)
        if known_order is not None or d > _RANDOM_PHASE_MIN_DEGREE:
            builder.random_phase(list(gens), random.Random(seed), known_order)
        if known_order is None or builder.order() != known_order:
            builder.verify()
    chain = builder.freeze()
    if known_order is not None and chain.order != known_order:
        raise ValueError(f"the generators generate a group of order {chain.order}, not the stated {known_order}")
    return chain


def symmetric_chain(support, degree: int, even: bool = False) -> StabilizerChain:
    """The stabiliser chain of ``Sym(support)`` (or ``Alt(support)`` when ``even``) inside the
    permutations of ``0..degree-1``, written down without any search.

    ``Sym``: level ``i`` has base point ``s_i`` (``s = sorted(support)``), orbit ``s_i, ..., s_{m-1}``,
    transversal the transpositions ``(s_i y)``, strong generators ``(s_j s_{j+1})``.
    ``Alt``: levels ``i <= m - 3``, transversal the 3-cycles ``(s_i y z)`` with ``z`` the last (or
    second last) point of ``s``, strong generators ``(s_j s_{j+1} s_{j+2})``; they generate
    ``Alt(s_i, ..., s_{m-1})``. Memory grows as ``degree m^2``: the budget is asked first.

    Examples
    --------
    >>> from groupmat.groups.schreier_sims import symmetric_chain
    >>> C = symmetric_chain(range(5), 5, even=True)
    >>> C.order, C.base
    (60, (0, 1, 2))
    """
    s = np.unique(np.asarray(list(support), dtype=np.int64))
    m = s.size
    levels_count = max(0, m - (2 if even else 1))
    rows = sum(m - i for i in range(levels_count))
    check_size((rows, 2 * degree), _ENTRY_BYTES, f"the stabiliser chain of {'Alt' if even else 'Sym'} on {m} points",
               how="use the closed forms of symmetric and alternating groups (contains, orbits, ranks)")
    ident = np.arange(degree, dtype=np.int64)
    strong = []
    for j in range(levels_count):
        g = ident.copy()
        if even:
            g[s[j]], g[s[j + 1]], g[s[j + 2]] = s[j + 1], s[j + 2], s[j]
        else:
            g[s[j]], g[s[j + 1]] = s[j + 1], s[j]
        strong.append(g)
    levels = []
    for i in range(levels_count):
        L = _Level(int(s[i]), degree)
        L.gens = list(range(i, levels_count))
        orbit = s[i:]
        trans = np.broadcast_to(ident, (orbit.size, degree)).copy()
        r = np.arange(1, orbit.size)
        y = orbit[1:]
        if even:
            z = np.where(y != s[-1], s[-1], s[-2])
            trans[r, s[i]], trans[r, y], trans[r, z] = y, z, s[i]           # the 3-cycle (s_i y z)
        else:
            trans[r, s[i]], trans[r, y] = y, s[i]                            # the transposition (s_i y)
        L.orbit = orbit.copy()
        L.pos[orbit] = np.arange(orbit.size)
        L.trans = trans
        L.tinv = invert(trans)
        levels.append(L)
    return StabilizerChain(degree, levels, strong)
