"""The two checks that look below HTTP, against real loopback servers: a certificate that
does not name the host, and an API that answers plain HTTP with data."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from harness.checks import get_check
from harness.emulators import make_tls, run_emulator
from harness.engine import CheckResult, open_session, run_check
from harness.targets import load_target


def _run_one(target_file: Path, check: str) -> CheckResult:
    with open_session(load_target(target_file, environ={})) as session:
        return run_check(session, get_check(check), None)


def _target(path: Path, vendor: str, base_url: str, ca: Path | None = None) -> Path:
    lines = [f'vendor = "{vendor}"', f'base_url = "{base_url}"', 'mode = "emulator"']
    if ca is not None:
        lines.append(f'ca_bundle = "{ca}"')
    lines += ["[credentials]", 'short_id = "C1"', 'secret_key = "sk"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_certificate_that_does_not_name_the_host_breaks_the_certificate_clause(
    tmp_path: Path,
) -> None:
    tls = make_tls(tmp_path / "tls")  # issued for 127.0.0.1, localhost and ::1 only
    with run_emulator("turitop", host="0.0.0.0", tls=tls) as emu:
        named = f"https://127.0.0.1:{emu.port}/v1"
        good = _target(tmp_path / "good.toml", "turitop", named, tls.ca)
        assert _run_one(good, "transport.certificate").outcome == "passed"
        other = named.replace("127.0.0.1", "127.0.0.2")
        bad = _run_one(
            _target(tmp_path / "bad.toml", "turitop", other, tls.ca), "transport.certificate"
        )
    assert {f.clause for f in bad.findings} == {"TURI-HTTP-CERT"}, bad.reason


class _PlainJSON(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        body = json.dumps({"status": "SUCCESS", "code": "200", "data": {"bookings": []}})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def plain_server() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PlainJSON)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_an_api_that_answers_plain_http_with_data_breaks_the_https_clause(
    tmp_path: Path, plain_server: int
) -> None:
    target = _target(tmp_path / "t.toml", "turitop", f"https://127.0.0.1:{plain_server}/v1")
    result = _run_one(target, "transport.https-only")
    assert {f.clause for f in result.findings} == {"TURI-HTTP-HTTPS"}
