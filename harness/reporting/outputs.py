"""Output paths checked before a run, so a run never ends in "cannot write the results".

``check_output_file`` and ``check_output_folder`` create the folders a path needs and
prove that a file can be created there; the error names the option, the path and the
operating system's reason.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from harness.errors import HarnessError

__all__ = ["check_output_file", "check_output_folder"]


def _refuse(option: str, path: Path, why: str) -> HarnessError:
    return HarnessError(f"{option} {path}: cannot write there ({why}); choose another {option}")


def check_output_folder(path: Path, option: str) -> None:
    """``path`` is (or can be made) a folder in which files can be created."""
    if path.exists() and not path.is_dir():
        raise _refuse(option, path, "it is a file, not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".harness-probe-"):
            pass
    except OSError as exc:
        raise _refuse(option, path, exc.strerror or str(exc)) from None


def check_output_file(path: Path, option: str) -> None:
    """``path`` can be written: its folder exists or can be made, and it is not a folder."""
    if path.is_dir():
        raise _refuse(option, path, "it is a folder; give a file name")
    check_output_folder(path.parent, option)
    if path.exists():
        try:
            with path.open("ab"):
                pass
        except OSError as exc:
            raise _refuse(option, path, exc.strerror or str(exc)) from None
