"""Irreducible representations: exact families, a general algorithm, and real forms.

Families with explicit irreducible representations (each unitary, the trivial one first):

- cyclic ``C_n``: ``rho_k(r^g) = exp(-2 pi i k g / n)``, ``k = 0..n-1`` (so :func:`fourier` is the DFT);
- sign groups ``C_2^k``: ``rho_S(g) = (-1)^{popcount(S & g)}``;
- dihedral ``D_n``: the one-dimensional characters, then ``r^j -> R(2 pi k j / n)``,
  ``s r^j -> diag(1, -1) R(2 pi k j / n)`` for ``k = 1..floor((n-1)/2)``;
- dicyclic ``Dic_n`` (quaternion groups): the one-dimensional characters, then
  ``a -> diag(z^k, z^-k)``, ``x -> [[0, (-1)^k], [1, 0]]`` with ``z = exp(2 pi i / 2n)``;
- symmetric ``S_n``: Young's orthogonal form, exact with square roots;
- direct products: Kronecker products of the factors' irreducibles (row-major order).

Any other group: characters by Burnside's algorithm (:func:`character_table`), then each irreducible
is cut out of the left regular representation: its isotypic projector
``P_chi[a, b] = (d/n) conj(chi(a b^-1))`` has range ``d`` copies of ``rho``, and the eigenspace of
the smallest eigenvalue of a random Hermitian element of the commutant (right multiplications) is one
copy, spanned by orthonormal ``V``; then ``rho(g) = V^* L(g) V`` is unitary.

Real irreducibles follow from the Frobenius-Schur indicator ``nu``: real type (``nu = 1``) keeps a
real orthogonal form, complex type (``nu = 0``) pairs ``rho`` with its conjugate and quaternionic type
(``nu = -1``) keeps ``rho``; both become the realification ``[[Re rho, -Im rho], [Im rho, Re rho]]``
of twice the degree.
"""
from __future__ import annotations

import itertools
import math

import numpy as np

from .._exact import to_numeric
from .._validation import check_choice, check_size
from ..groups.core import check_group as _check_group
from ..groups.core import FiniteGroup
from .representation import Representation, from_generators

__all__ = ["irreps"]


def _store(G) -> dict:
    """TEMPORARY: this module's entries in the group's memo (to be replaced by memo.get calls)."""
    return G.memo.get("reps.irreducibles", "store", dict)

_TYPES = {1: "real", 0: "complex", -1: "quaternionic"}


def commutant_dimension(frobenius_schur):
    """The dimension ``e`` of the commutant of a real irreducible from its Frobenius-Schur indicator.

    ``e = 1, 2, 4`` for indicator ``1, 0, -1`` (real, complex and quaternionic type: the commutant is
    R, C or H). The single source of this map in groupmat.

    Parameters
    ----------
    frobenius_schur : int or array_like of int
        Indicators, each in ``{1, 0, -1}``.

    Returns
    -------
    int or ndarray of int
        ``e`` for each indicator (an int for a scalar, an int array otherwise).

    Examples
    --------
    >>> from groupmat.reps.irreducibles import commutant_dimension
    >>> commutant_dimension(-1), commutant_dimension([1, 0, -1]).tolist()
    (4, [1, 2, 4])
    """
    nu = np.asarray(frobenius_schur)
    if nu.dtype.kind not in "iu" and not (nu.dtype.kind == "f" and np.all(nu == np.rint(nu))):
        raise TypeError(f"frobenius_schur must be integers in {{1, 0, -1}}, got {frobenius_schur!r}")
    nu = nu.astype(np.int64)
    if np.any((nu < -1) | (nu > 1)):
        raise ValueError(f"frobenius_schur must be 1, 0 or -1, got {frobenius_schur!r}")
    e = np.array([4, 2, 1], dtype=np.int64)[nu + 1]
    return int(e) if e.ndim == 0 else e


def _sym():
    import sympy

    return sympy


def _root(k: int, n: int):
    """The exact root of unity ``exp(2 pi i k / n)``."""
    sympy = _sym()
    return sympy.exp(2 * sympy.pi * sympy.I * sympy.Rational(k % n, n))


