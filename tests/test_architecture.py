"""The architecture of groupmat, checked by reading its source.

Every rule below is stated once here and checked on every ``.py`` file under ``groupmat/`` (mostly
with :mod:`ast`, without importing the code). A failure names the file, the line and the rule.

Modules and names
    Every file imports as a module, and after ``import groupmat`` and the import of every subpackage,
    ``getattr(parent_package, name)`` is that module object: no package re-exports a function under
    the name of one of its modules (``groupmat.ldr.core`` is a module, never a function).

Layers (lowest first; a module imports only its own package or lower layers)
    0. base: ``_validation``, ``_exact``, ``caching``, ``tolerances`` and every other private top-level
       module ``groupmat/_*.py`` (one shared foundation: they may import each other)
    1. ``groups``
    2. ``routing``
    3. ``matrices``
    4. ``reps``
    5. ``ldr``, ``equivariance`` (peers: neither imports the other)
    6. ``io``, ``graphs``, ``plotting``, ``verify`` (peers)
    7. ``torch``, ``cli`` (peers)
    top: ``groupmat/__init__.py`` and ``groupmat/__main__.py`` may import anything; no other module
    imports the top package (``import groupmat`` / ``from groupmat import cyclic`` / ``from .. import
    cyclic`` in a subpackage): it imports the module that defines the name instead. The one
    exception is the package metadata, ``from groupmat import __version__``.

    Imports are read at module level and inside functions (``import``, ``from ... import``, relative
    and absolute ``groupmat.`` imports, ``importlib.import_module("groupmat....")`` with a literal
    name). ``from package import name`` is an import of ``package.name`` when that is a module, of
    ``package`` otherwise.

No import cycles
    The graph of all these imports (function-local ones included, ``if TYPE_CHECKING:`` ones
    excluded since they never run) has no cycle; a cycle is reported edge by edge with file and line.

Private names stay in their package
    No ``from x import _private`` (a private name or private module) from another package, and no
    ``obj._private`` / ``getattr(obj, "_private")`` of a private member that only another package
    defines. Packages are ``groups``, ``matrices``, ``reps``, ``ldr``, ``equivariance``, ``io``,
    ``verify``, ``torch``; every top-level module is its own package, except the base layer, which is
    one (its private modules ``groupmat._exact``, ``groupmat._validation`` ... are groupmat-wide
    helpers: importing them is fine, importing their private names from another package is not).

Declared state
    - no write to an attribute ``_cache`` anywhere (assignment, item assignment, ``del``, a mutating
      method call such as ``x._cache.update(...)``, ``setattr(x, "_cache", ...)``) and no access to
      ``x._cache`` of another object: results are kept in the owner's bounded
      :class:`groupmat.caching.Memo` (``G.memo.get(namespace, key, compute)``);
    - no ``setattr(obj, ...)`` / ``object.__setattr__(obj, ...)`` except on ``self`` or ``cls`` inside
      a method of the object's own class;
    - no ``obj.attr = value`` on an attribute that only another package's classes define (e.g.
      ``rep.regular_side = ...`` outside ``groupmat.reps``): declared fields are set by their class;
    - no module other than ``groupmat/routing.py`` defines a route threshold: a module-level or
      class-level constant with a numeric value whose name matches :data:`ROUTE_THRESHOLD`, i.e.
      contains one of the words ``FFT``, ``FAST``, ``ROUTE``, ``FACTORWISE``, ``SPECTRAL``,
      ``PENALTY``, or ``DENSE_..._ORDER`` (``FFT_MIN_ORDER``, ``_FAST_MIN_ORDER``,
      ``LDR_DENSE_MAX_ORDER``, ``LDR_FFT_BLOCK``, ``PENALTY_BASIS_MAX_ENTRIES``).

The top level
    ``groupmat.__all__`` has at most :data:`MAX_TOP_LEVEL` names and every one resolves;
    ``dir(groupmat)`` shows the plotting functions and the subpackages, each of which resolves after a
    bare ``import groupmat``; and ``import groupmat`` imports neither matplotlib nor torch nor jax.
"""
from __future__ import annotations

