"""LaTeX of small groupmat objects: matrices, representations and character tables.

Exact values go through SymPy's printer; numbers print with 6 significant digits.
"""
from __future__ import annotations

import re

import numpy as np

from .._latex_text import latex_label
from ..groups.core import FiniteGroup
from ..groups.permutation import cycle_notation
from ..tolerances import imaginary_tol
from .convert import object_kind, table_values, to_numpy, values_array

__all__ = ["to_latex"]


def _latex_label(label) -> str:
    r"""A label in math mode by :func:`groupmat._latex_text.latex_label` (tuple labels of products
    joined by commas): ``^k`` (an integer power, as in ``r^2``) becomes a superscript, every other
    LaTeX special character (``\ { } _ & % $ # ~ ^``) and control character is escaped, so any label
    prints as itself and cannot break (or inject commands into) the LaTeX around it.

    Examples
    --------
    >>> from groupmat.io.latex import _latex_label
    >>> print(_latex_label("s r^2"), _latex_label(("a_1", "50%")), _latex_label("\\x{$}^y"))
    s r^{2} a\_1, 50\% \backslash{}x\{\$\}\text{\textasciicircum}y
    """
    return latex_label(", ".join(map(str, label)) if isinstance(label, tuple) else str(label))


#: A symbol name with a braced subscript (``x_{r^2}``, as :func:`groupmat.matrices.group_symbols` names
#: elements by their labels) or a one-character one (``x_e``).
_BRACED = re.compile(r"(?s)([A-Za-z][A-Za-z0-9]*)_\{(.*)\}")
_SHORT = re.compile(r"(?s)([A-Za-z][A-Za-z0-9]*)_(.)")
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def _symbol_latex(name: str) -> str:
    """LaTeX of a symbol name: a group-matrix symbol ``x_{label}`` as ``x_{...}`` with the label
    escaped (:func:`groupmat._latex_text.latex_label`); a plain identifier as SymPy prints it
    (``alpha`` as ``\\alpha``); any other name escaped whole."""
    import sympy

    for pattern in (_BRACED, _SHORT):
        m = pattern.fullmatch(name)
        if m:
            return f"{sympy.latex(sympy.Symbol(m.group(1)))}_{{{latex_label(m.group(2))}}}"
    if _IDENTIFIER.fullmatch(name):
        return sympy.latex(sympy.Symbol(name))
    return latex_label(name)


def _latex_value(v, tol: float) -> str:
    """A number in LaTeX: SymPy's printer for exact values, 6 significant digits otherwise; an
    imaginary part below ``tol`` (relative to the real part, at least 1) is round-off and not shown."""
    import sympy

    if isinstance(v, sympy.Basic):
        return sympy.latex(v)
    v = complex(v)
    if abs(v.imag) <= tol * max(1.0, abs(v.real)):
        return f"{v.real:.6g}"
    sign = "+" if v.imag >= 0 else "-"
    return f"{v.real:.6g} {sign} {abs(v.imag):.6g} i"


def _latex_matrix(arr) -> str:
    import sympy

    arr, ex = values_array(arr)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2:
        raise ValueError(f"LaTeX export takes 1- or 2-dimensional matrices, got shape {arr.shape}")
    if ex:
        M = sympy.Matrix(arr.tolist())
        # symbols named from element labels print with their labels escaped (a label is data, not LaTeX)
        names = {s: _symbol_latex(s.name) for s in M.free_symbols if isinstance(s, sympy.Symbol)}
        return sympy.latex(M, symbol_names=names)
    tol = imaginary_tol(arr.dtype)
    rows = [" & ".join(_latex_value(v, tol) for v in row) for row in arr]
    return r"\left[\begin{matrix}" + r"\\".join(rows) + r"\end{matrix}\right]"


def to_latex(obj, max_size: int = 64) -> str:
    """LaTeX of a small groupmat object, by SymPy's printer for exact values.

    Parameters
    ----------
    obj
        A matrix (ndarray, sympy.Matrix, sparse, GM-LDR); a Representation (one line
        ``\\rho(g) = ...`` per element, in an ``aligned`` environment); a character table (a
        ``tabular`` with one column per class, headed by a representative and the class size;
        its ``exact_values`` when it has them).
    max_size : int
        Refuse matrices with a side longer than this (LaTeX of larger ones is unreadable).

    Returns
    -------
    str

    Examples
    --------
    >>> import groupmat as gm
    >>> print(gm.to_latex(gm.group_matrix(gm.cyclic(2))))
    \\left[\\begin{matrix}x_{e} & x_{r}\\\\x_{r} & x_{e}\\end{matrix}\\right]
    """
    kind = object_kind(obj)
    if kind == "character_table":
        values, _ = values_array(table_values(obj, exact=True))
        tol = imaginary_tol(values.dtype)
        # each class by its representative and size, as the table keeps them (its classes are not listed)
        G, reps, sizes = obj.group, obj.representatives, obj.class_sizes
        heads = []
        for c, size in enumerate(sizes.tolist()):
            if reps is not None and isinstance(G, FiniteGroup):
                rep = _latex_label(G.label(int(reps[c])))
            elif obj.class_permutations is not None:
                rep = _latex_label(cycle_notation(obj.class_permutations[c]))
            else:
                rep = f"C_{{{c}}}"
            heads.append(f"${rep}$ ({size})")
        lines = [r"\begin{tabular}{c|" + "c" * len(heads) + "}",
                 " & " + " & ".join(heads) + r" \\", r"\hline"]
        for k in range(values.shape[0]):
            lines.append(rf"$\chi_{{{k}}}$ & " + " & ".join(f"${_latex_value(v, tol)}$" for v in values[k]) + r" \\")
        lines.append(r"\end{tabular}")
        return "\n".join(lines)
    if kind in ("representation", "permutation_representation"):
        if obj.dim > max_size or obj.group.order > max_size:
            raise ValueError(f"to_latex prints representations of dimension and order <= max_size={max_size}, "
                             f"got dimension {obj.dim} and order {obj.group.order}")
        mats = obj.matrices
        lines = [rf"\rho({_latex_label(obj.group.label(g))}) &= {_latex_matrix(mats[g])}"
                 for g in range(obj.group.order)]
        return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"
    if kind == "group":
        raise TypeError("to_latex takes matrices, representations and character tables, not a group; "
                        "pass G.cayley_table() for its table")
    shape = obj.shape if kind in ("sparse", "sympy_matrix") else np.shape(to_numpy(obj, exact=True))
    if any(s > max_size for s in shape):
        raise ValueError(f"to_latex prints matrices with sides <= max_size={max_size}, got shape {tuple(shape)}")
    return _latex_matrix(to_numpy(obj, exact=True))
