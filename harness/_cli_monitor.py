"""``harness monitor`` and ``harness history``: thin commands over :mod:`harness.monitor`.

Also runnable on its own: ``python -m harness._cli_monitor monitor --once``.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from harness.errors import HarnessError
from harness.monitor.alerts import AlertChannels
from harness.monitor.cycle import DEFAULT_BUDGET
from harness.monitor.status import VendorRecord, parse_duration
from harness.monitor.store import DEFAULT_DB, PendingAlert

VERDICT = {0: "all healthy", 1: "findings", 2: "unreachable or harness error"}


def _print_record(record: VendorRecord) -> None:
    p50 = "-" if record.p50_ms is None else f"{record.p50_ms:.1f}"
    p95 = "-" if record.p95_ms is None else f"{record.p95_ms:.1f}"
    print(
        f"{record.vendor:<11} {record.status:<11} {record.requests:>3}/{record.budget:<3} req  "
        f"p50 {p50:>7} ms  p95 {p95:>7} ms  {len(record.findings)} findings  {record.target}",
        flush=True,
    )
    for f in record.findings:
        op = f" [{f.operation}]" if f.operation else ""
        print(f"  {f.clause:<26} {f.severity:<9} {f.check}{op}: {f.title}", flush=True)
    for text in record.errors:
        print(f"  error: {text}", flush=True)
    for c in record.checks:
        if c.outcome == "error":
            print(f"  error: {c.check}: {c.reason}", flush=True)


def _print_alert(alert: PendingAlert, error: str | None) -> None:
    what = f"{alert.payload.get('event')} {alert.payload.get('target')}"
    outcome = "sent" if error is None else f"not delivered ({error}); will retry"
    print(f"alert: {what} via {alert.channel}: {outcome}", file=sys.stderr, flush=True)


@contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """SIGTERM/SIGINT set the event (finish cleanly); a second one aborts at once."""
    stop = threading.Event()

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        print(f"harness monitor: {signal.Signals(signum).name}, stopping", file=sys.stderr)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def cmd_monitor(args: argparse.Namespace) -> int:
    from harness.monitor.service import Monitor, MonitorOptions

    if args.target_file and args.vendor:
        raise HarnessError("give vendors (built-in emulators) or --target-file, not both")
    interval = parse_duration(args.interval, "--interval") if args.interval else None
    options = MonitorOptions(
        vendors=args.vendor,
        target_files=[Path(f) for f in args.target_file],
        db=args.db,
        budget=args.budget,
        channels=AlertChannels(args.alert_webhook, args.alert_command),
        metrics_file=Path(args.metrics_file) if args.metrics_file else None,
        metrics_port=args.metrics_port,
        metrics_host=args.metrics_host,
    )
    monitor = Monitor(options, on_record=_print_record, on_alert=_print_alert)
    with _stop_on_signals() as stop, monitor:
        if monitor.metrics_port is not None:
            where = f"http://{args.metrics_host}:{monitor.metrics_port}/metrics"
            print(f"metrics: {where}", file=sys.stderr, flush=True)
        if interval is None:
            report = monitor.run_cycle("once", stop.is_set)
            code = report.exit_code
            state = "interrupted" if report.interrupted else VERDICT[code]
            print(f"{len(report.records)} targets: {state} -> exit {code}", flush=True)
            return code
        print(
            f"monitoring {len(monitor.probes)} targets every {interval:g} s "
            "(SIGTERM or Ctrl-C stops)",
            file=sys.stderr,
            flush=True,
        )
        cycles = monitor.run_forever(interval, stop)
        print(f"harness monitor: stopped after {cycles} cycles", file=sys.stderr)
        return 0


def _require_history(url: str) -> None:
    """A SQLite history that does not exist is a mistake, not an empty history."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:  # reported with its reason by HistoryStore
        return
    local = parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")
    if local and not Path(parsed.database or "").is_file():
        raise HarnessError(
            f"--db {url}: no history there; `harness monitor` writes it (default {DEFAULT_DB})"
        )


def cmd_history(args: argparse.Namespace) -> int:
    from harness.monitor.chart import render_chart
    from harness.monitor.history import as_json, load_history, table_rows
    from harness.monitor.store import HistoryStore

    since = parse_duration(args.since, "--since")
    _require_history(args.db)
    store = HistoryStore(args.db)
    try:
        histories = load_history(store, since, args.vendor)
    finally:
        store.close()
    if args.chart:
        chart = Path(args.chart)
        chart.parent.mkdir(parents=True, exist_ok=True)
        chart.write_text(render_chart(histories, since, time.time()), encoding="utf-8")
        print(f"chart: {chart}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(as_json(histories, since), indent=2))
        return 0
    rows = table_rows(histories)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print("  ".join([c.ljust(w) for c, w in zip(row, widths, strict=False)] + [row[-1]]))
    if not histories:
        print(f"no record in the last {args.since}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("monitor", help="scheduled health checks: once (cron, CI) or as a service")
    p.add_argument("vendor", nargs="*", help="vendors to monitor on their built-in emulators")
    p.add_argument("--target-file", action="append", default=[], metavar="F")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--once", action="store_true", help="one cycle, then exit 0/1/2 (the default)"
    )
    mode.add_argument("--interval", metavar="DURATION", help="run as a service, e.g. 5m")
    p.add_argument("--db", default=DEFAULT_DB, metavar="URL", help=f"default: {DEFAULT_DB}")
    p.add_argument(
        "--budget",
        type=int,
        default=DEFAULT_BUDGET,
        metavar="N",
        help=f"requests per target and cycle (default {DEFAULT_BUDGET})",
    )
    p.add_argument("--alert-webhook", metavar="URL", help="POST alerts here (Slack-compatible)")
    p.add_argument("--alert-command", metavar="CMD", help="run CMD with the alert JSON on stdin")
    metrics = p.add_mutually_exclusive_group()
    metrics.add_argument("--metrics-file", metavar="F", help="node_exporter textfile (*.prom)")
    metrics.add_argument("--metrics-port", type=int, metavar="N", help="serve /metrics on N")
    p.add_argument(
        "--metrics-host", default="127.0.0.1", metavar="ADDR", help="for --metrics-port (127.0.0.1)"
    )
    p.set_defaults(func=cmd_monitor)

    p = sub.add_parser("history", help="availability, latency and findings from the monitor")
    p.add_argument("vendor", nargs="?", help="only this vendor")
    p.add_argument("--since", default="7d", metavar="DURATION", help="default: 7d")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--chart", metavar="FILE", help="write an HTML trend chart (inline SVG)")
    p.add_argument("--db", default=DEFAULT_DB, metavar="URL", help=f"default: {DEFAULT_DB}")
    p.set_defaults(func=cmd_history)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m harness._cli_monitor monitor|history ...`` (same as ``harness ...``)."""
    parser = argparse.ArgumentParser(prog="harness")
    register(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except HarnessError as exc:
        print(f"harness: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