import ast
import functools
import importlib
import importlib.util
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "groupmat"

#: The layers, lowest first: unit -> (rank, layer name). A unit is a subpackage or a top-level module.
LAYERS = {
    "base": (0, "base"),
    "groups": (1, "groups"),
    "routing": (2, "routing"),
    "matrices": (3, "matrices"),
    "reps": (4, "reps"),
    "ldr": (5, "ldr/equivariance"), "equivariance": (5, "ldr/equivariance"),
    "io": (6, "io/graphs/plotting/verify"), "graphs": (6, "io/graphs/plotting/verify"),
    "plotting": (6, "io/graphs/plotting/verify"), "verify": (6, "io/graphs/plotting/verify"),
    "torch": (7, "torch/dask"), "dask": (7, "torch/dask"),
    "cli": (8, "cli"),
    "top": (9, "top"),
}
#: What any module may read from the top package: its metadata (``from groupmat import __version__``).
TOP_METADATA = {"__version__"}
#: The public modules of the base layer (private top-level modules ``groupmat/_*.py`` are base too).
BASE_MODULES = {"caching", "tolerances"}
LAYER_ORDER = ("base -> groups -> routing -> matrices -> reps -> ldr, equivariance -> io, graphs, plotting, "
               "verify -> torch, dask -> cli")

#: Route thresholds are named only in groupmat/routing.py (see the module docstring).
ROUTE_THRESHOLD = re.compile(r"(?:^|_)(?:FFT|FAST|ROUTE|FACTORWISE|SPECTRAL|PENALTY)(?:_|$)"
                             r"|(?:^|_)DENSE_(?:\w+_)?ORDER(?:_|$)")
ROUTING_MODULE = "groupmat.routing"

#: The most names ``groupmat.__all__`` may hold (the curated contract: about 65 front doors, plus the
#: pictures); a new name must be a front door that users, docs and notebooks call, not a helper.
MAX_TOP_LEVEL = 80

#: Methods that change a dict (or list) in place.
MUTATORS = {"setdefault", "update", "pop", "popitem", "clear", "__setitem__", "__delitem__", "append", "extend",
            "insert", "remove"}


# --------------------------------------------------------------------------------------------------------
# reading the source


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


