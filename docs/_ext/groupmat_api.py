"""Sphinx extension of the groupmat docs: the API reference, generated from the ``__all__`` lists.

The directive ``.. groupmat-api::`` writes the whole reference, read at build time:

1. **The top level**: every name of ``groupmat.__all__`` (the curated contract a user reaches as
   ``gm.name``, the plotting functions included, which ``groupmat.__getattr__`` serves lazily),
   grouped by the package that defines it, documented as ``groupmat.<name>``;
2. **The packages**: for each subpackage and public module (``groupmat.groups``, ...,
   ``groupmat.routing``, ``groupmat.tolerances``, ``groupmat.torch`` when PyTorch is installed), its
   module docstring, a table of its ``__all__`` (names also at the top level link there), and the
   entry of every name that is *not* at the top level, documented as ``groupmat.<package>.<name>``.

So a new public name appears without editing the docs, and a public name without a docstring is
reported as a warning, which fails a build run with ``-W``.
"""
from __future__ import annotations

import importlib
import inspect
import re

from docutils.statemachine import StringList
from sphinx.pycode import ModuleAnalyzer
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

#: (title, module prefix, introduction) of the groups of top-level names, in reading order; a name
#: goes to the group of the package that defines it.
SECTIONS = [
    ("Finite groups", "groupmat.groups",
     "Groups of order ``n`` with elements ``0..n-1``, vectorised ``mul`` and ``inv``, and their constructors."),
    ("Group matrices", "groupmat.matrices",
     "Group matrices ``M_x[g, h] = x(g^-1 h)``, the group algebra, group diagonals and the classical "
     "structured matrices."),
    ("Representations, characters and the Fourier transform", "groupmat.reps",
     "Representations, irreducible representations, character tables, the Fourier transform on a "
     "group, decompositions and the group determinant."),
    ("Displacement structure", "groupmat.ldr",
     "Displacement operators and ranks, group displacements and GM-LDR matrices."),
    ("Equivariance", "groupmat.equivariance",
     "Projections onto equivariant maps, defects and their spectra, equivariant bases."),
    ("Export and import", "groupmat.io", "NumPy, SciPy, PyTorch, JAX, files, JSON and LaTeX."),
    ("Cayley graphs", "groupmat.graphs", ""),
    ("Pictures", "groupmat.plotting",
     "Matplotlib pictures (loaded on first use; ``import groupmat`` does not import matplotlib). "
     "Each takes ``ax=`` and returns the Axes it drew on."),
    ("Errors and limits", "groupmat._validation", ""),
]

#: The packages and public modules, in the order of the layers (see the architecture page).
PACKAGES = ["groupmat.groups", "groupmat.routing", "groupmat.matrices", "groupmat.reps", "groupmat.ldr",
            "groupmat.equivariance", "groupmat.io", "groupmat.graphs", "groupmat.plotting", "groupmat.verify",
            "groupmat.tolerances", "groupmat.caching", "groupmat.torch", "groupmat.dask"]


def _top_level() -> dict[str, object]:
    """name -> object of every top-level public name (``groupmat.__all__`` and the pictures)."""
    import groupmat

    out = {}
    for name in groupmat.__all__:
        if not name.startswith("__"):
            out[name] = getattr(groupmat, name)
    plotting = importlib.import_module("groupmat.plotting")
    for name in plotting.__all__:
        out.setdefault(name, getattr(plotting, name))
    return out


def public_names() -> list[tuple[str, object]]:
    """``(qualified name, object)`` of every documented public name: the top level first, then the
    names of each package that are not at the top level."""
    top = _top_level()
    out = [(f"groupmat.{name}", obj) for name, obj in top.items()]
    for package, names in package_names():
        out += [(f"{package}.{name}", obj) for name, obj, at_top in names if not at_top]
    return out


def _package(package: str):
    try:
        return importlib.import_module(package)
    except ImportError:
        if package == "groupmat.torch":
            logger.info("groupmat.torch is not importable (no PyTorch): its layers are left out of the API reference")
            return None
        raise


def package_names() -> list[tuple[str, list[tuple[str, object, bool]]]]:
    """``(package, [(name, object, is it also at the top level)])`` for every package."""
    top = _top_level()
    out = []
    for package in PACKAGES:
        mod = _package(package)
        if mod is None:
            continue
        names = []
        for name in getattr(mod, "__all__", []):
            if name.startswith("__"):
                continue
            obj = getattr(mod, name)
            names.append((name, obj, name in top and top[name] is obj))
        out.append((package, names))
    return out


