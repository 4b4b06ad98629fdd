"""The ITRP emulator: routes, schemas, pagination, auth and the vendor behaviours of itrp.txt."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from harness.emulators import RunningEmulator
from harness.emulators.itrp import credentials
from harness.validation import SchemaStore
from tests.emulators.conftest import ModuleEmulator, client_for

CREDS = credentials()
TOKEN_AUTH = (CREDS["api_token"], "x")
PASSWORD_AUTH = (CREDS["email"], CREDS["password"])
LINK = re.compile(r'<([^>]+)>;\s*rel="(\w+)"')


# One emulator for the module's reads (tests that write start their own).
EMULATOR = ModuleEmulator("itrp", client={"auth": TOKEN_AUTH})


def valid(schemas: SchemaStore, schema: str, instance: Any) -> None:
    problems = schemas.validate(schema, instance, vendor="itrp")
    assert not problems, "\n".join(map(str, problems))


def valid_headers(schemas: SchemaStore, schema: str, response: httpx.Response) -> None:
    problems = schemas.validate_headers(schema, dict(response.headers), vendor="itrp")
    assert not problems, "\n".join(map(str, problems))


def links(response: httpx.Response) -> dict[str, str]:
    return {rel: url for url, rel in LINK.findall(response.headers.get("link", ""))}


def walk(client: httpx.Client, path: str) -> tuple[list[dict[str, Any]], list[httpx.Response]]:
    """Follow rel="next" from ``path`` to the end; the records and the pages seen."""
    records: list[dict[str, Any]] = []
    pages: list[httpx.Response] = []
    url: str | None = path
    while url is not None:
        response = client.get(url)
        assert response.status_code == 200, response.text
        pages.append(response)
        records += response.json()
        url = links(response).get("next")
        assert len(pages) < 500, "the Link chain does not end"
    return records, pages


# ------------------------------------------------------------------ routes and schemas

READS = [
    ("/me", "me.schema.json"),
    ("/requests", "request-list.schema.json"),
    ("/requests/1", "request.schema.json"),
    ("/people", "person-list.schema.json"),
    ("/people/5", "person.schema.json"),
    ("/sites", "site-list.schema.json"),
    ("/sites/13", "site.schema.json"),
    ("/enums", "enums.schema.json"),
]


def test_the_service_root_answers_an_empty_object_even_without_credentials(
    emu: RunningEmulator, store: SchemaStore
) -> None:
    with client_for(emu) as anonymous:
        response = anonymous.get("")
    assert response.status_code == 200
    assert response.content == b"{}"
    assert response.headers["content-length"] == "2"
    valid(store, "service-root.schema.json", response.json())
    valid_headers(store, "headers-content.schema.json", response)
    valid_headers(store, "headers-rate-limit.schema.json", response)


@pytest.mark.parametrize(("path", "schema"), READS)
def test_every_read_route_answers_a_body_and_headers_that_validate(
    api: httpx.Client, store: SchemaStore, path: str, schema: str
) -> None:
    response = api.get(path)
    assert response.status_code == 200, response.text
    valid(store, schema, response.json())
    for group in ("content", "rate-limit", "etag"):
        valid_headers(store, f"headers-{group}.schema.json", response)
    if schema.endswith("-list.schema.json"):
        valid_headers(store, "headers-pagination.schema.json", response)
        assert isinstance(response.json(), list)


def _bad_json(api: httpx.Client) -> httpx.Response:
    headers = {"content-type": "application/json"}
    return api.post("/requests", content=b'{"subject": ', headers=headers)


ERRORS: list[tuple[str, int, Any]] = [
    ("per_page below 1", 400, lambda api: api.get("/requests", params={"per_page": -10})),
    ("malformed JSON", 400, _bad_json),
    ("wrong credentials", 401, lambda api: api.get("/me", auth=("user", "invalid"))),
    ("no credentials", 401, lambda api: api.get("/me", auth=None)),
    ("a person of an untrusted account", 403, lambda api: api.get("/people/1")),
    (
        "an untrusted X-ITRP-Account",
        403,
        lambda api: api.get("/sites", headers={"X-ITRP-Account": "acme"}),
    ),
    ("an unknown path", 404, lambda api: api.get("/me_too")),
    ("an unknown record", 404, lambda api: api.get("/requests/999999")),
    ("a method the path does not take", 405, lambda api: api.delete("/me")),
    ("a URI that does not serve JSON", 406, lambda api: api.get("/account/billing")),
    (
        "an Accept of another type",
        406,
        lambda api: api.get("/me", headers={"Accept": "application/xml"}),
    ),
    (
        "a create without subject and category",
        422,
        lambda api: api.post("/requests", json={"impact": "medium"}),
    ),
]


@pytest.mark.parametrize(("case", "status", "call"), ERRORS, ids=[e[0] for e in ERRORS])
def test_every_error_status_answers_the_documented_body_and_headers(
    api: httpx.Client, store: SchemaStore, case: str, status: int, call: Any
) -> None:
    response = call(api)
    assert response.status_code == status, response.text
    valid(store, "error-422.schema.json" if status == 422 else "error.schema.json", response.json())
    valid_headers(store, "headers-content.schema.json", response)
    valid_headers(store, "headers-rate-limit.schema.json", response)


def test_error_messages_are_the_documented_ones(api: httpx.Client) -> None:
    assert api.get("/me", auth=("user", "invalid")).json() == {
        "message": "Access credentials required"
    }
    assert api.get("/people/1").json() == {"message": "Forbidden"}
    assert api.get("/me_too").json() == {"message": "Not Found"}
    assert api.get("/account/billing").json() == {"message": "Not Acceptable"}
    assert api.get("/requests", params={"per_page": -10}).json() == {
        "message": "Parameter 'per_page' cannot be less than 1"
    }
    assert api.post("/requests", json={"impact": "medium"}).json() == {
        "message": "Validation Failed",
        "errors": [["subject", "Subject can't be blank"], ["category", "Category can't be blank"]],
    }


# ------------------------------------------------------------------ pagination

COLLECTIONS = ["/requests", "/people", "/sites"]


@pytest.mark.parametrize("path", COLLECTIONS)
@pytest.mark.parametrize("per_page", [None, 7, 100])
def test_walking_the_link_chain_yields_every_record_once_in_id_order(
    api: httpx.Client, path: str, per_page: int | None
) -> None:
    start = path if per_page is None else f"{path}?per_page={per_page}"
    records, pages = walk(api, start)
    ids = [r["id"] for r in records]
    size = per_page or 20
    total = int(pages[0].headers["x-pagination-total-entries"])
    assert ids == sorted(set(ids)) and len(ids) == total
    assert len(pages) == int(pages[0].headers["x-pagination-total-pages"]) == -(-total // size)
    for number, page in enumerate(pages, start=1):
        assert page.headers["x-pagination-current-page"] == str(number)
        assert page.headers["x-pagination-per-page"] == str(size)
        assert len(page.json()) == (size if number < len(pages) else total - size * (number - 1))
        rels = links(page)
        assert rels["first"].endswith(f"page=1&per_page={size}")
        assert rels["last"].endswith(f"page={len(pages)}&per_page={size}")
        assert ("prev" in rels) == (number > 1)
        assert ("next" in rels) == (number < len(pages))


def test_the_main_collection_holds_at_least_250_requests_and_pages_by_number_too(
    api: httpx.Client,
) -> None:
    first = api.get("/requests")
    total = int(first.headers["x-pagination-total-entries"])
    assert total >= 250
    by_number = [
        r["id"]
        for n in range(1, 4)
        for r in api.get("/requests", params={"page": n, "per_page": 100}).json()
    ]
    assert len(by_number) == total == len(set(by_number))


def test_a_page_holds_20_records_by_default_and_at_most_100(api: httpx.Client) -> None:
    default = api.get("/requests")
    assert len(default.json()) == 20 and default.headers["x-pagination-per-page"] == "20"
    capped = api.get("/requests", params={"per_page": 250})
    assert len(capped.json()) == 100 and capped.headers["x-pagination-per-page"] == "100"


@pytest.mark.parametrize("value", ["0", "-10", "abc", "1.5"])
def test_a_bad_per_page_is_refused_with_400_naming_the_parameter(
    api: httpx.Client, value: str
) -> None:
    response = api.get("/people", params={"per_page": value})
    assert response.status_code == 400
    assert response.json() == {"message": "Parameter 'per_page' cannot be less than 1"}


def test_a_bad_page_number_is_refused_and_a_page_past_the_end_is_empty(api: httpx.Client) -> None:
    assert api.get("/requests", params={"page": 0}).status_code == 400
    past = api.get("/requests", params={"page": 99})
    assert past.status_code == 200 and past.json() == []
    assert "next" not in links(past)


def test_link_urls_are_absolute_on_the_requests_own_origin_and_keep_other_parameters(
    emu: RunningEmulator, api: httpx.Client
) -> None:
    response = api.get("/requests", params={"fields": "subject", "page": 2})
    rels = links(response)
    assert list(rels) == ["first", "prev", "next", "last"]
    assert rels["next"] == f"{emu.base_url}/requests?page=3&per_page=20&fields=subject"
    assert all(url.startswith(emu.origin + "/v1/") for url in rels.values())


# ------------------------------------------------------------------ auth


def test_the_token_is_accepted_in_basic_auth_and_in_the_query(emu: RunningEmulator) -> None:
    with client_for(emu) as client:
        basic = client.get("/me", auth=TOKEN_AUTH)
        query = client.get("/me", params={"api_token": CREDS["api_token"]})
        password = client.get("/me", auth=PASSWORD_AUTH)
    assert basic.status_code == query.status_code == password.status_code == 200
    assert basic.json()["id"] == query.json()["id"] == password.json()["id"] == 5
    assert basic.json()["name"] == "Howard Tanner"


def test_me_includes_the_api_token_only_under_password_auth(emu: RunningEmulator) -> None:
    with client_for(emu) as client:
        assert "api_token" not in client.get("/me", auth=TOKEN_AUTH).json()
        assert "api_token" not in client.get("/me", params={"api_token": CREDS["api_token"]}).json()
        assert client.get("/me", auth=PASSWORD_AUTH).json()["api_token"] == CREDS["api_token"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"auth": ("not-a-token", "x")},
        {"auth": (CREDS["email"], "wrong")},
        {"params": {"api_token": "not-a-token"}},
        {"headers": {"Authorization": f"Bearer {CREDS['api_token']}"}},
        {},
    ],
    ids=["unknown token", "wrong password", "unknown query token", "bearer scheme", "nothing"],
)
def test_bad_or_missing_credentials_get_401(emu: RunningEmulator, kwargs: dict[str, Any]) -> None:
    with client_for(emu) as client:
        response = client.get("/requests", **kwargs)
    assert response.status_code == 401
    assert response.json() == {"message": "Access credentials required"}
    assert response.headers["www-authenticate"].startswith("Basic")


def test_a_person_of_an_untrusted_account_is_forbidden_and_an_unknown_one_not_found(
    api: httpx.Client,
) -> None:
    assert api.get("/people/1").status_code == 403
    assert api.get("/people/5").status_code == 200
    assert api.get("/people/100000").status_code == 404