def _cos_sin(k: int, n: int):
    sympy = _sym()
    t = 2 * sympy.pi * sympy.Rational(k % n, n)
    return sympy.cos(t), sympy.sin(t)


def _rep(G, mats, name, exact):
    if exact:
        mats = np.asarray(mats, dtype=object)
    return Representation(G, mats, check=False, name=name)


# ------------------------------------------------------------------------------------------ families
def _cyclic_irreps(G, exact):
    n = G.n
    g = np.arange(n)
    out = []
    for k in range(n):
        if exact:
            mats = np.array([[[_root(-k * int(j), n)]] for j in g], dtype=object)
        else:
            mats = np.exp(-2j * np.pi * ((k * g) % n) / n)[:, None, None]
            if k == 0 or 2 * k == n:
                mats = mats.real.round()
        out.append(_rep(G, mats, f"chi_{k} of {G.name}", exact))
    return out


def _sign_irreps(G, exact):
    g = np.arange(G.order)
    out = []
    for S in range(G.order):
        parity = (np.bitwise_count(g & S) & 1).astype(np.int64)
        vals = 1 - 2 * parity
        mats = vals[:, None, None].astype(object if exact else float)
        if exact:
            mats = np.vectorize(lambda v: _sym().Integer(int(v)), otypes=[object])(mats)
        out.append(_rep(G, mats, f"chi_{S} of {G.name}", exact))
    return out


def _dihedral_one_dim(n):
    """The one-dimensional characters of D_n as (values on r, values on s)."""
    chars = [(1, 1), (1, -1)]
    if n % 2 == 0:
        chars += [(-1, 1), (-1, -1)]
    return chars


