"""Signed compliance reports: a partner verifies them with the public key alone, and any
changed, removed or added file is named."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from harness.errors import HarnessError
from harness.reporting.report_folder import write_compliance
from harness.reporting.signing import MANIFEST, SIGNATURE, verify_folder
from tests.reporting._full_run import FullRun


def _keys(folder: Path) -> tuple[Ed25519PrivateKey, Path, Path]:
    key = Ed25519PrivateKey.generate()
    private = folder / "signer.pem"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    public = folder / "signer.pub.pem"
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return key, private, public


def _harness(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


@pytest.fixture(scope="module")
def signed(full_run: FullRun, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A report folder signed through the CLI: (folder, private key, public key)."""
    base = tmp_path_factory.mktemp("signed")
    _, private, public = _keys(base)
    folder = base / "report"
    done = _harness(
        "report",
        "--compliance",
        "--run-results",
        str(full_run.results),
        "--compliance-out",
        str(folder),
        "--sign",
        str(private),
        cwd=base,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return folder, private, public


def test_a_fresh_signed_report_verifies(signed: tuple[Path, Path, Path]) -> None:
    folder, _, public = signed
    done = _harness("verify-report", str(folder), "--key", str(public), cwd=folder.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("verified: ") and "unchanged" in done.stdout


def test_the_manifest_covers_every_file_and_names_what_was_checked(
    signed: tuple[Path, Path, Path], full_run: FullRun
) -> None:
    folder, _, _ = signed
    manifest = json.loads((folder / MANIFEST).read_text())
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert set(manifest["files"]) == files - {MANIFEST, SIGNATURE}
    assert {"index.html", "itrp.html", "itrp.md", "itrp.json", "har/itrp.har"} <= files
    assert manifest["harness_version"] == full_run.record.harness_version
    recorded = {t.vendor: t for t in full_run.record.targets}
    for target in manifest["targets"]:
        assert target["schemas_sha256"] == recorded[target["vendor"]].schemas_sha256
        assert target["catalog_sha256"] == recorded[target["vendor"]].catalog_sha256


def test_one_changed_byte_fails_and_names_the_file(
    signed: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    source, _, public = signed
    folder = tmp_path / "report"
    shutil.copytree(source, folder)
    page = folder / "itrp.html"
    data = bytearray(page.read_bytes())
    data[len(data) // 2] ^= 0x01
    page.write_bytes(bytes(data))
    done = _harness("verify-report", str(folder), "--key", str(public), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"{folder}: itrp.html: changed since signing (sha256 differs)"
    ]


def test_removed_added_files_and_a_changed_manifest_are_named(
    signed: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    source, _, public = signed
    folder = tmp_path / "report"
    shutil.copytree(source, folder)
    (folder / "turris.md").unlink()
    (folder / "extra.html").write_text("<p>added later</p>")
    problems = verify_folder(folder, public).problems
    assert problems == [
        "turris.md: missing (removed since signing)",
        "extra.html: added after signing (not in the manifest)",
    ]
    manifest = folder / MANIFEST
    manifest.write_text(manifest.read_text().replace('"harness_version"', '"harness_versioN"'))
    assert (
        verify_folder(folder, public)
        .problems[0]
        .startswith("manifest.json: the signature does not verify with this key")
    )


def test_another_key_does_not_verify(signed: tuple[Path, Path, Path], tmp_path: Path) -> None:
    folder, _, _ = signed
    _, _, other = _keys(tmp_path)
    problems = verify_folder(folder, other).problems
    assert problems[0].startswith("manifest.json: the signature does not verify")
    assert "signed by key sha256:" in problems[1]


def test_no_private_key_material_in_the_report(signed: tuple[Path, Path, Path]) -> None:
    folder, private, _ = signed
    key = serialization.load_pem_private_key(private.read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    pem_body = "".join(private.read_text().splitlines()[1:-1])
    forms = [raw, raw.hex().encode(), base64.b64encode(raw), pem_body.encode(), b"PRIVATE KEY"]
    for path in (p for p in folder.rglob("*") if p.is_file()):
        content = path.read_bytes()
        for form in forms:
            assert form not in content, f"private key material in {path.name}"


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
def test_a_partner_verifies_with_openssl_alone(signed: tuple[Path, Path, Path]) -> None:
    folder, _, public = signed
    done = subprocess.run(
        [
            "openssl",
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            str(public),
            "-rawin",
            "-in",
            str(folder / MANIFEST),
            "-sigfile",
            str(folder / SIGNATURE),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and "Signature Verified Successfully" in done.stdout, done.stderr


def test_a_key_inside_the_report_folder_is_refused(full_run: FullRun, tmp_path: Path) -> None:
    folder = tmp_path / "report"
    folder.mkdir()
    _, private, _ = _keys(folder)
    with pytest.raises(HarnessError, match="inside the report folder"):
        write_compliance(full_run.results, folder, sign=private)
    assert private.is_file()


def test_a_key_that_is_not_ed25519_is_a_one_line_error(full_run: FullRun, tmp_path: Path) -> None:
    key = tmp_path / "rsa.pem"
    key.write_text("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
    with pytest.raises(HarnessError, match=r"rsa\.pem: not a PEM private key .*openssl genpkey"):
        write_compliance(full_run.results, tmp_path / "out", sign=key)
    public = tmp_path / "pub.pem"
    public.write_bytes(key.read_bytes())
    with pytest.raises(HarnessError, match="this is a private key; verify with the public half"):
        verify_folder(tmp_path, public)
