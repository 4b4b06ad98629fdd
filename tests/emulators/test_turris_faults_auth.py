"""The Turris faults about tokens and credentials: each changes one kind of refusal (or
one endpoint) and leaves the rest as the clean emulator answers."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from harness.emulators import RunningEmulator, VirtualClock
from harness.emulators.turris import FAULTS
from tests.emulators.conftest import advance, client_for, set_faults
from tests.emulators.test_turris import DEA, START, assert_error, bearer, grant

Started = tuple[RunningEmulator, httpx.Client, dict[str, str]]


@pytest.fixture
def faulty(start: Callable[..., RunningEmulator]) -> Iterator[Callable[..., Started]]:
    """``faulty(name, ...)``: a private emulator on a frozen clock with these faults on."""
    clients: list[httpx.Client] = []

    def make(*names: str) -> Started:
        running = start("turris", clock=VirtualClock(START, flowing=False), faults=names)
        clients.append(client_for(running))
        return running, clients[-1], bearer(clients[-1])

    yield make
    for c in clients:
        c.close()


def _forged(auth: dict[str, str]) -> dict[str, str]:
    """The token with one character of its payload changed: it no longer decodes."""
    head, payload, signature = auth["Authorization"].removeprefix("Bearer ").split(".")
    middle = len(payload) // 2
    changed = payload[:middle] + ("A" if payload[middle] != "A" else "B") + payload[middle + 1 :]
    return {"Authorization": f"Bearer {head}.{changed}.{signature}"}


def test_an_accepted_expired_token_breaks_the_token_lifetime(
    faulty: Callable[..., Started],
) -> None:
    running, c, old = faulty("turris-expired-token-accepted")
    advance(running, 3600 * 5)
    assert c.get(DEA, headers=old).status_code == 200
    assert c.get("/auth/test-oauth", headers=old).status_code == 200
    assert_error(c.get(DEA, headers={"Authorization": "Bearer junk"}), 401, "unauthorized")
    set_faults(running, disable=("turris-expired-token-accepted",))
    assert_error(c.get(DEA, headers=old), 401, "unauthorized")


def test_an_expired_token_gets_403_under_the_expiry_fault_and_nothing_else_changes(
    faulty: Callable[..., Started],
) -> None:
    running, c, old = faulty("turris-expired-token-403")
    assert_error(c.get(DEA, headers={"Authorization": "Bearer junk"}), 401, "unauthorized")
    advance(running, 3600)
    assert_error(c.get(DEA, headers=old), 403, "forbidden")
    assert_error(c.get("/auth/test-oauth", headers=old), 401, "unauthorized")


def test_a_token_that_is_not_a_jwt_gets_400_under_the_malformed_fault(
    faulty: Callable[..., Started],
) -> None:
    _running, c, auth = faulty("turris-malformed-token-400")
    assert_error(c.get(DEA, headers={"Authorization": "Bearer junk"}), 400, "invalid_input")
    assert_error(c.get(DEA, headers=_forged(auth)), 401, "unauthorized")
    assert c.get(DEA, headers=auth).status_code == 200


def test_an_undecodable_payload_crashes_resource_routes_but_not_the_token_check(
    faulty: Callable[..., Started],
) -> None:
    _running, c, auth = faulty("turris-undecodable-token-500")
    forged = _forged(auth)
    assert_error(c.get("/agents", headers=forged), 500, "internal_error")
    assert_error(c.get("/auth/test-oauth", headers=forged), 401, "unauthorized")
    assert_error(c.get(DEA, headers={"Authorization": "Bearer junk"}), 401, "unauthorized")
    assert c.get(DEA, headers=auth).status_code == 200


def test_the_token_check_faults_change_only_the_token_check(
    faulty: Callable[..., Started],
) -> None:
    _running, c, auth = faulty("turris-test-oauth-any-token", "turris-test-oauth-missing-token-400")
    assert c.get("/auth/test-oauth", headers=_forged(auth)).status_code == 200
    assert_error(c.get("/auth/test-oauth"), 400, "invalid_input")
    assert_error(c.get(DEA, headers=_forged(auth)), 401, "unauthorized")
    assert_error(c.get(DEA), 401, "unauthorized")


def test_unlimited_token_grants_still_count_down_their_headers(
    faulty: Callable[..., Started],
) -> None:
    _running, c, _auth = faulty("turris-token-grants-unlimited")
    answers = [grant(c) for _ in range(15)]  # one more was granted by faulty()
    assert {r.status_code for r in answers} == {201}
    assert answers[-1].headers["x-ratelimit-remaining"] == "0"
    assert answers[-1].headers["x-ratelimit-limit"] == "10"


def test_faults_switch_off_again_at_run_time(faulty: Callable[..., Started]) -> None:
    running, c, auth = faulty()
    clean = c.get(DEA, headers=auth).json()
    set_faults(running, enable=tuple(f.name for f in FAULTS))
    assert c.get(DEA, headers=auth).json() != clean
    set_faults(running, disable=tuple(f.name for f in FAULTS))
    again = c.get(DEA, headers=auth).json()
    assert again["data"] == clean["data"] and again["requestId"].startswith("dev-")
