"""The harness's own failures, never to be confused with vendor findings.

Exception tree::

    HarnessError                 anything that stops the harness from running (exit 2)
    ├── ConfigError              bad input the user can fix
    │   ├── ProfileError         a vendor profile or clause catalog is broken
    │   ├── TargetFileError      a target file is broken
    │   └── SchemaError          a JSON Schema is broken or unknown
    └── TargetUnreachable        the target could not be reached at all

A vendor breaking a documented clause is a :class:`harness.findings.Finding`,
which is data, not an exception.
"""

from __future__ import annotations

from pathlib import Path


class HarnessError(Exception):
    """The harness could not do its job; the run exits with status 2."""


class ConfigError(HarnessError):
    """Bad configuration: names the file, the key, what was found and what was expected."""

    def __init__(
        self,
        file: Path | str | None,
        key: str | None,
        problem: str,
        fix: str | None = None,
    ) -> None:
        self.file = str(file) if file is not None else None
        self.key = key
        self.problem = problem
        self.fix = fix
        super().__init__(self._format())

    def _format(self) -> str:
        where = self.file or "<configuration>"
        if self.key:
            where = f"{where}: key '{self.key}'"
        text = f"{where}: {self.problem}"
        if self.fix:
            text = f"{text}; {self.fix}"
        return text


class ProfileError(ConfigError):
    """A vendor profile, clause catalog or examples file does not match its schema."""


class TargetFileError(ConfigError):
    """A target file is missing, unreadable or invalid."""


class SchemaError(ConfigError):
    """A JSON Schema cannot be loaded, is invalid, or is not known by its $id."""


class TargetUnreachable(HarnessError):
    """The target did not answer at the transport level (DNS, connect, TLS, timeout)."""