#: module name -> path of every file of the package.
MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts}


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def unit(module: str) -> str:
    """The unit (package) a module belongs to: ``groupmat.reps.irreducibles`` -> ``reps``."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] == "__main__":
        return "top"
    name = parts[1]
    if name in BASE_MODULES or (name.startswith("_") and not name.startswith("__")):
        return "base"
    return name


@functools.lru_cache(maxsize=None)
def tree(module: str) -> ast.Module:
    path = MODULES[module]
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _parents(node: ast.AST) -> dict[ast.AST, ast.AST]:
    out = {}
    for parent in ast.walk(node):
        for child in ast.iter_child_nodes(parent):
            out[child] = parent
    return out


@functools.lru_cache(maxsize=None)
def parents(module: str) -> dict[ast.AST, ast.AST]:
    return _parents(tree(module))


def _ancestors(module: str, node: ast.AST):
    up = parents(module)
    while node in up:
        node = up[node]
        yield node


def _is_local(module: str, node: ast.AST) -> bool:
    return any(isinstance(a, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) for a in _ancestors(module, node))


def _under_type_checking(module: str, node: ast.AST) -> bool:
    return any(isinstance(a, ast.If) and "TYPE_CHECKING" in ast.unparse(a.test) for a in _ancestors(module, node))


@dataclass(frozen=True)
class Import:
    importer: str       # module name of the importing file
    target: str         # the groupmat module it imports
    names: tuple        # the names taken from it (``from target import names``), () for ``import target``
    line: int
    local: bool         # inside a function
    static_only: bool   # under ``if TYPE_CHECKING:``

    @property
    def where(self) -> str:
        path = _rel(MODULES[self.importer]) if self.importer in MODULES else self.importer
        return f"{path}:{self.line}"

    @property
    def how(self) -> str:
        return "a function-local import" if self.local else "a module-level import"


def _resolve(importer: str, level: int, module: str | None) -> str:
    """The absolute name of ``from <level dots><module> import ...`` written in ``importer``."""
    if level == 0:
        return module or ""
    package = importer if _is_package(importer) else importer.rpartition(".")[0]
    base = package.split(".")
    if level > 1:
        base = base[:len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def _groupmat(name: str) -> bool:
    return name == "groupmat" or name.startswith("groupmat.")


def _known(name: str) -> str | None:
    """The longest prefix of a dotted name that is a module of groupmat (``None`` outside groupmat)."""
    parts = name.split(".")
    for k in range(len(parts), 0, -1):
        candidate = ".".join(parts[:k])
        if candidate in MODULES:
            return candidate
    return None


@functools.lru_cache(maxsize=None)
def imports(module: str) -> tuple[Import, ...]:
    """Every import of a groupmat module written in ``module`` (module level and function-local)."""
    out = []
    for node in ast.walk(tree(module)):
        targets: list[tuple[str, tuple]] = []
        if isinstance(node, ast.Import):
            targets = [(alias.name, ()) for alias in node.names if _groupmat(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, node.level, node.module)
            if not _groupmat(base):
                continue
            plain = []
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in MODULES:
                    targets.append((sub, ()))
                else:
                    plain.append(alias.name)
            if plain:
                targets.append((base, tuple(plain)))
        elif (isinstance(node, ast.Call) and ast.unparse(node.func) in ("importlib.import_module", "import_module")
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            name = node.args[0].value
            if name.startswith("."):
                anchor = module
                level = len(name) - len(name.lstrip("."))
                name = ".".join(anchor.split(".")[:len(anchor.split(".")) - (level - 1)] + [name.lstrip(".")])
            if _groupmat(name):
                targets = [(name, ())]
        for target, names in targets:
            resolved = _known(target) or target
            out.append(Import(module, resolved, names, node.lineno, _is_local(module, node),
                              _under_type_checking(module, node)))
    return tuple(sorted(out, key=lambda i: (i.line, i.target)))


def _format(violations: list[str], rule: str) -> str:
    return f"{len(violations)} violation(s) of the rule: {rule}\n  " + "\n  ".join(violations)


# --------------------------------------------------------------------------------------------------------
# (a) every file imports as a module, and its parent package hands out that module


def installed(name: str) -> bool:
    """``name`` is an installed distribution (a directory such as a ``tests/torch`` folder on ``sys.path`` is
    found by ``find_spec`` as a namespace package: that is not PyTorch)."""
    spec = importlib.util.find_spec(name)
    return spec is not None and spec.origin not in (None, "namespace")


def _importable() -> list[str]:
    torch_missing = not installed("torch")
    return [m for m in MODULES if not (torch_missing and unit(m) == "torch")]


def test_every_module_belongs_to_a_layer():
    unknown = [f"{_rel(MODULES[m])}: unit {unit(m)!r} is in no layer" for m in MODULES if unit(m) not in LAYERS]
    assert not unknown, _format(unknown, f"every module of groupmat sits in a layer ({LAYER_ORDER}); "
                                         "add a new package to LAYERS in tests/test_architecture.py")


def test_every_file_imports_as_a_module_that_its_package_hands_out():
    import types

    import groupmat  # noqa: F401

    problems = []
    loaded = {}
    for name in _importable():
        try:
            loaded[name] = importlib.import_module(name)
        except Exception as err:  # noqa: BLE001 - report every file that fails, not only the first
            problems.append(f"{_rel(MODULES[name])}: `import {name}` fails: {type(err).__name__}: {err}")
            continue
        if not isinstance(loaded[name], types.ModuleType):
            problems.append(f"{_rel(MODULES[name])}: importlib.import_module({name!r}) is not a module")
    # only after every subpackage ran its __init__: a later `from .x import x` would shadow module x
    for name, mod in loaded.items():
        parent, _, last = name.rpartition(".")
        if not parent:
            continue
        got = getattr(sys.modules[parent], last, None)
        if got is not mod:
            problems.append(f"{_rel(MODULES[name])}: `{parent}.{last}` is {type(got).__name__} {got!r:.80}, not the "
                            f"module {name} (a name in {_rel(MODULES[parent])} shadows the module)")
    assert not problems, _format(problems, "every module path imports as a module and its package attribute is "
                                           "that module (module names never equal public function names)")


# --------------------------------------------------------------------------------------------------------
# (b) layering


def _layer_violation(imp: Import) -> str | None:
    src, dst = unit(imp.importer), unit(imp.target)
    if src == "top" or src == dst:
        return None
    if dst == "top" and imp.names and set(imp.names) <= TOP_METADATA:
        return None
    if dst == "top":
        what = f"`{imp.target}` (the top package)" + (f", names {', '.join(imp.names)}" if imp.names else "")
        return (f"{imp.where}: {imp.importer} imports {what} in {imp.how}; only groupmat/__init__.py and "
                f"__main__.py import the top package: import the defining module instead")
    (rank_src, layer_src), (rank_dst, layer_dst) = LAYERS[src], LAYERS[dst]
    if rank_dst < rank_src:
        return None
    relation = "a peer" if rank_dst == rank_src else "a higher layer"
    return (f"{imp.where}: {imp.importer} (layer {layer_src}, package {src}) imports {imp.target} "
            f"({relation}: layer {layer_dst}, package {dst}) in {imp.how}")


def layering_violations() -> list[str]:
    return [v for m in MODULES for imp in imports(m) if (v := _layer_violation(imp))]


def test_layering():
    violations = layering_violations()
    assert not violations, _format(violations, f"a module imports only its own package or lower layers "
                                               f"({LAYER_ORDER}), at module level and inside functions")


def test_the_layering_check_sees_local_relative_and_absolute_imports():
    # the rule itself, on made-up imports (so a future edit of the reader cannot make it blind)
    cases = [
        (Import("groupmat.reps.characters", "groupmat.ldr.core", ("x",), 1, True, False), "a higher layer"),
        (Import("groupmat.ldr.core", "groupmat.equivariance.projection", (), 1, False, False), "a peer"),
        (Import("groupmat.plotting", "groupmat.graphs", ("cayley_graph",), 1, True, False), "a peer"),
        (Import("groupmat.verify", "groupmat", ("cyclic",), 1, True, False), "the top package"),
        (Import("groupmat.cli", "groupmat", ("__version__",), 1, True, False), None),
        (Import("groupmat.cli", "groupmat", ("__version__", "cyclic"), 1, True, False), "the top package"),
        (Import("groupmat.groups.core", "groupmat.routing", (), 1, False, False), "a higher layer"),
        (Import("groupmat.torch.conv", "groupmat.routing", (), 1, False, False), None),
        (Import("groupmat.reps.characters", "groupmat.reps.irreducibles", (), 1, False, False), None),
        (Import("groupmat.caching", "groupmat._validation", (), 1, False, False), None),
        (Import("groupmat", "groupmat.plotting", (), 1, True, False), None),
    ]
    for imp, expected in cases:
        got = _layer_violation(imp)
        assert (got is None) == (expected is None) and (expected is None or expected in got), (imp, got)
    # the reader resolves relative, absolute, function-local and importlib imports
    found = {(i.target, i.local) for i in imports("groupmat")}
    assert ("groupmat.groups", False) in found and ("groupmat.plotting", True) in found
    assert all(_known(i.target) for m in MODULES for i in imports(m)), "an import of a groupmat name outside it"


# --------------------------------------------------------------------------------------------------------
# (c) no import cycles


def import_graph() -> dict[str, dict[str, Import]]:
    graph: dict[str, dict[str, Import]] = {m: {} for m in MODULES}
    for m in MODULES:
        for imp in imports(m):
            if not imp.static_only and imp.target in MODULES and imp.target != m:
                graph[m].setdefault(imp.target, imp)
    return graph


def find_cycles(graph: dict[str, dict]) -> list[list[str]]:
    """One cycle in each strongly connected component with more than one module (Tarjan)."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []
    counter = [0]

    def visit(v):  # iterative enough: the package has well under a thousand modules
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                components.append(set(comp))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(graph) + 100))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    cycles = []
    for comp in components:
        start = min(comp)
        # breadth-first from start back to start inside the component: a shortest cycle through it
        previous, frontier, cycle = {start: None}, [start], None
        while frontier and cycle is None:
            nxt = []
            for v in frontier:
                for w in sorted(graph[v]):
                    if w not in comp:
                        continue
                    if w == start:
                        cycle = [v]
                        break
                    if w not in previous:
                        previous[w] = v
                        nxt.append(w)
                if cycle:
                    break
            frontier = nxt
        path = cycle
        while previous[path[-1]] is not None:
            path.append(previous[path[-1]])
        cycles.append(list(reversed(path)) + [start])
    return cycles


