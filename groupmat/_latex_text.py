r"""Text as LaTeX math: element labels and class names that print as themselves.

One function, :func:`latex_label`, used wherever groupmat writes a label into LaTeX (the group-matrix
symbols and representation lines of :func:`groupmat.io.to_latex`, the class names of
:meth:`groupmat.reps.CharacterTable.to_latex`): every character special to LaTeX (``\ { } $ & # ^ _
~ %``) is escaped and every control character is written as its code, so a label can neither break
the LaTeX around it nor inject a command (``\input{/etc/passwd}`` prints as that text). Integer
powers (``r^2``, ``s^-1``) are the one markup kept: they become superscripts.

The result is for *math mode* (inside ``$...$`` or an ``aligned`` environment); ``~`` and ``^`` use
``\text``, which needs the ``amsmath`` package (as ``aligned`` does).

Examples
--------
>>> from groupmat._latex_text import latex_label
>>> print(latex_label("s r^2"), latex_label("a_1, 50%"), latex_label("\\x{$}^y"))
s r^{2} a\_1, 50\% \backslash{}x\{\$\}\text{\textasciicircum}y
>>> print(latex_label("\\input{/etc/passwd}"))
\backslash{}input\{/etc/passwd\}
"""
from __future__ import annotations

import re
import unicodedata

__all__ = ["latex_label"]

#: How each LaTeX special character is written in math mode.
_MATH_ESCAPES = {"\\": r"\backslash{}", "{": r"\{", "}": r"\}", "_": r"\_", "&": r"\&", "%": r"\%", "$": r"\$",
                 "#": r"\#", "~": r"\text{\textasciitilde}", "^": r"\text{\textasciicircum}"}
#: An integer power, kept as a superscript.
_POWER = re.compile(r"\^(-?[0-9]+)")


def _escape_char(c: str) -> str:
    special = _MATH_ESCAPES.get(c)
    if special is not None:
        return special
    if unicodedata.category(c) in ("Cc", "Zl", "Zp"):        # control characters, line and paragraph breaks
        return rf"\backslash{{}}x{ord(c):02x}"
    return c


def _escape(text: str) -> str:
    return "".join(_escape_char(c) for c in text)


def latex_label(text) -> str:
    r"""``text`` (a label, a class name) as LaTeX math that prints as itself.

    Parameters
    ----------
    text : str
        Any other object is taken as its ``str``.

    Returns
    -------
    str
        ``\ { } $ & # ^ _ ~ %`` escaped, control characters (and line or paragraph separators) written
        as ``\x..`` codes, integer powers ``^k`` as superscripts ``^{k}``.

    Examples
    --------
    >>> from groupmat._latex_text import latex_label
    >>> print(latex_label("r^-1"), latex_label("a\tb"), latex_label("~"))
    r^{-1} a\backslash{}x09b \text{\textasciitilde}
    """
    text = str(text)
    out, pos = [], 0
    for m in _POWER.finditer(text):
        out.append(_escape(text[pos:m.start()]))
        out.append(f"^{{{m.group(1)}}}")
        pos = m.end()
    out.append(_escape(text[pos:]))
    return "".join(out)
