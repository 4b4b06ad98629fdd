"""The Allure HTML report: a single self-contained file, built offline, loading nothing.

Allure 3 (the npm package ``allure``, pinned at :data:`ALLURE_VERSION`) is installed once
into a local tools folder with ``npm install``; after that nothing touches the network.
:func:`build_report` writes an ``allurerc.mjs`` into a temporary folder and runs
``allure generate`` with it.

Which report, and why: Allure 3 ships three HTML flavours (plugins). ``awesome`` (the
default) and ``classic`` render their page from a template whose Google Tag Manager
snippet (``https://www.googletagmanager.com/gtag/js``) is guarded by
``analyticsEnable: true``, hard-coded in ``@allurereport/plugin-{awesome,classic}/dist/
generators.js``: no option or variable removes it. The ``allure2`` plugin guards the same
snippet with ``process.env.ALLURE_NO_ANALYTICS?.toLowerCase() !== "true"`` (so the value
must be ``true``; ``1`` does not work) and supports ``singleFile``. This module therefore
builds the ``allure2`` flavour with ``ALLURE_NO_ANALYTICS=true``: nothing is stripped after
the fact. It also shows what the harness labels (Behaviors: epic/feature/story, severity,
Categories, Trend). As a guard, :func:`external_references` scans the generated files and
the build fails (keeping the previous report) if anything would be loaded from outside.

Categories: the ``allure2`` plugin reads ``categories.json`` from the results folder and
compiles each regex with JavaScript's ``RegExp(regex, "s")``, where Java's inline
``(?s)`` (used by :data:`harness.reporting.allure_results.CATEGORIES`) is a syntax error
that silently matches nothing. The build therefore reads a staged copy of the results (hard links)
whose ``categories.json`` has the inline flags removed; the same categories also go into
the config (``categories``, read by Allure 3's core and its other flavours).

Documents: every case links to its clause's section in the vendor's document; the
build copies the documents into ``docs/`` beside ``index.html`` (see
:mod:`harness.reporting.documents`), so the links open the shipped copy, offline.

History: ``historyPath`` in the config makes Allure append one JSON line per build to a
history file kept outside the results folder, so trends survive ``harness run --report``
cleaning the results.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from harness.errors import HarnessError
from harness.reporting.documents import ship_documents

__all__ = [
    "ALLURE_VERSION",
    "CommandRunner",
    "allurerc",
    "build_report",
    "ensure_allure",
    "external_references",
    "run_command",
]

ALLURE_VERSION = "3.18.0"
REPORT_NAME = "harness conformance"
HISTORY_LIMIT = 100
MIN_NODE_MAJOR = 20
INSTALL_TIMEOUT = 600.0
GENERATE_TIMEOUT = 300.0
PROBE_TIMEOUT = 30.0
NODE_HINT = (
    "Node.js 20+ with npm is needed to build the Allure HTML report: "
    "apt-get install nodejs npm (or see https://nodejs.org)"
)
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class CommandRunner(Protocol):
    """Runs one command; :func:`run_command` is the real one (tests may inject another)."""

    def __call__(
        self, args: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float
    ) -> subprocess.CompletedProcess[str]: ...


def _tail(text: str, lines: int = 20) -> str:
    kept = _ANSI.sub("", text).strip().splitlines()[-lines:]
    return "\n".join(kept)


def run_command(
    args: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float
) -> subprocess.CompletedProcess[str]:
    """Run ``args``; a timeout or a command that cannot start becomes a HarnessError."""
    try:
        return subprocess.run(
            list(args),
            cwd=cwd,
            env=dict(env),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise HarnessError(f"{Path(args[0]).name} timed out after {timeout:.0f} s") from None
    except OSError as exc:
        raise HarnessError(f"could not start {args[0]}: {exc.strerror or exc}") from None


def _checked(
    runner: CommandRunner,
    args: Sequence[str],
    what: str,
    *,
    cwd: Path,
    env: Mapping[str, str],
    timeout: float,
) -> subprocess.CompletedProcess[str]:
    done = runner(args, cwd=cwd, env=env, timeout=timeout)
    if done.returncode != 0:
        tail = _tail(done.stderr) or _tail(done.stdout) or "(no output)"
        raise HarnessError(f"{what} failed (exit {done.returncode}):\n{tail}")
    return done


def _tool_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        NO_COLOR="1",
        FORCE_COLOR="0",
        ALLURE_NO_ANALYTICS="true",
        npm_config_update_notifier="false",
        npm_config_fund="false",
        npm_config_audit="false",
    )
    env.update(extra)
    return env


def _which(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise HarnessError(f"{name!r} not found on PATH. {NODE_HINT}")
    return found


def _check_node(node: str, runner: CommandRunner, cwd: Path) -> None:
    done = _checked(
        runner,
        [node, "--version"],
        "node --version",
        cwd=cwd,
        env=_tool_env(),
        timeout=PROBE_TIMEOUT,
    )
    match = re.match(r"v?(\d+)\.", done.stdout.strip())
    if match is None or int(match.group(1)) < MIN_NODE_MAJOR:
        raise HarnessError(f"node {done.stdout.strip() or '?'} is too old. {NODE_HINT}")


def installed_version(tools_dir: Path) -> str | None:
    """The version of ``allure`` installed in ``tools_dir``, or None."""
    manifest = tools_dir / "node_modules" / "allure" / "package.json"
    try:
        version = json.loads(manifest.read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError, AttributeError):
        return None
    return version if isinstance(version, str) else None


def _cli(tools_dir: Path) -> Path:
    return tools_dir / "node_modules" / "allure" / "cli.js"


def _ready(tools_dir: Path) -> bool:
    return installed_version(tools_dir) == ALLURE_VERSION and _cli(tools_dir).is_file()


@contextmanager
def _install_lock(tools_dir: Path) -> Iterator[None]:
    """One installer at a time per tools folder (parallel test workers, CI jobs)."""
    import fcntl

    with (tools_dir / ".install.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_allure(tools_dir: Path, runner: CommandRunner = run_command) -> Path:
    """Install ``allure@ALLURE_VERSION`` into ``tools_dir`` unless it is there; its CLI script.

    The returned ``cli.js`` is run with ``node``. Only the first call needs npm and the
    npm registry; later calls only check that ``node`` is usable.
    """
    tools_dir = tools_dir.resolve()
    node = _which("node")
    if not _ready(tools_dir):
        npm = _which("npm")
        try:
            tools_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HarnessError(f"cannot create the tools folder {tools_dir}: {exc}") from None
        with _install_lock(tools_dir):
            if not _ready(tools_dir):
                _checked(
                    runner,
                    [
                        npm,
                        "install",
                        "--prefix",
                        str(tools_dir),
                        "--no-audit",
                        "--no-fund",
                        "--save-exact",
                        f"allure@{ALLURE_VERSION}",
                    ],
                    f"npm install allure@{ALLURE_VERSION} into {tools_dir}",
                    cwd=tools_dir,
                    env=_tool_env(),
                    timeout=INSTALL_TIMEOUT,
                )
        found = installed_version(tools_dir)
        if found != ALLURE_VERSION or not _cli(tools_dir).is_file():
            raise HarnessError(
                f"npm install left allure {found or 'missing'} in {tools_dir}, "
                f"expected {ALLURE_VERSION}; delete the folder and try again"
            )
    _check_node(node, runner, tools_dir)
    return _cli(tools_dir)


# --- configuration -------------------------------------------------------------------

_INLINE_FLAGS = re.compile(r"^\(\?([a-zA-Z]+)\)")
_JS_FLAGS = {"s": "s", "i": "i", "m": "m"}


def _js_regex(pattern: str) -> tuple[str, str]:
    """A Python/Java regex with leading inline flags as a JavaScript (source, flags)."""
    flags = ""
    while match := _INLINE_FLAGS.match(pattern):
        for flag in match.group(1):
            if flag not in _JS_FLAGS:
                raise HarnessError(
                    f"category regex {pattern!r}: inline flag {flag!r} has no JavaScript twin"
                )
            flags += _JS_FLAGS[flag] if _JS_FLAGS[flag] not in flags else ""
        pattern = pattern[match.end() :]
    return pattern, flags


def _plugin_categories(categories: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``categories.json`` for the allure2 plugin, which compiles ``RegExp(regex, "s")``."""
    converted = []
    for category in categories:
        item = dict(category)
        for key in ("messageRegex", "traceRegex"):
            if isinstance(item.get(key), str):
                source, flags = _js_regex(item[key])
                if flags.replace("s", ""):
                    raise HarnessError(
                        f"category {item.get('name')!r}: only the (?s) flag is supported, "
                        f"got {item[key]!r}"
                    )
                item[key] = source
        converted.append(item)
    return converted


