"""Shared pytest setup for the groupmat tests.

- Puts ``tests/`` on ``sys.path`` so that any test module can ``from strategies import ...``.
- Registers a hypothesis profile ``groupmat`` (``deadline=None``, 20 examples) and loads it; a test
  may still lower or raise ``max_examples`` with its own ``@settings``.
- ``gap_groups()`` (a plain function, for ``pytest.mark.parametrize``) and the fixture ``gap_reference``
  return the GAP reference data of ``tests/data/gap-groups.jsonl``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

from strategies import gap_group, gap_groups  # noqa: E402

settings.register_profile("groupmat", deadline=None, max_examples=20,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
settings.load_profile("groupmat")

__all__ = ["gap_groups", "gap_group"]


@pytest.fixture(scope="session")
def gap_reference() -> list[dict]:
    """The parsed GAP reference groups (see ``tests/data/README.md``)."""
    return gap_groups()
