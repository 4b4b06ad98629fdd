"""Target files parse into validated targets; every mistake names the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import TargetFileError
from harness.targets import load_target

GOOD = """
vendor = "itrp"
base_url = "https://127.0.0.1:8443/v1/"
mode = "emulator"
[credentials]
api_token = "${ITRP_TOKEN}"
[allow]
clock_control = true
[budget]
max_requests = 50
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "target.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_target_reads_credentials_from_the_environment(tmp_path: Path) -> None:
    target = load_target(_write(tmp_path, GOOD), environ={"ITRP_TOKEN": "s3cret-token"})
    assert target.vendor == "itrp"
    assert target.base_url == "https://127.0.0.1:8443/v1"
    assert target.credentials["api_token"] == "s3cret-token"
    assert target.budget.max_requests == 50
    assert target.allow.clock_control and not target.allow.writes
    assert "s3cret-token" not in repr(target)


def test_a_missing_environment_variable_names_the_variable_and_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD)
    with pytest.raises(TargetFileError) as info:
        load_target(path, environ={})
    message = str(info.value)
    assert "ITRP_TOKEN" in message and str(path) in message
    assert "credentials.api_token" in message
    assert "\n" not in message


def test_clock_control_on_a_live_target_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace('"emulator"', '"live"'))
    with pytest.raises(TargetFileError, match=r"key 'allow.clock_control': is true on a live"):
        load_target(path, environ={"ITRP_TOKEN": "t"})


def test_plain_http_is_refused_for_an_https_only_vendor(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("https://", "http://"))
    with pytest.raises(TargetFileError, match=r"key 'base_url'.*HTTPS-only"):
        load_target(path, environ={"ITRP_TOKEN": "t"})


def test_an_unknown_mode_lists_the_allowed_ones(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace('"emulator"', '"prod"'))
    with pytest.raises(
        TargetFileError, match=r"key 'mode': got 'prod'; expected one of 'emulator', 'live'"
    ):
        load_target(path, environ={"ITRP_TOKEN": "t"})


def test_an_unknown_vendor_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace('"itrp"', '"acme"'))
    with pytest.raises(TargetFileError, match=r"key 'vendor': no vendor called 'acme'"):
        load_target(path, environ={})


def test_a_credential_the_vendor_does_not_know_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("[credentials]\n", '[credentials]\npin = "1234"\n'))
    with pytest.raises(TargetFileError, match=r"key 'credentials.pin': is not a credential"):
        load_target(path, environ={"ITRP_TOKEN": "t"})


def test_a_missing_ca_bundle_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, 'ca_bundle = "nope.pem"\n' + GOOD)
    with pytest.raises(TargetFileError, match=r"key 'ca_bundle'.*nope\.pem does not exist"):
        load_target(path, environ={"ITRP_TOKEN": "t"})


def test_a_missing_target_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(TargetFileError, match=r"missing\.toml: file not found"):
        load_target(tmp_path / "missing.toml", environ={})


def test_a_proxy_password_is_a_secret_and_never_in_the_repr(tmp_path: Path) -> None:
    text = GOOD + '[transport]\nproxy = "http://proxyuser:pr0xy-pa55@proxy.example:3128"\n'
    target = load_target(_write(tmp_path, text), environ={"ITRP_TOKEN": "s3cret-token"})
    assert "pr0xy-pa55" in target.secrets and "proxyuser" in target.secrets
    assert "pr0xy-pa55" not in repr(target) and "s3cret-token" not in repr(target)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("s3cret-token\n", "ends with a line feed (U+000A) (read from the environment variable"),
        ("\ts3cret-token", "starts with a tab (U+0009)"),
        ("s3cret\u200btoken", "contains the character U+200B (ZERO WIDTH SPACE)"),
    ],
)
def test_a_credential_the_vendor_would_refuse_is_named_never_shown(
    tmp_path: Path, value: str, problem: str
) -> None:
    with pytest.raises(TargetFileError) as info:
        load_target(_write(tmp_path, GOOD), environ={"ITRP_TOKEN": value})
    message = str(info.value)
    assert "key 'credentials.api_token'" in message and problem in message, message
    assert "s3cret" not in message and "\n" not in message


def test_a_ca_bundle_that_is_a_folder_says_so(tmp_path: Path) -> None:
    path = _write(
        tmp_path, GOOD.replace('mode = "emulator"', f'mode = "emulator"\nca_bundle = "{tmp_path}"')
    )
    with pytest.raises(TargetFileError, match="is a folder; give a PEM file"):
        load_target(path, environ={"ITRP_TOKEN": "t"})
