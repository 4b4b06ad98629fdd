"""Signed reports: a manifest of every file's digest, signed with Ed25519.

``harness report --compliance --sign KEY`` writes ``manifest.json`` (the sha256 of every
file of the report folder, the schema and catalog digests of each target, the harness
version and the run) and ``manifest.json.sig``: the raw 64-byte Ed25519 signature of the
manifest's exact bytes. ``harness verify-report DIR --key PUB`` checks the signature with
the public key alone and names every file that was changed, removed or added since.

A partner without the harness can verify with OpenSSL 3, jq and coreutils::

    openssl pkeyutl -verify -pubin -inkey signer.pub.pem -rawin \\
        -in manifest.json -sigfile manifest.json.sig
    jq -r '.files | to_entries[] | "\\(.value)  \\(.key)"' manifest.json | sha256sum -c

Keys: ``openssl genpkey -algorithm ed25519 -out signer.pem`` and
``openssl pkey -in signer.pem -pubout -out signer.pub.pem``. The private key never
enters the report folder (a key inside it is refused).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from harness.errors import HarnessError

__all__ = [
    "MANIFEST",
    "PASSPHRASE_ENV",
    "SIGNATURE",
    "Verification",
    "key_fingerprint",
    "load_private_key",
    "load_public_key",
    "sign_folder",
    "verify_folder",
]

MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.sig"
FORMAT = "harness-signed-report/1"
PASSPHRASE_ENV = "HARNESS_SIGNING_PASSPHRASE"
_KEY_HINT = (
    "make one with `openssl genpkey -algorithm ed25519 -out signer.pem` "
    "(public half: `openssl pkey -in signer.pem -pubout -out signer.pub.pem`)"
)


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise HarnessError(f"{path}: cannot read the {what}: {exc.strerror or exc}") from None


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """An Ed25519 private key from a PEM file (PKCS#8; encrypted: $HARNESS_SIGNING_PASSPHRASE)."""
    data = _read(path, "signing key")
    passphrase = os.environ.get(PASSPHRASE_ENV)
    try:
        key = serialization.load_pem_private_key(
            data, password=passphrase.encode() if passphrase else None
        )
    except TypeError:
        raise HarnessError(
            f"{path}: the signing key is encrypted; export {PASSPHRASE_ENV}=... with its passphrase"
        ) from None
    except (ValueError, UnsupportedAlgorithm):
        raise HarnessError(
            f"{path}: not a PEM private key (or the passphrase is wrong); {_KEY_HINT}"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise HarnessError(
            f"{path}: a {type(key).__name__.removesuffix('PrivateKey') or 'non-Ed25519'} key; "
            f"reports are signed with Ed25519: {_KEY_HINT}"
        )
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """An Ed25519 public key: PEM (``-----BEGIN PUBLIC KEY-----``) or OpenSSH (``ssh-ed25519``)."""
    data = _read(path, "public key")
    key: object
    try:
        if data.lstrip().startswith(b"ssh-"):
            key = serialization.load_ssh_public_key(data)
        else:
            key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        if b"PRIVATE KEY" in data:
            raise HarnessError(
                f"{path}: this is a private key; verify with the public half only "
                "(`openssl pkey -in KEY -pubout -out signer.pub.pem`)"
            ) from None
        raise HarnessError(f"{path}: not a PEM or OpenSSH public key; {_KEY_HINT}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise HarnessError(f"{path}: not an Ed25519 public key; {_KEY_HINT}")
    return key


def key_fingerprint(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def _files(folder: Path) -> list[str]:
    """Every file of the folder (relative, POSIX), except the manifest and its signature."""
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder).as_posix() not in (MANIFEST, SIGNATURE)
    )


def sign_folder(
    folder: Path, key: Ed25519PrivateKey, context: Mapping[str, Any]
) -> tuple[Path, Path]:
    """Write the manifest of ``folder`` and its signature; ``context`` describes the run."""
    manifest = {
        "format": FORMAT,
        **context,
        "public_key": key_fingerprint(key.public_key()),
        "files": {name: _digest(folder / name) for name in _files(folder)},
    }
    data = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    (folder / MANIFEST).write_bytes(data)
    (folder / SIGNATURE).write_bytes(key.sign(data))
    return folder / MANIFEST, folder / SIGNATURE


@dataclass
class Verification:
    folder: Path
    fingerprint: str
    files: int = 0
    problems: list[str] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_folder(folder: Path, public_key: Path) -> Verification:
    """Check the signature of ``folder``'s manifest and every file it lists."""
    key = load_public_key(public_key)
    result = Verification(folder, key_fingerprint(key))
    if not folder.is_dir():
        raise HarnessError(f"{folder}: no such folder; name the folder of a signed report")
    manifest_path, signature_path = folder / MANIFEST, folder / SIGNATURE
    if not manifest_path.is_file() or not signature_path.is_file():
        missing = [p.name for p in (manifest_path, signature_path) if not p.is_file()]
        result.problems.append(f"{', '.join(missing)}: missing; the folder is not a signed report")
        return result
    data = manifest_path.read_bytes()
    try:
        key.verify(signature_path.read_bytes(), data)
    except InvalidSignature:
        result.problems.append(
            f"{MANIFEST}: the signature does not verify with this key (the manifest was "
            "changed, or it was signed with another key)"
        )
    try:
        manifest = json.loads(data)
        files = dict(manifest["files"])
    except (ValueError, KeyError, TypeError):
        result.problems.append(f"{MANIFEST}: not a manifest written by harness")
        return result
    result.manifest = manifest
    signer = manifest.get("public_key")
    if signer and signer != result.fingerprint:
        result.problems.append(
            f"{MANIFEST}: signed by key {signer}, not by the key given ({result.fingerprint})"
        )
    for name, expected in sorted(files.items()):
        path = folder / name
        if Path(name).is_absolute() or ".." in Path(name).parts:
            result.problems.append(f"{name}: names a file outside the report folder")
        elif not path.is_file():
            result.problems.append(f"{name}: missing (removed since signing)")
        elif _digest(path) != expected:
            result.problems.append(f"{name}: changed since signing (sha256 differs)")
    for name in _files(folder):
        if name not in files:
            result.problems.append(f"{name}: added after signing (not in the manifest)")
    result.files = len(files)
    return result
