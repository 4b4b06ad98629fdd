"""JUnit XML for CI systems, from the engine's events: one test case per
(vendor, clause, operation), grouped in one test suite per target."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from harness.engine.events import CaseFinished, CaseVerdict, Event, RunFinished
from harness.errors import HarnessError

__all__ = ["JUnitWriter"]


class JUnitWriter:
    """Collects case verdicts and writes ``path`` when the run finishes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._cases: list[CaseVerdict] = []

    def __call__(self, event: Event) -> None:
        if isinstance(event, CaseFinished):
            self._cases.append(event.verdict)
        elif isinstance(event, RunFinished):
            self.write(event.setup_errors)

    def write(self, setup_errors: tuple[str, ...] = ()) -> Path:
        root = ET.Element("testsuites", name="harness")
        suites: dict[str, ET.Element] = {}
        for verdict in self._cases:
            name = verdict.target.name
            suite = suites.get(name)
            if suite is None:
                suite = ET.SubElement(root, "testsuite", name=name)
                suites[name] = suite
            op = verdict.operation
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"harness.{verdict.vendor}.{verdict.concern}",
                name=verdict.clause.id + (f" [{op}]" if op else ""),
            )
            if verdict.outcome == "failed":
                text = "\n".join(f"{f.check}: {f.title}: {f.message}" for f in verdict.findings)
                failure = ET.SubElement(
                    case, "failure", message=f"{verdict.clause.id}: {verdict.clause.summary}"
                )
                failure.text = text
            elif verdict.outcome == "error":
                ET.SubElement(case, "error", message=verdict.reason)
            elif verdict.outcome == "skipped":
                ET.SubElement(case, "skipped", message=verdict.reason)
        if setup_errors:
            suite = ET.SubElement(root, "testsuite", name="harness set-up")
            for text in setup_errors:
                case = ET.SubElement(suite, "testcase", classname="harness", name="set-up")
                ET.SubElement(case, "error", message=text)
        for suite in root:
            cases = list(suite)
            suite.set("tests", str(len(cases)))
            for tag, attr in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
                suite.set(attr, str(sum(1 for c in cases if c.find(tag) is not None)))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            ET.ElementTree(root).write(self.path, encoding="utf-8", xml_declaration=True)
        except OSError as exc:
            raise HarnessError(
                f"cannot write JUnit XML to {self.path}: {exc.strerror or exc}; "
                "choose another --junitxml path"
            ) from exc
        return self.path
