"""The harness's pytest plugin: options, markers and fixtures for the conformance suites.

Registered through the ``pytest11`` entry point. One option group (``harness``), each
option with an ini twin; state lives in ``config.stash``.
"""

from __future__ import annotations

import pytest

MARKERS = (
    "clause(*ids): the clause ids of the catalog that this check verifies",
    "concern(name): the concern a check belongs to (auth, pagination, ...)",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("harness", "conformance harness")
    group.addoption(
        "--target-file",
        action="append",
        default=[],
        metavar="FILE",
        help="target file (TOML) to probe; may be given several times",
    )
    parser.addini("harness_target_files", "target files to probe", type="linelist", default=[])


def pytest_configure(config: pytest.Config) -> None:
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)