def test_no_import_cycles():
    graph = import_graph()
    reports = []
    for cycle in find_cycles(graph):
        edges = [f"{a} -> {b} ({graph[a][b].where}, {graph[a][b].how})" for a, b in zip(cycle, cycle[1:])]
        reports.append("cycle: " + "; ".join(edges))
    assert not reports, _format(reports, "no import cycle among groupmat modules, function-local imports included")


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b": 0}, "b": {"c": 0}, "c": {"a": 0, "d": 0}, "d": {}}
    assert find_cycles(graph) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b": 0}, "b": {}}) == []


# --------------------------------------------------------------------------------------------------------
# (d) private names stay in their package


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _private_unit(module: str) -> str:
    """The package whose private names a name of ``module`` is: base modules share one."""
    return unit(module)


def private_import_violations() -> list[str]:
    out = []
    for m in MODULES:
        src = unit(m)
        for imp in imports(m):
            dst = unit(imp.target)
            if dst == src:
                continue
            # a private module of another package (``groupmat.equivariance._common``); base helpers are shared
            private_parts = [p for p in imp.target.split(".")[1:] if _private(p)]
            if private_parts and dst != "base":
                out.append(f"{imp.where}: {m} (package {src}) imports the private module {imp.target} of "
                           f"package {dst}")
            for name in imp.names:
                if _private(name):
                    out.append(f"{imp.where}: {m} (package {src}) imports the private name {name} from "
                               f"{imp.target} (package {dst})")
    return out


