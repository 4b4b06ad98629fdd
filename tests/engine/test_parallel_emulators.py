"""Emulators served from a child interpreter answer like in-process ones, and stop with it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from harness.client import HarnessClient
from harness.emulators._server import serve_in_child
from harness.errors import HarnessError
from harness.targets import load_target


def test_emulators_in_a_child_process_serve_their_target_files_until_the_block_ends(
    tmp_path: Path,
) -> None:
    with serve_in_child(["itrp", "trackops"], tmp_path) as files:
        targets = {vendor: load_target(path, environ={}) for vendor, path in files.items()}
        for target in targets.values():
            main = target.profile.main_operation
            with HarnessClient(target, throttle=False) as client:
                assert client.request(main.method, main.path).status == 200
    with pytest.raises(httpx.ConnectError), httpx.Client(verify=False) as http:
        http.get(targets["trackops"].origin + "/__emulator__/clock")


def test_a_child_that_cannot_start_its_emulators_says_why(tmp_path: Path) -> None:
    with (
        pytest.raises(HarnessError, match="no-such-vendor"),
        serve_in_child(["no-such-vendor"], tmp_path),
    ):
        pass
