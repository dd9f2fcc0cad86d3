"""Checkable statements, each written once and registered for ``groupmat verify``.

Importing this package registers every identity; each submodule holds one topic.
"""
from . import characters, displacement, equivariance, groups  # noqa: F401
