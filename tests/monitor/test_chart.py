"""The trend chart: drawn by matplotlib, one self-contained HTML file, and what a person
sees in a browser (headless Chromium) shows a failure seconds before a healthy record."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest

from harness.monitor.chart import COLORS, MAINTENANCE
from harness.monitor.maintenance import open_window
from harness.monitor.status import CheckRecord, VendorRecord
from harness.monitor.store import Cycle, HistoryStore
from tests.monitor.conftest import run_monitor

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
HOUR = 3600.0
NOW = 1_900_000_000.0


def _record(status: str, at: float, latency: float = 0.05) -> VendorRecord:
    outcome = "error" if status == "unreachable" else "passed"
    reason = "target unavailable: refused" if status == "unreachable" else ""
    return VendorRecord(
        vendor="itrp",
        target="itrp prod",
        mode="live",
        status=status,  # type: ignore[arg-type]
        started=at,
        finished=at + 2,
        requests=20,
        budget=40,
        checks=(CheckRecord("c", "", outcome, ("ITRP-X",), 20, 1.0, reason),),
        latencies=() if status == "unreachable" else (latency, latency * 2),
    )


@pytest.fixture
def history(tmp_path: Path) -> str:
    """A day of hourly healthy records; one failing record 3 s before a healthy one (no
    finding, so red can only come from the status strip); a maintenance window."""
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    store = HistoryStore(url)
    cycle = Cycle("test", NOW - 25 * HOUR)
    for i in range(24):
        at = NOW - (24 - i) * HOUR
        if i == 12:
            store.save(cycle, _record("failing", at - 3))
        maintenance = "maintenance: weekly deploy" if 18 <= i < 20 else None
        store.save(
            cycle, replace(_record("healthy", at, 0.05 + 0.01 * (i % 3)), maintenance=maintenance)
        )
    open_window(store, "itrp*", 2 * HOUR, "vendor migration", now=NOW - 8 * HOUR)
    store.close()
    return url


def _chart(history: str, tmp_path: Path) -> Path:
    chart = tmp_path / "out" / "trend.html"
    assert run_monitor("history", "--db", history, "--since", "100000d", "--chart", chart) == 0
    return chart


def test_the_chart_is_drawn_by_matplotlib_in_one_self_contained_file(
    history: str, tmp_path: Path
) -> None:
    html = _chart(history, tmp_path).read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.count("<svg") == 1
    assert "Matplotlib" in html or "matplotlib" in html  # the SVG generator's own marks
    assert "<script" not in html.lower() and "@import" not in html and "url(http" not in html
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html
    refs = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', html)
    assert refs and all(ref.startswith("#") for ref in refs), refs  # in-document only
    assert "<text" not in html  # text drawn as paths: no font to fetch
    assert "itrp prod" in html and "paused: vendor migration" in html
    assert "maintenance: weekly deploy" in html


def _pixels(png: Path, colour: str) -> int:
    from PIL import Image

    wanted = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    with Image.open(png) as image:
        rgb = image.convert("RGB")
        return sum(
            1
            for pixel in rgb.get_flattened_data()
            if all(abs(a - b) <= 6 for a, b in zip(pixel, wanted, strict=True))
        )


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
def test_a_browser_shows_the_failure_seconds_before_a_healthy_record(
    history: str, tmp_path: Path
) -> None:
    chart = _chart(history, tmp_path)
    png = tmp_path / "chart.png"
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="harness-chromium-") as profile:
        shot = subprocess.run(
            [
                CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                "--window-size=1200,900", f"--screenshot={png}", chart.as_uri(),
            ],
            capture_output=True, text=True, timeout=180,
        )  # fmt: skip
    assert shot.returncode == 0 and png.is_file(), shot.stderr[-2000:]
    assert _pixels(png, COLORS["healthy"]) > 2000  # the status strip is drawn
    assert _pixels(png, COLORS["failing"]) > 40  # the 2-second failure is a visible bar
    assert _pixels(png, MAINTENANCE) > 1000  # the windows are shaded