def _config_category(category: Mapping[str, Any]) -> str:
    parts = [f"name: {json.dumps(category['name'])}"]
    if category.get("matchedStatuses"):
        parts.append(f"matchedStatuses: {json.dumps(list(category['matchedStatuses']))}")
    for key in ("messageRegex", "traceRegex"):
        if isinstance(category.get(key), str):
            source, flags = _js_regex(category[key])
            parts.append(f"{key}: new RegExp({json.dumps(source)}, {json.dumps(flags)})")
    if "flaky" in category:
        parts.append(f"flaky: {json.dumps(bool(category['flaky']))}")
    return "{ " + ", ".join(parts) + " }"


def allurerc(
    *,
    output: Path,
    history: Path,
    categories: Sequence[Mapping[str, Any]],
    name: str = REPORT_NAME,
    history_limit: int = HISTORY_LIMIT,
) -> str:
    """The text of an ``allurerc.mjs``: single-file allure2 report, history, categories."""
    cats = ",\n".join(f"    {_config_category(c)}" for c in categories)
    options = {"reportName": name, "singleFile": True, "reportLanguage": "en"}
    return (
        "// Written by harness.reporting.allure_html for one `allure generate`.\n"
        "export default {\n"
        f"  name: {json.dumps(name)},\n"
        f"  output: {json.dumps(str(output))},\n"
        f"  historyPath: {json.dumps(str(history))},\n"
        f"  historyLimit: {int(history_limit)},\n"
        f"  categories: [\n{cats}\n  ],\n"
        "  plugins: {\n"
        f"    allure2: {{ options: {json.dumps(options)} }},\n"
        "  },\n"
        "};\n"
    )


