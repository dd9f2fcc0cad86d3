"""LaTeX (groupmat.io.latex): matrices, representations and character tables."""
from __future__ import annotations

import re

import numpy as np
import pytest
import sympy
from io_objects import OBJECTS, exact_rep_c3

import groupmat as gm


def test_to_latex():
    assert gm.to_latex(gm.group_matrix(gm.cyclic(2))) == sympy.latex(gm.group_matrix(gm.cyclic(2)))
    arr = OBJECTS["exact_array"]()
    assert r"\sqrt{2}" in gm.to_latex(arr) and r"\frac{1}{3}" in gm.to_latex(arr)
    rho = exact_rep_c3()
    text = gm.to_latex(rho)
    assert text.startswith(r"\begin{aligned}") and r"\rho(r^{2})" in text and r"\frac{\sqrt{3}}{2}" in text
    table = gm.to_latex(gm.character_table(gm.symmetric(3)))
    lines = table.splitlines()
    assert lines[0].startswith(r"\begin{tabular}{c|ccc}") and lines[-1] == r"\end{tabular}"
    assert any(re.match(r"\$\\chi_\{\d\}\$ & \$2\$ & \$0\$ & \$-1\$", line) for line in lines), lines
    assert "(3)" in lines[1] and "(2)" in lines[1]
    assert "0.5" in gm.to_latex(np.array([[0.5, 1.0]]))
    with pytest.raises(ValueError, match="max_size"):
        gm.to_latex(np.zeros((100, 100)))
    with pytest.raises(TypeError, match="not a group"):
        gm.to_latex(gm.cyclic(3))


def test_imaginary_round_off_is_judged_by_the_dtype():
    # an imaginary part of 1e-9 is round-off for complex64 values, a value for complex128 ones
    z = np.array([[1.0 + 1e-9j]])
    assert gm.to_latex(z.astype(np.complex64)) == r"\left[\begin{matrix}1\end{matrix}\right]"
    assert gm.to_latex(z) == r"\left[\begin{matrix}1 + 1e-09 i\end{matrix}\right]"
    assert gm.to_latex(np.array([[0.5 - 2j]])) == r"\left[\begin{matrix}0.5 - 2 i\end{matrix}\right]"


SPECIAL_LABELS = ["e", "a_1", "50%", "x&y", "$", "#1", "{b}", "~", "\\c", "^", "r^2"]
ESCAPED = [r"e", r"a\_1", r"50\%", r"x\&y", r"\$", r"\#1", r"\{b\}", r"\text{\textasciitilde}", r"\backslash{}c",
           r"\text{\textasciicircum}", r"r^{2}"]


def test_labels_with_latex_special_characters_are_escaped():
    """Labels are data: ``_ ^ & % $ # { } ~ \\`` print as themselves and cannot break the LaTeX (before issue
    12, a label "$" or "{b}" was pasted as is); an integer power ``^2`` stays a superscript."""
    n = len(SPECIAL_LABELS)
    G = gm.from_cayley_table(gm.cyclic(n).cayley_table(), labels=SPECIAL_LABELS, name="C11")
    text = gm.to_latex(gm.regular_representation(G))
    lines = text[len(r"\begin{aligned}"):-len(r"\end{aligned}")].split(r" \\ ")
    assert [line.split(" &= ")[0] for line in lines] == [rf"\rho({label})" for label in ESCAPED]
    table = gm.to_latex(gm.character_table(G)).splitlines()
    heads = table[1].split(" & ")[1:]
    assert [h.rsplit(" (", 1)[0] for h in heads] == [f"${label}$" for label in ESCAPED]
    pair = gm.to_latex(gm.regular_representation(gm.direct_product(gm.cyclic(2), G)))
    assert r"\rho(r, \text{\textasciitilde})" in pair


BRIEF_LABELS = ["a_b", "50%", "x&y", "#1", "$\\evil$", "{", "~^", "\\input{/etc/passwd}"]
BRIEF_ESCAPED = [r"a\_b", r"50\%", r"x\&y", r"\#1", r"\$\backslash{}evil\$", r"\{",
                 r"\text{\textasciitilde}\text{\textasciicircum}", r"\backslash{}input\{/etc/passwd\}"]


def _unescaped_specials(text: str) -> list:
    """The LaTeX special characters of ``text`` left over once every escape latex_label writes, and the
    braces of subscripts and of \\left[ \\begin{matrix} markup, are removed (an independent scan)."""
    for escape in (r"\text{\textasciitilde}", r"\text{\textasciicircum}", r"\backslash{}", r"\_", r"\%", r"\&",
                   r"\#", r"\$", r"\{", r"\}"):
        text = text.replace(escape, "")
    text = re.sub(r"x_\{([^{}]*)\}", r"\1", text)
    text = text.replace(r"\left[\begin{matrix}", "").replace(r"\end{matrix}\right]", "")
    text = text.replace(r"\\", "").replace(" & ", " ")
    return [c for c in text if c in "\\{}$&#^_~%"]


def test_group_matrix_symbols_print_their_labels_escaped():
    """gm.to_latex(gm.group_matrix(G)) escapes the labels inside the symbols x_{label}: before, the labels
    below were pasted as they are (x_{50%}, x_{x&y}, x_{\\input{/etc/passwd}})."""
    G = gm.from_cayley_table(gm.cyclic(8).cayley_table(), labels=BRIEF_LABELS)
    text = gm.to_latex(gm.group_matrix(G))
    first_row = text[len(r"\left[\begin{matrix}"):].split(r"\\")[0].split(" & ")
    assert first_row == [f"x_{{{label}}}" for label in BRIEF_ESCAPED]
    assert _unescaped_specials(text) == []
    # labels without specials print as SymPy prints them; integer powers stay superscripts
    D = gm.dihedral(3)
    assert gm.to_latex(gm.group_matrix(D)).split(r"\\")[0] == \
        r"\left[\begin{matrix}x_{e} & x_{r} & x_{r^{2}} & x_{s} & x_{sr} & x_{sr^{2}}"
    a, b = sympy.symbols("alpha b_1")
    assert gm.to_latex(sympy.Matrix([[a, b]])) == sympy.latex(sympy.Matrix([[a, b]]))


def test_latex_label_escapes_every_special_and_control_character():
    from groupmat._latex_text import latex_label

    assert [latex_label(x) for x in BRIEF_LABELS] == BRIEF_ESCAPED
    assert latex_label("a\nb\x00c\x7f") == r"a\backslash{}x0ab\backslash{}x00c\backslash{}x7f"
    assert latex_label("g^-1 h^12") == "g^{-1} h^{12}" and latex_label("g^\u0663") == "g\\text{\\textasciicircum}\u0663"
    assert latex_label(("t", 1)) == latex_label(str(("t", 1)))


def test_the_character_table_of_a_group_too_large_to_list_prints_without_listing_it():
    """to_latex of the table of S12 heads each class by its representative and size (before: it listed
    the classes, 479001600 elements, and raised TooLargeError)."""
    T = gm.character_table(gm.symmetric(12))
    lines = gm.to_latex(T).splitlines()
    heads = lines[1].split(" & ")[1:]
    assert len(heads) == 77 and heads[0] == "$()$ (1)" and heads[1] == "$(10 11)$ (66)"   # 66 = C(12, 2)
    assert sum(int(h.rsplit("(", 1)[1][:-1]) for h in heads[:-1] + [heads[-1].split(r" \\")[0]]) == T.order
