"""The checkable identities of groupmat and the registry that runs them (``groupmat verify``).

:mod:`groupmat.verify.core` holds the registry (:func:`register`, :func:`run`, :class:`Row`, the
zoos of groups); each ``theorems_<topic>.py`` module states the identities of one topic, each written
once next to its mathematics. Importing this package registers all of them.

Examples
--------
>>> import groupmat.verify as verify
>>> rows = verify.run(topics=["groups"], groups=[verify.default_zoo()[3]])
>>> all(row.ok for row in rows)
True
"""
from .core import (DENSE_CHECK_MAX, SIDES, Identity, NotApplicable, Row, TooLargeToCheck, default_zoo, plan,
                   register, registry, require_memory, require_order, run, run_row, select, small_zoo, topics,
                   unregister)
from . import (theorems_groups, theorems_characters, theorems_displacement, theorems_equivariance,  # noqa: F401,E402
               theorems_solvers, theorems_schur)

__all__ = ["Identity", "NotApplicable", "TooLargeToCheck", "Row", "SIDES", "register", "unregister", "registry",
           "topics", "select", "plan", "run", "run_row", "default_zoo", "small_zoo", "require_order", "require_memory",
           "DENSE_CHECK_MAX"]
