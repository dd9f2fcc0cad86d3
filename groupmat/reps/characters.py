"""Character tables: Burnside/Dixon characters from class-sum matrices, made exact by power maps.

The columns of a :class:`CharacterTable` are the conjugacy classes in ``G.conjugacy_classes()``
order; the rows are the irreducible characters, in the order of :func:`groupmat.irreps` (the trivial
character first). For the families with explicit irreducible representations (cyclic, dihedral,
dicyclic, sign groups, symmetric groups, direct products) the rows are the characters of those
representations, evaluated in closed form on the class representatives only (phases of the cyclic
coordinates, cosines, products of the factors' rows), so no representation matrix is built. ``S_n``
and ``A_n`` need no listed class at all: their classes are cycle types and their characters come from
the Murnaghan-Nakayama rule and its restriction (:mod:`groupmat.reps.symmetric_characters`), so the
table of ``S_20`` (627 classes) takes about a second and :func:`symmetric_character_table` needs no
group; such a table lists ``classes`` from the group only when asked. For every other group the
characters come from Burnside's algorithm (or, with ``method="dixon_schneider"``, exactly modulo a
prime from the class matrices of the smallest classes: :mod:`groupmat.reps.dixon_schneider`; for a
permutation group too large to list, on its classes found from generators, the elements of the small
classes enumerated as permutations):

.. math::

    C_i C_j = \\sum_k c_{ijk} C_k, \\qquad
    \\omega_\\chi(C_i)\\,\\omega_\\chi(C_j) = \\sum_k c_{ijk}\\,\\omega_\\chi(C_k), \\qquad
    \\omega_\\chi(C_k) = \\frac{|C_k|\\,\\chi(g_k)}{\\chi(1)},

so the vectors :math:`\\omega_\\chi` are the common eigenvectors of the class-sum matrices
:math:`(A_i)_{jk} = c_{ijk}`; one random combination :math:`\\sum_i a_i A_i` separates them. The
combination is counted on blocks of elements (``O(n r)`` work, ``O(r^2)`` memory besides the classes).
Values are then made exact: if :math:`g` has order :math:`m`, the eigenvalues of
:math:`\\rho(g)` are :math:`m`-th roots of unity whose multiplicities
:math:`\\mu_j = \\frac1m \\sum_t \\chi(g^t)\\,\\zeta_m^{-jt}` are non-negative integers, and
:math:`\\chi(g) = \\sum_j \\mu_j \\zeta_m^j` exactly.

The peak memory of a table (``r x r`` complex arrays, the multiplicities kept for the exact values,
the work arrays of the route) is asked of :func:`groupmat._validation.check_size` before anything of
that size is built: over ``GROUPMAT_MAX_BYTES`` the table is refused at once, naming its size (an
abelian group has one class per element, so ``C2^16`` is refused before its classes are found).
"""
from __future__ import annotations

import math

import numpy as np

from .. import routing
from .._latex_text import latex_label
from .._validation import check_choice, check_positive_int, check_size
from ..groups.core import check_group as _check_group
from ..groups.core import FiniteGroup
from ..groups.permutation import PermutationGroup, cycle_notation
from ..tolerances import integrality_tol, unitarity_tol
from .families import _unit_roots, abelian_phases, dihedral_one_dim
from . import dixon_schneider as _ds
from . import symmetric_characters as _sc

__all__ = ["CharacterTable", "character_table", "class_structure", "symmetric_character_table",
           "alternating_character_table"]

_NS = "reps.characters"


def _freeze_arrays(arrays) -> None:
    for a in arrays:
        if isinstance(a, np.ndarray):
            a.flags.writeable = False


class _PowerMaps:
    """Power maps held as ``powers[k, t]`` = class of ``g_k^t`` for ``t < orders[k]`` (``-1`` beyond):
    shared by the listed classes and the classes found from generators."""

    def power_class(self, k, t):
        """Class of ``g_k^t`` for class indices ``k`` and integers ``t`` (arrays broadcast)."""
        k = np.asarray(k)
        return self.powers[k, np.mod(t, self.orders[k])]

    def galois_representatives(self):
        """``[(m, C, units, P, R)]`` per element order ``m``: the classes ``C`` of elements of order
        ``m``, the units ``t`` mod ``m``, ``P[i, u]`` = class of ``g_{C[i]}^{units[u]}`` and ``R`` the
        rows of ``C`` that represent a Galois orbit (the least class of their orbit)."""
        out = []
        for m in np.unique(self.orders).tolist():
            C = np.flatnonzero(self.orders == m)
            units = np.flatnonzero(np.gcd(np.arange(m), m) == 1) if m > 1 else np.array([0])
            P = self.powers[C][:, units]
            R = np.flatnonzero(P.min(axis=1) == C)
            out.append((m, C, units, P, R))
        return out


class _ClassStructure(_PowerMaps):
    """Conjugacy classes, their sizes, representatives, element orders and power maps (kept in the
    group's memo, read-only)."""

    def __init__(self, G: FiniteGroup):
        check_size((G.order,), 8, f"the class index of every element of {G.name}")
        self.classes = G.conjugacy_classes()
        self.r = len(self.classes)
        self.sizes = np.array([c.size for c in self.classes], dtype=np.int64)
        self.reps = np.array([c[0] for c in self.classes], dtype=np.int64)
        self.class_of = np.empty(G.order, dtype=np.int64)
        for k, c in enumerate(self.classes):
            self.class_of[c] = k
        self.orders = np.asarray(G.element_order(self.reps), dtype=np.int64).reshape(-1)
        # power map: powers[k, t] = class of g_k^t for t < order(g_k) (and -1 beyond)
        mmax = int(self.orders.max())
        check_size((self.r, mmax), 8, f"the power maps of {G.name}")
        self.powers = np.full((self.r, mmax), -1, dtype=np.int64)
        cur = np.full(self.r, G.identity, dtype=np.int64)
        for t in range(mmax):
            live = t < self.orders
            self.powers[live, t] = self.class_of[cur[live]]
            cur = G.mul_unchecked(cur, self.reps)

    def _arrays(self) -> list:
        return list(self.classes) + [self.sizes, self.reps, self.class_of, self.orders, self.powers]

    #: classes known by their elements (see :class:`_FormulaClasses` for classes known by formulas)
    listed = True
    permutations = None
    cycle_types = None

    def freeze(self) -> None:
        """Make every array read-only (done by the group's memo when it keeps the structure)."""
        _freeze_arrays(self._arrays())

    @property
    def nbytes(self) -> int:
        """The bytes held by the arrays."""
        return sum(int(a.nbytes) for a in self._arrays())


def class_structure(G: FiniteGroup) -> _ClassStructure:
    """The class structure of ``G`` (computed once, kept read-only): classes, sizes, representatives,
    orders, power maps.

    Parameters
    ----------
    G : FiniteGroup

    Returns
    -------
    _ClassStructure
        With attributes ``classes`` (list of element-index arrays, in ``G.conjugacy_classes()``
        order), ``r`` (number of classes), ``sizes``, ``reps`` (first element of each class),
        ``class_of`` (class index of every element), ``orders`` (element order per class) and
        ``powers`` (``powers[k, t]`` = class of ``g_k^t`` for ``t < orders[k]``), and the method
        ``power_class(k, t)``.

    Raises
    ------
    TypeError
        ``G`` is not a FiniteGroup.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.reps.characters import class_structure
    >>> cs = class_structure(gm.symmetric(3))
    >>> cs.r, cs.sizes.tolist(), cs.orders.tolist()
    (3, [1, 3, 2], [1, 2, 3])
    >>> int(cs.power_class(2, 2))          # the square of a 3-cycle is a 3-cycle
    2
    """
    G = _check_group(G)
    return G.memo.get(_NS, "class_structure", lambda: _ClassStructure(G))


