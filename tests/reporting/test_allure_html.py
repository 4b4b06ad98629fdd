"""The Allure HTML report: built offline, one file, loads nothing from outside, keeps history.

The end-to-end tests install Allure 3 once (npm, ~12 s, 53 MB) into the same tools folder
the CLI uses (``$HARNESS_TOOLS_DIR``, else ``<repo>/.tools/allure``), so CI installs once;
they skip when Node.js/npm are missing. The Chromium test skips when Chromium is missing.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import unquote

import pytest

from harness import _cli_report, runner
from harness.catalog import load_catalog
from harness.errors import HarnessError
from harness.reporting import allure_html
from harness.reporting.allure_html import (
    ALLURE_VERSION,
    allurerc,
    build_report,
    ensure_allure,
    external_references,
)
from harness.reporting.allure_results import CATEGORIES
from harness.runner import RunOptions, RunReport

REPO = Path(__file__).resolve().parents[2]
TOOLS = Path(os.environ.get("HARNESS_TOOLS_DIR") or REPO / ".tools" / "allure")
CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)


# --- external_references on synthetic pages ------------------------------------------


def _page(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_plain_mentions_are_not_loads(tmp_path: Path) -> None:
    _page(
        tmp_path,
        "index.html",
        """<!DOCTYPE html><html><head><title>r</title>
        <link rel="stylesheet" href="styles.css"><script src="app.js"></script>
        <script src="data:text/javascript;base64,"""
        + base64.b64encode(b"const home = 'https://allurereport.org';").decode()
        + """"></script></head>
        <body><a href="https://vendor-docs.invalid/trackops#x">docs</a>
        <svg xmlns="http://www.w3.org/2000/svg"><image href="local.png"/></svg>
        <p>See https://example.org for details; // not a URL</p>
        <img src="data:image/png;base64,iVBORw0KGgo="></body></html>""",
    )
    _page(
        tmp_path, "styles.css", "body{background:url(data:image/png;base64,AAAA)} a{x:url(./a.png)}"
    )
    _page(
        tmp_path, "app.js", "const u = new URL(p, origin); fetch(`data/x.json`); // https://x.y\n"
    )
    assert external_references(tmp_path) == []


@pytest.mark.parametrize(
    ("name", "text", "url"),
    [
        (
            "index.html",
            '<script async src="https://www.googletagmanager.com/gtag/js?id=G-X"></script>',
            "https://www.googletagmanager.com/gtag/js?id=G-X",
        ),
        (
            "index.html",
            '<link rel="preconnect" href="https://fonts.gstatic.com">',
            "https://fonts.gstatic.com",
        ),
        ("index.html", "<link rel=dns-prefetch href=//cdn.example.net>", "//cdn.example.net"),
        (
            "index.html",
            '<img srcset="a.png 1x, https://cdn.example/b.png 2x">',
            "https://cdn.example/b.png",
        ),
        ("index.html", '<iframe src="http://evil.example/"></iframe>', "http://evil.example/"),
        (
            "s.css",
            "@font-face{src:url('https://fonts.example/a.woff2')}",
            "https://fonts.example/a.woff2",
        ),
        ("s.css", '@import "https://cdn.example/x.css";', "https://cdn.example/x.css"),
        ("a.js", 'import("https://cdn.example/m.js")', "https://cdn.example/m.js"),
        ("a.js", "import {x} from 'https://cdn.example/m.js';", "https://cdn.example/m.js"),
        (
            "a.js",
            "fetch('https://api.example/track', {method: 'POST'})",
            "https://api.example/track",
        ),
        ("a.js", "navigator.sendBeacon(`https://t.example/c`, d)", "https://t.example/c"),
        ("a.js", "x.open('GET', 'https://api.example/q')", "https://api.example/q"),
        ("a.js", 'new WebSocket("wss://live.example/ws")', "wss://live.example/ws"),
        (
            "a.js",
            "s.src='https://www.googletagmanager.com/gtm.js?id='+i",
            "https://www.googletagmanager.com/gtm.js?id=",
        ),
        ("a.js", "e.setAttribute('src', 'https://cdn.example/p.js')", "https://cdn.example/p.js"),
    ],
)
def test_loads_from_outside_are_found(tmp_path: Path, name: str, text: str, url: str) -> None:
    _page(tmp_path, name, text)
    found = external_references(tmp_path)
    assert len(found) == 1 and found[0].startswith(f"{name}: ") and found[0].endswith(url)


