"""What a target file's values must be beyond their schema, so that every value accepted
is one the harness can use: credentials that can travel as the profile sends them, a base
URL without credentials in it, a valid port, a CA bundle that is a PEM file.

Errors name the file and the key, say what is wrong and how to fix it, and never show a
credential (nor a URL that might carry one).
"""

from __future__ import annotations

import ssl
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

from harness.errors import TargetFileError
from harness.profiles import Profile

__all__ = ["check_base_url", "check_ca_bundle", "check_credential", "check_proxy"]

_NAMES = {
    "\n": "a line feed (U+000A)",
    "\r": "a carriage return (U+000D)",
    "\t": "a tab (U+0009)",
    " ": "a space (U+0020)",
    "\x00": "a NUL character (U+0000)",
}


def _character(c: str) -> str:
    return _NAMES.get(c) or f"the character U+{ord(c):04X} ({unicodedata.name(c, 'unnamed')})"


def check_credential(
    path: Path, key: str, value: str, profile: Profile, variables: Sequence[str] = ()
) -> None:
    """Refuse a credential the vendor would never accept as sent: surrounding whitespace,
    control characters, non-ASCII in a header, ``:`` in a Basic user name."""
    where = f"credentials.{key}"
    origin = f" (read from the environment variable {variables[0]})" if variables else ""
    fix = (
        f"remove it where {variables[0]} is set (a value read with $(cat FILE) keeps the "
        "file's last newline; use $(tr -d '\\n' < FILE))"
        if variables
        else "remove it from the value"
    )
    if value != value.strip():
        at, char = ("ends", value[-1]) if value[-1].isspace() else ("starts", value[0])
        raise TargetFileError(path, where, f"{at} with {_character(char)}{origin}", fix)
    control = next((c for c in value if unicodedata.category(c) in ("Cc", "Cf")), None)
    if control is not None:
        raise TargetFileError(path, where, f"contains {_character(control)}{origin}", fix)
    placeholder = "{" + key + "}"
    for scheme in profile.auth:
        if key not in scheme.credentials:
            continue
        if scheme.kind == "basic" and placeholder in (scheme.username or "") and ":" in value:
            raise TargetFileError(
                path,
                where,
                f"contains ':', which ends the user name of Basic authentication "
                f"({profile.name} scheme '{scheme.id}')",
                "check the value: a Basic user name cannot contain ':'",
            )
        in_header = scheme.kind in ("bearer", "header") and not scheme.from_token
        if in_header and placeholder in (scheme.value or "") and not value.isascii():
            header = scheme.name or "Authorization"
            raise TargetFileError(
                path,
                where,
                f"contains non-ASCII characters, which cannot travel in the {header} header "
                f"({profile.name} scheme '{scheme.id}')",
                "check the value (copied with a typographic character?)",
            )


def _split(path: Path, key: str, url: str) -> SplitResult:
    """The URL's parts, its port checked (urlsplit only checks it when asked)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        problem = str(exc).replace("Port out of range 0-65535", "has a port outside 0-65535")
        if "could not be" in problem:  # converted / cast to integer
            problem = "has a port that is not a number"
        raise TargetFileError(path, key, problem, "give a URL like https://host:8443/v1") from None
    if port == 0:
        raise TargetFileError(path, key, "has port 0", "give the port the server listens on")
    if not parts.hostname:
        raise TargetFileError(path, key, "has no host", "give a URL like https://host:8443/v1")
    return parts


def check_base_url(path: Path, url: str, profile: Profile) -> str:
    """The base URL, refused if it carries credentials, a query or a fragment."""
    parts = _split(path, "base_url", url)
    known = ", ".join(sorted({c for s in profile.auth for c in s.credentials}))
    if "@" in parts.netloc:
        raise TargetFileError(
            path,
            "base_url",
            "carries a user name or password (user:password@host), which would be written "
            "to every report and would replace the profile's authentication",
            f"remove it and put the credentials under [credentials] ({known})",
        )
    if parts.query or parts.fragment:
        raise TargetFileError(
            path,
            "base_url",
            "has a query string or fragment (?...), which would be written to every report",
            f"give the base URL alone; credentials go under [credentials] ({known})",
        )
    if profile.https_only and parts.scheme != "https":
        raise TargetFileError(
            path,
            "base_url",
            f"{url!r} is not HTTPS",
            f"{profile.name} is HTTPS-only; use an https:// URL",
        )
    return url


def check_proxy(path: Path, proxy: str) -> None:
    _split(path, "transport.proxy", proxy)


def check_ca_bundle(path: Path, ca: Path) -> Path:
    """A readable PEM file of CA certificates that Python's ssl module loads."""
    if ca.is_dir():
        raise TargetFileError(
            path, "ca_bundle", f"{ca} is a folder", "give a PEM file of CA certificates"
        )
    if not ca.is_file():
        raise TargetFileError(path, "ca_bundle", f"{ca} does not exist", "give a PEM file path")
    try:
        ssl.create_default_context(cafile=str(ca))
    except ssl.SSLError as exc:
        raise TargetFileError(
            path,
            "ca_bundle",
            f"{ca} is not a PEM file of CA certificates ({exc.reason or exc})",
            "give the CA certificate(s) in PEM form (-----BEGIN CERTIFICATE-----)",
        ) from None
    except OSError as exc:
        raise TargetFileError(
            path, "ca_bundle", f"{ca} cannot be read ({exc.strerror or exc})"
        ) from None
    return ca
