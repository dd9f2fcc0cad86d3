"""README.md: the quick start is the two commands (the second is CI's), and the tour runs."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.S | re.M)
    assert match, f"README has no section '## {title}'"
    return match.group(1)


def commands(block: str) -> list[str]:
    return [line.strip() for line in block.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_quick_start_is_exactly_two_commands():
    (block,) = re.findall(r"```bash\n(.*?)```", section("Quick start"), re.S)
    assert commands(block) == ['pip install . && groupmat verify', 'pip install -e ".[test]" && python -m pytest']


def test_second_command_is_what_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    ci_commands = [line.strip() for line in ci if line.strip() and not line.strip().startswith("#")]
    (block,) = re.findall(r"```bash\n(.*?)```", section("Quick start"), re.S)
    assert commands(block)[1] in ci_commands


def test_tour_runs(capsys):
    code = blocks("python")
    assert code, "README has no python block"
    tour = code[0]
    assert 5 <= len(commands(tour)) <= 14
    namespace: dict = {}
    exec(compile(tour, "README.md", "exec"), namespace)  # noqa: S102
    out = capsys.readouterr().out
    assert "x_e" in out and "16" in out


def test_readme_points_to_docs_notebooks_and_benchmarks():
    assert "python -m sphinx -W -b html docs docs/_build/html" in README
    assert "`docs/`" in README and "`notebooks/`" in README
    assert "python benchmarks/run.py" in README
    for part in ["groups", "group matrices", "representations", "displacement", "equivariance", "torch",
                 "plotting"]:
        assert part in section("The parts"), part


def test_names_in_the_parts_table_exist():
    import ast

    import groupmat as gm

    torch_init = (ROOT / "groupmat" / "torch" / "__init__.py")
    torch_names: set = set()
    if torch_init.exists():
        for node in ast.walk(ast.parse(torch_init.read_text())):
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
                torch_names = set(ast.literal_eval(node.value))
    table = [line for line in section("The parts").splitlines() if line.startswith("| ")][2:]
    names = {name for line in table for name in re.findall(r"`([A-Za-z_]\w*)`", line.split("|")[3])}
    not_api = {"DiGraph", "torch", "verify"}
    missing = sorted(n for n in names - not_api if not hasattr(gm, n) and n not in torch_names)
    assert not missing, f"README names that groupmat does not define: {missing}"
    # names reached through their package (`gm.ldr.canonical_operators`) and members of a group (`G.memo`)
    text = section("The parts")
    dotted = set(re.findall(r"`gm\.([A-Za-z_][\w.]*)`", text))
    assert dotted, "the parts table names no namespaced function"
    for path in sorted(dotted):
        obj = gm
        for part in path.split("."):
            assert hasattr(obj, part), f"README names gm.{path}, which does not resolve"
            obj = getattr(obj, part)
        assert path.split(".")[-1] not in gm.__all__, f"gm.{path} is at the top level: write it as such"
    G = gm.cyclic(4)
    for member in set(re.findall(r"`G\.(\w+)(?:\(\))?`", text)):
        assert hasattr(G, member), f"README names G.{member}, which groups do not have"
    # the paths in the 'where' column exist
    paths = {p for line in table for p in re.findall(r"`(groupmat/[^`]*)`", line.split("|")[2])}
    assert paths and all((ROOT / p).exists() for p in paths), sorted(p for p in paths if not (ROOT / p).exists())
    for new_home in ("groupmat/ldr/", "groupmat/io/", "groupmat/verify/", "groupmat/routing.py",
                     "groupmat/tolerances.py", "groupmat/caching.py"):
        assert new_home in paths, new_home