# ---------------------------------------------------------------------------------------- Burnside
#: Entries of the ``(block, r)`` work arrays of :func:`_class_matrix` (about 1 MiB each in int64).
_CLASS_BLOCK = 2**17


def _class_matrix(G: FiniteGroup, cs: _ClassStructure, a: np.ndarray) -> np.ndarray:
    """``A = sum_i a_i A_i`` with ``(A_i)_{jk} = c_{ijk} = #{x in C_i : x^-1 g_k in C_j}``.

    ``A[j, k] = sum_{x : x^-1 g_k in C_j} a_{class(x)}``: ``O(n r)`` work, done on blocks of ``x``
    so that the work arrays stay near ``_CLASS_BLOCK`` entries (plus the ``r x r`` result), whatever
    the order of the group.
    """
    n, r = G.order, cs.r
    xinv = G.inverses()
    flat_k = np.arange(r)[None, :]
    A = np.zeros(r * r)
    Ai = np.zeros(r * r) if np.iscomplexobj(a) else None
    step = max(1, _CLASS_BLOCK // r)
    for start in range(0, n, step):
        x = np.arange(start, min(n, start + step))
        J = cs.class_of[G.mul_unchecked(xinv[x][:, None], cs.reps[None, :])]     # (b, r): class of x^-1 g_k
        flat = (J * r + flat_k).ravel()
        w = np.repeat(a[cs.class_of[x]], r)                                     # a_{class(x)} per entry
        if r * r <= 4 * flat.size:       # a dense count costs r^2: worth it when the block is as large
            A += np.bincount(flat, weights=w.real, minlength=r * r)
            if Ai is not None:
                Ai += np.bincount(flat, weights=w.imag, minlength=r * r)
        else:
            np.add.at(A, flat, w.real)
            if Ai is not None:
                np.add.at(Ai, flat, w.imag)
    if Ai is not None:
        A = A + 1j * Ai
    return A.reshape(r, r)


def _burnside_characters(G: FiniteGroup, cs: _ClassStructure, seed: int = 0) -> np.ndarray:
    """Numeric irreducible characters on classes, shape ``(r, r)``, by Burnside's algorithm.

    With ``a_{i*} = conj(a_i)`` (``i*`` the class of inverses) the matrix
    ``B = S A S^-1``, ``S = diag(|C_k|^-1/2)``, is Hermitian, so ``eigh`` gives orthonormal common
    eigenvectors; eigenvalues that coincide to rounding are split by restricting a second random
    combination to their eigenspace (Dixon's splitting), until every eigenspace has dimension one.
    """
    n, r = G.order, cs.r
    if r == 1:
        return np.ones((1, 1), dtype=complex)
    rng = np.random.default_rng(seed)
    sq = np.sqrt(cs.sizes.astype(float))
    inv_class = cs.class_of[G.inverses()[cs.reps]]

    def random_hermitian(real):
        a = rng.standard_normal(r) + (0 if real else 1j * rng.standard_normal(r))
        a = (a + np.conj(a[inv_class])) / 2
        B = _class_matrix(G, cs, a) * sq[None, :] / sq[:, None]
        return (B + B.conj().T) / 2

    # First pass: a real symmetric combination (fast real eigh; it cannot separate chi from conj(chi)),
    # then complex Hermitian combinations restricted to the eigenspaces that are still degenerate.
    B = random_hermitian(real=True).real
    w, V = np.linalg.eigh(B)
    V = V.astype(complex)
    # eigenvalues closer than half the digits (unitarity_tol: sqrt(eps)) count as one, and that
    # eigenspace is split by the next random combination; round-off is ~ r eps, far below
    sep = unitarity_tol(B.dtype)
    scale = max(1.0, np.abs(w).max())
    breaks = np.flatnonzero(np.diff(w) > sep * scale) + 1
    pending = [part for part in np.split(np.arange(r), breaks) if part.size > 1]
    for _ in range(8):
        if not pending:
            break
        B = random_hermitian(real=False)
        allcols = np.concatenate(pending)
        BV = np.empty_like(V)
        BV[:, allcols] = B @ V[:, allcols]
        new_pending = []
        sizes = np.array([c.size for c in pending])
        for size in np.unique(sizes):
            group = [pending[i] for i in np.flatnonzero(sizes == size)]
            C = np.stack(group)                                   # (K, size) column indices
            W, BW = V[:, C], BV[:, C]                             # (r, K, size)
            Bc = np.einsum("rki,rkj->kij", W.conj(), BW)
            w, U = np.linalg.eigh((Bc + np.conj(np.swapaxes(Bc, 1, 2))) / 2)   # batched: one call
            V[:, C] = np.einsum("rki,kij->rkj", W, U)
            for cols, wk in zip(group, w):
                scale = max(1.0, np.abs(wk).max())
                breaks = np.flatnonzero(np.diff(wk) > sep * scale) + 1
                for part in np.split(np.arange(cols.size), breaks):
                    if part.size > 1:
                        new_pending.append(cols[part])
        pending = new_pending
    if pending:  # pragma: no cover - random combinations separate distinct characters
        raise RuntimeError(f"Burnside's algorithm could not separate the characters of {G.name}")
    omega = V * sq[:, None]              # back to omega_k = |C_k| chi(g_k) / chi(1)
    omega = omega / omega[0:1, :]
    norms = np.sum(np.abs(omega) ** 2 / cs.sizes[:, None], axis=0)
    deg = np.sqrt(n / norms)
    chars = (omega * deg[None, :] / cs.sizes[:, None]).T      # (characters, classes)
    return chars


def _order_rows(chars: np.ndarray) -> np.ndarray:
    """Trivial character first, then by degree, then by rounded values (a deterministic order)."""
    deg = np.rint(chars[:, 0].real).astype(int)
    trivial = np.all(np.abs(chars - 1) < integrality_tol(chars.dtype), axis=1)
    keys = [(not trivial[k], deg[k], tuple(np.round(chars[k].real, 6)), tuple(np.round(chars[k].imag, 6)))
            for k in range(chars.shape[0])]
    return np.array(sorted(range(chars.shape[0]), key=lambda k: keys[k]), dtype=np.int64)


def _exactify(chars: np.ndarray, cs: _ClassStructure):
    """Round characters to sums of roots of unity via the power maps.

    Returns ``(values, mults)`` with ``mults[c] = (m, mu, t)``: class ``c`` holds ``g^t`` for a class
    representative ``g`` of order ``m`` whose eigenvalue multiplicities are ``mu`` (int array (k, m)), or ``(chars, None)`` when rounding fails (values left numeric).
    """
    k, r = chars.shape
    values = np.empty_like(chars, dtype=complex)
    mults = [None] * r
    for m, C, units, P, R in cs.galois_representatives():
        # C: the classes of elements of order m; P[i, u] = class of g_i^units[u]; R: one row per Galois orbit
        # batches of orbit representatives, each FFT input under ~64 MB
        step = max(1, int(2**22 // max(1, k * m)))
        for lo in range(0, R.size, step):
            rows = R[lo:lo + step]
            seq = chars[:, cs.powers[C[rows], :m]]                  # (k, b, m): chi(g^t), t = 0..m-1
            mu = np.fft.fft(seq, axis=-1) / m                       # mu_j = 1/m sum_t chi(g^t) zeta^-jt
            mu_int = np.rint(mu.real)
            # mu are eigenvalue multiplicities: integers, up to the rule for computed counts
            if np.max(np.abs(mu - mu_int)) > integrality_tol(chars.dtype) or np.any(mu_int < 0):
                return chars, None
            mu_int = mu_int.astype(np.int64)
            # the Galois conjugate classes g^t (gcd(t, m) = 1) share mu up to j -> j t
            exact_powers = np.fft.ifft(mu_int.astype(float), axis=-1) * m   # chi(g^t) = sum_j mu_j zeta^(j t)
            targets = P[rows]                                       # (b, units)
            values[:, targets] = exact_powers[:, np.arange(rows.size)[:, None], units[None, :]]
            for b, i in enumerate(rows.tolist()):
                mu_b = mu_int[:, b, :]
                targ, first = np.unique(targets[b], return_index=True)   # first unit reaching each class
                for c2, t in zip(targ.tolist(), units[first].tolist()):
                    mults[c2] = (m, mu_b, t)
    return values, mults


def _cyclotomic(mu: np.ndarray, m: int, power: int = 1):
    """The SymPy number ``sum_j mu[j] exp(2 pi i j power / m)``, with cosines of known angles evaluated."""
    import sympy

    total = sympy.Integer(0)
    for j in np.flatnonzero(mu):
        t = 2 * sympy.pi * sympy.Rational(int(j) * power % m, m)
        total += int(mu[j]) * (sympy.cos(t) + sympy.I * sympy.sin(t))
    return sympy.expand(total)


#: An estimate of the memory of one SymPy number (a sum of a few roots of unity) in exact results.
_SYMPY_NUMBER_BYTES = 56


class _FormulaClasses:
    """Conjugacy classes known by formulas (cycle types of ``S_n``/``A_n``): representatives, sizes,
    element orders and power maps, no element lists. ``classes`` and ``class_of`` are listed from the
    group on first use only (an enumerated group), and checked against the representatives."""

    listed = False

    def __init__(self, C, group=None):
        self.ctc = C
        self.group = group
        self.r = C.r
        self.sizes = C.sizes
        self.orders = C.orders
        self.permutations = C.permutations
        self.cycle_types = C.cycle_types
        self.reps = None
        index_of = getattr(group, "index_of", None)
        if index_of is not None:
            try:
                self.reps = np.asarray(index_of(C.permutations), dtype=np.int64).reshape(-1)
            except (ValueError, MemoryError, OverflowError, TypeError):   # not indexable: no indices
                self.reps = None
        self._listed = None

    def power_class(self, k, t):
        """Class of ``g_k^t`` (cycle types, see :meth:`CycleTypeClasses.power_class`)."""
        return self.ctc.power_class(k, t)

    def _list(self):
        if self._listed is None:
            G = self.group
            if G is None or self.reps is None:
                name = getattr(G, "name", None) or f"{'A' if self.ctc.alternating else 'S'}{self.ctc.n}"
                raise ValueError(f"the classes of {name} are known by cycle type only (no group with element "
                                 "indices): use .cycle_types, .class_sizes and .class_permutations")
            # the group's classes, in the order of the columns (one per representative)
            group_class = G.class_of()
            col_of = group_class[self.reps]
            if sorted(col_of.tolist()) != list(range(self.r)):     # pragma: no cover - a theorem
                raise RuntimeError(f"the cycle-type classes of {G.name} do not match its conjugacy classes")
            classes = G.conjugacy_classes()
            pos = np.empty(self.r, dtype=np.int64)
            pos[col_of] = np.arange(self.r)
            listed = ([classes[int(j)] for j in col_of], pos[group_class])
            for a in [listed[1], *listed[0]]:
                a.flags.writeable = False
            self._listed = listed
        return self._listed

    @property
    def classes(self) -> list:
        """The classes as element-index arrays, in column order (listed from the group on first use)."""
        return self._list()[0]

    @property
    def class_of(self) -> np.ndarray:
        """The column of every element's class (listed from the group on first use)."""
        return self._list()[1]

    def freeze(self) -> None:
        """Read-only arrays (the listed classes are read-only already)."""
        self.ctc.freeze()
        if self.reps is not None:
            self.reps.flags.writeable = False

    @property
    def nbytes(self) -> int:
        """Bytes of the arrays (the listed classes, when listed, included)."""
        extra = 0 if self._listed is None else sum(int(a.nbytes) for a in [self._listed[1], *self._listed[0]])
        return self.ctc.nbytes + (0 if self.reps is None else int(self.reps.nbytes)) + extra


#: Entries (products times degree) of one block of the class matrices of :class:`_GeneratorClasses`.
_PRODUCT_BLOCK = 2**20
#: Products whose class :class:`_GeneratorClasses` remembers (then forgets all at once).
_KNOWN_MAX = 2**19
#: Bytes per remembered product besides its key's points: the bytes object, the class and the dictionary's entry.
_KNOWN_BYTES = 160


def _row_keys(perms: np.ndarray) -> list:
    """One ``bytes`` key per row of ``perms`` ``(B, d)`` (one byte per point up to 256 points, else two)."""
    small = np.ascontiguousarray(perms.astype(np.uint8 if perms.shape[1] <= 256 else np.uint16))
    return small.view(np.dtype((np.void, small.dtype.itemsize * small.shape[1]))).ravel().tolist()


class _GeneratorClasses(_PowerMaps):
    """Conjugacy classes of a permutation group found from its generators, without listing the group
    (:func:`~groupmat.groups.perm_conjugacy.random_classes`, in the order of ``G.class_permutations()``):
    representatives as permutations, sizes, element orders and power maps (by
    :func:`~groupmat.groups.perm_conjugacy.class_index_of` of the powers of the representatives). The
    elements of a class are enumerated on demand, as permutations, for the class matrices of
    Dixon-Schneider's algorithm (:meth:`product_classes`); ``classes`` and ``class_of`` are refused.

    Parameters
    ----------
    G : PermutationGroup
        A general permutation group.
    data : ConjugacyClassData
        Its classes (``G.classes_from_generators()``), the identity's first.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.groups.perm_conjugacy import random_classes
    >>> from groupmat.reps.characters import _GeneratorClasses
    >>> G = gm.from_permutations([[1, 2, 3, 4, 0], [1, 2, 0, 3, 4]], recognize=False)     # A5, generic
    >>> cs = _GeneratorClasses(G, random_classes(G.stabilizer_chain()))
    >>> cs.sizes.tolist(), cs.orders.tolist()
    ([1, 20, 15, 12, 12], [1, 3, 2, 5, 5])
    >>> cs.class_elements(2).shape                  # the 15 double transpositions, as image arrays
    (15, 5)
    >>> int(cs.power_class(3, 2)), int(cs.power_class(3, -1))    # (0 1 2 3 4)^2 is in the other class of 5-cycles
    (4, 3)
    """

    listed = False

    def __init__(self, G, data):
        from ..groups.perm_conjugacy import class_index_of
        from ..groups.schreier_sims import compose

        self.group = G
        self.data = data
        self.chain = G.stabilizer_chain()
        self.r = len(data)
        d = self.degree = int(G.degree)
        self.permutations = np.array(data.representatives, dtype=np.int64).reshape(self.r, d)
        if self.r == 0 or (self.permutations[0] != np.arange(d)).any():
            raise ValueError(f"the classes of {G.name} must start with the identity's")
        self.cycle_types = [tuple(int(c) for c in t) for t in data.cycle_types]
        self.sizes = np.array([int(s) for s in data.sizes], dtype=np.int64 if G.indexable else object)
        self.orders = np.array([math.lcm(*t) for t in self.cycle_types], dtype=np.int64)
        self.reps = None
        self._known = {}                     # key of a product -> its class (at most _KNOWN_MAX of them)
        if G.indexable:
            try:
                self.reps = np.asarray(G.index_of(self.permutations), dtype=np.int64).reshape(-1)
            except (ValueError, MemoryError, OverflowError, TypeError):     # no element indices
                self.reps = None
        # power maps: powers[k, t] = class of g_k^t (t < order), one batch of sum(orders) permutations
        mmax = int(self.orders.max())
        total = int(self.orders.sum())
        check_size((self.r, mmax), 8, f"the power maps of {G.name}")
        check_size((total, d), 8 * 8, f"the powers of the {self.r} class representatives of {G.name}")
        batch = np.empty((total, d), dtype=np.int64)
        rows = np.empty(total, dtype=np.int64)
        cols = np.empty(total, dtype=np.int64)
        cur = np.broadcast_to(np.arange(d, dtype=np.int64), (self.r, d)).copy()
        pos = 0
        for t in range(mmax):
            live = np.flatnonzero(t < self.orders)
            batch[pos:pos + live.size] = cur[live]
            rows[pos:pos + live.size], cols[pos:pos + live.size] = live, t
            pos += live.size
            cur = compose(cur, self.permutations)
        self.powers = np.full((self.r, mmax), -1, dtype=np.int64)
        self.powers[rows, cols] = class_index_of(self.chain, data, batch)
        moved = np.flatnonzero(self.orders > 1)
        if (self.powers[:, 0] != 0).any() or (self.powers[moved, 1] != moved).any():
            raise RuntimeError(f"the classes of {G.name} are inconsistent with their representatives")

    def class_elements(self, i: int) -> np.ndarray:
        """The elements of class ``i`` as image arrays ``(|C_i|, degree)``: the orbit of the representative
        under conjugation by the generators (a breadth-first search on byte keys, one vectorised step per
        frontier), after asking the memory budget for the class size times the degree.

        Raises
        ------
        TooLargeError
            The class (with the keys and work arrays of the search) would exceed ``GROUPMAT_MAX_BYTES``.
        """
        from ..groups.schreier_sims import invert

        G, d = self.group, self.degree
        size = int(self.sizes[i])
        # the elements (int64), the keys (bytes objects with their set entries), one frontier's images
        check_size((size, d + 16), 3 * 8, f"the {size} elements of conjugacy class {i} of {G.name} as permutations",
                   how="use a group with smaller classes")
        S = np.asarray(G.generator_permutations, dtype=np.int64).reshape(-1, d)
        S = S[(S != np.arange(d)).any(axis=1)]
        Sinv = invert(S) if S.shape[0] else S
        sel = np.arange(S.shape[0])[None, :, None]
        found = [self.permutations[i][None, :]]
        seen = set(_row_keys(found[0]))
        frontier = found[0]
        while frontier.shape[0] and S.shape[0]:
            # s^-1 x s (s^-1 first): the point j goes to s(x(s^-1(j)))
            step = max(1, _PRODUCT_BLOCK // (S.shape[0] * d))
            new = []
            for lo in range(0, frontier.shape[0], step):
                cand = S[sel, frontier[lo:lo + step][:, Sinv]].reshape(-1, d)
                keep = []
                for j, key in enumerate(_row_keys(cand)):
                    if key not in seen:
                        seen.add(key)
                        keep.append(j)
                if keep:
                    new.append(cand[keep])
            frontier = np.concatenate(new) if new else frontier[:0]
            found.append(frontier)
            if len(seen) > size:
                break
        if len(seen) != size:
            raise RuntimeError(f"conjugacy class {i} of {G.name} has {len(seen)} elements, not {size}")
        return np.concatenate(found)

    def product_classes(self, i: int):
        """Blocks ``(b, r)`` of the classes of ``x^-1 g_k`` for ``x`` in class ``i`` and every representative
        ``g_k`` (:func:`~groupmat.groups.perm_conjugacy.class_index_of` on each block of products)."""
        from ..groups.perm_conjugacy import class_index_of
        from ..groups.schreier_sims import compose, invert

        r, d = self.r, self.degree
        check_size((r, d), 16 * 8, f"a block of products with the {r} class representatives of {self.group.name}")
        check_size((min(_KNOWN_MAX, int(self.group.order)),), 2 * d + _KNOWN_BYTES,
                   f"the classes of the products remembered for {self.group.name}")
        X = invert(self.class_elements(i))
        step = max(1, _PRODUCT_BLOCK // (r * d))
        known = self._known
        for lo in range(0, X.shape[0], step):
            P = compose(X[lo:lo + step, None, :], self.permutations[None, :, :]).reshape(-1, d)  # x^-1 g_k
            keys = _row_keys(P)
            J = np.fromiter((known.get(key, -1) for key in keys), dtype=np.int64, count=len(keys))
            new = np.flatnonzero(J < 0)
            if new.size:
                # the same element recurs across the class matrices (about sum |C_i| r / |G| times): each is
                # classified once (a conjugacy test where its invariant holds several classes)
                J[new] = class_index_of(self.chain, self.data, P[new])
                if len(known) + new.size > _KNOWN_MAX:
                    known.clear()
                known.update(zip((keys[j] for j in new.tolist()), J[new].tolist()))
            yield J.reshape(-1, r)

    def _refuse(self):
        raise ValueError(f"the classes of {self.group.name} are known by representatives only (found from "
                         "generators; the group is not listed): use .class_permutations, .class_sizes and "
                         "G.class_index")

    @property
    def classes(self) -> list:
        """Refused: the classes are known by their representatives (ValueError)."""
        self._refuse()

    @property
    def class_of(self) -> np.ndarray:
        """Refused: the classes are known by their representatives (ValueError)."""
        self._refuse()

    def _arrays(self) -> list:
        return [a for a in (self.sizes, self.orders, self.permutations, self.reps, self.powers) if a is not None]

    def freeze(self) -> None:
        """Make every array read-only."""
        _freeze_arrays(self._arrays())

    @property
    def nbytes(self) -> int:
        """The bytes held by the arrays."""
        return sum(int(a.nbytes) for a in self._arrays())

def _sympy_integers(values: np.ndarray) -> np.ndarray:
    """An object array of SymPy integers equal to an integer array: one SymPy number per distinct value."""
    import sympy

    uniq, inv = np.unique(values, return_inverse=True)
    objs = np.empty(uniq.size, dtype=object)
    objs[:] = [sympy.Integer(int(u)) for u in uniq]
    return objs[inv.reshape(values.shape)]


def _rational_mask(mu: np.ndarray, m: int) -> np.ndarray:
    """Rows of eigenvalue multiplicities ``mu`` (``(k, m)``) whose value ``sum_j mu_j zeta_m^j`` is a
    rational integer: those with ``mu_j`` a function of ``gcd(j, m)`` (a sum of whole Ramanujan sums)."""
    g = np.gcd(np.arange(m), m) % m
    return np.all(mu == mu[:, g], axis=1)


class CharacterTable:
    """The character table of a finite group.

    Attributes
    ----------
    group : FiniteGroup or None
        None for a table built from a formula alone (:func:`symmetric_character_table`).
    name : str
        The group's name.
    order : int
        The group's order (a Python integer).
    classes : list of ndarray
        The conjugacy classes (element indices), in ``G.conjugacy_classes()`` order; for a table
        whose classes are known by formulas (``S_n``, ``A_n``) listed from the group on first use
        (ValueError when there is no enumerable group).
    class_sizes : ndarray of int
        int64, or Python integers (object array) when the order exceeds int64.
    representatives : ndarray of int or None
        An element of each class (the least one): element indices, None when the group has none.
    class_permutations : ndarray or None
        For ``S_n``/``A_n``: each class's least element as an image array ``(r, n)``.
    cycle_types : list of tuple or None
        For ``S_n``/``A_n``: each class's cycle type (parts decreasing).
    element_orders : ndarray of int
        The order of the elements of each class.
    values : ndarray of complex, shape (k, k)
        ``values[i, c]`` is irreducible character ``i`` on class ``c``.
    degrees : ndarray of int
        ``values[:, 0]`` (the identity's class is first).
    frobenius_schur : ndarray of int
        ``(1/|G|) sum_g chi(g^2)``: 1 (real type), 0 (complex type), -1 (quaternionic type).
    exact : bool
        True when every value was identified as a sum of roots of unity; then :attr:`exact_values`
        holds them as SymPy numbers.

    Notes
    -----
    :func:`character_table` computes the table once per group and hands out the same object; its
    arrays are read-only (:meth:`freeze`), so an in-place edit raises instead of changing every later
    result. Take a copy to modify values.

    Examples
    --------
    >>> import groupmat as gm
    >>> T = gm.character_table(gm.symmetric(3))
    >>> T.degrees.tolist(), T.class_sizes.tolist()
    ([1, 2, 1], [1, 3, 2])
    >>> T.exact_values.tolist()
    [[1, 1, 1], [2, 0, -1], [1, -1, 1]]
    """

    def __init__(self, group, values, cs, mults=None, *, exact_values=None, integer_values=None,
                 name: str | None = None, order: int | None = None):
        self.group = group
        self.name = name if name is not None else group.name
        self.order = int(order if order is not None else group.order)
        self._cs = cs
        self.class_sizes = cs.sizes.copy()
        self.representatives = None if cs.reps is None else cs.reps.copy()
        self.class_permutations = None if cs.permutations is None else cs.permutations.copy()
        self.cycle_types = None if cs.cycle_types is None else list(cs.cycle_types)
        self.element_orders = cs.orders.copy()
        self.values = values
        self._mults = mults
        self._exact_given = exact_values
        self._integer_values = integer_values
        self.exact = mults is not None or exact_values is not None or integer_values is not None
        self.degrees = np.rint(values[:, 0].real).astype(np.int64)
        # FS indicator: (1/|G|) sum_c |C_c| chi(g_c^2), with the class of each square from the power map
        # (a sum of at most n! * chi(1) in float64: its relative rounding is far below the gap to +-1, 0)
        squares = cs.power_class(np.arange(cs.r), 2)
        sq = values[:, squares]
        self.frobenius_schur = np.rint((sq @ cs.sizes.astype(float)).real / float(self.order)).astype(np.int64)
        self._classes = None
        self._exact_values = None
        self._frozen = False

    @property
    def classes(self) -> list:
        """The conjugacy classes as element-index arrays (see the class notes)."""
        if self._classes is None:
            classes = [c.copy() for c in self._cs.classes]
            if self._frozen:
                _freeze_arrays(classes)
            self._classes = classes
        return self._classes

    def _arrays(self) -> list:
        return list(self._classes or []) + [self.class_sizes, self.representatives, self.element_orders, self.values,
                                             self.degrees, self.frobenius_schur, self._exact_values,
                                             self.class_permutations, self._integer_values]

    def freeze(self) -> None:
        """Make the table's arrays read-only (done when the group's memo keeps the table); the exact
        values, built on first use, are read-only too."""
        self._frozen = True
        _freeze_arrays(self._arrays())

    @property
    def nbytes(self) -> int:
        """The bytes held by the table's numeric arrays."""
        return sum(int(a.nbytes) for a in self._arrays() if isinstance(a, np.ndarray))

    def __len__(self) -> int:
        return self.values.shape[0]

    @property
    def integer_values(self) -> np.ndarray | None:
        """The values as exact integers (int64, or Python integers for huge degrees) when every value
        is a rational integer (``S_n``; any table whose exact values are all rational), else None."""
        if self._integer_values is None and self._mults is not None:
            if all(np.all(_rational_mask(mu, m)) for m, mu, _ in self._mults):
                ints = np.rint(self.values.real).astype(np.int64)
                if self._frozen:
                    ints.flags.writeable = False
                self._integer_values = ints
        return self._integer_values

    @property
    def exact_values(self) -> np.ndarray | None:
        """The values as SymPy numbers (object array), or None when they are known only numerically.

        Rational entries are SymPy integers made once per distinct value; the others sums of roots of
        unity with the cosines of known angles evaluated."""
        if not self.exact:
            return None
        if self._exact_values is None:
            k, r = self.values.shape
            # a reference and (at most) one SymPy number per entry
            check_size((k, r), 8 + _SYMPY_NUMBER_BYTES, f"the exact character values of {self.name}")
            if self._exact_given is not None:
                out = self._exact_given() if callable(self._exact_given) else np.array(self._exact_given, dtype=object)
            elif self._integer_values is not None:
                out = _sympy_integers(self._integer_values)
            else:
                out = self._exact_from_mults()
            if self._frozen:
                out.flags.writeable = False
            self._exact_values = out
        return self._exact_values

    def _exact_from_mults(self) -> np.ndarray:
        k, r = self.values.shape
        out = np.empty((k, r), dtype=object)
        ints = np.rint(self.values.real).astype(np.int64)
        cache = {}
        for c, (m, mu, t) in enumerate(self._mults):
            rational = _rational_mask(mu, m)
            # sum_j mu_j zeta^j with mu constant on gcd classes: a sum of Ramanujan sums, an integer
            out[rational, c] = _sympy_integers(ints[rational, c]) if rational.any() else out[rational, c]
            for i in np.flatnonzero(~rational).tolist():
                key = (m, t, mu[i].tobytes())
                if key not in cache:
                    cache[key] = _cyclotomic(mu[i], m, t)
                out[i, c] = cache[key]
        return out

    def _row_index(self, k) -> int:
        if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)):
            raise TypeError(f"k must be an integer index of an irreducible character, got {type(k).__name__}")
        r = len(self)
        if not -r <= int(k) < r:
            raise ValueError(f"k must be in range(-{r}, {r}) (the table of {self.name} has {r} irreducible "
                             f"characters), got {k}")
        return int(k) % r

    def character(self, k: int) -> np.ndarray:
        """Character ``k`` on every element, shape ``(n,)``.

        Raises ValueError when ``k`` is not the index of a row (TypeError when not an integer), or when
        the table has no enumerable group.
        """
        return self.values[self._row_index(k)][self._cs.class_of]

    def characters(self) -> np.ndarray:
        """All characters on all elements, shape ``(k, n)``.

        Raises TooLargeError when the ``k x n`` complex array would exceed ``GROUPMAT_MAX_BYTES``.
        """
        check_size((len(self), self.order), 16, f"the characters of {self.name} on all elements")
        return self.values[:, self._cs.class_of]

    def inner_product(self, chi, psi=None) -> np.ndarray:
        """``<chi, psi> = (1/|G|) sum_g chi(g) conj(psi(g))`` for class functions given on classes.

        ``psi`` defaults to the irreducible characters, so ``inner_product(chi)`` gives the
        multiplicities of the irreducibles in a character ``chi`` (values on the classes).

        Raises ValueError when ``chi`` or ``psi`` does not hold one value per class along its last
        axis (TypeError when not numeric).
        """
        chi = self._class_function(chi, "chi")
        psi = self.values if psi is None else self._class_function(psi, "psi")
        sizes = self.class_sizes if self.class_sizes.dtype != object else self.class_sizes.astype(float)
        return (chi * sizes) @ np.conj(psi).T / float(self.order)

    def _class_function(self, f, name):
        r = self.values.shape[1]
        try:
            arr = np.asarray(f)
        except ValueError:
            raise ValueError(f"{name} must be a rectangular array of values on the {r} classes") from None
        if arr.dtype.kind not in "biufc":
            raise TypeError(f"{name} must be numeric values on the classes, got dtype {arr.dtype}")
        if arr.shape[-1:] != (r,):
            raise ValueError(f"{name} must hold values on the {r} conjugacy classes of {self.name} along its "
                             f"last axis, got shape {arr.shape}")
        return arr

    # ------------------------------------------------------------------ printing
    def _cells(self, latex: bool):
        import sympy

        ev = self.exact_values if (self.exact and len(self) <= 30) else None
        rows = []
        for i in range(len(self)):
            row = []
            for c in range(self.values.shape[1]):
                if ev is not None:
                    row.append(sympy.latex(ev[i, c]) if latex else sympy.sstr(ev[i, c]))
                else:
                    v = self.values[i, c]
                    re, im = round(float(v.real), 4) + 0.0, round(float(v.imag), 4) + 0.0
                    row.append(f"{re:g}" if im == 0 else f"{complex(re, im)}".strip("()"))
            rows.append(row)
        return rows

    def _class_names(self):
        if self.class_permutations is not None:          # cycle notation, as the permutation groups label
            return [cycle_notation(p) for p in self.class_permutations]
        return [str(self.group.label(int(g))) for g in self.representatives]

    def __str__(self) -> str:
        rows = self._cells(latex=False)
        head = ["class"] + self._class_names()
        sizes = ["size"] + [str(s) for s in self.class_sizes]
        orders = ["order"] + [str(o) for o in self.element_orders]
        body = [[f"X.{i}"] + r for i, r in enumerate(rows)]
        table = [head, sizes, orders] + body
        widths = [max(len(t[j]) for t in table) for j in range(len(head))]
        lines = ["  ".join(t[j].rjust(widths[j]) for j in range(len(head))) for t in table]
        lines.insert(3, "-" * len(lines[0]))
        return f"Character table of {self.name} (order {self.order})\n" + "\n".join(lines)

    def to_latex(self) -> str:
        """The table as a LaTeX ``tabular`` (exact values where known)."""
        rows = self._cells(latex=True)
        names = [latex_label(name) for name in self._class_names()]
        cols = "l|" + "r" * len(names)
        out = [f"\\begin{{tabular}}{{{cols}}}",
               " & ".join(["class"] + [f"${nm}$" for nm in names]) + r" \\",
               " & ".join(["size"] + [str(s) for s in self.class_sizes]) + r" \\ \hline"]
        for i, r in enumerate(rows):
            out.append(" & ".join([f"$\\chi_{{{i}}}$"] + [f"${v}$" for v in r]) + r" \\")
        out.append(r"\end{tabular}")
        return "\n".join(out)

    def __repr__(self) -> str:
        degrees = self.degrees.tolist()
        shown = str(degrees) if len(degrees) <= 12 else str(degrees[:12])[:-1] + ", ...]"
        return f"<CharacterTable of {self.name}: {len(self)} irreducible characters, degrees {shown}>"


def _route(G: FiniteGroup) -> str:
    """How the characters of ``G`` are found: ``"abelian"`` (from its cyclic coordinates),
    ``"product"``, ``"dihedral"``, ``"dicyclic"`` (closed forms on the class representatives),
    ``"symmetric"``, ``"alternating"`` (closed forms on the cycle types: no class is listed),
    ``"generators"`` (a general permutation group whose listing does not fit the memory budget:
    Dixon-Schneider on its classes found from generators), ``"dixon_schneider"`` (any other group from
    :data:`groupmat.routing.DIXON_SCHNEIDER_ROUTE_MIN_ORDER` on) or ``"burnside"`` (any other group)."""
    if routing.transform_kind(G) == "abelian":
        return "abelian"
    family = G.structure.family
    if family == "direct_product":
        return "product"
    if family in ("dihedral", "dicyclic", "symmetric", "alternating"):
        return family
    if _from_generators(G):
        return "generators"
    return "dixon_schneider" if G.order >= routing.DIXON_SCHNEIDER_ROUTE_MIN_ORDER else "burnside"


def _family_characters(G: FiniteGroup, cs: _ClassStructure, route: str):
    """Characters on classes of a declared family (``G.structure``), evaluated on the class
    representatives only (never on all elements), or None for ``route == "burnside"``.

    The rows come in the order of :func:`groupmat.irreps`: for an abelian group the order of its FFT,
    for a direct product the row-major products of the factors' rows, for the other families the order
    of their explicit irreducibles (:mod:`groupmat.reps.families`).
    """
    if route == "abelian":
        t, N = abelian_phases(G, cs.reps)
        return _unit_roots(N)[t]
    if route == "product":
        # chi_(1) x ... x chi_(m) on (g_1, ..., g_m) is the product of the factors' values (row-major rows)
        vals = np.ones((1, cs.r), dtype=complex)
        for F, comp in zip(G.factors, G.components_unchecked(cs.reps)):
            TF = character_table(F)
            VF = TF.values[:, TF._cs.class_of[comp]]
            vals = (vals[:, None, :] * VF[None, :, :]).reshape(-1, cs.r)
        return vals
    if route == "dihedral":
        return _dihedral_characters(G, cs)
    if route == "dicyclic":
        return _dicyclic_characters(G, cs)
    return None


def _dihedral_characters(G: FiniteGroup, cs: _ClassStructure):
    """Characters of ``D_n`` on the class representatives, computed directly (``O(r^2)``, in the row
    order of its explicit irreps)."""
    g = cs.reps
    n = int(G.structure.params[0])
    e, j = np.divmod(g, n)
    rows = [(a ** j) * (b ** e) for a, b in dihedral_one_dim(n)]
    k = np.arange(1, (n - 1) // 2 + 1)
    two = np.where(e[None, :] == 0, 2 * np.cos(2 * np.pi * (np.outer(k, j) % n) / n), 0.0)
    return np.concatenate([np.array(rows, dtype=float).reshape(-1, g.size), two]).astype(complex)


def _dicyclic_characters(G: FiniteGroup, cs: _ClassStructure):
    """Characters of ``Dic_n`` (element ``e 2n + j`` is ``a^j x^e``) on the class representatives, in
    the row order of its explicit irreducibles: the linear characters ``a -> alpha``, ``x -> xi``, then
    ``rho_k`` (``k = 1..n-1``) with ``chi_k(a^j) = 2 cos(pi k j / n)`` and ``chi_k(a^j x) = 0``."""
    n = int(G.structure.params[0])
    e, j = np.divmod(cs.reps, 2 * n)
    ones = [(1, 1), (1, -1), (-1, 1), (-1, -1)] if n % 2 == 0 else [(1, 1), (1, -1), (-1, 1j), (-1, -1j)]
    rows = [np.power(complex(a), j) * np.power(complex(x), e) for a, x in ones]
    k = np.arange(1, n)
    two = np.where(e[None, :] == 0, 2 * np.cos(np.pi * (np.outer(k, j) % (2 * n)) / n), 0.0)
    return np.concatenate([np.array(rows, dtype=complex).reshape(-1, cs.r), two.astype(complex)])


#: Entries of the work arrays of :func:`_exactify` per batch of orbit representatives.
_EXACT_BATCH = 2**22


def _table_bytes(G: FiniteGroup, r: int, route: str, cs: _ClassStructure | None = None) -> int:
    """The peak bytes of :func:`character_table` for ``r`` classes (before anything of that size is
    allocated); a lower bound when the class structure ``cs`` is not known yet.

    Per ``r x r`` entry: the numeric characters, the values rounded to roots of unity and the squares
    read for the Frobenius-Schur indicators (complex, 16 bytes each), plus, by route, the phases of an
    abelian group (two int64 arrays), the ``r x r`` Hermitian matrices, eigenvectors and products of
    Burnside's algorithm (about ten complex arrays), the factors' rows of a direct product, or the
    Murnaghan-Nakayama work of ``S_n`` and ``A_n`` (measured: under 16 complex arrays). Then the
    eigenvalue multiplicities kept for the exact values (int64, ``k`` per unit of each Galois orbit
    representative's order) and one batch of :func:`_exactify`'s work arrays.
    """
    per_entry = 3 * 16 + {"abelian": 16, "burnside": 10 * 16, "product": 16, "symmetric": 16 * 16,
                           "alternating": 16 * 16}.get(route, 0)
    total = per_entry * r * r + (1 << 17)      # and the Python objects of any route (measured: under 128 KiB)
    if route == "burnside":
        total += 5 * 8 * _CLASS_BLOCK                        # the blocks of _class_matrix
    if cs is not None:
        S = sum(m * R.size for m, _, _, _, R in cs.galois_representatives())
        total += 8 * r * S + 5 * 16 * min(max(_EXACT_BATCH, r * int(cs.orders.max())), r * S)
    return total


def _check_table(G: FiniteGroup, r: int, route: str, cs: _ClassStructure | None = None) -> None:
    """Ask :func:`groupmat._validation.check_size` for the peak of the character table (see
    :func:`_table_bytes`), naming the table and its number of classes."""
    total = _table_bytes(G, r, route, cs)
    check_size((r, r), -(-total // (r * r)),
               f"the character table of {G.name} ({r} classes) with its work arrays", how=_table_way_out(G))


def _table_way_out(G: FiniteGroup) -> str:
    """What to use instead of a character table too large for the budget (for the refusal's message)."""
    kind = routing.transform_kind(G)
    if kind == "abelian":
        return ("the characters of an abelian group are the phases of its FFT: use gm.fourier(G, x), which "
                "needs no table")
    if kind != "dense":
        return "use gm.fourier(G, x) (an FFT on this group) or rho.character() of one representation, which need no table"
    return "use rho.character() for the character of one representation, which needs no table"


def character_table(G: FiniteGroup, method: str = "auto") -> CharacterTable:
    """The character table of ``G``, exact (sums of roots of unity) where the values round.

    Parameters
    ----------
    G : FiniteGroup
        Any finite group. The work is ``O(n r + r^3)`` for ``r`` classes with Burnside's algorithm, in
        ``O(r^2)`` memory besides ``O(n)`` for the classes; the declared families (abelian, dihedral,
        dicyclic groups and direct products) evaluate closed forms on the class representatives, and
        ``S_n``, ``A_n`` closed forms on the cycle types (Murnaghan-Nakayama, its restriction to
        ``A_n``) without listing any class, so ``character_table(symmetric(10))`` takes milliseconds.
        An abelian group has ``r = n`` classes: its table has ``n^2`` entries.
    method : {"auto", "burnside", "dixon_schneider"}
        ``"auto"``: the routes above, and for any other group Dixon-Schneider's algorithm from order
        :data:`groupmat.routing.DIXON_SCHNEIDER_ROUTE_MIN_ORDER` on, Burnside's below it (the same rows in
        the same order); a general permutation group too large to list (the listing over the memory budget,
        or no element indices) gets Dixon-Schneider's algorithm on its classes found from generators
        (:func:`groupmat.groups.perm_conjugacy.random_classes`; the elements of the small classes
        enumerated as permutations), columns in the order of ``G.class_permutations()``, rows in Burnside's
        order (``S_12`` by two generic generators: about a second). ``"burnside"``: Burnside's
        algorithm (floating point, rounded to exact values) on the listed classes of any group.
        ``"dixon_schneider"``: class matrices of the smallest classes only, split modulo a prime and lifted
        to exact cyclotomic values (:mod:`groupmat.reps.dixon_schneider`; on the classes from generators
        for a permutation group too large to list, the same table as ``"auto"``). The forced methods
        order the rows as Burnside's route does (trivial first, then by degree and values).

    Returns
    -------
    CharacterTable
        Rows in the order of ``irreps(G)`` (the trivial character first), columns in the order of
        ``G.conjugacy_classes()``.

    Raises
    ------
    TypeError
        ``G`` is not a FiniteGroup.
    ValueError
        Unknown ``method``.
    TooLargeError
        The table with its work arrays would not fit under ``GROUPMAT_MAX_BYTES``: refused before it is
        computed (for an abelian group, with one class per element, before its classes are found).

    See Also
    --------
    irreps, decompose, multiplicities, symmetric_character_table, alternating_character_table

    Notes
    -----
    Burnside's algorithm: the class-sum structure constants :math:`c_{ijk}` give commuting matrices
    whose common eigenvectors are :math:`\\omega_\\chi(C_k) = |C_k|\\chi(g_k)/\\chi(1)`; the
    degree follows from :math:`\\sum_k |C_k| |\\chi(g_k)|^2 = |G|`. Values are rounded to
    :math:`\\sum_j \\mu_j \\zeta_m^j` with integer eigenvalue multiplicities :math:`\\mu_j` read off
    the power maps. The orthogonality relations
    :math:`\\sum_k |C_k| \\chi_i(g_k) \\overline{\\chi_j(g_k)} = |G| \\delta_{ij}` hold.

    Examples
    --------
    >>> import groupmat as gm
    >>> T = gm.character_table(gm.quaternion())
    >>> print(T)
    Character table of Q8 (order 8)
    class  1   i  -1   j   k
     size  1   2   1   2   2
    order  1   4   2   4   4
    ------------------------
      X.0  1   1   1   1   1
      X.1  1   1   1  -1  -1
      X.2  1  -1   1   1  -1
      X.3  1  -1   1  -1   1
      X.4  2   0  -2   0   0
    >>> T.frobenius_schur.tolist()
    [1, 1, 1, 1, -1]
    """
    G = _check_group(G)
    method = check_choice(method, "method", METHODS)
    if method == "auto":
        return G.memo.get(_NS, "table", lambda: _compute_table(G))
    return G.memo.get(_NS, ("table", method), lambda: _forced_table(G, method))


#: The ``method`` choices of :func:`character_table`.
METHODS = ("auto", "burnside", "dixon_schneider")


def _from_generators(G: FiniteGroup) -> bool:
    """True for a general permutation group whose classes come from its generators (its listing does not fit
    the memory budget, or it has no element indices): ``G.classes_from_generators()`` is not None."""
    return isinstance(G, PermutationGroup) and G.kind == "general" and G.classes_from_generators() is not None


def _modular_table(G: FiniteGroup, cs) -> CharacterTable:
    """Dixon-Schneider's characters on the classes of ``cs``, rows in Burnside's order."""
    values, mults, _ = _ds.modular_characters(G, cs)
    order = _order_rows(values)
    mults = [(m, mu[order], t) for m, mu, t in mults]
    return CharacterTable(G, values[order], cs, mults)


def _generator_table(G) -> CharacterTable:
    """The table of a permutation group too large to list: Dixon-Schneider on its classes from generators
    (:class:`_GeneratorClasses`), columns in the order of ``G.class_permutations()``."""
    def build():
        data = G.classes_from_generators()
        cs = _GeneratorClasses(G, data)
        _check_table(G, cs.r, "burnside", cs)
        e = int(np.lcm.reduce(cs.orders))
        try:
            _ds.choose_prime(int(G.order), e)
        except ValueError:
            raise ValueError(f"the character table of {G.name} (order {G.order}, exponent {e}) from its generators "
                             "needs a prime p = 1 mod the exponent with 2 sqrt(|G|) < p < 2^26; there is none (the "
                             "group is too large for Dixon-Schneider's int64 arithmetic)") from None
        return _modular_table(G, cs)

    return G.memo.get(_NS, "generator_table", build)


def _forced_table(G: FiniteGroup, method: str) -> CharacterTable:
    """Burnside's or Dixon-Schneider's algorithm on the listed classes, whatever the group's family (a
    permutation group too large to list: Dixon-Schneider on its classes from generators)."""
    if method == "dixon_schneider" and _from_generators(G):
        return _generator_table(G)
    # one class per element of an abelian group: refused before the classes are listed; any group before
    # the power maps of its class structure are built
    _check_table(G, _class_count(G), "burnside")
    cs = class_structure(G)
    _check_table(G, cs.r, "burnside", cs)
    if method == "burnside":
        chars = _burnside_characters(G, cs)
        values, mults = _exactify(chars[_order_rows(chars)], cs)
        return CharacterTable(G, values, cs, mults)
    return _modular_table(G, cs)


def _class_count(G: FiniteGroup) -> int:
    """The number of conjugacy classes of ``G``: by formula for an abelian (``n``), dihedral (``D_m``:
    ``(m + 3) / 2`` for odd ``m``, ``m / 2 + 3`` for even ``m``), dicyclic (``Dic_m``: ``m + 3``), symmetric
    (the partitions of ``m``) group and a direct product of these (the product of the factors' counts), so
    nothing of the group's size is built; any other group lists its classes (``O(n)``, never the power maps).

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.reps.characters import _class_count
    >>> [_class_count(G) for G in (gm.dihedral(5), gm.dihedral(6), gm.dicyclic(3), gm.symmetric(5))]
    [4, 6, 6, 7]
    >>> _class_count(gm.direct_product(gm.dihedral(4), gm.cyclic(3)))
    15
    """
    if G.is_abelian:
        return int(G.order)
    family = G.structure.family
    if family == "dihedral":
        m = int(G.structure.params[0])
        return (m + 3) // 2 if m % 2 else m // 2 + 3
    if family == "dicyclic":
        return int(G.structure.params[0]) + 3
    if family == "symmetric":
        return _sc.partition_count(int(G.structure.params[0]))
    if family == "direct_product":
        return math.prod(_class_count(F) for F in G.factors)
    return len(G.conjugacy_classes())


def _compute_table(G: FiniteGroup) -> CharacterTable:
    route = _route(G)
    if route in ("symmetric", "alternating"):
        return _formula_table(int(G.structure.params[0]), route == "alternating", G)
    if route == "generators":
        return _generator_table(G)
    if route == "dixon_schneider":
        return _forced_table(G, "dixon_schneider")
    # the table's size once the number of classes is known (by formula for the families, one class per
    # element of an abelian group): refused before the power maps of the class structure are built
    _check_table(G, _class_count(G), route)
    cs = class_structure(G)
    _check_table(G, cs.r, route, cs)
    chars = _family_characters(G, cs, route)
    if chars is None:
        chars = _burnside_characters(G, cs)
        chars = chars[_order_rows(chars)]
    values, mults = _exactify(chars, cs)
    return CharacterTable(G, values, cs, mults)


# ---------------------------------------------------------------------------------- S_n and A_n
def _formula_bytes(n: int, r: int) -> int:
    """Peak bytes of a table by cycle types: the Murnaghan-Nakayama tables of ``S_0 .. S_n`` (three
    arrays of 8 bytes per entry summed over the degrees, below ``2 p(n)^2``) and the table itself (the
    integers, the complex values and the squares of the indicators)."""
    return 3 * 8 * 2 * r * r + (8 + 2 * 16) * r * r


def _formula_table(n: int, alternating: bool, group=None) -> CharacterTable:
    """The table of ``S_n`` (``A_n``) from :mod:`groupmat.reps.symmetric_characters`: columns in the
    enumerated group's class order, rows in Young's order (``S_n``) or Burnside's order (``A_n``)."""
    name = group.name if group is not None else f"{'A' if alternating else 'S'}{n}"
    order = math.factorial(n) // (2 if alternating and n >= 2 else 1)
    r = _sc.partition_count(n)
    check_size((r, r), -(-_formula_bytes(n, r) // (r * r)),
               f"the character table of {name} (at most {r} classes) with its work arrays")
    if not alternating:
        ints, C = _sc.symmetric_character_values(n)
        values = ints.astype(float).astype(complex)
        return CharacterTable(group, values, _FormulaClasses(C, group), integer_values=ints, name=name, order=order)
    values, irrational, _, C = _sc.alternating_character_values(n)
    # Burnside's row order (trivial first, by degree, then values): that of the enumerated A_n before
    rows = _order_rows(values)
    where = np.empty_like(rows)
    where[rows] = np.arange(rows.size)
    values = values[rows]
    ints = np.rint(values.real).astype(np.int64)
    special = [(int(where[i]), c, eps, q, sigma) for i, c, eps, q, sigma in irrational]

    def exact():
        import sympy

        out = _sympy_integers(ints)
        for i, c, eps, q, sigma in special:          # (eps +- sqrt(eps prod h)) / 2 on the split classes
            out[i, c] = (sympy.Integer(eps) + sigma * sympy.sqrt(sympy.Integer(q))) / 2
        return out

    return CharacterTable(group, values, _FormulaClasses(C, group), exact_values=exact,
                          integer_values=None if special else ints, name=name, order=order)


def symmetric_character_table(n: int) -> CharacterTable:
    """The character table of ``S_n`` by the Murnaghan-Nakayama rule, without any group element.

    Parameters
    ----------
    n : int
        The degree, ``n >= 1``.

    Returns
    -------
    CharacterTable
        Rows in the order of the partitions (``(n)`` first: the trivial character; ``(1^n)`` last:
        the sign), columns the cycle types in the order of ``symmetric(n).conjugacy_classes()``;
        ``group`` is None (``character_table(symmetric(n))`` gives the same values with the group);
        ``integer_values`` exact, ``cycle_types`` and ``class_permutations`` name the classes.

    Raises
    ------
    ValueError
        ``n`` is not a positive integer.
    TooLargeError
        The table would not fit under ``GROUPMAT_MAX_BYTES`` (``S_40`` has 37338 classes).

    See Also
    --------
    character_table, alternating_character_table, groupmat.reps.symmetric_characters

    Notes
    -----
    :math:`\\chi^\\lambda(\\mu) = \\sum_\\xi (-1)^{ht(\\xi)} \\chi^{\\lambda \\setminus \\xi}(\\mu \\setminus \\mu_1)` over the
    rim hooks of length :math:`\\mu_1`, one matrix product per largest part. ``S_20`` (627 classes) takes
    about half a second.

    Examples
    --------
    >>> from groupmat.reps.characters import symmetric_character_table
    >>> T = symmetric_character_table(4)
    >>> T.cycle_types
    [(1, 1, 1, 1), (2, 1, 1), (3, 1), (2, 2), (4,)]
    >>> T.integer_values.tolist()
    [[1, 1, 1, 1, 1], [3, 1, 0, -1, -1], [2, 0, -1, 2, 0], [3, -1, 0, -1, 1], [1, -1, 1, 1, -1]]
    >>> T20 = symmetric_character_table(20)
    >>> len(T20), int(T20.degrees.max())
    (627, 249420600)
    """
    n = check_positive_int(n, "n")
    return _formula_table(n, False)


def alternating_character_table(n: int) -> CharacterTable:
    """The character table of ``A_n`` by restriction of ``S_n``'s, without any group element.

    Parameters
    ----------
    n : int
        The degree, ``n >= 1``.

    Returns
    -------
    CharacterTable
        Columns in the order of ``alternating(n).conjugacy_classes()`` (a cycle type with distinct odd
        parts gives two classes), rows trivial first, then by degree and values; ``group`` is None.

    Raises
    ------
    ValueError
        ``n`` is not a positive integer.
    TooLargeError
        The table would not fit under ``GROUPMAT_MAX_BYTES``.

    See Also
    --------
    character_table, symmetric_character_table

    Notes
    -----
    ``chi^lambda`` restricts irreducibly when ``lambda != lambda'``; a self-conjugate ``lambda`` gives
    two characters, ``chi^lambda / 2`` except on the classes of cycle type ``h(lambda)`` (its diagonal
    hook lengths), where they are :math:`(\\varepsilon \\pm \\sqrt{\\varepsilon \\prod h_i})/2`,
    :math:`\\varepsilon = (-1)^{(n-d)/2}`.

    Examples
    --------
    >>> from groupmat.reps.characters import alternating_character_table
    >>> T = alternating_character_table(5)
    >>> T.degrees.tolist(), T.cycle_types[-2:]
    ([1, 3, 3, 4, 5], [(5,), (5,)])
    >>> T.exact_values[1, -2:].tolist()
    [1/2 - sqrt(5)/2, 1/2 + sqrt(5)/2]
    """
    n = check_positive_int(n, "n")
    return _formula_table(n, True)