@functools.lru_cache(maxsize=None)
def defined_names(module: str) -> frozenset[str]:
    """Names a module defines: module-level and class-level definitions, and ``self.x`` attributes."""
    names = set()
    for node in ast.walk(tree(module)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target]):
                for t in ast.walk(target):
                    if isinstance(t, ast.Name) and not _is_local(module, node):
                        names.add(t.id)
                    elif (isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name)
                          and t.value.id in ("self", "cls")):
                        names.add(t.attr)
        elif isinstance(node, ast.Call) and ast.unparse(node.func) in ("setattr", "object.__setattr__"):
            if len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
                if isinstance(node.args[0], ast.Name) and node.args[0].id in ("self", "cls"):
                    names.add(node.args[1].value)
    # dataclass-style fields: annotated names in class bodies
    for node in ast.walk(tree(module)):
        if isinstance(node, ast.ClassDef):
            for stmt in node.body:
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                    names.add(stmt.target.id)
                if isinstance(stmt, ast.Assign):
                    names.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
            for stmt in node.body:   # __slots__ declare attributes too
                if (isinstance(stmt, ast.Assign) and any(getattr(t, "id", "") == "__slots__" for t in stmt.targets)
                        and isinstance(stmt.value, (ast.Tuple, ast.List))):
                    names.update(e.value for e in stmt.value.elts if isinstance(e, ast.Constant))
    return frozenset(names)


@functools.lru_cache(maxsize=None)
def names_by_unit() -> dict[str, frozenset[str]]:
    by: dict[str, set] = {}
    for m in MODULES:
        by.setdefault(unit(m), set()).update(defined_names(m))
    return {u: frozenset(v) for u, v in by.items()}


def _self_like(node: ast.AST) -> bool:
    if isinstance(node, ast.Name) and node.id in ("self", "cls"):
        return True
    return isinstance(node, ast.Call) and ast.unparse(node.func) == "super"