def test_scripts_embedded_as_data_urls_are_scanned(tmp_path: Path) -> None:
    script = (
        b"(function(){var s=document.createElement('script');s.src='https://t.example/a.js'})()"
    )
    style = b"@import url(https://fonts.example/css2);"
    _page(
        tmp_path,
        "index.html",
        f'<link rel="stylesheet" href="data:text/css;base64,{base64.b64encode(style).decode()}">'
        f'<script src="data:text/javascript;base64,{base64.b64encode(script).decode()}"></script>',
    )
    found = external_references(tmp_path)
    assert [f.split(": ")[0] for f in found] == [
        "index.html [embedded text/css]",
        "index.html [embedded text/javascript]",
    ]


# --- configuration, categories, failures (no Node needed) ----------------------------


def test_allurerc_single_file_history_and_categories(tmp_path: Path) -> None:
    text = allurerc(output=tmp_path / "out", history=tmp_path / "h.jsonl", categories=CATEGORIES)
    assert "allure2: { options: " in text and '"singleFile": true' in text
    assert f"historyPath: {json.dumps(str(tmp_path / 'h.jsonl'))}" in text
    assert 'new RegExp(".*target unavailable.*", "s")' in text
    assert "(?s)" not in text  # Java's inline flag is a syntax error in JavaScript
    assert "awesome" not in text and "classic" not in text


@pytest.mark.skipif(shutil.which("node") is None, reason="node not found (Node.js 20+)")
def test_allurerc_is_a_module_node_can_load(tmp_path: Path) -> None:
    config = tmp_path / "allurerc.mjs"
    config.write_text(
        allurerc(output=tmp_path / "out", history=tmp_path / "h.jsonl", categories=CATEGORIES)
    )
    probe = tmp_path / "probe.mjs"
    probe.write_text(
        "const c = (await import(process.argv[2])).default;\n"
        "console.log(JSON.stringify(c.categories.map((x) => [x.name, x.messageRegex.flags,"
        " x.messageRegex.test('x\\ntarget unavailable: refused')])));\n"
    )
    done = subprocess.run(
        ["node", str(probe), config.as_uri()], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        ["Vendor non-conformance", "s", True],
        ["Target unavailable", "s", True],
        ["Harness error", "s", True],
    ]


def test_missing_node_is_a_harness_error_saying_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(HarnessError, match=r"Node\.js 20\+ with npm .*apt-get install nodejs npm"):
        ensure_allure(tmp_path / "tools")


def _fake_install(tools: Path) -> None:
    package = tools / "node_modules" / "allure"
    package.mkdir(parents=True)
    (package / "package.json").write_text(json.dumps({"version": ALLURE_VERSION}))
    (package / "cli.js").write_text("")


def _results(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "0-result.json").write_text(json.dumps({"name": "TRK-X", "status": "passed"}))
    return folder


def test_a_failing_generate_keeps_the_old_report_and_shows_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = tmp_path / "tools"
    _fake_install(tools)
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    calls: list[list[str]] = []

    def runner(
        args: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float
    ) -> subprocess.CompletedProcess[str]:
        argv = list(args)
        calls.append(argv)
        assert timeout > 0 and env["ALLURE_NO_ANALYTICS"] == "true"
        if argv[1:] == ["--version"]:
            return subprocess.CompletedProcess(argv, 0, "v20.20.2\n", "")
        config = Path(argv[argv.index("--config") + 1]).read_text()
        assert "singleFile" in config and "historyPath" in config
        staged = Path(argv[3]) / "categories.json"
        assert "(?s)" not in staged.read_text()
        return subprocess.CompletedProcess(argv, 1, "", "line 1\nError: boom in generate\n")

    out = tmp_path / "report"
    out.mkdir()
    (out / "index.html").write_text("old report")
    with pytest.raises(HarnessError, match=r"(?s)allure generate .* failed .*boom in generate"):
        build_report(_results(tmp_path / "res"), out, tmp_path / "h.jsonl", tools, runner)
    assert (out / "index.html").read_text() == "old report"
    assert not [p for p in tmp_path.iterdir() if ".building-" in p.name]
    assert any("generate" in c for c in calls)


def test_no_results_is_a_harness_error(tmp_path: Path) -> None:
    with pytest.raises(HarnessError, match="no Allure results"):
        build_report(tmp_path / "none", tmp_path / "out", tmp_path / "h.jsonl", tmp_path)


