"""The ``harness`` command: thin sub-commands over the library.

Exit codes: 0 conformant / done, 1 findings, 2 the harness could not run.

:func:`main` is the one error boundary: bad input (a usage error, a bad file, a value the
harness cannot use) and anything a hostile target causes end in one line on stderr and
exit 2, never a traceback; ``HARNESS_DEBUG=1`` also prints the traceback (redacted).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn, cast

from harness import __version__
from harness._resources import vendor_names
from harness.errors import HarnessError

if TYPE_CHECKING:  # commands import what they use: `harness --help` stays light
    from harness.profiles import Profile

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
DEBUG_ENV = "HARNESS_DEBUG"
_MESSAGE_LIMIT = 500


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line naming the option, and where to read more."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}; see `{self.prog} --help`\n")


def _describe_auth(profile: Profile) -> str:
    return ", ".join(f"{a.id}" for a in profile.auth)


def _describe_pagination(profile: Profile) -> str:
    p = profile.pagination
    if p.style == "none":
        return "none documented"
    size = f" max {p.max_size}" if p.max_size else ""
    default = f" default {p.default_size}" if p.default_size else ""
    return f"{p.style}{default}{size}"


def _describe_rate_limit(profile: Profile) -> str:
    parts = []
    for rule in profile.rate_limit.rules:
        window = {1: "s", 60: "min", 3600: "h", 86400: "day"}.get(
            rule.window_seconds, f"{rule.window_seconds}s"
        )
        who = f" {rule.key_prefix}*" if rule.key_prefix else ""
        what = "" if rule.applies_to == "all" else f" {rule.applies_to}"
        mark = "" if rule.source == "document" else f" ({rule.source})"
        parts.append(f"{rule.requests}/{window}{what}{who}{mark}")
    return "; ".join(parts) or "undocumented"


def cmd_vendors(args: argparse.Namespace) -> int:
    from harness.catalog import load_catalog
    from harness.profiles import load_all_profiles

    profiles = load_all_profiles()
    catalog = load_catalog()
    rows = [("vendor", "auth", "pagination", "rate limit", "clauses")]
    for name, profile in profiles.items():
        rows.append(
            (
                name,
                _describe_auth(profile),
                _describe_pagination(profile),
                _describe_rate_limit(profile),
                str(len(catalog.for_vendor(name))),
            )
        )
    _print_table(rows)
    return EXIT_OK


def cmd_clauses(args: argparse.Namespace) -> int:
    from harness.catalog import load_catalog

    vendors = tuple(args.vendor) if args.vendor else None
    if vendors:
        unknown = [v for v in vendors if v not in vendor_names()]
        if unknown:
            raise HarnessError(
                f"unknown vendor {unknown[0]!r}; known vendors: {', '.join(vendor_names())}"
            )
    catalog = load_catalog(vendors)
    if args.format == "json":
        print(json.dumps([c.as_dict() for c in catalog], indent=2))
        return EXIT_OK
    rows = [("id", "severity", "concern", "summary")]
    for clause in catalog:
        flag = " [ambiguous]" if clause.ambiguity else ""
        rows.append((clause.id, clause.severity, clause.concern, clause.summary + flag))
    _print_table(rows)
    return EXIT_OK


def _print_table(rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [c.ljust(w) for c, w in zip(row, widths, strict=False)] + [row[-1]]
        print("  ".join(cells).rstrip())


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="harness",
        description="Conformance and monitoring harness for documented vendor REST APIs.",
    )
    parser.add_argument("--version", action="version", version=f"harness {__version__}")
    sub = cast(  # sub-command parsers are _Parser too (argparse makes them of its class)
        "argparse._SubParsersAction[argparse.ArgumentParser]",
        parser.add_subparsers(dest="command", required=True, metavar="COMMAND"),
    )

    p = sub.add_parser("vendors", help="list the vendors: auth, pagination, rate limit, clauses")
    p.set_defaults(func=cmd_vendors)

    p = sub.add_parser("clauses", help="list the clause catalog")
    p.add_argument("vendor", nargs="*", help="only these vendors")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_clauses)
    _register_more(sub)
    return parser


def _register_more(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Sub-commands that live in their own modules (kept import-light)."""
    from harness import _cli_more

    _cli_more.register(sub)


def _one_line(text: str) -> str:
    """A message on one line, secrets masked, at most a few hundred characters."""
    from harness.redaction import Redactor

    line = " ".join(Redactor().text(text).split())
    return line if len(line) <= _MESSAGE_LIMIT else line[: _MESSAGE_LIMIT - 3] + "..."


def _debug() -> bool:
    return os.environ.get(DEBUG_ENV, "").strip().lower() not in ("", "0", "false", "no")


def _fail(message: str, exc: BaseException) -> int:
    from harness.redaction import Redactor

    if _debug():
        print(Redactor().text("".join(traceback.format_exception(exc))), file=sys.stderr)
    print(f"harness: {message}", file=sys.stderr)
    return EXIT_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every way it can end is one of the documented exit codes."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        return 130
    except HarnessError as exc:
        return _fail(f"error: {_one_line(str(exc))}", exc)
    except BrokenPipeError:
        # the reader went away (`harness clauses | head`): nothing more to say
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - interpreter exit flushes it
        return EXIT_OK
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(f"error: {where}{_one_line(exc.strerror or str(exc))}", exc)
    except Exception as exc:  # a bug: still one line, and the way to see more
        hint = "" if _debug() else f"; {DEBUG_ENV}=1 shows the traceback"
        text = _one_line(f"{type(exc).__name__}: {exc}")
        return _fail(f"internal error: {text} (a bug in the harness, please report it{hint})", exc)
    return code


if __name__ == "__main__":
    sys.exit(main())
