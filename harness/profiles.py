"""Vendor profiles: what each document says, loaded from ``schemas/<vendor>/profile.toml``.

A profile holds the vendor's conventions (auth, envelope, errors, paging, limits,
formats, features); its endpoint inventory is ``operations.toml`` beside it
(:mod:`harness.inventory`), loaded into :attr:`Profile.operations`. A profile is
validated against ``profile.schema.json`` when loaded and turned into frozen
dataclasses; a broken profile raises :class:`~harness.errors.ProfileError` naming the
file, the key and the expected form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from harness._resources import vendor_folder, vendor_names
from harness._tomlfile import check_against, read_data
from harness.errors import ProfileError
from harness.inventory import INVENTORY_FILE, Operation, load_inventory
from harness.schema_readings import generated_names

__all__ = [
    "AuthScheme",
    "Exchange",
    "Operation",
    "Pagination",
    "Profile",
    "RateLimit",
    "RateRule",
    "StatusSpec",
    "TokenFlow",
    "load_all_profiles",
    "load_profile",
    "load_profile_file",
]

Source = Literal["document", "public-facts", "assumed"]


def _frozen(data: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(data or {}))


@dataclass(frozen=True)
class AuthScheme:
    id: str
    kind: Literal["basic", "bearer", "header", "query", "body"]
    credentials: tuple[str, ...]
    username: str | None = None
    password: str | None = None
    name: str | None = None
    value: str | None = None
    from_token: bool = False
    optional: bool = False
    source: Source = "document"
    section: str | None = None


@dataclass(frozen=True)
class Exchange:
    method: str
    path: str
    body: Mapping[str, Any] = field(default_factory=lambda: _frozen(None))
    status: int | None = None
    access_token: str | None = None
    refresh_token: str | None = None
    expires_in: str | None = None
    schema: str | None = None


@dataclass(frozen=True)
class TokenFlow:
    lifetime_seconds: int
    grant: Exchange
    expired_status: int
    refresh_lifetime_seconds: int | None = None
    refresh: Exchange | None = None
    reset: Exchange | None = None
    verify: Exchange | None = None
    source: Source = "document"


@dataclass(frozen=True)
class Pagination:
    style: Literal["page", "offset", "link", "body", "none"]
    last_page_signal: str
    location: Literal["query", "body"] = "query"
    body_path: str | None = None
    page_param: str | None = None
    size_param: str | None = None
    offset_param: str | None = None
    order_param: str | None = None
    order_values: tuple[str, ...] = ()
    default_order: str | None = None
    first_page: int = 1
    default_size: int | None = None
    max_size: int | None = None
    items_pointer: str = ""
    has_more_pointer: str | None = None
    headers: tuple[str, ...] = ()
    link_relations: tuple[str, ...] = ()
    bad_param_status: int | None = None
    oversize: str = "unspecified"
    source: Source = "document"
    section: str | None = None


@dataclass(frozen=True)
class RateRule:
    requests: int
    window_seconds: int
    applies_to: Literal["all", "read", "write", "token"]
    source: Source
    key_prefix: str | None = None
    scope: str | None = None

    @property
    def per_second(self) -> float:
        return self.requests / self.window_seconds


@dataclass(frozen=True)
class RateLimit:
    rules: tuple[RateRule, ...]
    exceeded_status: int
    headers: Mapping[str, str] = field(default_factory=lambda: _frozen(None))
    headers_source: Source = "document"
    retry_after: str = "unspecified"
    body_schema: str | None = None
    section: str | None = None

    def rule_for(self, applies_to: str, credential: str | None = None) -> RateRule | None:
        """The strictest rule that governs a call of this class with this credential."""
        matching = [
            r
            for r in self.rules
            if r.applies_to in ("all", applies_to)
            and (r.key_prefix is None or (credential or "").startswith(r.key_prefix))
        ]
        return min(matching, key=lambda r: r.per_second, default=None)


@dataclass(frozen=True)
class StatusSpec:
    code: int
    meaning: str
    schema: str | None = None
    empty_body: bool = False
    provoke: str | None = None


@dataclass(frozen=True)
class Profile:
    """Everything the harness knows about one vendor, from its document."""

    vendor: str
    name: str
    document: str
    base_url: str
    https_only: bool
    content_type: str
    charset: str | None
    request_content_type: str | None
    auth: tuple[AuthScheme, ...]
    token: TokenFlow | None
    pagination: Pagination
    rate_limit: RateLimit
    statuses: Mapping[int, StatusSpec]
    id_format: str
    timestamp_format: str
    request_id_pattern: str | None
    operations: tuple[Operation, ...]
    headers: Mapping[str, str]
    features: Mapping[str, Mapping[str, Any]]
    clause_prefix: str
    path: Path
    sandbox_url: str | None = None
    # kind ("list", "object") -> the success body of any such read, whatever its records
    generic_schemas: Mapping[str, str] = field(default_factory=lambda: _frozen(None))

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def main_operation(self) -> Operation:
        return next((o for o in self.operations if o.main), self.operations[0])

    def operation(self, op_id: str) -> Operation:
        for op in self.operations:
            if op.id == op_id:
                return op
        raise KeyError(f"{self.vendor} has no operation {op_id!r}")

    def body_schema(self, op: Operation) -> str | None:
        """The schema a success body of ``op`` is checked against: its own, else the
        vendor's generic body of its kind (the conventions without record fields)."""
        return op.schema or self.generic_schemas.get(op.kind)

    @property
    def credential_keys(self) -> tuple[str, ...]:
        """Credential keys of the default auth scheme (the first one)."""
        return self.auth[0].credentials

    def schema_id(self, file_name: str) -> str:
        return f"https://harness.local/schemas/{self.vendor}/{file_name}"

    def has_schema(self, file_name: str) -> bool:
        """Whether the vendor has this schema: a file beside the profile, or a reading's
        document its ``readings.toml`` generates."""
        return (self.folder / file_name).is_file() or file_name in generated_names(self.folder)


