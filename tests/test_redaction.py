"""Secrets are masked in headers, URLs, JSON bodies and text: in every encoding, inside
Basic credentials at any alignment, as variants with one character changed, and when the
harness learned them on the way (a granted token, the parts of a Basic header)."""

from __future__ import annotations

import base64
import html
import json
from urllib.parse import quote, quote_plus

import pytest

from harness.checks.auth._common import mutate
from harness.redaction import MASK, Redactor
from harness.redaction._registry import SecretRegistry


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


# -- every form of a secret -----------------------------------------------------------
TOKEN = "tok-4c9e2a7b1d8f6e3a0b5c9d2e7f1a4b8c6d3e9f0a"
PASSWORD = "Pä/ss:wörd-2026"
EMAIL = "someone.unique@example.org"


def _fresh() -> Redactor:
    return Redactor([TOKEN, PASSWORD, EMAIL])


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("raw", PASSWORD),
        ("url-encoded", quote(PASSWORD, safe="")),
        ("url-encoded, lower-case escapes", quote(PASSWORD, safe="").lower()),
        ("form-encoded", quote_plus(PASSWORD)),
        ("json-escaped", json.dumps(PASSWORD)[1:-1]),
        ("json-escaped with \\/", json.dumps(PASSWORD)[1:-1].replace("/", "\\/")),
        ("html-escaped", html.escape("<" + PASSWORD + ">")),
        ("python repr of bytes", repr(PASSWORD.encode())),
        ("python ascii()", ascii(PASSWORD)),
    ],
)
def test_a_secret_is_masked_in_every_encoding(encoding: str, text: str) -> None:
    masked = _fresh().text(f"the server said: {text} (end)")
    assert MASK in masked, encoding
    assert "ss:w" not in masked and "2026" not in masked, masked


@pytest.mark.parametrize("prefix", ["", "a", "ab", "abc", "user.name@example.org"])
def test_basic_credentials_are_masked_at_every_alignment(prefix: str) -> None:
    """``prefix:password`` in base64 decodes to nothing of the password once masked."""
    header = base64.b64encode(f"{prefix}:{PASSWORD}".encode()).decode()
    masked = _fresh().text(f"Authorization: Basic {header}")
    head, _, tail = masked.split("Basic ", 1)[1].partition(MASK)
    starts = len(f"{prefix}:".encode()) * 4 // 3  # the character where the password starts
    assert len(head) <= starts and len(tail) <= 3, masked


def test_a_token_with_one_character_changed_is_masked() -> None:
    variant = mutate(TOKEN)
    assert variant != TOKEN
    masked = _fresh().text(f"unknown token {variant}!")
    assert masked == f"unknown token {MASK}!"


def test_a_mutated_token_inside_basic_is_masked() -> None:
    header = base64.b64encode(f"{mutate(TOKEN)}:x".encode()).decode()
    masked = _fresh().text(header)
    assert len(masked.replace(MASK, "")) <= 6, masked


def test_a_truncated_echo_of_a_token_is_masked() -> None:
    masked = _fresh().text(f"token starts {TOKEN[:20]}...")
    assert TOKEN[:12] not in masked


def test_short_runs_of_a_secret_in_other_text_stay() -> None:
    text = "a list of 4c9e2a7 items at example.com"  # 7 characters of the token, a domain
    assert _fresh().text(text) == text


def test_values_sent_in_secret_places_are_learned_and_masked_everywhere() -> None:
    granted = "granted-access-2f8c4e6a0b1d3f5a7c9e"
    first = Redactor()
    assert first.headers([("Authorization", f"Bearer {granted}")]) == (("Authorization", MASK),)
    assert Redactor().text(f"echo {granted}") == f"echo {MASK}"  # any redactor, from now on


def test_the_parts_of_a_basic_header_are_learned() -> None:
    user, password = "learned-user-7a1c", "learned-pass-9e3b5d"
    header = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    Redactor().headers([("Authorization", header)])
    assert Redactor().text(f"user {user} password {password}") == f"user {MASK} password {MASK}"


def test_a_secret_field_in_a_response_is_learned() -> None:
    body = json.dumps({"data": {"access_token": "grant-0b2d4f6a8c1e3a5b"}})
    assert "grant-0b2d" not in Redactor().body(body)
    assert Redactor().text("Bearer grant-0b2d4f6a8c1e3a5b") == f"Bearer {MASK}"


def test_learning_is_bounded() -> None:
    registry = SecretRegistry(learned_limit=3)
    values = [base64.b32encode(bytes([i]) * 10).decode() for i in range(10)]
    registry.learn(values)
    _, learned = registry.matchers()
    assert not learned.spans(values[0]) and learned.spans(values[-1])


def test_secret_fields_are_masked_in_text_that_is_not_json() -> None:
    out = Redactor().body("api_token=abcdef123456&page=2 and {'password': 'hunter2hunter2'")
    assert "abcdef123456" not in out and "hunter2" not in out and "page=2" in out


def test_a_url_keeps_its_other_parameters_as_they_were() -> None:
    url = "https://h/v1/x?q=a%20b&api_token=s3cr3t-val&per_page=25"
    assert Redactor().url(url) == f"https://h/v1/x?q=a%20b&api_token={MASK}&per_page=25"


def test_a_header_named_like_a_credential_is_masked() -> None:
    out = dict(Redactor().headers([("X-Auth-Token", "t0k3n-abc"), ("X-Request-Id", "r1")]))
    assert out == {"X-Auth-Token": MASK, "X-Request-Id": "r1"}


def test_a_header_value_seen_before_a_secret_was_learned_is_masked_after_it() -> None:
    redactor = Redactor()
    echoed = ("X-Echo", "seen-before-learning-Qm9vcmFkYW5nZXJvdXM")
    assert redactor.headers([echoed]) == (echoed,)  # no secret known yet: kept as is
    redactor.headers([("Authorization", "Bearer seen-before-learning-Qm9vcmFkYW5nZXJvdXM")])
    assert redactor.headers([echoed]) == (("X-Echo", MASK),)
