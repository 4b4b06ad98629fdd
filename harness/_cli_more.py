"""Registration point for sub-commands defined outside cli.py."""

from __future__ import annotations

import argparse

from harness import _cli_emulate, _cli_monitor, _cli_plan, _cli_report, _cli_run, _cli_selftest


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the sub-commands that live in their own modules."""
    _cli_emulate.register(sub)
    _cli_run.register(sub)
    _cli_run.register_checks(sub)
    _cli_report.register(sub)
    _cli_report.register_verify(sub)
    _cli_monitor.register(sub)
    _cli_selftest.register(sub)
    _cli_plan.register(sub)  # harness plan, harness facts