def private_member_violations() -> list[str]:
    out: list[str] = []
    by_unit = names_by_unit()
    for m in MODULES:
        src = unit(m)
        for node in ast.walk(tree(m)):
            attr, base = None, None
            if isinstance(node, ast.Attribute) and _private(node.attr):
                attr, base = node.attr, node.value
            elif (isinstance(node, ast.Call) and ast.unparse(node.func) in ("getattr", "hasattr", "setattr")
                  and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)
                  and isinstance(node.args[1].value, str) and _private(node.args[1].value)):
                attr, base = node.args[1].value, node.args[0]
            if attr is None or _self_like(base) or attr in by_unit.get(src, ()):
                continue
            owners = sorted(u for u, names in by_unit.items() if attr in names and u != src)
            text = (f"{_rel(MODULES[m])}:{node.lineno}: {m} (package {src}) uses the private member "
                    f"`{ast.unparse(base)}.{attr}`, defined only in package {', '.join(owners)}")
            if owners and text not in out:
                out.append(text)
    return sorted(out, key=lambda t: (t.split(":")[0], int(t.split(":")[1])))


def test_no_private_imports_across_packages():
    violations = private_import_violations()
    assert not violations, _format(violations, "no `from x import _private` (name or module) across packages")


def test_no_private_members_of_another_package():
    violations = private_member_violations()
    assert not violations, _format(violations, "no use of a private member that only another package defines "
                                               "(use the public kernels: mul_unchecked, inverses, ...)")


# --------------------------------------------------------------------------------------------------------
# (e) declared state: no _cache, no setattr on other objects, thresholds only in routing


def _enclosing_method_owner(module: str, node: ast.AST) -> tuple[ast.AST | None, ast.AST | None]:
    """(the nearest enclosing function, the class it is a method of, or None)."""
    function = None
    for a in _ancestors(module, node):
        if isinstance(a, (ast.FunctionDef, ast.AsyncFunctionDef)) and function is None:
            function = a
        elif isinstance(a, ast.ClassDef):
            return function, a if function is not None else None
    return function, None


def _own_object(module: str, node: ast.AST, target: ast.AST) -> bool:
    """``target`` is ``self``/``cls`` (the first parameter) of a method of the enclosing class."""
    function, owner = _enclosing_method_owner(module, node)
    if owner is None or function is None or not function.args.args and not function.args.posonlyargs:
        return False
    first = (function.args.posonlyargs + function.args.args)[0].arg
    return isinstance(target, ast.Name) and target.id == first


def cache_violations() -> list[str]:
    found: dict[tuple[str, int], str] = {}     # one report per line, a write before a read

    def report(m, node, text, write=True):
        key = (m, node.lineno)
        if write or key not in found:
            found[key] = f"{_rel(MODULES[m])}:{node.lineno}: {text}"

    for m in MODULES:
        for node in ast.walk(tree(m)):
            if isinstance(node, ast.Attribute) and node.attr == "_cache":
                if isinstance(node.ctx, (ast.Store, ast.Del)):
                    report(m, node, f"writes the attribute `{ast.unparse(node)}`")
                elif not _self_like(node.value):
                    report(m, node, f"reads `{ast.unparse(node)}` of another object", write=False)
            if isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del)):
                if isinstance(node.value, ast.Attribute) and node.value.attr == "_cache":
                    report(m, node, f"writes an item of `{ast.unparse(node.value)}`")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
                if isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "_cache":
                    report(m, node, f"changes `{ast.unparse(node.func.value)}` with .{node.func.attr}()")
            if (isinstance(node, ast.Call) and ast.unparse(node.func) in ("setattr", "object.__setattr__")
                    and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)
                    and node.args[1].value == "_cache"):
                report(m, node, f"sets `_cache` with {ast.unparse(node.func)}")
    return [found[k] for k in sorted(found)]


