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
from .core import (SIDES, Identity, NotApplicable, Row, default_zoo, plan, register, registry, run, select,
                   small_zoo, topics, unregister)
from . import theorems_groups, theorems_characters, theorems_displacement, theorems_equivariance  # noqa: F401,E402

__all__ = ["Identity", "NotApplicable", "Row", "SIDES", "register", "unregister", "registry", "topics", "select",
           "plan", "run", "default_zoo", "small_zoo"]
