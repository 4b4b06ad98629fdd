"""No secret reaches any output, in any encoding: the leak matrix.

Every vendor's emulator is served behind :class:`~tests.hostile.echo.EchoErrors`, a real
server that echoes each request (headers, raw query, body; JSON-escaped with ``\\/``,
HTML-escaped, as a Python repr, Basic credentials decoded) into its error bodies. ITRP's
password is one with ``/``, ``:`` and non-ASCII characters, read from the environment.
The harness then does everything a user does through its CLI: ``harness run`` with every
report, ``harness report --compliance``, ``harness monitor`` with a history database,
metrics, a webhook and an alert command; and the refused inputs that carry secrets
(a token with a trailing newline from ``${VAR}``, credentials in ``base_url``).

Each output is one test; each looks for every secret of :mod:`tests.leaks.secrets` in
every encoding. Adding an output is one line in :data:`OUTPUTS`.
"""

from __future__ import annotations

import contextlib
import io
import os
import shlex
import sys
import threading
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from harness._resources import vendor_names
from harness.cli import main
from harness.emulators import RunningEmulator, make_tls, start_emulator, stop_emulators
from tests.hostile.echo import EchoErrors
from tests.leaks.secrets import Form, Secret, forms_of, planted, scan

PASSWORD = "Pä/ss:wörd-Geheim-2026"  # "/", ":" and non-ASCII, inside Basic and echoed
PASSWORD_VAR = "LEAK_TEST_ITRP_PASSWORD"
NEWLINE_TOKEN = "nl-token-7c1e5b9a2f4d8e60b3a1c5d7e9f02468"
NEWLINE_VAR = "LEAK_TEST_NEWLINE_TOKEN"
URL_SECRET = "url-secret-4b8d2f6a0c1e3a5b7d9f1e2c4a6b8d0f"
# Where credentials travel and errors are provoked: auth probes (mutated tokens), token
# grants and renewals, error answers, transport (query credentials, plain HTTP).
SUITES = ("auth", "token", "errors", "transport")


@dataclass
class World:
    """Everything the CLI wrote or printed, and every secret it was given."""

    folder: Path
    streams: dict[str, list[tuple[str, str]]] = field(
        default_factory=lambda: {"stdout": [], "stderr": []}
    )
    webhook: list[bytes] = field(default_factory=list)
    secrets: list[Secret] = field(default_factory=list)
    codes: dict[str, int] = field(default_factory=dict)

    def cli(self, label: str, *argv: object) -> int:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(a) for a in argv])
            except SystemExit as exc:  # usage errors
                code = int(exc.code or 0)
        self.streams["stdout"].append((label, out.getvalue()))
        self.streams["stderr"].append((label, err.getvalue()))
        self.codes[label] = code
        return code

    def files(self, *patterns: str) -> list[tuple[str, str]]:
        found = sorted({p for pattern in patterns for p in self.folder.glob(pattern)})
        return [
            (str(p.relative_to(self.folder)), p.read_bytes().decode("utf-8", errors="replace"))
            for p in found
            if p.is_file()
        ]


def _files(*patterns: str) -> Callable[[World], list[tuple[str, str]]]:
    return lambda world: world.files(*patterns)


# output -> what it holds, as (where, text). One line per output.
OUTPUTS: dict[str, Callable[[World], Iterable[tuple[str, str]]]] = {
    "stdout": lambda w: w.streams["stdout"],
    "stderr": lambda w: w.streams["stderr"],
    "results.json": _files("run/results.json"),
    "Allure results": _files("run/allure/*"),
    "JUnit XML": _files("run/junit.xml"),
    "HAR": _files("run/**/*.har"),
    "compliance HTML": _files("compliance/**/*.html"),
    "compliance Markdown": _files("compliance/**/*.md"),
    "compliance JSON": _files("compliance/**/*.json"),
    "history database": _files("monitor/history.sqlite*"),
    "metrics": _files("monitor/*.prom"),
    "alert webhook": lambda w: [(f"POST {i}", b.decode()) for i, b in enumerate(w.webhook)],
    "alert command": _files("monitor/alert-command.jsonl"),
}


class _Webhook:
    def __init__(self, bodies: list[bytes]) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                bodies.append(self.rfile.read(int(self.headers.get("content-length", "0"))))
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def _targets(world: World, running: list[RunningEmulator]) -> list[Path]:
    paths = []
    for emu in running:
        data = emu.target_data()
        if emu.vendor == "itrp":
            data["credentials"]["password"] = "${" + PASSWORD_VAR + "}"
        path = world.folder / "targets" / f"{emu.vendor}.toml"
        emu.write_target(path)
        path.write_text(tomli_w.dumps(data), encoding="utf-8")
        credentials = dict(data["credentials"])
        if emu.vendor == "itrp":
            credentials["password"] = PASSWORD
        world.secrets += planted(emu.vendor, credentials)
        paths.append(path)
    return paths