def test_clean_results_removes_results_only(tmp_path: Path) -> None:
    folder = _results(tmp_path / "res")
    for name in ("a-container.json", "b-attachment.txt", "categories.json", "executor.json"):
        (folder / name).write_text("{}")
    _cli_report.clean_results(folder)
    assert list(folder.iterdir()) == []
    (folder / "notes.md").write_text("mine")
    with pytest.raises(HarnessError, match="refusing to clean"):
        _cli_report.clean_results(folder)
    assert (folder / "notes.md").exists()


def test_tools_dir_argument_then_environment_then_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARNESS_TOOLS_DIR", "/opt/tools/allure")
    assert _cli_report.tools_dir("x") == Path("x")
    assert _cli_report.tools_dir(None) == Path("/opt/tools/allure")
    monkeypatch.delenv("HARNESS_TOOLS_DIR")
    assert _cli_report.tools_dir(None) == Path(".tools/allure")


# --- end to end: a real trackops run, a real Allure ----------------------------------


@pytest.fixture(scope="module")
def allure_tools() -> Path:
    if shutil.which("node") is None:
        pytest.skip("node not found: Node.js 20+ with npm is needed to build the Allure report")
    if allure_html.installed_version(TOOLS) != ALLURE_VERSION and shutil.which("npm") is None:
        pytest.skip(f"npm not found and allure {ALLURE_VERSION} not installed in {TOOLS}")
    ensure_allure(TOOLS)
    return TOOLS


