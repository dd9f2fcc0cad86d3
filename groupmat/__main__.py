"""``python -m groupmat``: the same program as the ``groupmat`` command (see :mod:`groupmat.cli`)."""
import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
