"""Bad input to ``harness monitor``: exit 2 with one line naming the option, no traceback,
before anything starts (the value of a possibly secret option is not echoed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.monitor.conftest import run_monitor

SECRET = "hunter2-DISTINCTIVE"

CASES = {
    "unbalanced alert-command quote": (
        ["--alert-command", f"notify --token {SECRET} 'unbalanced"],
        "--alert-command",
    ),
    "empty alert-command": (["--alert-command", "  "], "--alert-command"),
    "metrics port out of range": (["--metrics-port", "70000"], "--metrics-port"),
    "metrics port not a number": (["--metrics-port", "http"], "--metrics-port"),
    "postgresql URL with a bad port": (
        ["--db", f"postgresql://u:{SECRET}@127.0.0.1:99999/h"],
        "--db",
    ),
    "postgresql URL with a port that is no number": (
        ["--db", f"postgresql://u:{SECRET}@127.0.0.1:5x32/h"],
        "--db",
    ),
    "postgresql server not there": (["--db", f"postgresql://u:{SECRET}@127.0.0.1:1/h"], "--db"),
    "no database URL": (["--db", "not a url"], "--db"),
    "shard out of range": (["--shard", "3/3"], "--shard"),
    "shard not I/N": (["--shard", "half"], "--shard"),
    "negative retries": (["--retries", "-1"], "--retries"),
    "bad retry delay": (["--retry-delay", "soon"], "--retry-delay"),
    "zero budget": (["--budget", "0"], "--budget"),
    "bad concurrency": (["--concurrency", "many"], "--concurrency"),
    "bad degraded-ms": (["--degraded-ms", "-5"], "--degraded-ms"),
    "webhook not http": (["--alert-webhook", "ftp://hooks.example/x"], "--alert-webhook"),
    "missing config file": (["--config", "/nonexistent/monitor.toml"], "monitor.toml"),
    "pause without --for": (["pause", "itrp*", "--reason", "x"], "--for"),
    "--for without pause": (["--for", "2h"], "--for"),
}


@pytest.mark.parametrize(("argv", "names"), list(CASES.values()), ids=list(CASES))
def test_bad_input_exits_2_with_one_line_naming_the_option(
    argv: list[str], names: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = [] if "--db" in argv else ["--db", f"sqlite:///{tmp_path / 'h.sqlite'}"]
    assert run_monitor("monitor", "--once", *argv, *db) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1, err
    assert err.startswith("harness: error: ") and names in err
    assert "Traceback" not in err and SECRET not in err


def test_a_config_file_mistake_names_the_file_and_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "monitor.toml"
    for text, key in (
        ("[defaults]\nretries = 'two'\n", "defaults.retries"),
        ("[defaults]\nreminder = 'often'\n", "defaults.reminder"),
        ("[[maintenance]]\nmatch='*'\nstart='25:00'\nduration='1h'\nreason='x'\n", "start"),
        ("[[maintenance]]\nmatch='*'\nstart='01:00'\nduration='1h'\nreason='x'\n"
         "timezone='Mars/Olympus'\n", "maintenance[0].timezone"),
        ("targets = ['nowhere/*.toml']\n", "targets[0]"),
        ("[[target]]\nmatch = 'itrp*'\nretires = 2\n", "retires"),
    ):  # fmt: skip
        config.write_text(text, encoding="utf-8")
        assert run_monitor("monitor", "--config", config, "--db", f"sqlite:///{tmp_path}/h") == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and str(config) in err and key in err, err
