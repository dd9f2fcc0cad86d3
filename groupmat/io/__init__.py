"""Export and import: in-memory conversion, framework bridges, bundle files, LaTeX."""
from .bundle import *  # noqa: F401,F403
from .bundle import __all__  # noqa: F401
