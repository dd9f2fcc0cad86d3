"""Sphinx configuration of the groupmat documentation.

Build with ``python -m sphinx -W --keep-going -b html docs docs/_build/html`` (warnings are errors: a
broken reference or an undocumented public name fails the build). The API reference is generated at
build time from ``groupmat.__all__`` by ``_ext/groupmat_api.py``; the gallery's pictures are drawn at
build time by matplotlib's ``plot`` directive.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "_ext"))
sys.path.insert(0, os.path.dirname(HERE))  # the checkout, so the docs build without installing
os.environ.setdefault("MPLBACKEND", "Agg")

import groupmat  # noqa: E402

project = "groupmat"
author = "the groupmat developers"
copyright = "the groupmat developers"
version = release = groupmat.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "matplotlib.sphinxext.plot_directive",
    "groupmat_api",
]

exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
templates_path = []
html_static_path = []
html_theme = "alabaster"
html_theme_options = {"description": "finite groups and the structured matrices they generate",
                      "fixed_sidebar": True}
html_title = f"groupmat {release}"
default_role = "code"
pygments_style = "sphinx"

# numpydoc-style docstrings through napoleon (no numpydoc package needed)
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_ivar = True          # "Attributes" as fields: no duplicate entries next to :members:
napoleon_use_rtype = False
napoleon_use_param = False        # types are prose ("array_like of shape (n,)"): shown, not cross-referenced
napoleon_use_keyword = False
napoleon_preprocess_types = False

# numpydoc "References" sections list ".. [1]" footnotes that the text need not cite
suppress_warnings = ["ref.footnote"]

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = True
autodoc_inherit_docstrings = True
autosummary_generate = False

# the gallery: pictures rendered at build time, with their source shown above them
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 90)]
plot_pre_code = "import numpy as np\nimport matplotlib.pyplot as plt\nimport groupmat as gm\n"
plot_rcparams = {"figure.autolayout": False}
