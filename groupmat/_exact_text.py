"""Exact values as text: a writer and a restricted parser that never evaluates code.

Bundle files (``.npz``, ``.mat``, JSON) store exact (SymPy) values as text. Reading such text must
not run code and must not hang, whatever the file holds, so :func:`parse_exact` is a small
recursive-descent parser of a fixed grammar that builds SymPy objects itself; nothing is passed to
``eval``, ``sympify`` or ``parse_expr``. The grammar (``str`` and ``srepr`` output of the values
groupmat produces: integers, rationals, floats, radicals, roots of unity, ``cos``/``sin`` of
rational multiples of ``pi``, symbols, and sums, products and powers of these)::

    expr    := term (("+" | "-") term)*
    term    := unary (("*" | "/") unary)*
    unary   := "-" unary | power
    power   := atom ("**" unary)?
    atom    := NUMBER | NAME | NAME "(" args ")" | "(" expr ")"
    args    := arg ("," arg)*          arg := expr | NAME "=" (True | False | NUMBER) | STRING

``NAME`` is ``I``, ``pi``, ``E``, a function of :data:`FUNCTIONS` when followed by ``(``, or else a
symbol. Bounds, each refused with a ``ValueError`` naming what was too large: the text length
(:data:`MAX_TEXT`), the digits of a number and its decimal exponent (:data:`MAX_DIGITS`,
:data:`MAX_EXPONENT`: ``1e999999`` is refused), the nesting depth (:data:`MAX_DEPTH`), powers (an
exponent larger than :data:`MAX_EXPONENT` in absolute value, or an integer power whose result would
have more than :data:`MAX_DIGITS` digits: ``10**10**10`` and ``2**2**40`` are refused at once instead
of being computed), products whose rational part and sums whose common denominator would have more
than :data:`MAX_DIGITS` digits (``2**10000*2**10000*...``). Digits are ASCII ``0-9`` only.

Examples
--------
>>> import sympy
>>> from groupmat._exact_text import parse_exact, exact_to_text
>>> parse_exact("sqrt(2)/2 + 3*I")
sqrt(2)/2 + 3*I
>>> z = sympy.exp(2 * sympy.pi * sympy.I / 5)
>>> parse_exact(exact_to_text(z)) == z
True
>>> parse_exact("__import__('os').getpid()")
Traceback (most recent call last):
...
ValueError: exact value "__import__('os').getpid()": unexpected character '_' at position 0
>>> parse_exact("getattr(x, 'y')")
Traceback (most recent call last):
...
ValueError: exact value "getattr(x, 'y')": 'getattr' is not a known function (known: Abs, Add, Float, Integer, Mul, Pow, Rational, Symbol, conjugate, cos, exp, im, re, root, sin, sqrt, tan)
>>> parse_exact("10**10**10")
Traceback (most recent call last):
...
ValueError: exact value '10**10**10': the exponent 10000000000 is larger than 10000
"""
from __future__ import annotations

import math
import re

from ._exact import exact_number

__all__ = ["parse_exact", "exact_to_text", "MAX_TEXT", "MAX_DIGITS", "MAX_DEPTH", "MAX_EXPONENT", "FUNCTIONS"]

#: The longest text of one value that is read.
MAX_TEXT = 100_000
#: The most digits of a number in the text, and of an integer power computed while reading.
MAX_DIGITS = 4000
#: The deepest nesting of parentheses, calls and unary minus signs.
MAX_DEPTH = 100
#: The largest absolute exponent of a power.
MAX_EXPONENT = 10_000

#: The functions the text may call (SymPy's constructors and elementary functions of these names).
FUNCTIONS = ("Abs", "Add", "Float", "Integer", "Mul", "Pow", "Rational", "Symbol", "conjugate", "cos", "exp", "im",
             "re", "root", "sin", "sqrt", "tan")

#: Keyword arguments accepted by ``Symbol(...)`` (assumptions, True/False) and ``Float(...)`` (precision).
_SYMBOL_ASSUMPTIONS = frozenset({"real", "positive", "negative", "integer", "nonnegative", "nonpositive",
                                 "nonzero", "rational", "complex", "finite", "commutative", "zero", "odd", "even",
                                 "prime", "imaginary", "extended_real"})

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<name>[A-Za-z][A-Za-z0-9_]*)
  | (?P<string>'[^'\\]*'|"[^"\\]*")
  | (?P<op>\*\*|[-+*/(),=])
