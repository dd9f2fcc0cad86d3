"""Every tutorial notebook runs top to bottom on a fresh kernel, and is stored without outputs."""
import os
import sys
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))

#: Notebooks that need an optional extra: skipped (not failed) when it is absent.
NEEDS = {"05_approximately_equivariant_layer.ipynb": "torch", "07_gm_network.ipynb": "torch"}


def test_the_five_tutorials_are_there():
    names = [p.name for p in NOTEBOOKS]
    for expected in ("01_exploring_groups.ipynb", "02_group_matrices_and_fourier.ipynb",
                     "03_displacement_rank.ipynb", "04_equivariant_projections.ipynb",
                     "05_approximately_equivariant_layer.ipynb"):
        assert expected in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "store notebooks without outputs"
    assert sum(c.cell_type == "markdown" for c in nb.cells) >= 5, "a tutorial explains what it does"


def _kernel_name(tmp_path, monkeypatch) -> str:
    """A kernel spec running this very interpreter, found before any user or system spec."""
    import json

    spec_dir = tmp_path / "jupyter" / "kernels" / "groupmat-tests"
    spec_dir.mkdir(parents=True)
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "groupmat tests", "language": "python"}
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    paths = [str(tmp_path / "jupyter"), os.environ.get("JUPYTER_PATH", "")]
    monkeypatch.setenv("JUPYTER_PATH", os.pathsep.join(p for p in paths if p))
    return "groupmat-tests"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, monkeypatch, tmp_path):
    extra = NEEDS.get(path.name)
    if extra:
        pytest.importorskip(extra)
    kernel = _kernel_name(tmp_path, monkeypatch)
    # the kernel runs this interpreter (the spec above): make the checkout importable there, and
    # plot headless
    paths = [str(ROOT), os.environ.get("PYTHONPATH", "")]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in paths if p))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mpl"))
    nb = nbformat.read(path, as_version=4)
    workdir = tmp_path / "work"
    workdir.mkdir()
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name=kernel,
                                     resources={"metadata": {"path": str(workdir)}})
    start = time.perf_counter()
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as err:
        pytest.fail(f"{path.name}: a cell failed\n{err}")
    elapsed = time.perf_counter() - start
    # a tutorial runs in seconds (generous bound against a loaded CI machine, not a benchmark)
    assert elapsed < 240, f"{path.name} took {elapsed:.0f} s"
    # the notebook really ran: every code cell has an execution count
    assert all(c.execution_count for c in nb.cells if c.cell_type == "code" and c.source.strip())
    print(f"{path.name}: {elapsed:.1f} s on {sys.platform}")