def _stage_results(results: Path, stage: Path, categories: Sequence[Mapping[str, Any]]) -> None:
    """Hard-link (or copy) the results into ``stage`` with a JS-compatible categories.json."""
    stage.mkdir(parents=True, exist_ok=True)
    for entry in results.iterdir():
        target = stage / entry.name
        if entry.name == "categories.json":
            continue
        if entry.is_dir():
            shutil.copytree(entry, target)
            continue
        try:
            os.link(entry, target)
        except OSError:
            shutil.copy2(entry, target)
    text = json.dumps(_plugin_categories(categories), indent=2)
    (stage / "categories.json").write_text(text, encoding="utf-8")


def _replace_dir(new: Path, out: Path) -> None:
    if out.exists():
        if not out.is_dir():
            raise HarnessError(f"{out} exists and is not a folder")
        if any(out.iterdir()) and not (out / "index.html").is_file():
            raise HarnessError(
                f"refusing to replace {out}: it is not empty and holds no index.html "
                "(not an earlier report); choose another --out"
            )
        shutil.rmtree(out)
    new.rename(out)


def build_report(
    results: Path,
    out: Path,
    history: Path,
    tools_dir: Path,
    runner: CommandRunner = run_command,
    *,
    name: str = REPORT_NAME,
    categories: Sequence[Mapping[str, Any]] | None = None,
) -> Path:
    """Build the single-file HTML report of ``results`` into ``out``; its ``index.html``.

    ``history`` (a JSONL file) gains one line per build and feeds the trends. The previous
    report in ``out`` is replaced only once the new one is built and loads nothing from
    outside its folder.
    """
    results, out, history = results.resolve(), out.resolve(), history.resolve()
    if not results.is_dir() or not any(results.glob("*-result.json")):
        raise HarnessError(
            f"no Allure results in {results}: run `harness run --alluredir {results}` "
            "(or `harness run --report`) first"
        )
    if categories is None:
        from harness.reporting.allure_results import CATEGORIES

        categories = CATEGORIES
    cli = ensure_allure(tools_dir, runner)
    node = _which("node")
    history.parent.mkdir(parents=True, exist_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        building.chmod(0o755)  # mkdtemp makes it 0700; the report is for reading
        with tempfile.TemporaryDirectory(prefix="harness-allure-") as work:
            workdir = Path(work)
            stage = workdir / "results"
            _stage_results(results, stage, categories)
            config = workdir / "allurerc.mjs"
            config.write_text(
                allurerc(output=building, history=history, categories=categories, name=name),
                encoding="utf-8",
            )
            _checked(
                runner,
                [node, str(cli), "generate", str(stage), "--config", str(config)],
                f"allure generate {results}",
                cwd=workdir,
                env=_tool_env(),
                timeout=GENERATE_TIMEOUT,
            )
        if not (building / "index.html").is_file():
            raise HarnessError(f"allure generate wrote no index.html for {results}")
        leaks = external_references(building)
        if leaks:
            shown = "; ".join(leaks[:5])
            raise HarnessError(
                f"the generated report would load {len(leaks)} resource(s) from outside "
                f"its folder ({shown}); not published"
            )
        # The cases link to the clause's section in docs/<document>: ship the documents.
        ship_documents(building)
        _replace_dir(building, out)
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    return out / "index.html"


# --- verification --------------------------------------------------------------------

_Q = "[\"'`]"
_SCHEMES = ("https:", "http:", "wss:", "ws:")
_URL_REST = re.compile(r"""[^\s"'`<>)\\]+""")
_WINDOW = 300


def _before(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern for the text just before a URL (it must end where the URL starts)."""
    return re.compile(f"(?:{pattern})$", flags)


# Constructs that make a browser fetch something when the page opens (or a script runs),
# as patterns of what precedes the URL.
_LOADS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("src=/data=/poster=", _before(r"""\b(?:src|data|poster|background)\s*=\s*["']?\s*""", re.I)),
    ("srcset", _before(r"""\bsrcset\s*=\s*["'][^"']*""", re.I)),
    ("<link href>", _before(r"""<link\b[^>]*\bhref\s*=\s*["']?\s*""", re.I)),
    ("<base href>", _before(r"""<base\b[^>]*\bhref\s*=\s*["']?\s*""", re.I)),
    ("meta refresh", _before(r"""<meta\b[^>]*\bcontent\s*=\s*["'][^"']*?url\s*=\s*""", re.I)),
    ("css url()", _before(r"""\burl\(\s*["']?\s*""", re.I)),
    ("css @import", _before(rf"""@import\s+{_Q}\s*""", re.I)),
    ("import()", _before(rf"""\bimport\s*\(\s*{_Q}""")),
    ("import from", _before(rf"""\bimport\b[^;()]{{0,200}}\bfrom\s*{_Q}|\bimport\s*{_Q}""")),
    ("importScripts", _before(rf"""\bimportScripts\s*\(\s*{_Q}""")),
    ("fetch", _before(rf"""\bfetch\s*\(\s*{_Q}""")),
    ("sendBeacon", _before(rf"""\bsendBeacon\s*\(\s*{_Q}""")),
    ("XMLHttpRequest.open", _before(rf"""\.open\s*\(\s*{_Q}[A-Za-z]+{_Q}\s*,\s*{_Q}""")),
    (
        "new WebSocket/EventSource/Worker/Image",
        _before(
            rf"""\bnew\s+(?:WebSocket|EventSource|Worker|SharedWorker|Image|Audio)\s*\(\s*{_Q}"""
        ),
    ),
    ("element.src/href =", _before(rf"""\.(?:src|href)\s*=\s*{_Q}""")),
    (
        "setAttribute src/href",
        _before(rf"""\bsetAttribute\s*\(\s*{_Q}(?:src|href|srcset){_Q}\s*,\s*{_Q}""", re.I),
    ),
)
_EMBEDDED = re.compile(
    r"""data:((?:text|application)/(?:javascript|ecmascript|css|html)|image/svg\+xml)"""
    r"""(?:;[\w=.-]+)*;base64,([A-Za-z0-9+/=]+)""",
    re.I,
)
_SCANNED = {".html", ".htm", ".js", ".mjs", ".cjs", ".css", ".svg", ".xhtml"}


