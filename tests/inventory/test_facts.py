"""Facts about each vendor's real API are data with sources, and `harness facts` lists them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness._resources import vendor_names
from harness.cli import main
from harness.errors import ProfileError
from harness.facts import load_facts, load_facts_file

VENDORS = vendor_names()


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_vendor_has_facts_each_with_a_source_of_a_known_kind(vendor: str) -> None:
    facts = load_facts(vendor)
    assert facts, f"{vendor} has no facts.toml"
    for fact in facts.values():
        assert fact.sources and all(s.ref for s in fact.sources)
        assert set(fact.kinds) <= {"document", "public-reference", "client"}


def test_a_published_client_is_a_source_of_its_own_kind() -> None:
    expenses = load_facts("trackops")["endpoint.expense-entries"]
    assert expenses.kinds == ("client",)
    assert expenses.sources[0].ref == "trackops/trackops-client-php"


def test_harness_facts_lists_each_fact_its_sources_and_the_operations_on_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["facts", "turris"]) == 0
    out = capsys.readouterr().out
    assert "endpoint.agents  [endpoint] GET /v1/agents" in out
    assert "source public-reference: docs.turrisfi.com" in out
    assert "operations: agents.list, agents.get" in out
    assert "operations resting on no fact" not in out  # every Turris operation cites one


def test_harness_facts_as_json_is_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["facts", "toptickets", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    byid = {r["id"]: r for r in rows}
    assert byid["field.tracking-token"]["sources"][0]["kind"] == "public-reference"
    assert "tickets.list" in byid["endpoint.tickets"]["operations"]


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        (
            '[[facts]]\nid = "a"\nabout = "endpoint"\nsubject = "GET /x"\nvalue = 1\n'
            'sources = [{ kind = "blog", ref = "x" }]\n',
            "facts[0].sources[0].kind",
            "expected one of 'document'",
        ),
        (
            '[[facts]]\nid = "a"\nabout = "endpoint"\nsubject = "GET /x"\nvalue = 1\n'
            "sources = []\n",
            "facts[0].sources",
            "minItems 1",
        ),
        (
            '[[facts]]\nid = "a"\nabout = "endpoint"\nsubject = "s"\nvalue = 1\n'
            'sources = [{ kind = "client", ref = "r" }]\n'
            '[[facts]]\nid = "a"\nabout = "field"\nsubject = "s"\nvalue = 2\n'
            'sources = [{ kind = "client", ref = "r" }]\n',
            "facts[1].id",
            "'a' is also the id of facts[0]",
        ),
    ],
    ids=["unknown-source-kind", "no-source", "duplicate-id"],
)
def test_a_broken_facts_file_is_one_line_naming_key_and_rule(
    tmp_path: Path, text: str, key: str, words: str
) -> None:
    path = tmp_path / "facts.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_facts_file(path)
    message = str(info.value)
    assert "\n" not in message and f"key '{key}'" in message and words in message, message
