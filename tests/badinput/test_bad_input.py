"""Bad input never crashes: each case of :mod:`tests.badinput.cases` runs the real CLI in a
process of its own and must exit 2 with one line that names the file or option at fault,
no traceback, and no secret the input carried. ``HARNESS_DEBUG=1`` shows the traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.emulators import make_tls
from tests.badinput.cases import CASES, SECRET, Case, target_file
from tests.badinput.cli_process import Outcome, run_cli, run_console_script


@pytest.fixture(scope="module")
def ca_pem(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return make_tls(tmp_path_factory.mktemp("tls")).ca.read_bytes()


def _folder(case: Case, root: Path, ca_pem: bytes) -> Path:
    (root / "ca.pem").write_bytes(ca_pem)
    (root / "not-pem.txt").write_text("this is not a certificate\n", encoding="utf-8")
    for name, content in case.files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def _assert_one_line_error(case: Case, outcome: Outcome) -> None:
    shown = outcome.output[-3000:]
    assert outcome.code == 2, shown
    assert "Traceback" not in outcome.output, shown
    assert len(outcome.lines) == 1, shown
    line = outcome.lines[0]
    assert line.startswith("harness"), line
    assert case.names in line, line
    if case.hidden:
        assert case.hidden not in outcome.output, line


def test_there_are_at_least_forty_cases() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_exits_2_with_one_line_naming_the_culprit(
    case: Case, tmp_path: Path, ca_pem: bytes
) -> None:
    folder = _folder(case, tmp_path, ca_pem)
    outcome = run_cli(case.argv, cwd=folder, env=case.env)
    _assert_one_line_error(case, outcome)
    assert not (folder / "out" / "results.json").exists(), "a refused run wrote results"


def test_the_console_script_behaves_as_the_forked_command(tmp_path: Path, ca_pem: bytes) -> None:
    case = CASES[0]
    folder = _folder(case, tmp_path, ca_pem)
    outcome = run_console_script(case.argv, cwd=folder, env=case.env)
    _assert_one_line_error(case, outcome)
    assert outcome.output == run_cli(case.argv, cwd=folder, env=case.env).output


def test_harness_debug_shows_the_traceback_redacted(tmp_path: Path, ca_pem: bytes) -> None:
    (tmp_path / "ca.pem").write_bytes(ca_pem)
    (tmp_path / "bad.toml").write_text(
        target_file(base_url=f"https://user:{SECRET}@127.0.0.1:9/v1"), encoding="utf-8"
    )
    argv = ("run", "--target-file", "bad.toml", "--results", "out/results.json")
    outcome = run_cli(argv, cwd=tmp_path, env={"HARNESS_DEBUG": "1"})
    assert outcome.code == 2
    assert "Traceback" in outcome.stderr and "TargetFileError" in outcome.stderr
    assert outcome.stderr.rstrip().splitlines()[-1].startswith("harness: error: bad.toml")
    assert SECRET not in outcome.output
