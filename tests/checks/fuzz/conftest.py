"""The TLS files the fuzz tests' emulators share."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from harness.emulators import make_tls
from harness.emulators._server import TLSFiles


@pytest.fixture(scope="module")
def tls() -> TLSFiles:
    return make_tls(Path(tempfile.mkdtemp(prefix="fuzz-tls-")))