""", re.VERBOSE)


#: MAX_DIGITS in bits.
_MAX_BITS = int(MAX_DIGITS * math.log2(10)) + 1


def _rational_bits(q) -> int:
    """Bits of the numerator and denominator of a SymPy Rational (0 for anything else)."""
    if not q.is_Rational:
        return 0
    return int(q.p).bit_length() + int(q.q).bit_length()


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = self._tokenize(text)
        self.pos = 0
        self.depth = 0

    def error(self, message: str) -> ValueError:
        shown = self.text if len(self.text) <= 80 else self.text[:77] + "..."
        return ValueError(f"exact value {shown!r}: {message}")

    def _tokenize(self, text: str) -> list[tuple[str, str]]:
        out = []
        i = 0
        while i < len(text):
            m = _TOKEN.match(text, i)
            if m is None:
                raise self.error(f"unexpected character {text[i]!r} at position {i}")
            kind = m.lastgroup
            if kind != "space":
                value = m.group()
                if kind == "number":
                    self.check_number_text(value)
                out.append((kind, value))
            i = m.end()
        return out

    def check_number_text(self, text: str):
        """Bounds on a decimal number as written: its digits and its decimal exponent."""
        mantissa, _, exponent = text.lower().partition("e")
        if len(re.sub(r"[^0-9]", "", mantissa)) > MAX_DIGITS:
            raise self.error(f"a number with more than {MAX_DIGITS} digits")
        if exponent and (len(exponent) > 8 or abs(int(exponent)) > MAX_EXPONENT):
            raise self.error(f"a decimal exponent larger than {MAX_EXPONENT} in absolute value")

    def bounded_mul(self, factors):
        """``Mul(*factors)``, refused when its rational part would have more than MAX_DIGITS digits (a
        product of many bounded powers is not bounded by any one of them)."""
        import sympy

        bits = 0
        for f in factors:
            coeff, rest = f.as_coeff_Mul()
            bits += _rational_bits(coeff)
            for p in rest.atoms(sympy.Pow):
                if p.base.is_Rational and p.exp.is_Rational:
                    bits += _rational_bits(p.base) * math.ceil(abs(p.exp))
        if bits > _MAX_BITS:
            raise self.error(f"a product whose value would have about {int(bits * math.log10(2))} digits, "
                             f"more than {MAX_DIGITS}")
        return sympy.Mul(*factors)

    def bounded_add(self, terms):
        """``Add(*terms)``, refused when the common denominator of the rational coefficients would have
        more than MAX_DIGITS digits (a sum of many small fractions is not bounded by any one of them)."""
        import sympy

        den, top = 1, 0
        for t in terms:
            coeff = t.as_coeff_Mul()[0]
            if coeff.is_Rational:
                den = math.lcm(den, int(coeff.q))
                top = max(top, int(coeff.p).bit_length())
                if den.bit_length() + top > _MAX_BITS:
                    raise self.error(f"a sum whose common denominator would have more than {MAX_DIGITS} digits")
        return sympy.Add(*terms)

    def peek(self, value: str | None = None):
        if self.pos >= len(self.tokens):
            return None
        tok = self.tokens[self.pos]
        return tok if value is None or tok[1] == value else None

    def take(self, value: str | None = None):
        tok = self.peek(value)
        if tok is None:
            wanted = f"{value!r}" if value else "more"
            got = self.tokens[self.pos][1] if self.pos < len(self.tokens) else "the end"
            raise self.error(f"expected {wanted}, got {got!r}")
        self.pos += 1
        return tok

    def enter(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"nested deeper than {MAX_DEPTH} levels")

    def parse(self):
        if not self.tokens:
            raise self.error("empty")
        value = self.expr()
        if self.pos != len(self.tokens):
            raise self.error(f"unexpected {self.tokens[self.pos][1]!r} after a complete value")
        return value

    def expr(self):
        import sympy

        terms = [self.term()]
        while (tok := self.peek()) is not None and tok[1] in "+-" and tok[0] == "op":
            self.pos += 1
            t = self.term()
            terms.append(t if tok[1] == "+" else -t)
        return terms[0] if len(terms) == 1 else self.bounded_add(terms)

    def term(self):
        import sympy

        factors = [self.unary()]
        while (tok := self.peek()) is not None and tok[1] in ("*", "/") and tok[0] == "op":
            self.pos += 1
            rhs = self.unary()
            if tok[1] == "/":
                if rhs == 0:
                    raise self.error("division by zero")
                rhs = sympy.Pow(rhs, -1)
            factors.append(rhs)
        # one product of all factors: multiplying one at a time is quadratic in SymPy
        return factors[0] if len(factors) == 1 else self.bounded_mul(factors)

    def unary(self):
        if self.peek("-") is not None:
            self.pos += 1
            self.enter()
            value = -self.unary()
            self.depth -= 1
            return value
        if self.peek("+") is not None:
            self.pos += 1
            return self.unary()
        return self.power()

    def power(self):
        base = self.atom()
        if self.peek("**") is not None:
            self.pos += 1
            self.enter()
            exponent = self.unary()        # right associative: a**b**c = a**(b**c)
            self.depth -= 1
            return self.pow(base, exponent)
        return base

    def pow(self, base, exponent):
        import sympy

        if exponent.is_Number:
            if abs(exponent) > MAX_EXPONENT:
                raise self.error(f"the exponent {exponent} is larger than {MAX_EXPONENT}")
            if base.is_Number and exponent.is_Integer and base not in (0, 1, -1):
                num, den = sympy.fraction(sympy.Rational(base)) if base.is_Rational else (base, 1)
                size = max(abs(int(num)) if base.is_Rational else 10, abs(int(den)), 2)
                digits = abs(int(exponent)) * math.log10(size) + 1
                if digits > MAX_DIGITS:
                    raise self.error(f"the power {str(base):.20}**{exponent} would have about {int(digits)} digits, "
                                     f"more than {MAX_DIGITS}")
        elif exponent.is_number:
            raise self.error(f"an exponent must be a rational number, got {exponent}")
        elif not exponent.free_symbols:
            raise self.error(f"unsupported exponent {exponent}")
        if base.is_Number and exponent.is_Number and not exponent.is_Integer and abs(base) > 10**MAX_DIGITS:
            raise self.error("a radical of a number with too many digits")  # pragma: no cover - digits bound first
        if base.is_Integer and exponent.is_Integer is False and exponent.free_symbols:
            raise self.error(f"a symbolic exponent of a number: {base}**{exponent}")
        # a number raised to a symbolic power is not a value groupmat writes; a symbol to an integer power is
        return sympy.Pow(base, exponent)

    def atom(self):
        import sympy

        tok = self.take()
        kind, value = tok
        if kind == "number":
            if re.fullmatch(r"[0-9]+", value):
                return sympy.Integer(int(value))
            return sympy.Float(value)
        if kind == "op" and value == "(":
            self.enter()
            inner = self.expr()
            self.take(")")
            self.depth -= 1
            return inner
        if kind == "name":
            if self.peek("(") is not None:
                return self.call(value)
            if value == "I":
                return sympy.I
            if value == "pi":
                return sympy.pi
            if value == "E":
                return sympy.E
            if value in ("True", "False", "None"):
                raise self.error(f"{value!r} is not a number")
            return sympy.Symbol(value)
        raise self.error(f"unexpected {value!r}")

    def call(self, name: str):
        import sympy

        if name not in FUNCTIONS:
            raise self.error(f"{name!r} is not a known function (known: {', '.join(FUNCTIONS)})")
        self.take("(")
        self.enter()
        args, kwargs = [], {}
        if self.peek(")") is None:
            while True:
                tok = self.peek()
                if tok is not None and tok[0] == "string":
                    self.pos += 1
                    args.append(tok[1][1:-1])
                elif tok is not None and tok[0] == "name" and self.pos + 1 < len(self.tokens) \
                        and self.tokens[self.pos + 1][1] == "=":
                    self.pos += 2
                    key = tok[1]
                    val = self.take()
                    if val[1] in ("True", "False"):
                        kwargs[key] = val[1] == "True"
                    elif val[0] == "number" and re.fullmatch(r"[0-9]+", val[1]):
                        kwargs[key] = int(val[1])
                    else:
                        raise self.error(f"keyword {key}= takes True, False or an integer, got {val[1]!r}")
                else:
                    args.append(self.expr())
                if self.peek(",") is None:
                    break
                self.pos += 1
        self.take(")")
        self.depth -= 1
        return self.apply(name, args, kwargs)

    def apply(self, name: str, args: list, kwargs: dict):
        import sympy

        def need(n_min, n_max=None):
            n_max = n_min if n_max is None else n_max
            if not n_min <= len(args) <= n_max:
                raise self.error(f"{name}() takes {n_min}{'' if n_max == n_min else f' to {n_max}'} arguments, "
                                 f"got {len(args)}")

        if kwargs and name not in ("Symbol", "Float"):
            raise self.error(f"{name}() takes no keyword arguments")
        strings = [a for a in args if isinstance(a, str)]
        if strings and name not in ("Symbol", "Float"):
            raise self.error(f"{name}() takes no text arguments")
        if name == "Symbol":
            need(1)
            if not isinstance(args[0], str) or not args[0]:
                raise self.error("Symbol() takes a quoted name")
            bad = [k for k, v in kwargs.items() if k not in _SYMBOL_ASSUMPTIONS or not isinstance(v, bool)]
            if bad:
                raise self.error(f"Symbol() does not take {bad[0]}=")
            return sympy.Symbol(args[0], **kwargs)
        if name == "Float":
            need(1)
            text = args[0]
            if not isinstance(text, str) or not re.fullmatch(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?",
                                                             text):
                raise self.error("Float() takes a quoted decimal number")
            self.check_number_text(text.lstrip("+-"))
            precision = kwargs.pop("precision", 53)
            if kwargs or not 1 <= precision <= 4 * MAX_DIGITS:
                raise self.error("Float() takes only precision= (in bits, at most 16000)")
            return sympy.Float(text, precision=precision)
        if name == "Integer":
            need(1)
            if not args[0].is_Integer:
                raise self.error("Integer() takes an integer")
            return args[0]
        if name == "Rational":
            need(1, 2)
            if not all(a.is_Integer for a in args):
                raise self.error("Rational() takes integers")
            if len(args) == 2 and args[1] == 0:
                raise self.error("division by zero")
            return sympy.Rational(*[int(a) for a in args])
        if name == "Add":
            return self.bounded_add(args)
        if name == "Mul":
            return self.bounded_mul(args)
        if name == "Pow":
            need(2)
            return self.pow(args[0], args[1])
        if name == "root":
            need(2)
            return self.pow(args[0], 1 / args[1] if args[1] != 0 else self._zero_root())
        if name == "sqrt":
            need(1)
            return self.pow(args[0], sympy.Rational(1, 2))
        need(1)
        if name == "exp" and args[0].is_number and not args[0].has(sympy.I, sympy.pi) and abs(args[0]) > MAX_EXPONENT:
            raise self.error(f"exp of {args[0]} is too large")
        return getattr(sympy, name)(args[0])

    def _zero_root(self):
        raise self.error("root of degree 0")


def parse_exact(text: str):
    """Read one exact value written by :func:`exact_to_text` (or SymPy's ``str``/``srepr`` of such a
    value), by the restricted grammar of this module: no code is evaluated.

    Parameters
    ----------
    text : str

    Returns
    -------
    sympy.Basic

    Raises
    ------
    ValueError
        Text outside the grammar, or over one of the bounds, with the reason.
    TypeError
        ``text`` is not a string.
    """
    if not isinstance(text, str):
        raise TypeError(f"an exact value must be text, got {type(text).__name__}")
    if len(text) > MAX_TEXT:
        raise ValueError(f"an exact value must have at most {MAX_TEXT} characters, got {len(text)}")
    try:
        return _Parser(text).parse()
    except RecursionError:      # pragma: no cover - MAX_DEPTH keeps the recursion shallower
        raise ValueError(f"exact value nested too deeply (at most {MAX_DEPTH} levels)") from None


def exact_to_text(expr) -> str:
    """Text for an exact value that :func:`parse_exact` reads back to an equal value: ``str(expr)``
    when it round-trips, else ``sympy.srepr(expr)``.

    Raises
    ------
    ValueError
        When neither form reads back (a value outside the grammar, e.g. an unsupported function).
    """
    import sympy

    expr = exact_number(expr, "expr")
    for text in (str(expr), sympy.srepr(expr)):
        try:
            if parse_exact(text) == expr:
                return text
        except ValueError:
            continue
    raise ValueError(f"cannot write the exact value {expr!s:.80} in groupmat's exact-text grammar "
                     f"(functions: {', '.join(FUNCTIONS)})")
