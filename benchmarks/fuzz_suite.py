"""``python -m benchmarks.fuzz_suite TARGET_FILE OUT [--max-examples N]``: the harness's
fuzz suite (every check of the fuzz concern) against one target, as one whole command.

Writes ``OUT`` (JSON): when (epoch seconds) each clause got its first finding, the
requests the checks sent, and the harness errors, for the fuzz comparison
(:mod:`benchmarks.fuzz_comparison`) to set against the process start.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from harness.checks import SessionOptions, load_all
from harness.engine import CheckFinished, Engine, Event
from harness.targets import load_target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fuzz_suite")
    parser.add_argument("target_file", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--max-examples", type=int, default=None)
    args = parser.parse_args(argv)
    target = load_target(args.target_file)
    fuzz = [name for name, spec in load_all().items() if spec.concern == "fuzz"]
    first: dict[str, float] = {}

    def found(event: Event) -> None:
        if isinstance(event, CheckFinished):
            for finding in event.result.findings:
                first.setdefault(finding.clause, time.time())

    options = SessionOptions(max_examples=args.max_examples)
    with Engine([target], only=fuzz, options=options, listeners=[found]) as engine:
        engine.run()
    results = engine.results
    args.out.write_text(
        json.dumps(
            {
                "found": first,
                "requests": sum(r.requests for r in results),
                "checks": len(results),
                "errors": [f"{r.check}: {r.reason}" for r in results if r.outcome == "error"],
                "finished": time.time(),
            }
        ),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
