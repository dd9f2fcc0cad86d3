"""The command line: ``groupmat info | verify | list`` through ``main([...])`` and as a subprocess."""
from __future__ import annotations

import configparser
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from strategies import gap_group, small_groups

import groupmat as gm
from groupmat import cli
from groupmat.verify import registry, unregister

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args, timeout=120):
    """``python -m groupmat ARGS`` in a fresh process: (exit code, stdout, stderr)."""
    proc = subprocess.run([sys.executable, "-m", "groupmat", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr


def info_fields(text: str) -> dict:
    """The ``key value`` lines of ``groupmat info`` output (before the class table)."""
    fields = {}
    for line in text.split("\n\n")[0].splitlines():
        m = re.match(r"^(group|order|generators|abelian|centre|exponent|classes)\s+(.*)$", line)
        if m:
            fields[m.group(1)] = m.group(2)
    return fields


def class_rows(text: str) -> list[tuple[int, int, str]]:
    """(size, element order, representative) for each listed class."""
    return [(int(m.group(1)), int(m.group(2)), m.group(3))
            for m in re.finditer(r"^\s+\d+\s+(\d+)\s+(\d+)\s+(.+)$", text, re.M)]


# ----------------------------------------------------------------------------------------- info
@pytest.mark.parametrize("spec, order, abelian, centre, exponent, sizes", [
    ("D6", 12, "no", 2, 6, [1, 2, 2, 1, 3, 3]),
    ("S4", 24, "no", 1, 12, [1, 6, 8, 3, 6]),
    ("Q8", 8, "no", 2, 4, [1, 2, 1, 2, 2]),
    ("A5", 60, "no", 1, 30, [1, 15, 20, 12, 12]),
    ("C4xC2", 8, "yes", 8, 4, [1] * 8),
    ("C2^3", 8, "yes", 8, 2, [1] * 8),
    ("Dic3", 12, "no", 2, 12, [1, 2, 1, 2, 3, 3]),
    ("C1", 1, "yes", 1, 1, [1]),
])
def test_info_in_process(capsys, spec, order, abelian, centre, exponent, sizes):
    assert cli.main(["info", spec, "--no-characters"]) == 0
    out = capsys.readouterr().out
    f = info_fields(out)
    assert int(f["order"]) == order
    assert f["abelian"] == abelian
    assert int(f["centre"].split()[0]) == centre
    assert int(f["exponent"]) == exponent
    assert int(f["classes"]) == len(sizes)
    rows = class_rows(out)
    assert sorted(size for size, _, _ in rows) == sorted(sizes)
    assert rows[0][0] == 1 and rows[0][1] == 1  # the identity's class first
    assert sum(size for size, _, _ in rows) == order


def test_info_labels_and_generators(capsys):
    assert cli.main(["info", "D6"]) == 0
    out = capsys.readouterr().out
    f = info_fields(out)
    assert f["generators"] == "r, s" and f["centre"] == "2 elements: e, r^3"
    assert [rep for _, _, rep in class_rows(out)] == ["e", "r", "r^2", "r^3", "s", "s r"]
    assert cli.main(["info", "C4xC2"]) == 0
    assert info_fields(capsys.readouterr().out)["generators"] == "(r, e), (e, r)"


@pytest.mark.parametrize("spec, gap_name", [
    ("D10", "DihedralGroup(20)"), ("Q32", "QuaternionGroup(32)"), ("C5xC5", "C5xC5"),
    ("S4xC2", "S4xC2"), ("A6", "A6"),
])
def test_info_agrees_with_gap(capsys, spec, gap_name):
    ref = gap_group(gap_name)
    assert cli.main(["info", spec, "--no-characters", "--all"]) == 0
    out = capsys.readouterr().out
    f = info_fields(out)
    assert int(f["order"]) == ref["order"]
    assert int(f["exponent"]) == ref["exponent"]
    assert int(f["centre"].split()[0]) == ref["center_order"]
    assert int(f["classes"]) == ref["nclasses"] == len(class_rows(out))
    assert (f["abelian"] == "yes") == bool(ref["abelian"])


@settings(max_examples=15, deadline=None)
@given(small_groups(max_order=24))
def test_group_summary_against_brute_force(G):
    # independent computation from the Cayley table: orders by powers, classes by all conjugates
    T = G.cayley_table().astype(np.int64)
    n, e = G.order, G.identity
    inv = np.argmax(T == e, axis=1)
    orders = np.ones(n, dtype=int)
    power = np.arange(n)
    while True:
        pending = power != e
        if not pending.any():
            break
        orders[pending] += 1
        power = np.where(pending, T[power, np.arange(n)], power)
    conj = T[T[inv[:, None], np.arange(n)[None, :]], np.arange(n)[:, None]]  # conj[h, g] = h^-1 g h
    classes = {frozenset(conj[:, g].tolist()) for g in range(n)}
    centre = [g for g in range(n) if (T[g] == T[:, g]).all()]

    s = cli.group_summary(G)
    assert s["exponent"] == math.lcm(*orders.tolist())
    assert G.element_order(np.arange(n)).tolist() == orders.tolist()
    assert s["center_order"] == len(centre)
    assert s["center"].tolist() == centre
    assert {frozenset(c.tolist()) for c in s["classes"]} == classes
    assert [int(orders[c[0]]) for c in s["classes"]] == s["class_orders"].tolist()
    assert s["abelian"] == (len(centre) == n)


def test_info_with_many_classes_truncates_unless_all(capsys):
    assert cli.main(["info", "C100"]) == 0
    out = capsys.readouterr().out
    assert len(class_rows(out)) == cli.INFO_CLASSES_SHOWN and "60 more classes" in out
    assert cli.main(["info", "C100", "--all"]) == 0
    assert len(class_rows(capsys.readouterr().out)) == 100


def test_info_of_a_huge_cyclic_group_is_instant(capsys):
    assert cli.main(["info", "C10000000"]) == 0
    f = info_fields(capsys.readouterr().out)
    assert f["order"] == "10000000" and f["exponent"] == "10000000" and "not listed" in f["classes"]
    assert f["generators"] == "r"                      # real labels, not the old "#1" placeholder


def test_info_exponent_comes_from_the_group(capsys, monkeypatch):
    """The CLI's exponent is the group's own ``exponent()`` (one implementation), abelian or not."""
    calls = []
    for spec in ("S4", "C4xC6"):
        cls = type(gm.group(spec))
        original = cls.exponent

        def spy(self, original=original):
            calls.append(self.name)
            return original(self)

        monkeypatch.setattr(cls, "exponent", spy)
    assert cli.main(["info", "S4"]) == 0
    assert info_fields(capsys.readouterr().out)["exponent"] == "12"
    assert cli.main(["info", "C4xC6"]) == 0
    assert info_fields(capsys.readouterr().out)["exponent"] == "12"
    assert calls[0] == "S4" and "C4xC6" in calls


def test_info_prints_the_character_table(capsys):
    assert cli.main(["info", "S3"]) == 0
    out = capsys.readouterr().out
    assert str(gm.character_table(gm.symmetric(3))) in out
    assert cli.main(["info", "S3", "--no-characters"]) == 0
    assert capsys.readouterr().out == out.split("\n\n")[0] + "\n"


@pytest.mark.parametrize("spec, message", [
    ("Foo", "cannot parse group spec 'Foo'"),
    ("D", "cannot parse group spec 'D'"),
    ("C0", "cannot parse group spec 'C0'"),
    ("Q12", "generalised quaternion"),
    ("C4x", "cannot parse group spec 'C4x'"),
])
def test_info_bad_spec_in_process(capsys, spec, message):
    assert cli.main(["info", spec]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Accepted forms" in captured.err
    assert captured.out == "" and "Traceback" not in captured.err


def test_info_of_large_symmetric_groups_by_cycle_type(capsys):
    import math

    assert cli.main(["info", "S12", "--all"]) == 0
    out = capsys.readouterr().out
    assert "order       479001600" in out and "exponent    27720" in out and "classes     77" in out
    rows = [line.split() for line in out.splitlines() if line.strip()[:1].isdigit() and len(line.split()) >= 4]
    sizes = [int(r[1]) for r in rows]
    assert len(sizes) == 77 and sum(sizes) == math.factorial(12)             # the class equation
    assert "character table: not printed (77 classes > 40)" in out
    assert cli.main(["info", "S30"]) == 0                                      # no element indices at all
    out = capsys.readouterr().out
    assert "(0 1), (0 1 2 3 4 5 6 7 8 9" in out and "classes     5604" in out


def test_info_leaves_out_what_exceeds_the_budget(capsys, monkeypatch):
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(100_000))
    assert cli.main(["info", "D3000"]) == 0
    out = capsys.readouterr().out
    fields = info_fields(out)
    assert fields["classes"].startswith("left out (the conjugacy classes of D3000 (order 6000) would take")
    assert "GROUPMAT_MAX_BYTES" in fields["classes"] and "Traceback" not in out
    # the character table needs the classes: its line says so instead of disappearing (issue 12)
    assert "character table: left out (it needs the conjugacy classes: the conjugacy classes of D3000" in out
    # S8 over the budget for its listed classes: they come by cycle type instead (22 = partitions of 8)
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(200_000))
    assert cli.main(["info", "S8", "--no-characters"]) == 0
    out = capsys.readouterr().out
    assert info_fields(out)["classes"] == "22" and "Traceback" not in out
    assert sorted(size for size, _, _ in class_rows(out)) == sorted(gm.symmetric(8).class_sizes().tolist())


def test_info_says_when_the_character_table_is_left_out(capsys):
    """Above the order up to which classes are listed, the character table line says why it is missing
    (before issue 12 it disappeared silently); --no-characters leaves it out without a word."""
    assert cli.main(["info", "D1000000000"]) == 0
    out = capsys.readouterr().out
    assert "character table: left out (the classes are not listed for order > 1000000)" in out
    assert cli.main(["info", "D1000000000", "--no-characters"]) == 0
    assert "character table" not in capsys.readouterr().out


@pytest.mark.parametrize("spec, exponent", [("D1000000000", 10**9), ("D1000000001", 2 * (10**9 + 1)),
                                            ("Dic1000000", 2000000), ("D1000000xS3", 3000000),
                                            ("C1000000000xD3", 3 * 10**9)])
def test_info_shows_exponents_given_by_formula_at_any_order(capsys, spec, exponent):
    """``info D1000000000`` printed "exponent (not computed for order > 1000000)" although the dihedral
    family gives it by formula (lcm(n, 2)); expected values by hand: lcm of the rotation order and 2 (4
    for the dicyclic x), lcm over factors (lcm(1..3) = 6 for S3)."""
    assert cli.main(["info", spec, "--no-characters"]) == 0
    assert info_fields(capsys.readouterr().out)["exponent"] == str(exponent)


def test_info_leaves_out_exponents_without_a_formula(capsys):
    """A large group without a closed form (a semidirect product) still says why it is not computed."""
    G = cli.group_summary(gm.groups.SemidirectProduct(gm.cyclic(1001), gm.cyclic(2), np.stack(
        [np.arange(1001), (-np.arange(1001)) % 1001])), classes_max=1000)
    assert G["exponent"] is None and G["left_out"]["exponent"] == "not computed for order > 1000"


def test_usage_errors(capsys):
    assert cli.main([]) == 2
    assert "usage: groupmat" in capsys.readouterr().out
    assert cli.main(["info"]) == 2
    assert "required: SPEC" in capsys.readouterr().err
    assert cli.main(["frobnicate"]) == 2
    assert "invalid choice" in capsys.readouterr().err
    assert cli.main(["--version"]) == 0
    assert gm.__version__ in capsys.readouterr().out


def test_info_and_bad_spec_as_subprocess():
    code, out, err = run_cli("info", "D6")
    assert code == 0 and info_fields(out)["order"] == "12", err
    code, out, err = run_cli("info", "Foo")
    assert code == 2 and "cannot parse group spec 'Foo'" in err and "Traceback" not in err and out == ""


# --------------------------------------------------------------------------------------- verify
def test_verify_whole_registry_passes_as_subprocess():
    code, out, err = run_cli("verify", timeout=300)
    assert code == 0, out[-3000:] + err[-3000:]
    lines = out.strip().splitlines()
    m = re.match(r"^(\d+) passed, 0 failed", lines[-1])
    assert m, lines[-1]
    rows = [line for line in lines if re.match(r"^\[\s*\d+/\d+\] ", line)]
    assert int(m.group(1)) == sum(" PASS " in r for r in rows)
    total = int(re.match(r"^\[\s*\d+/(\d+)\]", rows[0]).group(1))
    assert len(rows) == total  # one row per (identity, group), counted [k/N]
    assert [int(re.match(r"^\[\s*(\d+)/", r).group(1)) for r in rows] == list(range(1, total + 1))
    for name in registry():
        assert name in out


def test_verify_rows_show_status_side_time_group(capsys):
    assert cli.main(["verify", "--topic", "groups"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("[")]
    pattern = re.compile(r"^\[\s*\d+/\d+\] (PASS|SKIP)  (exact|numeric|both|skip)\s+\d+\.\d (ms|s)\s+\S+\s+.+$")
    assert rows and all(pattern.match(r) for r in rows), rows[:3]
    assert any("  both  " in r for r in rows) and any(" numeric " in r for r in rows)


def test_verify_on_named_groups_skips_what_does_not_apply(capsys):
    assert cli.main(["verify", "--topic", "groups", "--group", "D4", "C6", "-q"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert cli.main(["verify", "--topic", "groups", "--group", "D4", "--group", "C6", "-q"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[0].split("(")[0] == out[0].split("(")[0]
    assert len(out) == 1  # --quiet: the summary only, since nothing failed
    m = re.match(r"^(\d+) passed, 0 failed, 1 skipped", out[0])
    assert m and int(m.group(1)) == 2 * len([i for i in registry().values() if i.topic == "groups"]) - 1


@pytest.fixture
def failing_identity():
    name = "tmp: every group has odd order"

    def check(G):
        assert G.order % 2 == 1, f"{G.name} has even order {G.order}"
        return "exact"

    from groupmat.verify import register

    register(name, zoo="small", topic="test-cli-failing")(check)
    yield name
    unregister(name)


def test_verify_exits_non_zero_when_a_check_fails(capsys, failing_identity):
    code = cli.main(["verify", "--topic", "test-cli-failing"])
    out = capsys.readouterr().out
    assert code == 1
    assert "FAIL" in out and "D3 has even order 6" in out and "PASS" in out  # C5 passes
    assert re.search(r"^1 passed, 6 failed", out, re.M)
    code = cli.main(["verify", "-k", "odd order", "-q"])
    out = capsys.readouterr().out
    assert code == 1 and "PASS" not in out and out.count("FAIL") == 6


def test_verify_all_skipped_is_not_success(capsys, failing_identity):
    # the only identity of its topic asserts odd order: on C2 it fails, so exit 1; a skip-only run also fails
    from groupmat.verify import NotApplicable, register

    def skip(G):
        raise NotApplicable("never applies")

    register("tmp: never applies", zoo="small", topic="test-cli-skip")(skip)
    try:
        assert cli.main(["verify", "--topic", "test-cli-skip"]) == 1
        assert "nothing was verified" in capsys.readouterr().err
    finally:
        unregister("tmp: never applies")


def test_verify_usage_errors(capsys):
    assert cli.main(["verify", "--topic", "no-such-topic"]) == 2
    err = capsys.readouterr().err
    assert "no identity has topic 'no-such-topic'" in err and "groups" in err
    assert cli.main(["verify", "--group", "Nope"]) == 2
    assert "cannot parse group spec 'Nope'" in capsys.readouterr().err
    assert cli.main(["verify", "-k", "zzz-no-match"]) == 2
    assert "no registered identity matches" in capsys.readouterr().err


# ----------------------------------------------------------------------------------------- list
def test_list_shows_every_identity(capsys):
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    reg = registry()
    for name, ident in reg.items():
        assert re.search(rf"^{re.escape(ident.topic)}\s+{re.escape(ident.zoo_name)}\s+{re.escape(name)}$", out, re.M)
    assert f"{len(reg)} identities" in out
    assert cli.main(["list", "--topic", "groups", "-k", "circulant"]) == 0
    assert "1 identities" in capsys.readouterr().out


# --------------------------------------------------------------------------------- entry points
def test_console_script_is_declared_and_importable():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    scripts = cfg["options.entry_points"]["console_scripts"]
    assert "groupmat = groupmat.cli:main" in scripts
    assert callable(cli.main)


def _installed_script():
    """The ``groupmat`` console script of the environment running the tests (None when groupmat runs
    from a checkout without being installed)."""
    from importlib import metadata

    if not any(e.name == "groupmat" for e in metadata.entry_points(group="console_scripts")):
        return None
    script = Path(sys.executable).parent / ("groupmat.exe" if sys.platform == "win32" else "groupmat")
    return str(script) if script.exists() else shutil.which("groupmat")


@pytest.mark.skipif(_installed_script() is None, reason="groupmat is not installed (run from a checkout)")
def test_console_script_runs():
    proc = subprocess.run([_installed_script(), "info", "Q8"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "order       8" in proc.stdout


def test_format_label():
    assert cli.format_label(("r", ("e", "s r"))) == "(r, (e, s r))"
    assert cli.format_label((1, -1)) == "(1, -1)"


def test_quiet_verify_shows_a_running_counter_on_a_terminal(monkeypatch, capsys):
    import io

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    term = Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    assert cli.main(["verify", "--topic", "groups", "-k", "Latin", "-q"]) == 0
    counters = re.findall(r"\[(\d+)/(\d+)\]", term.getvalue())
    assert counters and counters[-1][0] == counters[-1][1]  # counts up to N
    assert capsys.readouterr().out.startswith(f"{counters[-1][1]} passed, 0 failed")


# ------------------------------------------------------------------------ budgets: skip, leave out, say why
def test_verify_on_a_huge_group_skips_instead_of_failing(capsys):
    # C_(10^10): no array of the group fits; rows that use only its order still run
    assert cli.main(["verify", "--group", "C10000000000"]) == 0
    out = capsys.readouterr().out
    summary = out.strip().splitlines()[-1]
    m = re.match(r"^(\d+) passed, 0 failed, (\d+) skipped", summary)
    assert m and int(m.group(1)) >= 1 and int(m.group(2)) >= 20, summary
    skips = [line for line in out.splitlines() if " SKIP " in line]
    assert all(re.search(r"\((too large|.*not a cyclic|a statement about)", line) for line in skips), skips
    assert "MemoryError" not in out and "FAIL" not in out


def test_verify_on_S7_finishes_printing_each_row(capsys):
    t0 = __import__("time").perf_counter()
    assert cli.main(["verify", "--group", "S7"]) == 0
    elapsed = __import__("time").perf_counter() - t0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if re.match(r"^\[\s*\d+/\d+\] ", line)]
    assert len(rows) == len(registry())                    # one line per row, as it finishes
    assert any("(too large for the dense n x n check (order 5040 > 2048))" in r for r in rows)
    assert any("(too large for the exact check (order 5040 > " in r for r in rows)
    assert sum(" PASS " in r for r in rows) >= 8
    assert elapsed < 240, f"verify --group S7 took {elapsed:.0f} s"


def test_verify_shows_the_running_row_on_a_terminal(monkeypatch, capsys):
    import io

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    term = Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    assert cli.main(["verify", "--topic", "groups", "-k", "Latin"]) == 0
    shown = term.getvalue()
    assert re.search(r"\[1/\d+\] running: C1  Cayley table agrees with mul", shown)
    assert shown.endswith("\r")                            # the status line is cleared at the end
    out = capsys.readouterr().out
    assert "running:" not in out and re.search(r"^\d+ passed, 0 failed", out, re.M)


def _smallest_budget(monkeypatch, spec):
    """The smallest power of two (bytes) under which ``group(spec)`` can be built."""
    for k in range(10, 40):
        monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(2**k))
        try:
            gm.group(spec)
            return 2**k
        except gm.TooLargeError:
            continue
    raise AssertionError(f"{spec} cannot be built under any budget")


def test_info_shows_what_fits_and_says_what_it_left_out(monkeypatch, capsys):
    budget = _smallest_budget(monkeypatch, "S5")
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(budget))
    assert cli.main(["info", "S5"]) == 0
    captured = capsys.readouterr()
    f = info_fields(captured.out)
    assert f["order"] == "120" and f["generators"] == "(0 1), (0 1 2 3 4)" and f["abelian"] == "no"
    left = [v for v in f.values() if v.startswith("left out (")]
    assert left and all("would take" in v and "GROUPMAT_MAX_BYTES" in v for v in left), f
    assert "Traceback" not in captured.err and captured.err == ""
    s = cli.group_summary(gm.group("S5"))
    assert set(s["left_out"]) >= {"classes"} and s["classes"] is None


def test_info_leaves_out_a_character_table_over_the_budget(monkeypatch, capsys):
    import groupmat.reps as reps

    def over_budget(G):
        raise gm.TooLargeError(f"the character table of {G.name} would take 13.0 GiB, over the limit of 4.0 GiB; "
                               "use a structured or sparse route, or raise the limit with GROUPMAT_MAX_BYTES")

    monkeypatch.setattr(reps, "character_table", over_budget)
    assert cli.main(["info", "S4"]) == 0
    out = capsys.readouterr().out
    assert info_fields(out)["classes"] == "5" and len(class_rows(out)) == 5
    assert "character table: left out (the character table of S4 would take 13.0 GiB" in out
    assert "GROUPMAT_MAX_BYTES)" in out


def test_info_of_S8_does_not_hang():
    code, out, err = run_cli("info", "S8", timeout=180)
    assert code == 0, err
    f = info_fields(out)
    assert f["order"] == "40320" and f["generators"] == "(0 1), (0 1 2 3 4 5 6 7)" and f["classes"] == "22"
    assert "Character table of S8" in out or "character table: left out (" in out


def test_info_of_a_billion_elements_is_quick(capsys):
    t0 = __import__("time").perf_counter()
    assert cli.main(["info", "C1000000000"]) == 0
    assert __import__("time").perf_counter() - t0 < 10
    f = info_fields(capsys.readouterr().out)
    assert f["order"] == "1000000000" and f["exponent"] == "1000000000" and f["centre"] == "1000000000 elements (all)"
    assert f["classes"] == "(not listed for order > 1000000)"
