"""The selftest fails the way it should, end to end: a made-up vendor (a copy of a built-in
one) whose emulator registers faults that are wrong on purpose (one that changes nothing,
one filed under the wrong clause, one that breaks two clauses) is judged by the real
emulator, engine and checks, side by side in worker processes as it is one by one."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator

import pytest

from harness.emulators import vendor_module
from tests.selftest._vendors import cheap_vendor, clone_vendor, middleware_faults

ORIGINAL = cheap_vendor()
FIRST_NAME, SECOND_NAME = middleware_faults(ORIGINAL)[:2]
BY_NAME = {f.name: f for f in vendor_module(ORIGINAL).FAULTS}
FIRST, SECOND = BY_NAME[FIRST_NAME], BY_NAME[SECOND_NAME]

EMULATOR = f'''"""{ORIGINAL}'s emulator with faults that are wrong on purpose."""
from harness.emulators.{ORIGINAL} import FAULTS as ORIGINAL, create_app, credentials
from harness.emulators._faults import Fault, rewriter

BY_NAME = {{f.name: f for f in ORIGINAL}}
FIRST, SECOND = BY_NAME["{FIRST_NAME}"], BY_NAME["{SECOND_NAME}"]


def both(app, active):
    return FIRST.wrap(SECOND.wrap(app, active), active)


def unchanged(scope, status, headers, body):
    return status, headers, body


FAULTS = (
    FIRST,
    Fault("blind", FIRST.clause, "changes nothing", rewriter(unchanged)),
    Fault("relabelled", SECOND.clause, "breaks the first clause, filed under the second",
          FIRST.wrap),
    Fault("two-at-once", SECOND.clause, "breaks both clauses", both),
)
'''


@pytest.fixture(scope="module")
def vendor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("vendors")
    name = f"wrong{uuid.uuid4().hex[:8]}"
    clone_vendor(root, ORIGINAL, name, EMULATOR)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HARNESS_VENDOR_PATH", str(root))
        yield name


def run_cli(vendor: str, jobs: int) -> tuple[int, str]:
    """``harness selftest VENDOR --jobs N -q`` in a fresh process (schemas load once per
    process, so the made-up vendor's must be there from the start)."""
    done = subprocess.run(
        [sys.executable, "-m", "harness.cli", "selftest", vendor, "--jobs", str(jobs), "-q"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=600,
        check=False,
    )
    return done.returncode, done.stdout


@pytest.fixture(scope="module")
def cli_run(vendor: str) -> tuple[int, str]:
    return run_cli(vendor, 2)


def test_the_selftest_fails_when_a_fault_is_wrong(cli_run: tuple[int, str]) -> None:
    assert cli_run[0] == 1


def test_a_fault_that_changes_nothing_is_missed(cli_run: tuple[int, str]) -> None:
    assert f"missed: blind (breaks {FIRST.clause}): no finding on {FIRST.clause}" in cli_run[1]


def test_a_fault_filed_under_another_clause_is_caught_on_the_wrong_clause(
    cli_run: tuple[int, str],
) -> None:
    assert (
        f"wrong clause: relabelled (breaks {SECOND.clause}) was caught only on {FIRST.clause}"
    ) in cli_run[1]


def test_a_fault_that_breaks_two_clauses_lists_its_collateral_with_check_and_clause(
    cli_run: tuple[int, str],
) -> None:
    lines = cli_run[1].splitlines()
    header = f"collateral: two-at-once (breaks {SECOND.clause}) also tripped"
    (at,) = [i for i, line in enumerate(lines) if line.startswith(header)]
    listed = []
    for line in lines[at + 1 :]:
        if not line.startswith("    "):
            break
        listed.append(line)
    assert listed
    assert all(
        re.match(rf"    {re.escape(FIRST.clause)} by [a-z0-9.-]+( \[[^]]+\])?: ", x) for x in listed
    )


def test_the_vendor_line_counts_only_the_clean_proof(vendor: str, cli_run: tuple[int, str]) -> None:
    assert f"{vendor}: proven 1/" in cli_run[1]
    assert "clauses, detected 2/4 faults" in cli_run[1]
    assert "clean" not in cli_run[1]  # the clean emulator stayed silent


def test_side_by_side_and_one_by_one_give_the_same_verdicts(
    vendor: str, cli_run: tuple[int, str]
) -> None:
    code, out = run_cli(vendor, 1)
    assert code == cli_run[0]
    verdicts = [line for line in cli_run[1].splitlines() if not line.startswith("    ")]
    assert [line for line in out.splitlines() if not line.startswith("    ")] == verdicts