def _defining_module(qualname: str, obj) -> str:
    mod = getattr(obj, "__module__", None)
    if (inspect.isclass(obj) or inspect.isfunction(obj) or inspect.isbuiltin(obj)) and mod:
        return mod
    if callable(obj) and mod and mod.startswith("groupmat"):
        return mod
    # data: the module whose source has a documented assignment to the name
    return _data_doc(qualname)[0] or "groupmat"


def _data_doc(qualname: str) -> tuple[str | None, str]:
    """(module, doc) of a documented module-level assignment ``#: doc`` / docstring after it, looked
    up in the package the qualified name is in (``groupmat.routing.FFT_MIN_ORDER``), or anywhere in
    groupmat for a top-level name."""
    import sys

    package, _, name = qualname.rpartition(".")
    scope = "groupmat" if package == "groupmat" else package
    for modname in sorted(m for m in list(sys.modules) if m == scope or m.startswith(scope + ".")):
        try:
            docs = ModuleAnalyzer.for_module(modname).find_attr_docs()
        except Exception:  # noqa: BLE001 - modules without source (or not analysable) have no comments
            continue
        doc = docs.get(("", name))
        if doc:
            return modname, "\n".join(doc).strip()
    return None, ""


def _has_docstring(obj) -> bool:
    if inspect.isclass(obj):
        return bool(obj.__dict__.get("__doc__"))
    if inspect.isroutine(obj) or inspect.ismodule(obj):
        return bool(getattr(obj, "__doc__", None))
    return False


def _section_of(module: str) -> int:
    best, length = len(SECTIONS) - 1, -1
    for i, (_, prefix, _) in enumerate(SECTIONS):
        if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > length:
            best, length = i, len(prefix)
    if length < 0:
        best = 0 if module == "groupmat" else len(SECTIONS) - 1
    return best


def _kind(obj) -> str:
    if inspect.isclass(obj):
        return "exception" if issubclass(obj, BaseException) else "class"
    if inspect.isroutine(obj) or (callable(obj) and not inspect.ismodule(obj)):
        return "function"
    return "data"


def _entry(qualname: str, obj, kind: str) -> list[str]:
    if kind == "class":
        return [f".. autoclass:: {qualname}", "   :members:", "   :show-inheritance:", ""]
    if kind == "exception":
        return [f".. autoexception:: {qualname}", "   :show-inheritance:", ""]
    if kind == "function":
        return [f".. autofunction:: {qualname}", ""]
    doc = _data_doc(qualname)[1] or "(undocumented)"
    module, _, short = qualname.rpartition(".")
    lines = [f".. py:data:: {short}", f"   :module: {module}", ""]
    lines += ["   " + line if line else "" for line in doc.splitlines()] + [""]
    text = repr(obj)
    if len(text) <= 400:
        lines += ["   Value::", ""] + ["      " + line for line in text.splitlines()] + [""]
    return lines


def _documented(qualname: str, obj, kind: str) -> bool:
    if kind == "data":
        return bool(_data_doc(qualname)[1])
    return _has_docstring(obj)


def _table(rows: list[tuple[str, object, str]]) -> list[str]:
    lines = [".. list-table::", "   :widths: 30 70", ""]
    for q, obj, kind in rows:
        role = {"class": "class", "exception": "exc", "function": "func"}.get(kind, "data")
        summary = _summary(obj) if kind != "data" else _summary_text(_data_doc(q)[1])
        lines += [f"   * - :py:{role}:`~{q}`", f"     - {summary or ' '}"]
    return lines + [""]


def api_rst() -> tuple[list[str], list[str]]:
    """The reStructuredText of the reference, and the public names that lack a docstring."""
    missing: list[str] = []

    # 1. the top level, grouped by the package that defines each name
    groups: dict[int, list[tuple[str, object, str]]] = {}
    for name, obj in _top_level().items():
        qualname, kind = f"groupmat.{name}", _kind(obj)
        if not _documented(qualname, obj, kind):
            missing.append(qualname)
        groups.setdefault(_section_of(_defining_module(qualname, obj)), []).append((qualname, obj, kind))
    title = "The top level: ``groupmat``"
    lines = [title, "-" * len(title), "",
             "The curated contract: ``import groupmat as gm`` and call ``gm.name(...)``. Every other name "
             "lives in its package (below) and is reached as ``gm.<package>.<name>``.", ""]
    for i, (title, _, intro) in enumerate(SECTIONS):
        entries = groups.get(i)
        if not entries:
            continue
        lines += [title, "~" * len(title), ""]
        if intro:
            lines += [intro, ""]
        lines += _table(entries)
        for qualname, obj, kind in entries:
            lines += _entry(qualname, obj, kind)

    # 2. the packages
    for package, names in package_names():
        title = f"``{package}``"
        lines += [title, "-" * len(title), "",
                  f".. automodule:: {package}", "   :no-members:", ""]
        rows, entries = [], []
        for name, obj, at_top in names:
            kind = _kind(obj)
            qualname = f"groupmat.{name}" if at_top else f"{package}.{name}"
            rows.append((qualname, obj, kind))
            if not at_top:
                if not _documented(qualname, obj, kind):
                    missing.append(qualname)
                entries.append((qualname, obj, kind))
        if rows:
            lines += [f"Public names of ``{package}`` (those also at the top level link there):", ""]
            lines += _table(rows)
        for qualname, obj, kind in entries:
            lines += _entry(qualname, obj, kind)
    return lines, missing