def _urls(text: str) -> Iterator[tuple[int, str]]:
    """(start, url) of every absolute or protocol-relative URL: a fast scan for "//"."""
    index = text.find("//")
    while index != -1:
        start = index
        for scheme in _SCHEMES:
            if text.endswith(scheme, max(0, index - len(scheme)), index):
                start = index - len(scheme)
                break
        rest = _URL_REST.match(text, index + 2)
        if rest and (rest.group()[0].isalnum() or rest.group()[0] in "[$"):
            yield start, text[start : rest.end()]
            index = text.find("//", rest.end())
        else:
            index = text.find("//", index + 2)


def _scan(text: str, where: str, found: list[str], depth: int = 0) -> None:
    for start, url in _urls(text):
        window = text[max(0, start - _WINDOW) : start]
        for label, pattern in _LOADS:
            if pattern.search(window):
                found.append(f"{where}: {label}: {url}")
                break
    if depth >= 3:
        return
    for match in _EMBEDDED.finditer(text):
        try:
            inner = base64.b64decode(match.group(2), validate=True).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            continue
        _scan(inner, f"{where} [embedded {match.group(1).lower()}]", found, depth + 1)


def external_references(html_dir: Path) -> list[str]:
    """What the report would load from outside ``html_dir``: ``"<file>: <how>: <url>"``.

    Scans every HTML, JS, CSS and SVG file (and the base64 ``data:`` scripts and styles
    they embed) for constructs that load when the page opens: ``src=``/``<link href=>``/
    ``srcset``, CSS ``url()``/``@import``, ``import()``/``import from``, ``fetch``,
    ``sendBeacon``, XHR ``open``, ``new WebSocket(...)``, ``el.src = ...``, meta refresh.
    Plain mentions (``<a href>``, text, XML namespaces) are not loads and are ignored.
    """
    found: list[str] = []
    for path in sorted(html_dir.rglob("*")):
        if path.is_file() and path.suffix.lower() in _SCANNED:
            text = path.read_text(encoding="utf-8", errors="replace")
            _scan(text, path.relative_to(html_dir).as_posix(), found)
    return sorted(set(found))
