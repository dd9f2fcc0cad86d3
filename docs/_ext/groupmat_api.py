"""Sphinx extension of the groupmat docs: the API reference, generated from ``groupmat.__all__``.

The directive ``.. groupmat-api::`` writes one section per subpackage with a summary table and the
autodoc entry of every public name, read at build time from ``groupmat.__all__`` (plus the plotting
names, served lazily by ``groupmat.__getattr__``, and the ``groupmat.torch`` layers when PyTorch is
installed), so a new public name appears without editing the docs. A public name without a
docstring is reported as a warning, which fails a build run with ``-W``.
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

#: (title, module prefix, introduction) of each section, in reading order.
SECTIONS = [
    ("Finite groups", "groupmat.groups",
     "Groups of order ``n`` with elements ``0..n-1``, vectorised ``mul`` and ``inv``, and their constructors."),
    ("Group matrices", "groupmat.matrices",
     "Group matrices ``M_x[g, h] = x(g^-1 h)``, their conventions, the group algebra and group diagonals."),
    ("Representations, characters and the Fourier transform", "groupmat.reps",
     "Representations, irreducible representations, character tables, the Fourier transform on a "
     "group, decompositions and the group determinant."),
    ("Displacement structure", "groupmat.ldr",
     "Displacement operators and ranks, the classical low displacement rank families, group "
     "displacements and GM-LDR matrices."),
    ("Equivariance", "groupmat.equivariance",
     "Projections onto equivariant maps, defects and their spectra, equivariant bases."),
    ("Export", "groupmat.io.bundle", "NumPy, SciPy, PyTorch, JAX, DLPack, files, JSON and LaTeX."),
    ("Cayley graphs", "groupmat.graphs", ""),
    ("Pictures", "groupmat.plotting",
     "Matplotlib pictures (loaded on first use; ``import groupmat`` does not import matplotlib). "
     "Each takes ``ax=`` and returns the Axes it drew on."),
    ("PyTorch layers", "groupmat.torch",
     "Layers for (approximately) equivariant networks, in ``groupmat.torch`` (the ``torch`` extra)."),
    ("Errors and limits", "groupmat._validation", ""),
]


def public_names() -> list[tuple[str, object]]:
    """``(qualified name, object)`` of every documented public name."""
    import groupmat

    out, seen = [], set()
    for name in groupmat.__all__:
        if name.startswith("__") or name in seen:  # a name exported by two subpackages is one object
            continue
        seen.add(name)
        out.append((f"groupmat.{name}", getattr(groupmat, name)))
    plotting = importlib.import_module("groupmat.plotting")
    out += [(f"groupmat.{name}", getattr(plotting, name)) for name in plotting.__all__]
    try:
        torch_layers = importlib.import_module("groupmat.torch")
    except ImportError:
        logger.info("groupmat.torch is not importable (no PyTorch): its layers are left out of the API reference")
    else:
        out += [(f"groupmat.torch.{name}", getattr(torch_layers, name)) for name in torch_layers.__all__]
    return out


def _defining_module(qualname: str, obj) -> str:
    mod = getattr(obj, "__module__", None)
    if (inspect.isclass(obj) or inspect.isfunction(obj) or inspect.isbuiltin(obj)) and mod:
        return mod
    if callable(obj) and mod and mod.startswith("groupmat"):
        return mod
    # data: the module whose source has a documented assignment to the name
    return _data_doc(qualname.rsplit(".", 1)[-1])[0] or "groupmat"


def _data_doc(name: str) -> tuple[str | None, str]:
    """(module, doc) of a documented module-level assignment ``#: doc`` / docstring after it."""
    import sys

    for modname in sorted(m for m in list(sys.modules) if m == "groupmat" or m.startswith("groupmat.")):
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


def api_rst() -> tuple[list[str], list[str]]:
    """The reStructuredText of the reference, and the public names that lack a docstring."""
    groups: dict[int, list[tuple[str, object, str]]] = {}
    missing = []
    for qualname, obj in public_names():
        short = qualname.rsplit(".", 1)[-1]
        if inspect.isclass(obj) or inspect.isroutine(obj):
            if not _has_docstring(obj):
                missing.append(qualname)
            kind = "exception" if inspect.isclass(obj) and issubclass(obj, BaseException) else (
                "class" if inspect.isclass(obj) else "function")
        else:
            kind = "data"
            if not _data_doc(short)[1]:
                missing.append(qualname)
        groups.setdefault(_section_of(_defining_module(qualname, obj)), []).append((qualname, obj, kind))

    lines: list[str] = []
    for i, (title, _, intro) in enumerate(SECTIONS):
        entries = groups.get(i)
        if not entries:
            continue
        lines += [title, "-" * len(title), ""]
        if intro:
            lines += [intro, ""]
        lines += [".. list-table::", "   :widths: 30 70", ""]
        for q, obj, kind in entries:
            role = {"class": "class", "exception": "exc", "function": "func"}.get(kind, "data")
            summary = _summary(obj) if kind != "data" else _summary_text(_data_doc(q.rsplit(".", 1)[-1])[1])
            lines += [f"   * - :py:{role}:`~{q}`", f"     - {summary or ' '}"]
        lines += [""]
        for qualname, obj, kind in entries:
            if kind == "class":
                lines += [f".. autoclass:: {qualname}", "   :members:", "   :show-inheritance:", ""]
            elif kind == "exception":
                lines += [f".. autoexception:: {qualname}", "   :show-inheritance:", ""]
            elif kind == "function":
                lines += [f".. autofunction:: {qualname}", ""]
            else:
                doc = _data_doc(qualname.rsplit(".", 1)[-1])[1] or "(undocumented)"
                lines += [f".. py:data:: {qualname}", ""]
                lines += ["   " + line if line else "" for line in doc.splitlines()] + [""]
                text = repr(obj)
                if len(text) <= 400:
                    lines += ["   Value::", ""] + ["      " + line for line in text.splitlines()] + [""]
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
