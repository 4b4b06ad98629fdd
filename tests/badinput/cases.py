"""The bad inputs: each a command line, the files it reads, and what the error must name.

Every case must end with exit 2 and one line naming the file (and key) or the option at
fault, with no traceback, and never show the secret it carries (``hidden``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import tomli_w

from harness.emulators import vendor_module

__all__ = ["CASES", "Case", "target_file"]

SECRET = "S3cr3t-bad-input-7d1f9a3c5e2b4d6f8a0c"
UNUSED = "https://127.0.0.1:9/v1"  # nothing listens: a case that passed validation fails later


def target_file(of: str = "itrp", **changes: Any) -> str:
    """A live target file for vendor ``of``, valid but for ``changes`` (None removes a key)."""
    data: dict[str, Any] = {
        "vendor": of,
        "base_url": UNUSED,
        "mode": "live",
        "ca_bundle": "ca.pem",
        "credentials": dict(vendor_module(of).credentials()),
    }
    for key, value in changes.items():
        section, _, name = key.partition("__")
        if name:
            table = data.setdefault(section, {})
            table[name] = value
        elif value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return tomli_w.dumps(data)


@dataclass(frozen=True)
class Case:
    name: str
    argv: tuple[str, ...]
    names: str  # the file/key or the option the one-line error must name
    files: Mapping[str, str | bytes] = field(default_factory=dict)
    env: Mapping[str, str] = field(default_factory=dict)
    hidden: str = ""  # a secret the output must not contain


def _target(
    name: str,
    names: str,
    hidden: str = "",
    env: Mapping[str, str] | None = None,
    of: str = "itrp",
    **changes: Any,
) -> Case:
    return Case(
        name,
        ("run", "--target-file", "bad.toml", "--results", "out/results.json"),
        f"bad.toml: key '{names}'",
        {"bad.toml": target_file(of, **changes)},
        env or {},
        hidden,
    )


def _cli(name: str, names: str, *argv: str, files: Mapping[str, str | bytes] | None = None) -> Case:
    return Case(name, argv, names, files or {})


WAIVER = '[[waiver]]\nvendor = "itrp"\nclause = "ITRP-PAGE-LINK"\nreason = "ticket"\n'

CASES: tuple[Case, ...] = (
    # credentials: checked at load, never shown
    _target(
        "credential ending in a newline, from ${VAR}",
        "credentials.api_token",
        SECRET,
        {"BAD_TOKEN": SECRET + "\n"},
        credentials__api_token="${BAD_TOKEN}",
    ),
    _target(
        "credential starting with a space",
        "credentials.api_token",
        SECRET,
        credentials__api_token=" " + SECRET,
    ),
    _target(
        "credential with a tab inside",
        "credentials.api_token",
        SECRET,
        credentials__api_token=SECRET[:8] + "\t" + SECRET[8:],
    ),
    _target(
        "credential with a NUL",
        "credentials.api_token",
        SECRET,
        credentials__api_token=SECRET + "\x00",
    ),
    _target(
        "credential of the wrong type (a list)",
        "credentials.api_token",
        SECRET,
        credentials__api_token=[SECRET],
    ),
    _target(
        "credential of the wrong type (a number)",
        "credentials.api_token",
        "86753091",
        credentials__api_token=86753091,
    ),
    _target(
        "credential the vendor does not know", "credentials.apitoken", credentials__apitoken=SECRET
    ),
    _target(
        "credential from an unset variable",
        "credentials.api_token",
        credentials__api_token="${HARNESS_TEST_UNSET_VARIABLE}",
    ),
    _target(
        "non-ASCII credential sent in a header",
        "credentials.api_key",
        SECRET,
        of="toptickets",
        credentials__api_key=SECRET + "é",
    ),
    _target("':' in a Basic user name", "credentials.email", credentials__email="a:b@example.com"),
    # base_url, proxy, CA
    _target(
        "base_url with user:password@",
        "base_url",
        SECRET,
        base_url=f"https://user:{SECRET}@127.0.0.1:9/v1",
    ),
    _target(
        "base_url with a secret in its query",
        "base_url",
        SECRET,
        base_url=f"{UNUSED}?api_token={SECRET}",
    ),
    _target("base_url with port 70000", "base_url", base_url="https://127.0.0.1:70000/v1"),
    _target("base_url with a port that is no number", "base_url", base_url="https://h:abc/v1"),
    _target("base_url that is not http(s)", "base_url", base_url="ftp://127.0.0.1/v1"),
    _target("plain http for an https-only vendor", "base_url", base_url="http://127.0.0.1:9/v1"),
    _target("proxy with port 99999", "transport.proxy", transport__proxy="http://proxy:99999"),
    _target("ca_bundle that is not PEM", "ca_bundle", ca_bundle="not-pem.txt"),
    _target("ca_bundle that is a folder", "ca_bundle", ca_bundle="/tmp"),
    _target("ca_bundle that does not exist", "ca_bundle", ca_bundle="missing.pem"),
    # numbers the code could not use
    _target("throttle = nan", "budget.throttle", budget__throttle=math.nan),
    _target("throttle = inf", "budget.throttle", budget__throttle=math.inf),
    _target(
        "timeout_seconds = nan", "transport.timeout_seconds", transport__timeout_seconds=math.nan
    ),
    _target(
        "timeout_seconds = inf", "transport.timeout_seconds", transport__timeout_seconds=math.inf
    ),
    _target(
        "timeout_seconds past an hour", "transport.timeout_seconds", transport__timeout_seconds=1e9
    ),
    _target("max_requests = 0", "budget.max_requests", budget__max_requests=0),
    # the rest of the target file
    _target("unknown mode", "mode", mode="prod"),
    _target("unknown vendor in the file", "vendor", vendor="itrpp"),
    _target("unknown key", "colour", colour="blue"),
    _target("clock control on a live target", "allow.clock_control", allow__clock_control=True),
    Case(
        "target file that is not TOML",
        ("run", "--target-file", "bad.toml"),
        "bad.toml",
        {"bad.toml": "vendor = itrp\n"},
    ),
    Case(
        "target file that is not UTF-8",
        ("run", "--target-file", "bad.toml"),
        "bad.toml",
        {"bad.toml": b'vendor = "\xff"\n'},
    ),
    Case(
        "target file that is a folder",
        ("run", "--target-file", "folder"),
        "folder",
        {"folder/x": "x"},
    ),
    Case("target file that does not exist", ("run", "--target-file", "nope.toml"), "nope.toml"),
    # the monitor reads target files the same way, before its first cycle
    Case(
        "monitor: ca_bundle that is not PEM",
        ("monitor", "--once", "--target-file", "bad.toml", "--db", "sqlite:///out/h.sqlite"),
        "bad.toml: key 'ca_bundle'",
        {"bad.toml": target_file(ca_bundle="not-pem.txt")},
    ),
    Case(
        "monitor: credential ending in a newline",
        ("monitor", "--once", "--target-file", "bad.toml", "--db", "sqlite:///out/h.sqlite"),
        "bad.toml: key 'credentials.api_token'",
        {"bad.toml": target_file(credentials__api_token=SECRET + "\n")},
        hidden=SECRET,
    ),
    # vendor names, checked before anything runs
    _cli("harness run itrpp", "'itrpp'", "run", "itrpp", "--results", "out/results.json"),
    _cli("harness selftest itrpp", "'itrpp'", "selftest", "itrpp"),
    _cli("harness emulate itrpp", "'itrpp'", "emulate", "itrpp"),
    _cli("harness faults itrpp", "'itrpp'", "faults", "itrpp"),
    _cli("harness clauses itrpp", "'itrpp'", "clauses", "itrpp"),
    _cli("harness monitor itrpp", "'itrpp'", "monitor", "itrpp", "--once"),
    # options of harness run
    _cli("run --suite nope", "--suite", "run", "itrp", "--suite", "nope"),
    _cli("run --results in /proc", "--results", "run", "itrp", "--results", "/proc/r/results.json"),
    _cli(
        "run --results under a file",
        "--results",
        "run",
        "--results",
        "file.txt/results.json",
        files={"file.txt": "x"},
    ),
    _cli(
        "run --results is a folder",
        "--results",
        "run",
        "--results",
        "folder",
        files={"folder/x": "x"},
    ),
    _cli(
        "run --junitxml under a file",
        "--junitxml",
        "run",
        "itrp",
        "--junitxml",
        "f.txt/j.xml",
        "--results",
        "out/results.json",
        files={"f.txt": "x"},
    ),
    _cli("run --max-examples abc", "--max-examples", "run", "--max-examples", "abc"),
    _cli("run --max-skipped 200", "--max-skipped", "run", "--max-skipped", "200"),
    _cli(
        "waiver with an unreadable expires",
        "w.toml: key 'waiver[0].expires'",
        "run",
        "itrp",
        "--waivers",
        "w.toml",
        "--results",
        "out/r.json",
        files={"w.toml": WAIVER + 'expires = "next spring"\n'},
    ),
    _cli(
        "waiver with a time of day as expires",
        "w.toml: key 'waiver[0].expires'",
        "run",
        "itrp",
        "--waivers",
        "w.toml",
        "--results",
        "out/r.json",
        files={"w.toml": WAIVER + "expires = 12:00:00\n"},
    ),
    _cli(
        "waiver file that does not exist",
        "missing.toml",
        "run",
        "itrp",
        "--waivers",
        "missing.toml",
        "--results",
        "out/r.json",
    ),
    _cli(
        "baseline that is not JSON",
        "old.json",
        "run",
        "itrp",
        "--baseline",
        "old.json",
        "--results",
        "out/r.json",
        files={"old.json": "not json"},
    ),
    # harness emulate
    _cli("emulate --port 70000", "--port", "emulate", "itrp", "--port", "70000"),
    _cli("emulate --port -1", "--port", "emulate", "itrp", "--port", "-1"),
    _cli(
        "emulate --port 65535 for two vendors",
        "--port",
        "emulate",
        "itrp",
        "turris",
        "--port",
        "65535",
    ),
    _cli(
        "emulate --tls-dir that is a file",
        "--tls-dir",
        "emulate",
        "itrp",
        "--tls-dir",
        "file.txt",
        files={"file.txt": "x"},
    ),
    _cli("emulate --rate-limit x", "--rate-limit", "emulate", "itrp", "--rate-limit", "x"),
    # harness monitor, history, report
    _cli(
        "monitor --metrics-port 70000",
        "--metrics-port",
        "monitor",
        "itrp",
        "--once",
        "--metrics-port",
        "70000",
    ),
    _cli(
        "monitor --alert-command with an unbalanced quote",
        "--alert-command",
        "monitor",
        "itrp",
        "--once",
        "--alert-command",
        'notify "oops',
    ),
    _cli(
        "monitor --db postgresql with a bad port",
        "--db",
        "monitor",
        "itrp",
        "--once",
        "--db",
        "postgresql://user@127.0.0.1:99999/history",
    ),
    _cli("monitor --interval nonsense", "--interval", "monitor", "itrp", "--interval", "soon"),
    _cli("history --since nonsense", "--since", "history", "--since", "lately"),
    _cli(
        "report --compliance of a missing results.json",
        "missing.json",
        "report",
        "--compliance",
        "--run-results",
        "missing.json",
        "--compliance-out",
        "out",
    ),
)
