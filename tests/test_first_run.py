"""First-run papercuts: after the README's main job (tox), its next step, `python3 -m venv
.venv`, must work: tox leaves no ``.venv`` redirect file, and git ignores ``.venv``
whether it is a folder or such a file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from tox.run import setup_state

REPO = Path(__file__).resolve().parents[1]


def test_tox_writes_no_venv_redirect_file() -> None:
    state = setup_state(["config", "-c", str(REPO / "tox.ini")])
    assert state.conf.core["venv_redirect"] is False


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("kind", ["folder", "file"])
def test_git_ignores_a_venv_folder_or_redirect_file(tmp_path: Path, kind: str) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    shutil.copy(REPO / ".gitignore", tmp_path / ".gitignore")
    venv = tmp_path / ".venv"
    if kind == "folder":
        (venv / "bin").mkdir(parents=True)
        (venv / "bin" / "python").write_text("")
    else:
        venv.write_text("../.tox/py311\n")  # what a PEP 832 redirect file holds
    done = subprocess.run(
        ["git", "-C", str(tmp_path), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert ".venv" not in done.stdout, done.stdout