def _summary_text(doc: str) -> str:
    """The first paragraph of a docstring, on one line, made tolerant like the docstrings themselves."""
    para = []
    for line in (doc or "").strip().splitlines():
        if not line.strip():
            break
        para.append(line.strip())
    return " ".join(tolerant_lines([" ".join(para)]))


def _summary(obj) -> str:
    return _summary_text(inspect.getdoc(obj) or "")


_LITERAL = re.compile(r"(``.*?``|:[a-z:]+:`[^`]*`|`[^`]*`_?)")


def _escape_bars(text: str) -> str:
    """Escape ``|`` outside inline literals and roles: ``|G|`` (the order) is not a substitution."""
    parts = _LITERAL.split(text)
    return "".join(p if i % 2 else re.sub(r"(?<!\\)\|", r"\\|", p) for i, p in enumerate(parts))


#: Directives whose bodies are not reST text (their bars are not substitutions).
_VERBATIM = re.compile(r"^\.\. (math|code|code-block|sourcecode|doctest|testcode|testoutput|plot|raw|"
                       r"literalinclude|parsed-literal)::")


def tolerant_lines(lines: list[str]) -> list[str]:
    """Make docstring text robust to two habits of plain-text docstrings.

    ``|G|`` for the order of a group reads as a reST substitution reference: bars in running text are
    escaped (not in inline literals, roles, literal and doctest blocks, math or code directives, or
    tables). A bullet list
    followed at once by a paragraph gets the blank line reST wants between them.
    """
    out: list[str] = []
    skip_indent = None          # inside a literal block / directive body indented deeper than this
    in_doctest = False
    bullet_indent = None
    for line in lines:
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if skip_indent is not None:
            if stripped and indent <= skip_indent:
                skip_indent = None
            else:
                out.append(line)
                continue
        if in_doctest:
            if not stripped:
                in_doctest = False
            out.append(line)
            continue
        if stripped.startswith(">>>"):
            in_doctest = True
            out.append(line)
            continue
        if not stripped:
            bullet_indent = None
            out.append(line)
            continue
        if re.match(r"^[-*+] ", stripped):
            bullet_indent = indent
        elif bullet_indent is not None and indent <= bullet_indent:
            out.append("")          # end the bullet list before a paragraph
            bullet_indent = None
        if stripped.startswith(("|", "+-", "+=")):      # line blocks and grid tables keep their bars
            out.append(line)
        else:
            out.append(_escape_bars(line))
        if _VERBATIM.match(stripped) or (stripped.endswith("::") and not stripped.startswith("..")):
            skip_indent = indent    # a literal block or a math/code directive follows: keep it as it is
    return out


def _process_docstring(app, what, name, obj, options, lines):
    lines[:] = tolerant_lines(lines)


class GroupmatAPI(SphinxDirective):
    """``.. groupmat-api::``: the whole API reference, generated from ``groupmat.__all__``."""

    has_content = False

    def run(self):
        lines, missing = api_rst()
        for qualname in missing:
            logger.warning(f"public name {qualname} has no docstring (every name in groupmat.__all__ needs one)",
                           location=(self.env.docname, self.lineno), type="groupmat", subtype="nodoc")
        source = self.state_machine.input_lines.source(self.lineno - self.state_machine.input_offset - 1)
        self.state_machine.insert_input(StringList(lines, source=source), source)
        return []


def _always_reread(app, env, added, changed, removed):
    """The reference depends on ``groupmat.__all__``, not on its source file: rebuild it every time."""
    return [doc for doc in env.found_docs if _has_api_directive(env.doc2path(doc))]


def _has_api_directive(path) -> bool:
    try:
        with open(path, encoding="utf-8") as f:
            return ".. groupmat-api::" in f.read()
    except OSError:
        return False


def setup(app):
    app.add_directive("groupmat-api", GroupmatAPI)
    # after napoleon (priority 500) has turned the numpydoc sections into reST
    app.connect("autodoc-process-docstring", _process_docstring, priority=600)
    app.connect("env-get-outdated", _always_reread)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