@pytest.fixture(scope="module")
def trackops_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("trackops")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "harness.cli",
            "run",
            "trackops",
            "--suite",
            "envelope",
            "--alluredir",
            str(base / "results"),
            "--results",
            str(base / "results.json"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=base,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return base / "results"


@pytest.fixture(scope="module")
def built(
    allure_tools: Path, trackops_results: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    base = tmp_path_factory.mktemp("report")
    return build_report(trackops_results, base / "out", base / "history.jsonl", allure_tools)


def _report_data(html: Path) -> dict[str, str]:
    """The report's embedded data files (single-file mode: d("name", "<base64>") calls)."""
    text = html.read_text(encoding="utf-8")
    pairs = re.findall(r'\bd\("([^"]+)","([A-Za-z0-9+/=]*)"\)', text)
    return {name: base64.b64decode(value).decode("utf-8", "replace") for name, value in pairs}


def test_the_report_is_one_file_with_the_run_in_it(built: Path) -> None:
    assert built.name == "index.html" and built.is_file()
    data = _report_data(built)
    cases = [json.loads(v) for k, v in data.items() if k.startswith("data/test-cases/")]
    names = {c["name"] for c in cases}
    assert any(n.startswith("TRK-RESP-200 [") for n in names), names
    labels = {(lb["name"], lb["value"]) for c in cases for lb in c["labels"]}
    assert ("epic", "Trackops") in labels and ("feature", "envelope") in labels
    assert "harness.version" in data["widgets/environment.json"]


def test_the_report_loads_nothing_from_outside(built: Path) -> None:
    assert external_references(built.parent) == []
    text = built.read_text(encoding="utf-8")
    assert "googletagmanager" not in text and "gtag(" not in text


def test_history_is_kept_between_builds(
    allure_tools: Path, trackops_results: Path, tmp_path: Path
) -> None:
    history = tmp_path / "allure-history.jsonl"
    build_report(trackops_results, tmp_path / "one", history, allure_tools)
    assert len(history.read_text().splitlines()) == 1
    second = build_report(trackops_results, tmp_path / "two", history, allure_tools)
    assert len(history.read_text().splitlines()) == 2
    trend = json.loads(_report_data(second)["widgets/history-trend.json"])
    assert len(trend) == 2  # this build and the one before


def test_categories_come_from_the_harness(
    allure_tools: Path, trackops_results: Path, tmp_path: Path
) -> None:
    results = tmp_path / "results"
    shutil.copytree(trackops_results, results)
    flipped = {"failed": "TRK-RESP-200: status 500", "broken": "target unavailable: refused"}
    files = [
        p
        for p in sorted(results.glob("*-result.json"))
        if json.loads(p.read_text())["name"].startswith("TRK-RESP-200 [")
    ]
    for path, (status, message) in zip(files, flipped.items(), strict=False):
        result = json.loads(path.read_text())
        result.update(status=status, statusDetails={"message": message})
        path.write_text(json.dumps(result))
    html = build_report(results, tmp_path / "out", tmp_path / "h.jsonl", allure_tools)
    widget = json.loads(_report_data(html)["widgets/categories.json"])
    assert {item["name"] for item in widget["items"]} == {
        "Vendor non-conformance",
        "Target unavailable",
    }


def test_run_and_report_cleans_results_and_keeps_history(
    allure_tools: Path,
    trackops_results: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    results, history = tmp_path / "allure-results", tmp_path / "allure-history.jsonl"
    _results(results)
    (results / "stale-result.json").write_text("{}")
    history.write_text("")
    seen: list[list[str]] = []

    def fake_run(options: RunOptions) -> RunReport:
        assert options.alluredir == results
        seen.append(sorted(p.name for p in results.iterdir()))
        shutil.copytree(trackops_results, results, dirs_exist_ok=True)
        return RunReport(results=[], targets=[])

    monkeypatch.setattr(runner, "run", fake_run)  # _cli_report imports it when called
    summaries: list[RunReport] = []
    code = _cli_report.run_and_report(
        RunOptions(vendors=["trackops"]),
        summary=summaries.append,
        results=results,
        out=tmp_path / "allure-report",
        history=history,
        tools=allure_tools,
    )
    assert seen == [[]] and len(summaries) == 1
    assert code == 2  # the fake run ran no check: the run's own exit code
    assert (tmp_path / "allure-report" / "index.html").is_file()
    assert len(history.read_text().splitlines()) == 1
    assert "report: " in capsys.readouterr().err


# --- what a person sees: headless Chromium -------------------------------------------


def _png_colours(png: bytes) -> int:
    """Distinct RGB colours of an 8-bit, non-interlaced RGB(A) PNG (stdlib only)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, header = 8, [], (0, 0, 0, 0, 0, 0, 0)
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and interlace == 0 and colour_type in (2, 6), header
    bpp = 3 if colour_type == 2 else 4
    raw, stride = zlib.decompress(b"".join(chunks)), width * bpp
    prev, i = bytearray(stride), 0
    colours: set[bytes] = set()
    for _ in range(height):
        ftype, line = raw[i], bytearray(raw[i + 1 : i + 1 + stride])
        i += 1 + stride
        if ftype == 1:
            for x in range(bpp, stride):
                line[x] = (line[x] + line[x - bpp]) & 255
        elif ftype == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev, strict=True))
        elif ftype == 3:
            for x in range(stride):
                left = line[x - bpp] if x >= bpp else 0
                line[x] = (line[x] + ((left + prev[x]) >> 1)) & 255
        elif ftype == 4:
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        colours.update(bytes(line[x : x + 3]) for x in range(0, stride, bpp))
        prev = line
    return len(colours)


def _chromium(url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="harness-chromium-") as profile:
        return subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={profile}",
                "--virtual-time-budget=15000",
                "--window-size=1400,900",
                *extra,
                url,
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
def test_chromium_opens_a_case_and_shows_its_clause_text_and_document_section(
    built: Path, tmp_path: Path
) -> None:
    data = _report_data(built)
    cases = [json.loads(v) for k, v in sorted(data.items()) if k.startswith("data/test-cases/")]
    case = next(c for c in cases if c["name"].startswith("TRK-RESP-200 ["))
    clause = next(c for c in load_catalog(("trackops",)) if c.id == "TRK-RESP-200")
    url = f"{built.as_uri()}#testresult/{case['uid']}"
    dom = _chromium(url, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    visible = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", dom.stdout)
    visible = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", visible)))
    assert case["name"] in visible and "check " in visible and "Passed" in visible, visible[:2000]
    assert f"Clause TRK-RESP-200 : {clause.summary}" in visible, visible[:3000]
    assert "no vendor was tested" in visible
    links = re.findall(r'href="(docs/[^"#]+)#:~:text=', dom.stdout)
    assert links and all((built.parent / unquote(link)).is_file() for link in links)
    png = tmp_path / "case.png"
    shot = _chromium(url, f"--screenshot={png}")
    assert shot.returncode == 0 and png.is_file(), shot.stderr[-2000:]
    assert _png_colours(png.read_bytes()) > 300  # a blank or spinner page has a handful
