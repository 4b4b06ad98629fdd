"""The monitor config file: targets by glob, policies (defaults < command line < the most
specific ``[[target]]``), recurring maintenance windows."""

from __future__ import annotations

from pathlib import Path

from harness.monitor.config import load_config

CONFIG = """
targets = ["targets/*.toml"]

[defaults]
retries = 2
retry_delay = "30s"
degraded_ms = 2000
reminder = "4h"

[alerts]
group_wait = 0

[[target]]
match = "itrp*"
degraded_ms = 800
rate_limit_group = "acme"

[[maintenance]]
match = "turris*"
days = ["sat", "sun"]
start = "02:30"
duration = "2h"
timezone = "Europe/Berlin"
reason = "weekly deploy"
"""


def test_a_config_file_sets_targets_policies_and_windows(tmp_path: Path) -> None:
    (tmp_path / "targets").mkdir()
    for name in ("b.toml", "a.toml"):
        (tmp_path / "targets" / name).write_text("", encoding="utf-8")
    path = tmp_path / "monitor.toml"
    path.write_text(CONFIG, encoding="utf-8")
    config = load_config(path)
    assert [p.name for p in config.target_files] == ["a.toml", "b.toml"]
    assert config.group_wait == 0.0
    turris = config.policy_for("turris", "turris prod", {"retries": 3, "reminder": None})
    assert (turris.retries, turris.retry_delay, turris.degraded_ms) == (3, 30.0, 2000)
    assert turris.reminder == 4 * 3600 and turris.rate_limit_group is None
    itrp = config.policy_for("itrp", "itrp acme prod", {"degraded_ms": 5000.0})
    assert itrp.degraded_ms == 800 and itrp.rate_limit_group == "acme"  # most specific wins
    (window,) = config.maintenance
    assert (window.days, window.start, window.duration) == ((5, 6), 150, 7200.0)
    assert window.zone == "Europe/Berlin" and window.reason == "weekly deploy"