def _refused_targets(world: World, good: Path) -> dict[str, Path]:
    """Target files the harness must refuse without showing the secret they carry."""
    data = tomllib.loads(good.read_text(encoding="utf-8"))
    base = data["base_url"]
    host = base.split("://", 1)[1]
    cases: dict[str, dict[str, Any]] = {
        "token ending in a newline, from ${VAR}": {
            "credentials": {**data["credentials"], "api_token": "${" + NEWLINE_VAR + "}"}
        },
        "base_url with user:password@": {"base_url": f"https://user:{URL_SECRET}@{host}"},
        "base_url with a secret query": {"base_url": f"{base}?api_token={URL_SECRET}"},
    }
    paths: dict[str, Path] = {}
    for name, change in cases.items():
        path = world.folder / "targets" / f"refused-{len(paths)}.toml"
        path.write_text(tomli_w.dumps({**data, **change}), encoding="utf-8")
        paths[name] = path
    world.secrets += [
        Secret("a token with a trailing newline", NEWLINE_TOKEN + "\n"),
        Secret("a token with a trailing newline (stripped)", NEWLINE_TOKEN),
        Secret("a base_url secret", URL_SECRET),
    ]
    return paths


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    world = World(tmp_path_factory.mktemp("leaks"))
    echo = threading.Event()
    tls = make_tls(world.folder / "tls")
    webhook = _Webhook(world.webhook)
    running: list[RunningEmulator] = []
    try:
        for vendor in vendor_names():
            wrap = lambda app: EchoErrors(app, echo)  # noqa: E731
            running.append(start_emulator(vendor, tls=tls, wrap=wrap))
        targets = _targets(world, running)
        refused = _refused_targets(world, next(t for t in targets if t.stem == "itrp"))
        with _environment(**{PASSWORD_VAR: PASSWORD, NEWLINE_VAR: NEWLINE_TOKEN + "\n"}):
            _drive(world, targets, refused, echo, webhook.url)
    finally:
        stop_emulators(running)
        webhook.close()
    yield world


def _drive(
    world: World, targets: list[Path], refused: dict[str, Path], echo: threading.Event, hook: str
) -> None:
    run, mon = world.folder / "run", world.folder / "monitor"
    files = [a for t in targets for a in ("--target-file", t)]
    echo.set()
    world.cli(
        "run", "run", *files, "--results", run / "results.json", "--alluredir", run / "allure",
        "--junitxml", run / "junit.xml", "--har", "--allow-partial", "-q", "-v",
        *(a for suite in SUITES for a in ("--suite", suite)),
    )  # fmt: skip
    world.cli(
        "compliance", "report", "--compliance", "--run-results", run / "results.json",
        "--compliance-out", world.folder / "compliance",
    )  # fmt: skip
    record = "import sys; open(sys.argv[1], 'ab').write(sys.stdin.buffer.read() + b'\\n')"
    command = shlex.join([sys.executable, "-c", record, str(mon / "alert-command.jsonl")])
    mon.mkdir()
    world.cli(
        "monitor", "monitor", "--once", *files, "--db", f"sqlite:///{mon / 'history.sqlite'}",
        "--metrics-file", mon / "harness.prom", "--alert-webhook", hook,
        "--alert-command", command,
    )  # fmt: skip
    for name, path in refused.items():
        world.cli(name, "run", "--target-file", path, "--results", run / "refused.json")


@pytest.fixture(scope="module")
def forms(world: World) -> list[Form]:
    return [form for secret in world.secrets for form in forms_of(secret)]


def test_the_runs_did_what_the_matrix_needs(world: World) -> None:
    """The matrix proves something only if the harness wrote every output."""
    assert world.codes["run"] in (1, 2), world.streams["stderr"]
    assert world.codes["compliance"] == 0, world.streams["stderr"]
    assert world.codes["monitor"] in (1, 2), world.streams["stderr"]
    refused = [label for label in world.codes if label not in ("run", "compliance", "monitor")]
    assert refused and all(world.codes[label] == 2 for label in refused), world.codes


@pytest.mark.parametrize("output", list(OUTPUTS))
def test_no_secret_reaches_the_output(output: str, world: World, forms: list[Form]) -> None:
    contents = list(OUTPUTS[output](world))
    assert contents and any(text.strip() for _, text in contents), f"{output}: nothing written"
    leaks = scan(output, contents, forms)
    assert not leaks, "\n".join(str(leak) for leak in leaks[:20])
