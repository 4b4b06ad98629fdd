"""Target files: which vendor to probe, where, with which credentials and permissions.

The format is the contract between ``harness emulate``, ``harness run`` and
``harness monitor`` (documented in the README)::

    vendor = "itrp"
    base_url = "https://127.0.0.1:8443/v1"
    mode = "emulator"            # or "live"
    ca_bundle = "ca.pem"         # optional; relative to this file
    [credentials]
    api_token = "${ITRP_API_TOKEN}"
    [allow]
    writes = false
    exhaustion = false
    clock_control = false
    [budget]
    max_requests = 500
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

import tomli_w

from harness._target_checks import check_base_url, check_ca_bundle, check_credential, check_proxy
from harness._tomlfile import check_against, read_data
from harness.errors import ProfileError, TargetFileError
from harness.inventory import target_profile
from harness.profiles import Profile, load_profile

__all__ = ["Allow", "Budget", "Target", "Transport", "load_target", "write_target"]

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
DEFAULT_BUDGET = {"emulator": 5000, "live": 500}
# Values never shown in an error message: they may be (or carry) secrets.
HIDDEN_KEYS = ("credentials", "base_url", "transport.proxy")


@dataclass(frozen=True)
class Allow:
    writes: bool = False
    exhaustion: bool = False
    clock_control: bool = False
    credential_reset: bool = False  # probes that replace a credential (never implied by writes)


@dataclass(frozen=True)
class Budget:
    max_requests: int
    throttle: float


@dataclass(frozen=True)
class Transport:
    timeout_seconds: float = 10.0
    proxy: str | None = field(default=None, repr=False)  # may carry user:password@
    max_body_bytes: int = 10 * 1024 * 1024


@dataclass(frozen=True)
class Target:
    """A validated target; ``credentials`` never appear in its repr."""

    vendor: str
    base_url: str
    mode: Literal["emulator", "live"]
    profile: Profile = field(repr=False)
    credentials: Mapping[str, str] = field(repr=False)
    allow: Allow
    budget: Budget
    transport: Transport
    ca_bundle: Path | None = None
    strict: bool = False
    name: str = ""
    path: Path | None = None

    @property
    def is_live(self) -> bool:
        return self.mode == "live"

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every credential value (and the proxy's user and password), for redaction."""
        values = [v for v in self.credentials.values() if v]
        if self.transport.proxy:
            proxy = urlsplit(self.transport.proxy)
            values += [unquote(p) for p in (proxy.username, proxy.password) if p]
        return tuple(values)


def _expand(value: str, key: str, path: Path, environ: Mapping[str, str]) -> str:
    def repl(match: re.Match[str]) -> str:
        var = match.group(1)
        if var not in environ:
            raise TargetFileError(
                path,
                key,
                f"reads the environment variable {var}, which is not set",
                f"export {var}=... before running, or put the value in the file",
            )
        return environ[var]

    return _VAR.sub(repl, value)


def _credentials(
    data: Mapping[str, Any], profile: Profile, path: Path, environ: Mapping[str, str]
) -> dict[str, str]:
    """The credentials with ``${VAR}`` read, each one checked (never shown)."""
    credentials = {}
    for key, raw in data.get("credentials", {}).items():
        value = _expand(raw, f"credentials.{key}", path, environ)
        check_credential(path, key, value, profile, _VAR.findall(raw))
        credentials[key] = value
    known = {c for scheme in profile.auth for c in scheme.credentials}
    for key in credentials:
        if key not in known:
            raise TargetFileError(
                path,
                f"credentials.{key}",
                f"is not a credential of {profile.name}",
                "known keys: " + ", ".join(sorted(known)),
            )
    for key in profile.auth[0].credentials:
        if not credentials.get(key):
            raise TargetFileError(
                path,
                f"credentials.{key}",
                "is missing",
                f"{profile.name}'s default auth '{profile.auth[0].id}' needs "
                + ", ".join(profile.auth[0].credentials),
            )
    return credentials


def load_target(path: Path | str, environ: Mapping[str, str] | None = None) -> Target:
    """Parse and validate a target file; errors name the file and the key, never a secret."""
    path = Path(path)
    env = os.environ if environ is None else environ
    data = read_data(path, TargetFileError)
    check_against(data, "target", path, TargetFileError, hidden=HIDDEN_KEYS)
    try:
        profile = load_profile(data["vendor"])
    except ProfileError as exc:
        raise TargetFileError(path, "vendor", exc.problem, exc.fix) from exc
    profile = target_profile(profile, data, path)  # the target's [[operations]], [inventory]
    mode = data["mode"]
    allow = Allow(**data.get("allow", {}))
    if mode == "live" and allow.clock_control:
        raise TargetFileError(
            path,
            "allow.clock_control",
            "is true on a live target",
            "the virtual clock exists only in the emulator; set it to false",
        )
    base_url = check_base_url(path, data["base_url"].rstrip("/"), profile)
    credentials = _credentials(data, profile, path, env)
    transport = data.get("transport", {})
    if "proxy" in transport:
        check_proxy(path, transport["proxy"])
    ca_bundle = None
    if "ca_bundle" in data:
        ca_bundle = check_ca_bundle(path, (path.parent / data["ca_bundle"]).resolve())
    budget = data.get("budget", {})
    return Target(
        vendor=profile.vendor,
        base_url=base_url,
        mode=mode,
        profile=profile,
        credentials=MappingProxyType(credentials),
        allow=allow,
        budget=Budget(
            max_requests=budget.get("max_requests", DEFAULT_BUDGET[mode]),
            throttle=budget.get("throttle", 0.5 if mode == "live" else 1.0),
        ),
        transport=Transport(**transport),
        ca_bundle=ca_bundle,
        strict=data.get("strict", False),
        name=data.get("name", f"{profile.vendor} ({mode})"),
        path=path,
    )


def write_target(path: Path, data: Mapping[str, object]) -> None:
    """Write a target file (used by ``harness emulate``)."""
    path.write_text(tomli_w.dumps(dict(data)), encoding="utf-8")
