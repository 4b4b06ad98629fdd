"""``harness monitor`` and ``harness history``: thin commands over :mod:`harness.monitor`.

Also runnable on its own: ``python -m harness._cli_monitor monitor --once``. Imports
the monitor only when a command runs (``harness --help`` stays light).
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
from typing import TYPE_CHECKING, Any

from harness.errors import HarnessError
from harness.monitor.defaults import DEFAULT_BUDGET, DEFAULT_DB

if TYPE_CHECKING:
    from harness.monitor.status import VendorRecord

VERDICT = {0: "all healthy", 1: "findings", 2: "unreachable or harness error"}
MAINTENANCE = ("pause", "resume")


def _print_record(record: VendorRecord) -> None:
    p50 = "-" if record.p50_ms is None else f"{record.p50_ms:.1f}"
    p95 = "-" if record.p95_ms is None else f"{record.p95_ms:.1f}"
    quiet = "  [maintenance]" if record.maintenance else ""
    print(
        f"{record.vendor:<11} {record.status:<11} {record.requests:>3}/{record.budget:<3} req  "
        f"p50 {p50:>7} ms  p95 {p95:>7} ms  {len(record.findings)} findings  "
        f"{record.target}{quiet}",
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
    for note in record.notes:
        print(f"  note: {note}", flush=True)


def _print_alert(channel: str, message: dict[str, Any], error: str | None) -> None:
    count = int(message.get("count", 1))
    who = message.get("target") if count == 1 else f"{count} {message.get('vendor')} targets"
    outcome = "sent" if error is None else f"not delivered ({error})"
    print(
        f"alert: {message.get('event')} {who} via {channel}: {outcome}", file=sys.stderr, flush=True
    )


def _print_note(text: str) -> None:
    print(f"harness monitor: {text}", file=sys.stderr, flush=True)


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


def _integer(value: str | None, option: str, low: int, high: int, hint: str) -> int | None:
    """An integer option checked here, so a bad one is one line naming the option."""
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        raise HarnessError(f"{option} {value}: expected {hint}")
    return number


def _seconds(value: str | None, option: str) -> float | None:
    from harness.monitor.status import parse_duration

    return None if value is None else parse_duration(value, option)


def _options(args: argparse.Namespace) -> Any:
    from harness.monitor.alerts import AlertChannels
    from harness.monitor.options import MonitorOptions
    from harness.monitor.shard import parse_shard

    port = _integer(
        args.metrics_port, "--metrics-port", 0, 65535, "a TCP port 1-65535 (0: any free port)"
    )
    budget = _integer(args.budget, "--budget", 1, 10**6, "at least 1 request per target and cycle")
    workers = _integer(args.concurrency, "--concurrency", 1, 4096, "1-4096 targets at once")
    retries = _integer(args.retries, "--retries", 0, 10, "0-10 re-checks of a failing cycle")
    for name, value in (("--degraded-ms", args.degraded_ms), ("--failed-ms", args.failed_ms)):
        _integer(value, name, 1, 10**7, "a number of milliseconds, e.g. 2000")
    policy = {
        "retries": retries,
        "retry_delay": _seconds(args.retry_delay, "--retry-delay"),
        "degraded_ms": None if args.degraded_ms is None else float(args.degraded_ms),
        "failed_ms": None if args.failed_ms is None else float(args.failed_ms),
        "latency_window": _seconds(args.latency_window, "--latency-window"),
        "reminder": _seconds(args.reminder, "--reminder"),
    }
    group_wait = None
    if args.group_wait is not None:
        group_wait = (
            0.0 if args.group_wait.strip() == "0" else _seconds(args.group_wait, "--group-wait")
        )
    return MonitorOptions(
        vendors=args.vendor,
        target_files=[Path(f) for f in args.target_file],
        config=Path(args.config) if args.config else None,
        db=args.db,
        budget=DEFAULT_BUDGET if budget is None else budget,
        channels=AlertChannels(args.alert_webhook, args.alert_command),
        metrics_file=Path(args.metrics_file) if args.metrics_file else None,
        metrics_port=port,
        metrics_host=args.metrics_host,
        shard=parse_shard(args.shard) if args.shard else None,
        concurrency=workers,
        group_wait=group_wait,
        policy=policy,
    )


def cmd_monitor(args: argparse.Namespace) -> int:
    if args.vendor[:1] and args.vendor[0] in MAINTENANCE:
        return _maintenance(args)
    if args.pause_for or args.reason:
        raise HarnessError("--for and --reason go with `harness monitor pause TARGET`")
    if args.target_file and args.vendor:
        raise HarnessError("give vendors (built-in emulators) or --target-file, not both")
    interval = _seconds(args.interval, "--interval")
    options = _options(args)
    from harness.monitor.service import Monitor

    monitor = Monitor(options, on_record=_print_record, on_alert=_print_alert, on_note=_print_note)
    with _stop_on_signals() as stop, monitor:
        if monitor.metrics_port is not None:
            where = f"http://{args.metrics_host}:{monitor.metrics_port}/metrics"
            print(f"metrics: {where}", file=sys.stderr, flush=True)
        shard = f" (shard {options.shard}; {monitor.fleet.skipped} targets on other shards)"
        if not monitor.probes:
            print(f"0 targets{shard if options.shard else ''}: nothing to check -> exit 0")
            return 0
        if interval is None:
            report = monitor.run_cycle("once", stop.is_set)
            code = report.exit_code
            state = "interrupted" if report.interrupted else VERDICT[code]
            if report.unsaved:
                state += f"; {report.unsaved} records could not be written to the history"
            print(f"{len(report.records)} targets: {state} -> exit {code}", flush=True)
            return code
        print(
            f"monitoring {len(monitor.probes)} targets every {interval:g} s"
            f"{shard if options.shard else ''} (SIGTERM or Ctrl-C stops)",
            file=sys.stderr,
            flush=True,
        )
        cycles = monitor.run_forever(interval, stop)
        print(f"harness monitor: stopped after {cycles} cycles", file=sys.stderr)
        return 0


def _maintenance(args: argparse.Namespace) -> int:
    """``harness monitor pause TARGET --for 2h --reason ...`` / ``resume TARGET``."""
    from harness.monitor.maintenance import close_windows, open_window
    from harness.monitor.store import HistoryStore

    verb, names = args.vendor[0], args.vendor[1:]
    if len(names) != 1:
        raise HarnessError(
            f"harness monitor {verb}: give one TARGET (a target name, a vendor, or a glob "
            'such as "itrp*"), e.g. harness monitor pause "itrp prod" --for 2h --reason deploy'
        )
    if verb == "pause" and (not args.pause_for or not args.reason):
        raise HarnessError("harness monitor pause: give --for DURATION and --reason TEXT")
    store = HistoryStore(args.db)
    try:
        if verb == "resume":
            closed = close_windows(store, names[0])
            print(f"{names[0]}: {closed} maintenance window(s) closed")
            return 0
        seconds = _seconds(args.pause_for, "--for") or 0.0
        window = open_window(store, names[0], seconds, args.reason)
    finally:
        store.close()
    until = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(window.ends))
    print(f"{names[0]}: no alert until {until} ({args.reason}); checks go on")
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
    from harness.monitor.history import as_json, iso, load_gaps, load_history, table_rows
    from harness.monitor.status import parse_duration
    from harness.monitor.store import HistoryStore

    since = parse_duration(args.since, "--since")
    _require_history(args.db)
    store = HistoryStore(args.db)
    try:
        histories = load_history(store, since, args.vendor)
        outages = load_gaps(store, since)
    finally:
        store.close()
    if args.chart:
        from harness.monitor.chart import render_chart

        chart = Path(args.chart)
        chart.parent.mkdir(parents=True, exist_ok=True)
        chart.write_text(render_chart(histories, since, time.time(), outages), encoding="utf-8")
        print(f"chart: {chart}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(as_json(histories, since, outages), indent=2))
        return 0
    rows = table_rows(histories)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print("  ".join([c.ljust(w) for c, w in zip(row, widths, strict=False)] + [row[-1]]))
    for h in histories:
        for w in h.windows:
            print(f"maintenance: {h.target}: {w.describe()}")
    for gap in outages:
        when = f"{iso(gap.start)} to {iso(gap.end)}"
        print(f"gap: {when}: history database unavailable ({gap.reason}); {gap.records_kept} kept")
    if not histories:
        print(f"no record in the last {args.since}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "monitor",
        help="scheduled health checks: once (cron, CI) or as a service; pause/resume TARGET",
        description="Health-check targets side by side, record the history, alert on changes. "
        "`harness monitor pause TARGET --for 2h --reason TEXT` opens a maintenance window "
        "(checks go on, no alert fires); `harness monitor resume TARGET` closes it.",
    )
    p.add_argument("vendor", nargs="*", help="vendors to monitor on their built-in emulators")
    p.add_argument("--target-file", action="append", default=[], metavar="F")
    p.add_argument("--config", metavar="F", help="monitor config file (targets, policies, windows)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="one cycle, then exit 0/1/2 (default)")
    mode.add_argument("--interval", metavar="DURATION", help="run as a service, e.g. 5m")
    p.add_argument("--db", default=DEFAULT_DB, metavar="URL", help=f"default: {DEFAULT_DB}")
    p.add_argument(
        "--budget", metavar="N", help=f"requests per target and cycle ({DEFAULT_BUDGET})"
    )
    p.add_argument("--concurrency", metavar="N", help="targets checked at once (default: all)")
    p.add_argument("--shard", metavar="I/N", help="check only shard I of N (0-based), e.g. 0/3")
    policy = p.add_argument_group("per-target policy (the config file can set it per target)")
    policy.add_argument("--retries", metavar="N", help="re-checks of a failing cycle (0)")
    policy.add_argument("--retry-delay", metavar="DURATION", help="between re-checks (30s)")
    policy.add_argument("--degraded-ms", metavar="MS", help="p95 latency above: degraded")
    policy.add_argument("--failed-ms", metavar="MS", help="p95 latency above: failing")
    policy.add_argument("--latency-window", metavar="DURATION", help="p95 over this (15m)")
    policy.add_argument("--reminder", metavar="DURATION", help="repeat alerts while down")
    alerts = p.add_argument_group("alerts")
    alerts.add_argument(
        "--alert-webhook", metavar="URL", help="POST alerts here (Slack-compatible)"
    )
    alerts.add_argument(
        "--alert-command", metavar="CMD", help="run CMD with the alert JSON on stdin"
    )
    alerts.add_argument("--group-wait", metavar="DURATION", help="group a vendor's alerts (30s)")
    metrics = p.add_mutually_exclusive_group()
    metrics.add_argument("--metrics-file", metavar="F", help="node_exporter textfile (*.prom)")
    metrics.add_argument("--metrics-port", metavar="N", help="serve /metrics on N")
    p.add_argument(
        "--metrics-host", default="127.0.0.1", metavar="ADDR", help="for --metrics-port (127.0.0.1)"
    )
    pause = p.add_argument_group("maintenance (harness monitor pause TARGET)")
    pause.add_argument("--for", dest="pause_for", metavar="DURATION", help="e.g. 2h")
    pause.add_argument("--reason", metavar="TEXT", help="shown in the history")
    p.set_defaults(func=cmd_monitor)

    p = sub.add_parser("history", help="availability, latency and findings from the monitor")
    p.add_argument("vendor", nargs="?", help="only this vendor")
    p.add_argument("--since", default="7d", metavar="DURATION", help="default: 7d")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--chart", metavar="FILE", help="write an HTML trend chart (self-contained)")
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
