"""The documentation builds with warnings as errors, documents every public name, and its code runs."""
import contextlib
import importlib.util
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

pytestmark = pytest.mark.skipif(importlib.util.find_spec("sphinx") is None,
                                reason="sphinx is not installed (the docs and test extras install it)")


def python_blocks(page: Path) -> list[str]:
    """The ``.. code-block:: python`` blocks of a reStructuredText page, dedented."""
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks, i = [], 0
    while i < len(lines):
        if re.match(r"^\s*\.\. code-block:: python\s*$", lines[i]):
            indent = len(lines[i]) - len(lines[i].lstrip()) + 3
            i += 1
            body = []
            while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) >= indent):
                body.append(lines[i][indent:] if lines[i].strip() else "")
                i += 1
            blocks.append("\n".join(body).strip("\n"))
        else:
            i += 1
    return blocks


PAGES = sorted(p for p in DOCS.rglob("*.rst") if "_build" not in p.parts)


@pytest.fixture(scope="module")
def built_html(tmp_path_factory):
    out = tmp_path_factory.mktemp("html")
    paths = [str(ROOT), os.environ.get("PYTHONPATH", "")]
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=os.pathsep.join(p for p in paths if p))
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(DOCS), str(out)]
    proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, f"sphinx failed:\n{proc.stdout[-5000:]}\n{proc.stderr[-5000:]}"
    return out


def test_docs_build_with_warnings_as_errors(built_html):
    for page in ("index", "getting_started", "concepts", "architecture", "howto/export", "howto/verify",
                 "howto/make_groups", "notebooks", "gallery", "api"):
        assert (built_html / f"{page}.html").is_file(), page


def test_api_reference_lists_every_public_name(built_html):
    import groupmat
    from groupmat import plotting

    html = (built_html / "api.html").read_text(encoding="utf-8")
    names = [n for n in groupmat.__all__ if not n.startswith("__")] + list(plotting.__all__)
    missing = [n for n in names if f'id="groupmat.{n}"' not in html]
    assert not missing, f"not in the API reference: {missing}"
    # every package has its section, and each of its public names is documented there or at the top level
    ext = _extension()
    top = ext._top_level()
    for package, entries in ext.package_names():
        assert f'id="module-{package}"' in html, f"no section for {package}"
        for name, obj, at_top in entries:
            target = f"groupmat.{name}" if at_top else f"{package}.{name}"
            assert f'id="{target}"' in html, f"{package}.{name} is not in the API reference"
            assert at_top == (name in top and top[name] is obj)
    packages = [p for p, _ in ext.package_names()]
    for package in ("groupmat.ldr", "groupmat.io", "groupmat.verify", "groupmat.routing", "groupmat.tolerances"):
        assert package in packages
    # names reached through their package are documented under it, not at the top level
    assert 'id="groupmat.ldr.canonical_operators"' in html and 'id="groupmat.canonical_operators"' not in html
    assert 'id="groupmat.routing.has_fast_transform"' in html


def test_gallery_pictures_are_rendered(built_html):
    html = (built_html / "gallery.html").read_text(encoding="utf-8")
    images = re.findall(r'<img [^>]*src="([^"]+\.png)"', html)
    assert len(images) >= 7
    for src in images:
        png = (built_html / src).resolve()
        assert png.is_file() and png.stat().st_size > 2000, src


def _extension():
    sys.path.insert(0, str(DOCS / "_ext"))
    try:
        import groupmat_api
    finally:
        sys.path.remove(str(DOCS / "_ext"))
    return groupmat_api


def test_every_public_name_has_a_docstring():
    lines, missing = _extension().api_rst()
    assert missing == [], f"public names without a docstring: {missing}"
    assert ".. autofunction:: groupmat.group_matrix" in lines
    assert ".. autoclass:: groupmat.FiniteGroup" in lines


def test_an_undocumented_public_name_is_reported(monkeypatch):
    import groupmat

    ext = _extension()

    def undocumented_probe(x):
        return x

    monkeypatch.setattr(groupmat, "undocumented_probe", undocumented_probe, raising=False)
    monkeypatch.setattr(groupmat, "__all__", list(groupmat.__all__) + ["undocumented_probe"])
    lines, missing = ext.api_rst()
    assert missing == ["groupmat.undocumented_probe"]      # the directive turns this into a warning
    assert ".. autofunction:: groupmat.undocumented_probe" in lines


def test_docstring_tolerance():
    ext = _extension()
    assert ext.tolerant_lines(["shape (c, |G|) and ``|G|``"]) == [r"shape (c, \|G\|) and ``|G|``"]
    assert ext.tolerant_lines([">>> abs(-1) | 2", "3"]) == [">>> abs(-1) | 2", "3"]
    assert ext.tolerant_lines(["- item", "  more", "paragraph"]) == ["- item", "  more", "", "paragraph"]
    assert ext.tolerant_lines([".. math::", "", "   |x|"]) == [".. math::", "", "   |x|"]


