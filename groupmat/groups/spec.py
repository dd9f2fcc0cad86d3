"""A compact spec-string parser: ``group("D6")``, ``"C4xC2"``, ``"S4"``, ``"A5"``, ``"Q8"``, ``"C2^3"``."""
from __future__ import annotations

import re

from .core import FiniteGroup
from .named import cyclic, dicyclic, dihedral, generalized_quaternion, quaternion
from .permutation import alternating, symmetric
from .products import SignGroup, direct_product, sign_group

__all__ = ["group", "SPEC_FORMS", "MAX_SPEC_LENGTH", "MAX_SPEC_DEPTH", "MAX_SPEC_DIGITS", "MAX_SPEC_POWER"]

#: The longest spec read (characters, spaces included): every real spec is far shorter.
MAX_SPEC_LENGTH = 1000
#: The deepest nesting of parentheses read.
MAX_SPEC_DEPTH = 32
#: The most digits of a number in a spec: orders are at most ``2**62`` (19 digits).
MAX_SPEC_DIGITS = 19
#: The largest power ``F^k``: a power of a non-trivial group beyond ``2**62`` elements is refused anyway.
MAX_SPEC_POWER = 62

#: The accepted forms, shown in every parse error.
SPEC_FORMS = (
    "Cn (cyclic of order n)",
    "Dn (dihedral of order 2n)",
    "Sn (symmetric)",
    "An (alternating)",
    "Q8, Q16, ... (generalised quaternion of order 2^m)",
    "Dicn (dicyclic of order 4n)",
    "V4 (Klein four, the sign group C2^2)",
    "Signk or C2^k (sign group)",
    "F^k (direct power of a factor F)",
    "F1xF2x... (direct product)",
    "(...) for grouping",
)

_ATOM = re.compile(r"^(C|D|S|A|Q|Dic|Sign)([0-9]+)$")
_POWER = re.compile(r"^(.*)\^([0-9]+)$", re.DOTALL)


def _error(spec: str, why: str) -> ValueError:
    forms = "; ".join(SPEC_FORMS)
    return ValueError(f"cannot parse group spec {spec!r}: {why}. Accepted forms: {forms}")


def _number(digits: str, spec: str) -> int:
    """A number of the spec: ASCII digits (checked before), at most :data:`MAX_SPEC_DIGITS` of them."""
    if len(digits) > MAX_SPEC_DIGITS:
        raise _error(spec, f"a number with {len(digits)} digits; at most {MAX_SPEC_DIGITS} are read "
                           "(group orders are at most 2**62)")
    return int(digits)


def _split_product(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch in "x*" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _parse(text: str, spec: str, depth: int = 0) -> FiniteGroup:
    if depth > MAX_SPEC_DEPTH:             # powers of powers (C3^1^1^...) nest without parentheses
        raise _error(spec, f"factors nested deeper than {MAX_SPEC_DEPTH} levels (parentheses, powers and "
                           "products)")
    if not text:
        raise _error(spec, "an empty factor")
    parts = _split_product(text)
    if len(parts) > 1:
        groups = [_parse(p.strip(), spec, depth + 1) for p in parts]
        return direct_product(*groups)
    if text.count("(") != text.count(")"):
        raise _error(spec, "unbalanced parentheses")
    power = _POWER.match(text)
    if power:
        base_text, k = power.group(1), _number(power.group(2), spec)
        if k < 1:
            raise _error(spec, "a power must be at least 1")
        if k > MAX_SPEC_POWER:
            raise _error(spec, f"a power must be at most {MAX_SPEC_POWER} (a larger power of a non-trivial group "
                               "exceeds the largest supported order 2**62)")
        if base_text == "C2":
            return sign_group(k)
        base = _parse(base_text, spec, depth + 1)
        return base if k == 1 else direct_product(*([base] * k))
    if text.startswith("(") and text.endswith(")"):
        return _parse(text[1:-1], spec, depth + 1)
    if text == "V4":
        return SignGroup(2, name="V4")             # the Klein four-group C2 x C2
    m = _ATOM.match(text)
    if not m:
        raise _error(spec, f"unknown factor {text!r}")
    kind, n = m.group(1), _number(m.group(2), spec)
    if n < 1:
        raise _error(spec, f"{text!r} has order parameter 0")
    if kind == "C":
        return cyclic(n)
    if kind == "D":
        return dihedral(n)
    if kind == "S":
        return symmetric(n)
    if kind == "A":
        return alternating(n)
    if kind == "Dic":
        return dicyclic(n)
    if kind == "Sign":
        return sign_group(n)
    if n == 8:
        return quaternion()
    if n < 8 or n & (n - 1):
        raise _error(spec, f"Q{n}: generalised quaternion groups have order 2^m >= 8")
    return generalized_quaternion(n)


def group(spec: str) -> FiniteGroup:
    """Build a group from a compact spec string.

    Parameters
    ----------
    spec : str
        ``"C5"``, ``"D6"`` (order 12), ``"S4"``, ``"A5"``, ``"Q8"``, ``"Q16"``, ``"Dic3"``, ``"V4"``,
        ``"C2^3"`` (the sign group), ``"D4^2"``, products ``"C4xC2"`` (or ``*``), parentheses for
        grouping. Spaces are ignored.

    Returns
    -------
    FiniteGroup
        The group the spec names (a :class:`DirectProduct` for products and powers, a
        :class:`SignGroup` for ``C2^k``).

    Raises
    ------
    ValueError
        For a spec it cannot read, listing the accepted forms: also a spec longer than
        :data:`MAX_SPEC_LENGTH` (1000) characters, parentheses nested deeper than
        :data:`MAX_SPEC_DEPTH` (32), a number of more than 19 digits, a power above 62, or a
        character that is not ASCII (digits must be ``0-9``: ``"C٣"`` or ``"C³"`` are refused).

    Examples
    --------
    >>> import groupmat as gm
    >>> [gm.group(s).order for s in ["D6", "C4xC2", "S4", "A5", "Q8", "C2^3", "Dic3"]]
    [12, 8, 24, 60, 8, 8, 12]
    >>> gm.group("C4xC2").name
    'C4xC2'
    """
    if not isinstance(spec, str):
        raise TypeError(f"spec must be a string such as 'D6' or 'C4xC2', got {type(spec).__name__}")
    shown = spec if len(spec) <= 60 else spec[:40] + "..." + spec[-10:]
    if len(spec) > MAX_SPEC_LENGTH:
        raise _error(shown, f"{len(spec)} characters, more than the {MAX_SPEC_LENGTH} read")
    for i, ch in enumerate(spec):
        if not ch.isascii():
            raise _error(shown, f"the character {ch!r} (U+{ord(ch):04X}) at position {i} is not ASCII; "
                                "write digits as 0-9 and products with x")
    text = "".join(spec.split())
    depth = deepest = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        deepest = max(deepest, depth)
    if deepest > MAX_SPEC_DEPTH:
        raise _error(shown, f"parentheses nested {deepest} levels deep, more than the {MAX_SPEC_DEPTH} read")
    G = _parse(text, shown)
    return G
