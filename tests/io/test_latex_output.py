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