def setattr_violations() -> list[str]:
    out = []
    for m in MODULES:
        for node in ast.walk(tree(m)):
            if not isinstance(node, ast.Call):
                continue
            func = ast.unparse(node.func)
            if func not in ("setattr", "object.__setattr__", "builtins.setattr") or not node.args:
                continue
            if not _own_object(m, node, node.args[0]):
                out.append(f"{_rel(MODULES[m])}:{node.lineno}: `{ast.unparse(node)[:100]}` sets an attribute of an "
                           f"object outside a method of its own class")
    return out


def foreign_attribute_write_violations() -> list[str]:
    """``obj.attr = value`` where only another package's classes define ``attr``."""
    out = []
    by_unit = names_by_unit()
    for m in MODULES:
        src = unit(m)
        for node in ast.walk(tree(m)):
            if not (isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del))):
                continue
            if _self_like(node.value) or node.attr in by_unit.get(src, ()):
                continue
            owners = sorted(u for u, names in by_unit.items() if node.attr in names and u != src)
            if owners:
                out.append(f"{_rel(MODULES[m])}:{node.lineno}: {m} (package {src}) sets `{ast.unparse(node)}`, an "
                           f"attribute declared by package {', '.join(owners)}")
    return out


def _numeric(value: ast.AST | None) -> bool:
    if value is None:
        return False
    if isinstance(value, ast.Constant):
        return isinstance(value.value, (int, float)) and not isinstance(value.value, bool)
    if isinstance(value, ast.UnaryOp):
        return _numeric(value.operand)
    if isinstance(value, ast.BinOp):
        return _numeric(value.left) and _numeric(value.right)
    return False


def threshold_violations() -> list[str]:
    out = []
    for m in MODULES:
        if m == ROUTING_MODULE:
            continue
        for node in ast.walk(tree(m)):
            if not isinstance(node, (ast.Assign, ast.AnnAssign)) or _is_local(m, node):
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                for name in ast.walk(t):
                    if isinstance(name, ast.Name) and ROUTE_THRESHOLD.search(name.id.upper()) and _numeric(node.value):
                        out.append(f"{_rel(MODULES[m])}:{node.lineno}: defines the route threshold "
                                   f"{name.id} = {ast.unparse(node.value)}; name it in groupmat/routing.py")
    return out


def test_no_cache_writes():
    violations = cache_violations()
    assert not violations, _format(violations, "no `_cache` attribute: keep results in the owner's bounded memo "
                                               "(G.memo.get(namespace, key, compute))")


def test_no_setattr_outside_the_own_class():
    violations = setattr_violations()
    assert not violations, _format(violations, "no setattr(obj, ...) except on self/cls in a method of its class "
                                               "(declare the field on the class that owns it)")


def test_no_writes_to_attributes_of_another_package():
    violations = foreign_attribute_write_violations()
    assert not violations, _format(violations, "a declared field is set by its own class, never from another package")


def test_route_thresholds_only_in_routing():
    violations = threshold_violations()
    assert not violations, _format(violations, f"route thresholds (names matching {ROUTE_THRESHOLD.pattern!r}) are "
                                               f"defined only in groupmat/routing.py")
    # and routing.py names them (so the pattern above keeps matching what it is meant to find)
    routing_names = [n.id for n in ast.walk(tree(ROUTING_MODULE)) if isinstance(n, ast.Name)
                     and isinstance(n.ctx, ast.Store) and ROUTE_THRESHOLD.search(n.id)]
    assert {"FFT_MIN_ORDER", "LDR_DENSE_MAX_ORDER", "LDR_FFT_BLOCK"} <= set(routing_names), routing_names