@pytest.mark.parametrize("page", [p for p in PAGES if python_blocks(p)], ids=lambda p: str(p.relative_to(DOCS)))
def test_code_in_the_docs_runs(page, monkeypatch, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from groupmat import verify

    monkeypatch.chdir(tmp_path)
    registered = set(verify.registry())
    namespace: dict = {"__name__": "__docs__"}
    for k, block in enumerate(python_blocks(page)):
        needs = re.findall(r"^\s*(?:import|from) (torch|jax)\b", block, flags=re.M)
        needs += ["jax"] if "to_jax" in block else []
        absent = [m for m in needs if not _installed(m)]
        if absent:
            continue  # the optional extra is not installed here
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                exec(compile(block, f"{page.name}[block {k}]", "exec"), namespace)
            except Exception as err:  # noqa: BLE001
                pytest.fail(f"{page.relative_to(DOCS)}, code block {k} fails: {type(err).__name__}: {err}\n{block}")
            finally:
                # a guide may register its own identity: keep it out of the registry other tests see
                for name in set(verify.registry()) - registered:
                    verify.unregister(name)
    plt.close("all")


def _installed(name: str) -> bool:
    """An installed package, not a namespace package such as a directory named ``torch`` on the path."""
    spec = importlib.util.find_spec(name)
    return spec is not None and spec.origin not in (None, "namespace")


def _prose(page: str) -> str:
    return " ".join((DOCS / page).read_text(encoding="utf-8").split())


def test_concepts_fast_transform_statement_matches_the_code():
    # every abelian group takes the FFT route, a group given by its Cayley table or by permutations
    # included (through the cyclic coordinates found from its law), as the concepts page says
    import numpy as np

    import groupmat as gm

    text = _prose("concepts.rst")
    assert "one multidimensional FFT for every abelian group" in text and "G.cyclic_coordinates()" in text
    assert "takes the dense route" in text and "not recognised as a product of cyclic groups" not in text
    C4xC2 = gm.group("C4xC2")
    from_table = gm.from_cayley_table(C4xC2.cayley_table())
    from_perms = gm.from_permutations([[1, 2, 3, 0, 4, 5], [0, 1, 2, 3, 5, 4]])       # C4 x C2 on 6 points
    kinds = [gm.routing.transform_kind(G) for G in (C4xC2, from_table, from_perms, gm.dihedral(5),
                                                     gm.symmetric(4))]
    assert kinds == ["abelian", "abelian", "abelian", "dihedral", "dense"]
    assert sorted(from_table.cyclic_coordinates().shape) == [2, 4] == sorted(from_perms.cyclic_coordinates().shape)
    assert gm.routing.has_fast_transform(gm.dihedral(8)) and not gm.routing.has_fast_transform(gm.symmetric(4))
    # the fast route on a table-given group agrees with the definition (x * y)(t) = sum_u x(u) y(u^-1 t)
    rng = np.random.default_rng(0)
    for G in (from_table, from_perms):
        x, y = rng.normal(size=(2, G.order))
        e = np.arange(G.order)
        U, T = np.meshgrid(e, e, indexing="ij")
        definition = np.zeros(G.order)
        np.add.at(definition, T.ravel(), (x[U] * y[G.mul(G.inv(U), T)]).ravel())
        assert gm.routing.convolve_route(G) == "fft"
        assert np.allclose(gm.convolve(G, x, y), definition)


def test_concepts_gm_ldr_cost_statement_matches_the_code():
    # M = M_b + sum_{i<r} diag(v_i) M_{u_i}: r + 1 group convolutions and r diagonal scalings
    import numpy as np

    import groupmat as gm

    text = _prose("concepts.rst")
    assert "multiplies a vector with :math:`r + 1` group convolutions" in text
    G, r = gm.dihedral(4), 3
    rng = np.random.default_rng(0)
    b, U, V, x = rng.normal(size=G.order), rng.normal(size=(r, G.order)), rng.normal(size=(r, G.order)), \
        rng.normal(size=G.order)
    M = gm.group_matrix(G, b) + sum(np.diag(V[i]) @ gm.group_matrix(G, U[i]) for i in range(r))
    inv = G.inv(G.elements())
    # M_u v = convolve(G, v, u[G.inv(e)]): one convolution for b and one per u_i
    y = gm.convolve(G, x, b[inv]) + sum(V[i] * gm.convolve(G, x, U[i][inv]) for i in range(r))
    assert np.allclose(M @ x, y)


def test_architecture_page_maps_every_module():
    # the package map of docs/architecture.rst names every module file in the row of its package
    text = (DOCS / "architecture.rst").read_text(encoding="utf-8")
    table = text.split(".. list-table::", 1)[1].split("\nThe top level", 1)[0]
    rows = {}
    for row in table.split("   * - ")[1:]:
        label = row.splitlines()[0].strip()
        rows[label] = " ".join(row.split())
    missing = []
    for path in sorted((ROOT / "groupmat").rglob("*.py")):
        rel = path.relative_to(ROOT / "groupmat")
        if path.name == "__init__.py" or "__pycache__" in rel.parts:
            continue
        if len(rel.parts) > 1:
            label = f"``groupmat.{rel.parts[0]}``"
        elif path.stem in ("cli", "__main__"):
            label = "``groupmat.cli``"
        elif path.stem.startswith("_") or path.stem in ("caching", "tolerances"):
            label = "base"
        else:
            label = f"``groupmat.{path.stem}``"
        if label not in rows or f"``{path.name}``" not in rows[label]:
            missing.append(f"groupmat/{rel} (row {label})")
    assert not missing, f"docs/architecture.rst: the package map does not list {missing}"
    # and the layers stated on the page are the ones tests/test_architecture.py enforces
    assert "ldr, equivariance" in text and "io, graphs, plotting, verify" in text
    assert "torch, dask" in text and "-> cli" in text