def _exchange(data: Mapping[str, Any] | None) -> Exchange | None:
    if data is None:
        return None
    values = dict(data)
    values["body"] = _frozen(values.get("body"))
    return Exchange(**values)


def _build(data: dict[str, Any], path: Path) -> Profile:
    token = None
    if "token" in data:
        t = dict(data["token"])
        grant = _exchange(t.pop("grant"))
        assert grant is not None
        token = TokenFlow(
            grant=grant,
            refresh=_exchange(t.pop("refresh", None)),
            reset=_exchange(t.pop("reset", None)),
            verify=_exchange(t.pop("verify", None)),
            **t,
        )
    pag = dict(data["pagination"])
    for key in ("order_values", "headers", "link_relations"):
        if key in pag:
            pag[key] = tuple(pag[key])
    rl = dict(data["rate_limit"])
    rl["rules"] = tuple(RateRule(**r) for r in rl["rules"])
    rl["headers"] = _frozen(rl.get("headers"))
    statuses = {
        int(code): StatusSpec(code=int(code), **spec) for code, spec in data["statuses"].items()
    }
    auth = tuple(AuthScheme(**{**a, "credentials": tuple(a["credentials"])}) for a in data["auth"])
    return Profile(
        vendor=data["vendor"],
        name=data["name"],
        document=data["document"],
        base_url=data["base_url"],
        sandbox_url=data.get("sandbox_url"),
        https_only=data["https_only"],
        content_type=data["content"]["type"],
        charset=data["content"].get("charset"),
        request_content_type=data["content"].get("request_type"),
        auth=auth,
        token=token,
        pagination=Pagination(**pag),
        rate_limit=RateLimit(**rl),
        statuses=MappingProxyType(statuses),
        id_format=data["formats"]["id"],
        timestamp_format=data["formats"]["timestamp"],
        request_id_pattern=data["formats"].get("request_id"),
        operations=(),
        headers=_frozen(data.get("headers")),
        generic_schemas=_frozen(data.get("generic_schemas")),
        features=MappingProxyType({k: _frozen(v) for k, v in data.get("features", {}).items()}),
        clause_prefix=data.get("clause_prefix", data["vendor"].upper()[:4]),
        path=path,
    )


def _check_references(profile: Profile) -> None:
    """Every schema a profile names must exist beside it (as a file or a generated reading)."""
    named: list[tuple[str, str]] = []
    named += [(f"statuses.{c}.schema", s.schema) for c, s in profile.statuses.items() if s.schema]
    named += [(f"generic_schemas.{k}", v) for k, v in profile.generic_schemas.items()]
    named += [(f"headers.{k}", v) for k, v in profile.headers.items()]
    if profile.rate_limit.body_schema:
        named.append(("rate_limit.body_schema", profile.rate_limit.body_schema))
    for key, file_name in named:
        if not profile.has_schema(file_name):
            raise ProfileError(
                profile.path,
                key,
                f"names {file_name!r}, which does not exist",
                f"create {profile.folder / file_name} or fix the name",
            )


def load_profile_file(path: Path) -> Profile:
    """Load and validate one profile file."""
    data = read_data(path, ProfileError)
    if isinstance(data, dict) and "operations" in data:
        raise ProfileError(
            path,
            "operations",
            "the endpoint inventory is no longer part of the profile",
            f"move the [[operations]] tables to {INVENTORY_FILE} beside it (schemas/README.md)",
        )
    check_against(data, "profile", path, ProfileError)
    if data["vendor"] != path.parent.name:
        raise ProfileError(
            path,
            "vendor",
            f"is {data['vendor']!r} but the folder is {path.parent.name!r}",
            "make them equal",
        )
    profile = _build(data, path)
    _check_references(profile)
    operations = load_inventory(path.parent, profile.has_schema, profile.vendor)
    return replace(profile, operations=operations)


@cache
def load_profile(vendor: str) -> Profile:
    """The profile of a known vendor, by name."""
    path = vendor_folder(vendor) / "profile.toml"
    if not path.is_file():
        known = ", ".join(vendor_names())
        raise ProfileError(path, None, f"no vendor called {vendor!r}", f"known vendors: {known}")
    return load_profile_file(path)


def load_all_profiles() -> dict[str, Profile]:
    return {name: load_profile(name) for name in vendor_names()}
