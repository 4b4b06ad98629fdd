"""``harness selftest`` and ``harness faults`` as commands: bad options are one-line harness
errors, ``--fault`` proves one fault with its vendor's clean runs, and ``faults`` says how
each fault breaks its clause and in which mode it is proven (``--require-coverage`` is
tested on a vendor with a gap: test_unfaultable.py)."""

from __future__ import annotations

import re

import pytest

from harness.cli import main
from harness.emulators import fault_catalog
from tests.selftest._vendors import cheap_vendor, middleware_faults

VENDOR = cheap_vendor()
FAULT = middleware_faults(VENDOR)[0]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["selftest", "--jobs", "0"], "--jobs 0: expected a number of worker processes >= 1"),
        (["selftest", "nope"], "unknown vendor 'nope'; known vendors:"),
        (["selftest", VENDOR, "--fault", "nope"], "--fault 'nope' is not a fault of"),
        (["selftest", "--fault", FAULT, "--changed"], "--fault and --changed both pick"),
        (["faults", "nope"], "unknown vendor 'nope'"),
    ],
)
def test_bad_options_are_one_line_harness_errors(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_one_fault_is_proven_with_its_vendors_clean_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["selftest", VENDOR, "--fault", FAULT, "--jobs", "1"])
    out = capsys.readouterr().out
    assert re.search(rf"^\[\d/\d\] {VENDOR} clean: ", out, re.MULTILINE), out
    assert f"{VENDOR} {FAULT}: found" in out
    assert "selected: 1 fault(s) of " + VENDOR in out
    assert f"{VENDOR}: proven 1/" in out and "detected 1/1 faults" in out
    assert code == 0


def test_faults_lists_each_fault_with_its_clause_kind_and_mode(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["faults"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    faults = [f for v in fault_catalog().values() for f in v]
    assert len(lines) == len(faults)
    for line, fault in zip(lines, faults, strict=True):
        cells = line.split()
        assert cells[:4] == [fault.name, fault.clause, fault.kind, fault.mode]
    subtle = sum(1 for f in faults if f.subtle)
    strict = sum(1 for f in faults if f.strict)
    assert f"{len(faults)} faults ({subtle} subtle, {strict} strict)" in captured.err
