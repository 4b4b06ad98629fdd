"""Secrets are masked in headers, URLs, JSON bodies and text, including base64 Basic forms."""

from __future__ import annotations

import base64
import json

from harness.redaction import MASK, Redactor


def test_secret_headers_are_masked_whatever_their_value() -> None:
    r = Redactor()
    out = dict(
        r.headers(
            [
                ("Authorization", "Bearer abc"),
                ("X-Restricted-Access-Token", "t"),
                ("Accept", "application/json"),
            ]
        )
    )
    assert out == {
        "Authorization": MASK,
        "X-Restricted-Access-Token": MASK,
        "Accept": "application/json",
    }


def test_secret_query_parameters_are_masked_in_urls() -> None:
    url = Redactor().url("https://h/v1/me?api_token=s3cret&page=2")
    assert "s3cret" not in url and "page=2" in url and MASK in url


def test_secret_fields_are_masked_at_any_depth_of_a_json_body() -> None:
    body = json.dumps(
        {"data": {"access_token": "a", "refresh_token": "r", "name": "ok"}, "clientSecret": "c"}
    )
    out = json.loads(Redactor().body(body))
    assert out == {
        "data": {"access_token": MASK, "refresh_token": MASK, "name": "ok"},
        "clientSecret": MASK,
    }


def test_credential_values_are_masked_anywhere_also_base64_encoded() -> None:
    secret = "tok-9f8e7d6c1"
    r = Redactor([secret])
    encoded = base64.b64encode(f"{secret}:x".encode()).decode()
    text = f"echo {secret} and Basic {encoded}"
    masked = r.text(text)
    assert secret not in masked
    assert base64.b64encode(secret.encode()).decode().rstrip("=")[:12] not in masked


def test_long_bodies_are_truncated_with_a_count() -> None:
    out = Redactor().body("x" * 5000, limit=100)
    assert out.startswith("x" * 100) and out.endswith("[4900 more characters]")


def test_a_body_without_secrets_is_returned_as_is() -> None:
    text = '{"id": 1, "name": "ok"}'
    assert Redactor(["s3cret-value"]).body(text) == text


def test_secret_keys_are_found_whatever_their_spelling() -> None:
    for key in ("clientSecret", "client-secret", "Client_Secret", "ACCESS_TOKEN", "api-token"):
        out = json.loads(Redactor().body(json.dumps({key: "x"})))
        assert out == {key: MASK}, key
