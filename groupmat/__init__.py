"""groupmat: finite groups and the structured matrices they generate.

Group matrices, regular and irreducible representations, the Fourier transform on a group,
displacement structure, and projections onto equivariant maps, exact (SymPy) and fast (NumPy).

The core imports neither matplotlib nor any optional dependency: the plotting functions
(``plot_group_matrix``, ``draw_cayley_graph``, ...) are loaded on first use.
"""
__version__ = "0.1.0"

from ._validation import TooLargeError
from .graphs import cayley_graph
from .groups import *  # noqa: F401,F403
from .groups import __all__ as _groups_all
from .matrices import *  # noqa: F401,F403
from .matrices import __all__ as _matrices_all
from .reps import *  # noqa: F401,F403
from .reps import __all__ as _reps_all
from .ldr import *  # noqa: F401,F403
from .ldr import __all__ as _displacement_all
from .equivariance import *  # noqa: F401,F403
from .equivariance import __all__ as _equivariance_all
from .io import *  # noqa: F401,F403
from .io import __all__ as _export_all


def __getattr__(name):
    # plotting needs matplotlib: import it only when a plotting name is first used
    if name.startswith(("plot_", "draw_")):
        from . import plotting

        if name in getattr(plotting, "__all__", ()):
            return getattr(plotting, name)
    raise AttributeError(f"module 'groupmat' has no attribute {name!r}")


# reps' fast ``convolve`` (FFT routes) replaces the dense one of ``matrices``: list each name once
__all__ = list(dict.fromkeys(["TooLargeError", "cayley_graph", "__version__"] + list(_groups_all) + list(_matrices_all)
                             + list(_reps_all) + list(_displacement_all) + list(_equivariance_all) + list(_export_all)))