def test_the_state_rules_catch_what_they_are_meant_to_catch(monkeypatch):
    source = '''
import numpy as np
FFT_MIN_ORDER = 64
_FAST_MIN_ORDER = 2 ** 6
LDR_DENSE_MAX_ORDER: int = 1024
_EXACT_MAX_ORDER = 8
KINDS_FAST = ("abelian",)
def f(G, rep):
    G._cache["x"] = 1
    G._cache.setdefault("y", {})
    setattr(rep, "frobenius_schur", 1)
    object.__setattr__(rep, "field", "real")
class C:
    def __init__(self):
        self._cache = {}
        setattr(self, "ok", 1)
'''
    module = "groupmat._probe_for_tests"
    monkeypatch.setitem(MODULES, module, PACKAGE / "_probe_for_tests.py")
    probe = ast.parse(source)
    probe_parents = _parents(probe)
    monkeypatch.setattr(sys.modules[__name__], "tree", lambda m: probe if m == module else _tree(m))
    monkeypatch.setattr(sys.modules[__name__], "parents",
                        lambda m: probe_parents if m == module else _parents_cached(m))
    only = [v for v in threshold_violations() if "_probe_for_tests" in v]
    assert [v.split("route threshold ")[1].split(" =")[0] for v in only] == ["FFT_MIN_ORDER", "_FAST_MIN_ORDER",
                                                                             "LDR_DENSE_MAX_ORDER"]
    only = [v for v in cache_violations() if "_probe_for_tests" in v]
    assert len(only) == 3 and "writes an item" in only[0] and ".setdefault()" in only[1] and "attribute" in only[2]
    only = [v for v in setattr_violations() if "_probe_for_tests" in v]
    assert len(only) == 2 and "frobenius_schur" in only[0] and "object.__setattr__" in only[1]


_tree = tree
_parents_cached = parents


# --------------------------------------------------------------------------------------------------------
# (f) the top level


def _fresh(code: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_the_top_level_is_curated_and_resolves():
    import groupmat

    names = [n for n in groupmat.__all__ if not n.startswith("__")]
    assert len(groupmat.__all__) <= MAX_TOP_LEVEL, (f"groupmat.__all__ has {len(groupmat.__all__)} names, at most "
                                                    f"{MAX_TOP_LEVEL}: reach the rest through their packages")
    assert len(set(groupmat.__all__)) == len(groupmat.__all__), "groupmat.__all__ lists a name twice"
    unresolved = [n for n in names if not hasattr(groupmat, n)]
    assert not unresolved, f"groupmat/__init__.py: names in __all__ that do not resolve: {unresolved}"


def test_import_groupmat_is_light_and_dir_shows_everything():
    code = r'''
import json, sys
import groupmat
heavy = sorted(m for m in ("matplotlib", "torch", "jax") if m in sys.modules)
listed = dir(groupmat)
plotting = list(groupmat._PLOTTING) if hasattr(groupmat, "_PLOTTING") else []
missing_all = [n for n in groupmat.__all__ if n not in listed]
print(json.dumps({"heavy": heavy, "dir": listed, "missing_all": missing_all}))
'''
    got = _fresh(code)
    assert got["heavy"] == [], f"`import groupmat` imports {got['heavy']} (load them on first use)"
    assert got["missing_all"] == [], f"names of groupmat.__all__ missing from dir(groupmat): {got['missing_all']}"
    pictures = {"plot_group_matrix", "plot_cayley_table", "draw_cayley_graph", "plot_character_table"}
    assert pictures <= set(got["dir"]), f"dir(groupmat) lacks {sorted(pictures - set(got['dir']))}"
    subpackages = {"groups", "matrices", "reps", "ldr", "equivariance", "io", "verify", "routing", "tolerances",
                   "plotting", "graphs"}
    assert subpackages <= set(got["dir"]), f"dir(groupmat) lacks {sorted(subpackages - set(got['dir']))}"


def test_every_name_in_dir_groupmat_resolves_after_a_bare_import():
    # `import groupmat as gm` gives every subpackage (gm.verify, gm.plotting, ...) and every listed name
    code = r'''
import importlib.util, json
import groupmat
spec = importlib.util.find_spec("torch")
skip = {"torch"} if spec is None or spec.origin in (None, "namespace") else set()
bad = []
for name in dir(groupmat):
    if name in skip:
        continue
    try:
        getattr(groupmat, name)
    except Exception as err:
        bad.append(f"{name}: {type(err).__name__}: {err}")
print(json.dumps(bad))
'''
    bad = _fresh(code)
    assert not bad, f"groupmat/__init__.py: names listed by dir(groupmat) that a bare `import groupmat` does not give: {bad}"
