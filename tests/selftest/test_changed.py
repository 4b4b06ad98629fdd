"""``selftest --changed``: which faults a change selects, on synthetic diffs over a small
made-up index; and the changed files git reports, in a real throw-away repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from harness.errors import HarnessError
from harness.selftest import ChangeIndex, build_index, changed_paths, select
from harness.selftest._changed import default_base

INDEX = ChangeIndex(
    vendor_paths={
        "acme": ("schemas/acme/", "harness/emulators/acme/"),
        "zeta": ("schemas/zeta/", "harness/emulators/zeta/"),
    },
    check_files={
        "auth.basic": "harness/checks/auth/basic.py",
        "auth.token": "harness/checks/auth/token.py",
        "paging.links": "harness/checks/paging/links.py",
    },
    clause_checks={
        "acme": {"ACME-AUTH": ("auth.basic",), "ACME-PAGE": ("paging.links",), "ACME-TOK": ()},
        "zeta": {"ZETA-AUTH": ("auth.basic", "auth.token"), "ZETA-PAGE": ("paging.links",)},
    },
    fault_clauses={
        "acme": {"acme-no-auth": "ACME-AUTH", "acme-bad-link": "ACME-PAGE"},
        "zeta": {"zeta-no-auth": "ZETA-AUTH", "zeta-bad-link": "ZETA-PAGE", "zeta-other": "ZETA-X"},
    },
)


def chosen(*paths: str) -> dict[str, set[str]]:
    return select(paths, INDEX).faults


def test_a_check_module_selects_the_faults_of_the_clauses_its_checks_verify() -> None:
    assert chosen("harness/checks/auth/token.py") == {"zeta": {"zeta-no-auth"}}
    assert chosen("harness/checks/auth/basic.py") == {
        "acme": {"acme-no-auth"},
        "zeta": {"zeta-no-auth"},
    }


def test_a_helper_of_a_check_package_selects_the_faults_of_every_check_of_that_package() -> None:
    for helper in ("harness/checks/auth/_common.py", "harness/checks/auth/features.schema.json"):
        selection = select([helper], INDEX)
        assert selection.faults == {"acme": {"acme-no-auth"}, "zeta": {"zeta-no-auth"}}
        assert "shared by the auth checks" in selection.reasons[0]


def test_a_vendors_emulator_or_data_selects_every_fault_of_that_vendor_only() -> None:
    for path in (
        "harness/emulators/zeta/_app.py",
        "schemas/zeta/links/auth.toml",
        "schemas/zeta/clauses.toml",
        "schemas/zeta/profile.toml",
    ):
        assert chosen(path) == {"zeta": {"zeta-no-auth", "zeta-bad-link", "zeta-other"}}, path


def test_shared_code_selects_everything() -> None:
    for path in (
        "harness/engine/run.py",
        "harness/checks/_ops.py",
        "harness/emulators/_faults.py",
        "harness/client.py",
        "harness/selftest/_proof.py",
        "pyproject.toml",
    ):
        selection = select([path], INDEX)
        assert selection.everything, path
        assert selection.faults_of("acme") is None and selection.touches("zeta")
        assert selection.faults["zeta"] == {"zeta-no-auth", "zeta-bad-link", "zeta-other"}


def test_code_no_proof_runs_through_and_files_outside_the_harness_select_nothing() -> None:
    for path in (
        "harness/reporting/allure.py",
        "harness/monitor/cycle.py",
        "harness/_cli_run.py",
        "harness/cli.py",
        "tests/selftest/test_changed.py",
        "README.md",
        "benchmarks/full_run.py",
    ):
        selection = select([path], INDEX)
        assert selection.faults == {} and not selection.everything, path
        assert not selection.touches("acme")


def test_several_changes_add_up_and_each_is_explained() -> None:
    selection = select(
        ["harness/checks/paging/links.py", "schemas/acme/clauses.toml", "docs/x.md"], INDEX
    )
    assert selection.faults == {
        "acme": {"acme-no-auth", "acme-bad-link"},
        "zeta": {"zeta-bad-link"},
    }
    assert selection.vendors == ("acme", "zeta")
    assert selection.faults_of("acme") == frozenset({"acme-no-auth", "acme-bad-link"})
    assert len(selection.reasons) == 2
    assert any("ACME-PAGE, ZETA-PAGE" in r for r in selection.reasons)


def test_the_explanation_of_a_large_change_stays_short() -> None:
    selection = select([f"harness/engine/m{i}.py" for i in range(30)], INDEX)
    lines = selection.explain(most=5)
    assert len(lines) == 6 and lines[-1] == "... and 25 more changed file(s)"


def test_a_check_linked_to_no_clause_selects_no_fault_but_says_so() -> None:
    index = ChangeIndex(
        INDEX.vendor_paths,
        {**INDEX.check_files, "orphan.one": "harness/checks/orphan/one.py"},
        INDEX.clause_checks,
        INDEX.fault_clauses,
    )
    selection = select(["harness/checks/orphan/one.py"], index)
    assert selection.faults == {}
    assert "no linked clause" in selection.reasons[0]


def test_the_index_of_this_checkout_knows_where_each_vendor_and_check_lives() -> None:
    from harness._resources import vendor_names
    from harness.selftest import repository_root

    root = repository_root()
    index = build_index(vendor_names(), root)
    for vendor in vendor_names():
        assert f"schemas/{vendor}/" in index.vendor_paths[vendor]
    assert all((root / path).is_file() for path in index.check_files.values())
    some_check = next(iter(index.check_files))
    changed = index.check_files[some_check]
    selection = select([changed], index)
    in_file = {name for name, path in index.check_files.items() if path == changed}
    linked = {c for v in index.clause_checks.values() for c, n in v.items() if in_file & set(n)}
    picked = {index.fault_clauses[v][f] for v, fs in selection.faults.items() for f in fs}
    assert picked <= linked


# -- git ------------------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "a.py").write_text("a\n")
    (tmp_path / "b.py").write_text("b\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "one")
    (tmp_path / "a.py").write_text("a2\n")
    git(tmp_path, "commit", "-q", "-am", "two")
    return tmp_path


def test_on_main_the_default_base_is_the_commit_before_and_uncommitted_work_counts(
    repo: Path,
) -> None:
    (repo / "b.py").write_text("b2\n")  # unstaged
    (repo / "new.py").write_text("n\n")  # untracked
    base, paths = changed_paths(None, repo)
    assert base == "HEAD~1"
    assert paths == ["a.py", "b.py", "new.py"]


def test_on_a_branch_the_default_base_is_the_merge_base_with_main(repo: Path) -> None:
    fork = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "topic")
    (repo / "c.py").write_text("c\n")
    git(repo, "add", "c.py")
    git(repo, "commit", "-q", "-m", "three")
    (repo / "d.py").write_text("d\n")
    git(repo, "add", "d.py")
    git(repo, "commit", "-q", "-m", "four")
    assert default_base(repo) == fork
    assert changed_paths(None, repo)[1] == ["c.py", "d.py"]


def test_a_rename_counts_as_both_of_its_paths(repo: Path) -> None:
    git(repo, "mv", "b.py", "renamed.py")
    assert changed_paths("HEAD", repo)[1] == ["b.py", "renamed.py"]


def test_an_unknown_base_is_a_harness_error_that_says_what_to_give(repo: Path) -> None:
    with pytest.raises(
        HarnessError, match=r"--changed no-such-ref: git cannot compare.*--changed main"
    ):
        changed_paths("no-such-ref", repo)