def _dihedral_irreps(G, exact):
    n = G.n
    e, j = np.divmod(np.arange(2 * n), n)
    out = []
    for a, b in _dihedral_one_dim(n):
        vals = (a ** j) * (b ** e)
        if exact:
            mats = np.array([[[_sym().Integer(int(v))]] for v in vals], dtype=object)
        else:
            mats = vals[:, None, None].astype(float)
        out.append(_rep(G, mats, f"1-dim ({a:+d}, {b:+d}) of {G.name}", exact))
    for k in range(1, (n - 1) // 2 + 1):
        if exact:
            mats = np.empty((2 * n, 2, 2), dtype=object)
            for g in range(2 * n):
                c, s = _cos_sin(k * int(j[g]), n)
                sgn = -1 if e[g] else 1
                mats[g] = [[c, -s], [sgn * s, sgn * c]]
        else:
            t = 2 * np.pi * ((k * j) % n) / n
            c, s = np.cos(t), np.sin(t)
            sgn = np.where(e == 1, -1.0, 1.0)
            mats = np.stack([np.stack([c, -s], -1), np.stack([sgn * s, sgn * c], -1)], -2)
        out.append(_rep(G, mats, f"rho_{k} of {G.name}", exact))
    return out


def _dicyclic_irreps(G, exact, real=False):
    """Irreps of ``Dic_n`` (``a^(2n) = e, x^2 = a^n, x a x^-1 = a^-1``): complex, or real forms (``real``).

    Linear: ``a -> +-1``, ``x -> +-1`` (``n`` even) or ``x -> +-i`` when ``a -> -1`` (``n`` odd).
    Degree 2, ``k = 1..n-1``: ``a -> diag(z^k, z^-k)``, ``x -> [[0, (-1)^k], [1, 0]]``, quaternionic for
    odd ``k``; for even ``k`` the real form ``a -> R(2 pi k / 2n)``, ``x -> diag(1, -1)``.
    """
    n = G.n
    m = 2 * n
    sympy = _sym() if exact else None

    def num(v):
        return sympy.sympify(v) if exact else v

    if n % 2 == 0:
        ones = [(1, 1), (1, -1), (-1, 1), (-1, -1)]
    else:
        ones = [(1, 1), (1, -1), (-1, "i"), (-1, "-i")]
    out = []
    for a, x in ones:
        if x in ("i", "-i"):
            if real:
                continue  # the pair a -> -1, x -> +-i is realified below
            xv = (sympy.I if exact else 1j) * (1 if x == "i" else -1)
        else:
            xv = num(x)
        av = num(a)
        if exact:
            imgs = [np.array([[av]], dtype=object), np.array([[xv]], dtype=object)]
        else:
            dt = complex if isinstance(xv, complex) else float
            imgs = [np.array([[av]], dtype=dt), np.array([[xv]], dtype=dt)]
        out.append(from_generators(G, imgs, check=False, name=f"1-dim ({a}, {x}) of {G.name}"))
    if real and n % 2 == 1:
        # the complex pair a -> -1, x -> +-i realified: x -> rotation by pi/2
        A = [[-1, 0], [0, -1]]
        X = [[0, -1], [1, 0]]
        imgs = [np.array(A, dtype=object if exact else float), np.array(X, dtype=object if exact else float)]
        if exact:
            imgs = [np.vectorize(sympy.Integer, otypes=[object])(im) for im in imgs]
        out.append(from_generators(G, imgs, check=False, name=f"2-dim real (-1, i) of {G.name}"))
    for k in range(1, n):
        sign = -1 if k % 2 else 1
        if real and k % 2 == 0:
            if exact:
                c, s = _cos_sin(k, m)
                A = np.array([[c, -s], [s, c]], dtype=object)
                X = np.array([[1, 0], [0, -1]], dtype=object)
                X = np.vectorize(sympy.Integer, otypes=[object])(X)
            else:
                t = 2 * np.pi * k / m
                A = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
                X = np.diag([1.0, -1.0])
            out.append(from_generators(G, [A, X], check=False, name=f"rho_{k} (real form) of {G.name}"))
            continue
        if exact:
            A = np.array([[_root(k, m), 0], [0, _root(-k, m)]], dtype=object)
            A[0, 1] = A[1, 0] = sympy.Integer(0)
            X = np.array([[0, sign], [1, 0]], dtype=object)
            X = np.vectorize(sympy.Integer, otypes=[object])(X)
        else:
            A = np.diag([np.exp(2j * np.pi * k / m), np.exp(-2j * np.pi * k / m)])
            X = np.array([[0, sign], [1, 0]], dtype=complex)
        rho = from_generators(G, [A, X], check=False, name=f"rho_{k} of {G.name}")
        if real:  # quaternionic type: realified
            rho = _realification(rho)
            rho.name = f"rho_{k} (realified) of {G.name}"
        out.append(rho)
    return out


# ------------------------------------------------------------------------------- symmetric groups
def _partitions(n):
    """Partitions of n, in decreasing lexicographic order ((n) first)."""
    out = []

    def rec(rest, maxpart, prefix):
        if rest == 0:
            out.append(tuple(prefix))
            return
        for p in range(min(rest, maxpart), 0, -1):
            rec(rest - p, p, prefix + [p])

    rec(n, n, [])
    return out


def _standard_tableaux(shape):
    """Standard Young tableaux of a shape, each as a tuple ``pos[v] = (row, col)`` for ``v = 0..n-1``."""
    n = sum(shape)
    out = []

    def rec(rowlens, placed):
        v = len(placed)
        if v == n:
            out.append(tuple(placed))
            return
        for r in range(len(shape)):
            c = rowlens[r]
            if c < shape[r] and (r == 0 or rowlens[r - 1] > c):
                rowlens[r] += 1
                placed.append((r, c))
                rec(rowlens, placed)
                placed.pop()
                rowlens[r] -= 1

    rec([0] * len(shape), [])
    return out


def _young_generators(shape, n, exact):
    """Young's orthogonal form of the adjacent transpositions ``s_i = (i, i+1)``, ``i = 0..n-2``.

    ``Y(s_i) e_T = (1/r) e_T + sqrt(1 - 1/r^2) e_{s_i T}`` with the axial distance
    ``r = c_T(i+1) - c_T(i)`` (content ``c = col - row``).
    """
    tabs = _standard_tableaux(shape)
    index = {t: k for k, t in enumerate(tabs)}
    d = len(tabs)
    sympy = _sym() if exact else None
    mats = []
    for i in range(n - 1):
        if exact:
            Y = np.full((d, d), sympy.Integer(0), dtype=object)
        else:
            Y = np.zeros((d, d))
        for t, T in enumerate(tabs):
            (r1, c1), (r2, c2) = T[i], T[i + 1]
            r = (c2 - r2) - (c1 - r1)
            Y[t, t] = sympy.Rational(1, r) if exact else 1.0 / r
            if abs(r) > 1:
                swapped = list(T)
                swapped[i], swapped[i + 1] = T[i + 1], T[i]
                u = index[tuple(swapped)]
                Y[u, t] = sympy.sqrt(sympy.Rational(r * r - 1, r * r)) if exact else math.sqrt(1 - 1 / r**2)
        mats.append(Y)
    return mats, d


def _young_image(p, gens_Y, d, exact):
    """``Y(q)`` for a permutation image array ``q`` (composition ``(a o b)(i) = a(b(i))``)."""
    q = list(int(v) for v in p)
    M = None
    changed = True
    while changed:
        changed = False
        for i in range(len(q) - 1):
            if q[i] > q[i + 1]:
                q[i], q[i + 1] = q[i + 1], q[i]           # q = (q o s_i) o s_i
                M = gens_Y[i] if M is None else gens_Y[i] @ M
                changed = True
                break
    if M is None:
        if exact:
            sympy = _sym()
            M = np.full((d, d), sympy.Integer(0), dtype=object)
            for k in range(d):
                M[k, k] = sympy.Integer(1)
        else:
            M = np.eye(d)
    if exact:
        M = np.vectorize(_sym().expand, otypes=[object])(M)
    return M


def _symmetric_irreps(G, exact):
    n = G.degree
    out = []
    for shape in _partitions(n):
        gens_Y, d = _young_generators(shape, n, exact)
        images = []
        for g in G.generators:
            p = np.asarray(G.perms[g], dtype=np.int64)
            pinv = np.empty_like(p)
            pinv[p] = np.arange(n)
            # g h applies g first, so g -> Y(perm(g)^-1) is a homomorphism
            images.append(_young_image(pinv, gens_Y, d, exact))
        out.append(from_generators(G, images, check=False, name=f"Young {list(shape)} of {G.name}"))
    return out


def _is_symmetric_group(G) -> bool:
    from ..groups.permutation import PermutationGroup

    return isinstance(G, PermutationGroup) and G.order == math.factorial(G.degree) and G.degree >= 1


# --------------------------------------------------------------------------------- direct products
def _product_irreps(G, exact):
    factors = G.factors
    comps = G.components_unchecked(G.elements())
    lists = [irreps(F, field="complex", exact=exact) for F in factors]
    out = []
    for combo in itertools.product(*[range(len(L)) for L in lists]):
        reps = [lists[i][k] for i, k in enumerate(combo)]
        mats = reps[0].matrices[comps[0]]
        for i in range(1, len(reps)):
            B = reps[i].matrices[comps[i]]
            d1, d2 = mats.shape[1], B.shape[1]
            mats = (mats[:, :, None, :, None] * B[:, None, :, None, :]).reshape(G.order, d1 * d2, d1 * d2)
        rho = Representation(G, mats, check=False, name=" (x) ".join(r.name for r in reps))
        out.append(rho)
    return out


def _family_irreps(G, exact=False, field="complex"):
    """Complex (or, for dicyclic groups, real) irreps of a known family, or None for other groups."""
    from ..groups.named import CyclicGroup, DicyclicGroup, DihedralGroup
    from ..groups.products import DirectProduct, SignGroup

    if isinstance(G, CyclicGroup):
        return _cyclic_irreps(G, exact)
    if isinstance(G, SignGroup):
        return _sign_irreps(G, exact)
    if isinstance(G, DihedralGroup):
        return _dihedral_irreps(G, exact)
    if isinstance(G, DicyclicGroup):
        return _dicyclic_irreps(G, exact, real=(field == "real"))
    if isinstance(G, DirectProduct):
        return _product_irreps(G, exact)
    if _is_symmetric_group(G):
        return _symmetric_irreps(G, exact)
    return None


# ------------------------------------------------------------------------------ general algorithm
def _orthonormal_range(Y, k):
    """An orthonormal basis of the (rank ``k``) range of ``Y``, from the Hermitian eigenproblem of
    ``Y^* Y`` (twice, for orthonormality to rounding); avoids complex QR/SVD, which are slow with some
    LAPACK builds."""
    for _ in range(2):
        w, V = np.linalg.eigh(Y.conj().T @ Y)
        V, w = V[:, -k:], w[-k:]
        Y = (Y @ V) / np.sqrt(w)[None, :]
    return Y



def _general_irreps(G):
    """Numeric unitary irreps of any group, in character-table order (see the module notes)."""
    from .characters import character_table

    T = character_table(G)
    n = G.order
    e = G.elements()
    inv = G.inverses()
    check_size((n, n), 16, f"the isotypic projectors of {G.name}")
    K = G._mul(e[:, None], inv[None, :])                      # K[a, b] = a b^-1
    chars = T.characters()
    rng = np.random.default_rng(12345)
    out = []
    for i, chi in enumerate(chars):
        d = int(T.degrees[i])
        if d == 1:
            mats = chi[:, None, None]
            if np.max(np.abs(mats.imag)) < 1e-12:
                mats = mats.real
            out.append(Representation(G, mats, check=False, name=f"irrep {i} of {G.name}"))
            continue
        P = (d / n) * np.conj(chi)[K]                          # isotypic projector of L
        U = _orthonormal_range(P @ rng.standard_normal((n, d * d + 4)), d * d)
        V = None
        for attempt in range(4):
            if attempt < 3:
                hs = np.unique(np.concatenate([np.array(G.generators, dtype=np.int64),
                                               rng.integers(0, n, size=min(n, 24))]))
            else:
                hs = e
            c = rng.standard_normal(hs.size) + 1j * rng.standard_normal(hs.size)
            # H = sum_h c_h R'(h) + conj(c_h) R'(h^-1), (R'(h) f)(a) = f(a h): Hermitian, commutes with L
            idx = G._mul(e[:, None], hs[None, :])              # a h
            idx_inv = G._mul(e[:, None], inv[hs][None, :])     # a h^-1
            HU = np.einsum("ahk,h->ak", U[idx], c) + np.einsum("ahk,h->ak", U[idx_inv], np.conj(c))
            B = U.conj().T @ HU
            B = (B + B.conj().T) / 2
            w, W = np.linalg.eigh(B)
            scale = max(1.0, np.abs(w).max())
            if w[d] - w[d - 1] > 1e-6 * scale and w[d - 1] - w[0] < 1e-8 * scale:
                V = U @ W[:, :d]
                break
        if V is None:  # pragma: no cover - a random commutant element always splits eventually
            raise RuntimeError(f"could not split the isotypic component of character {i} of {G.name}")
        # rho(s) = V^* L(s) V with (L(s) V)[a] = V[s^-1 a]
        images = [V.conj().T @ V[G._mul(inv[s], e)] for s in G.generators]
        out.append(from_generators(G, images, check=True, name=f"irrep {i} of {G.name}"))
    return out


def _exact_linear_irreps(G):
    """For a group whose irreducibles are all linear (abelian): the exact characters themselves."""
    from .characters import character_table

    T = character_table(G)
    if not T.exact or np.any(T.degrees != 1):
        return None
    ev = T.exact_values[:, T._cs.class_of]
    return [Representation(G, ev[k][:, None, None], check=False, name=f"chi_{k} of {G.name}") for k in range(len(T))]


# ------------------------------------------------------------------------------------- real forms
def _is_real(rho: Representation) -> bool:
    m = rho.matrices
    if rho.exact:
        return all(v.is_real for v in m.flat) if all(getattr(v, "is_real", None) is not None for v in m.flat) \
            else bool(np.all(np.abs(to_numeric(m, complex).imag) < 1e-12))
    return not np.iscomplexobj(m) or bool(np.max(np.abs(m.imag)) < 1e-12)


def _real_part(rho: Representation) -> Representation:
    m = rho.matrices
    if rho.exact:
        sympy = _sym()
        m = np.vectorize(lambda z: sympy.expand(sympy.re(z)), otypes=[object])(m)
    else:
        m = np.real(m).copy()
    return Representation(rho.group, m, check=False, name=rho.name)


def _realification(rho: Representation) -> Representation:
    """``[[Re rho, -Im rho], [Im rho, Re rho]]`` (orthogonal when rho is unitary)."""
    m = rho.matrices
    if rho.exact:
        sympy = _sym()
        re = np.vectorize(lambda z: sympy.expand(sympy.re(sympy.expand_complex(z))), otypes=[object])(m)
        im = np.vectorize(lambda z: sympy.expand(sympy.im(sympy.expand_complex(z))), otypes=[object])(m)
    else:
        re, im = np.real(m), np.imag(m)
    top = np.concatenate([re, -im], axis=2)
    bot = np.concatenate([im, re], axis=2)
    return Representation(rho.group, np.concatenate([top, bot], axis=1), check=False,
                          name=f"realification of {rho.name}")


def _real_form(rho: Representation) -> Representation:
    """A real orthogonal form of a unitary irrep of real type (numeric).

    The realification is ``sigma + sigma`` over R; a random symmetric element of its commutant has
    two eigenvalues of multiplicity ``d``, and either eigenspace carries ``sigma``.
    """
    R = _realification(rho.numeric()).matrices
    d = rho.dim
    rng = np.random.default_rng(7)
    for _ in range(4):
        W = rng.standard_normal((2 * d, 2 * d))
        W = W + W.T
        P = np.einsum("gij,jk,glk->il", R, W, R) / R.shape[0]
        w, V = np.linalg.eigh((P + P.T) / 2)
        if w[d] - w[d - 1] > 1e-6 * max(1.0, np.abs(w).max()):
            V = V[:, :d]
            mats = np.einsum("ji,gjk,kl->gil", V, R, V)
            return Representation(rho.group, mats, check=False, name=f"real form of {rho.name}")
    raise RuntimeError("could not find a real form")  # pragma: no cover


def _conjugate_index(chars: np.ndarray, class_sizes=None) -> np.ndarray:
    """``conj[k]`` = the row ``j`` with ``chi_j = conj(chi_k)``.

    By orthogonality ``<conj(chi_k), chi_j> = delta_{j, conj[k]}``, so one ``r x r`` product of the
    conjugated rows with the rows (weighted by the class sizes when given) finds every partner.
    """
    chars = np.asarray(chars)
    w = np.ones(chars.shape[1]) if class_sizes is None else np.asarray(class_sizes, dtype=float)
    # <conj chi_k, chi_j> = sum_c |C_c| conj(chi_k(c)) conj(chi_j(c)) / |G|, up to a positive scale
    gram = np.abs((np.conj(chars) * w) @ np.conj(chars).T)
    return np.argmax(gram, axis=1)


def _realify_all(G, cplx, exact):
    from .characters import character_table

    T = character_table(G)
    conj = _conjugate_index(T.values, T.class_sizes)
    out = []
    for k, rho in enumerate(cplx):
        fs = int(T.frobenius_schur[k])
        if fs == 1:
            if _is_real(rho):
                sigma = _real_part(rho)
            elif exact:
                raise ValueError(f"no exact real form is known for irrep {k} of {G.name} (real type given by "
                                 "complex matrices); use exact=False")
            else:
                sigma = _real_form(rho)
            sigma.complex_indices = (k,)
        elif fs == 0:
            j = int(conj[k])
            if j < k:
                continue
            sigma = _realification(rho)
            sigma.complex_indices = (k, j)
        else:
            sigma = _realification(rho)
            sigma.complex_indices = (k,)
        sigma.frobenius_schur = fs
        sigma.type = _TYPES[fs]
        out.append(sigma)
    return out


def _annotate(G, reps, field):
    from .characters import character_table

    T = character_table(G)
    for k, rho in enumerate(reps):
        if field == "complex":
            rho.frobenius_schur = int(T.frobenius_schur[k])
            rho.type = _TYPES[rho.frobenius_schur]
            rho.complex_indices = (k,)
        rho.index = k
        rho.field = field
    return reps


def _dicyclic_real_annotations(G, reps):
    """Types of the family-built real irreps of a dicyclic group (in the order built)."""
    n = G.n
    # complex order: 4 one-dim (for odd n: (1,1), (1,-1), (-1,i), (-1,-i)), then rho_k, k = 1..n-1
    if n % 2 == 0:
        info = [(1, (0,)), (1, (1,)), (1, (2,)), (1, (3,))]
    else:
        info = [(1, (0,)), (1, (1,)), (0, (2, 3))]
    info += [((-1 if k % 2 else 1), (3 + k,)) for k in range(1, n)]
    for rho, (fs, idx) in zip(reps, info):
        rho.frobenius_schur, rho.type, rho.complex_indices = fs, _TYPES[fs], idx
    return reps


def irreps(G: FiniteGroup, field: str = "complex", exact: bool = False) -> list:
    """The irreducible representations of ``G``, unitary (complex) or orthogonal (real).

    Parameters
    ----------
    G : FiniteGroup
    field : {"complex", "real"}
        ``"complex"``: the irreducible complex representations, in the row order of
        :func:`character_table` (the trivial one first). ``"real"``: the irreducible real
        representations: real-type irreducibles in a real orthogonal form, each complex-type pair
        ``(rho, conj rho)`` and each quaternionic-type ``rho`` realified to twice the degree.
    exact : bool
        SymPy matrices (rationals, square roots, roots of unity). Available for the families
        (cyclic, dihedral, dicyclic and quaternion, sign groups, symmetric groups and direct
        products of these) and for every group whose irreducibles are all one-dimensional (from
        the exact character table); other groups raise ValueError.

    Returns
    -------
    list of Representation
        Each has the attributes ``frobenius_schur`` (1, 0, -1), ``type`` (``"real"``,
        ``"complex"``, ``"quaternionic"``), ``index`` (position in the list) and
        ``complex_indices`` (the complex irreducibles it comes from).

    Raises
    ------
    TypeError
        ``G`` is not a FiniteGroup.
    ValueError
        Unknown ``field``, or ``exact=True`` for a group with no exact construction.
    TooLargeError
        The matrices of all irreducibles (``n * sum d^2 = n^2`` numbers) would not fit in memory.

    See Also
    --------
    character_table, fourier, decompose

    Notes
    -----
    The sum of the squared degrees of the complex irreducibles is ``|G|``; for real irreducibles
    ``sum_sigma d_sigma^2 / e_sigma = |G|`` with ``e = 1, 2, 4`` for real, complex and quaternionic
    type (the dimension of the commutant).

    Examples
    --------
    >>> import groupmat as gm
    >>> [rho.dim for rho in gm.irreps(gm.symmetric(4))]
    [1, 3, 2, 3, 1]
    >>> [(rho.dim, rho.type) for rho in gm.irreps(gm.cyclic(3), field="real")]
    [(1, 'real'), (2, 'complex')]
    >>> rho = gm.irreps(gm.dihedral(4), exact=True)[4]
    >>> rho(1)
    Matrix([
    [0, -1],
    [1,  0]])
    """
    G = _check_group(G)
    check_choice(field, "field", ("complex", "real"))
    if not isinstance(exact, (bool, np.bool_)):
        raise TypeError(f"exact must be True or False, got {type(exact).__name__} {exact!r}")
    exact = bool(exact)
    key = ("reps:irreps", field, exact)
    if key in _store(G):
        return list(_store(G)[key])
    n = G.order
    check_size((n, n), 16, f"the matrices of all irreducible representations of {G.name}")
    if field == "complex":
        reps = _family_irreps(G, exact=exact, field="complex")
        if reps is None and exact:
            reps = _exact_linear_irreps(G)
        if reps is None:
            if exact:
                raise ValueError(f"exact irreducible representations are known for cyclic, dihedral, dicyclic, sign, "
                                 f"symmetric groups and their direct products, not for {G.name}; use exact=False")
            reps = _general_irreps(G)
        _annotate(G, reps, "complex")
    else:
        from ..groups.named import DicyclicGroup

        if isinstance(G, DicyclicGroup):
            reps = _dicyclic_real_annotations(G, _dicyclic_irreps(G, exact, real=True))
        else:
            reps = _realify_all(G, irreps(G, "complex", exact=exact), exact)
        _annotate(G, reps, "real")
    _store(G)[key] = reps
    return list(reps)
