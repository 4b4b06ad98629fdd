"""Checks are named for people in reports: a readable name, what the check verifies, and
ids of an earlier release shown under today's name."""

from __future__ import annotations

from harness.checks import ALIASES, load_all
from harness.reporting.checknames import check_name


def test_a_check_reads_as_a_name_and_a_sentence() -> None:
    name = check_name("pagination.link-relations")
    assert name.title == "Link relations (pagination)"
    assert name.doc.startswith(load_all()["pagination.link-relations"].doc)
    assert name.doc.endswith(".")  # the sentence is read to its end


def test_an_id_of_an_earlier_release_is_shown_under_today_s_name() -> None:
    load_all()
    assert ALIASES
    for old, new in ALIASES.items():
        assert check_name(old) == check_name(new) and check_name(old).id == new


def test_every_registered_check_has_a_description() -> None:
    for name in load_all():
        assert check_name(name).doc, name
