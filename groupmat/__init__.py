"""groupmat: finite groups and the structured matrices they generate.

Group matrices, regular and irreducible representations, the Fourier transform on a group,
displacement structure, and projections onto equivariant maps, exact (SymPy) and fast (NumPy).
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

__all__ = ["TooLargeError", "cayley_graph", "__version__"] + list(_groups_all) + list(_matrices_all) + list(_reps_all)
