"""Prometheus metrics of the monitor, through prometheus-client.

Exposed per target (labels ``vendor`` and ``target``), from the latest record:

- ``harness_vendor_up``: 1 while the target is in the ok group (healthy or degraded),
  0 while it is failing or unreachable;
- ``harness_vendor_status{status=...}``: 1 for the current status, 0 for the others;
- ``harness_vendor_conformance_ratio``: share of the verified clauses without a finding;
- ``harness_vendor_latency_seconds{quantile="0.5"|"0.95"}``: response time of the cycle's
  requests; ``harness_check_duration_seconds{check, operation}``: time per health check;
- ``harness_vendor_last_run_timestamp_seconds``, ``harness_vendor_requests``,
  ``harness_vendor_findings``;
- ``harness_vendor_latency_window_p95_seconds``: p95 over the target's latency window
  (what ``degraded_ms`` / ``failed_ms`` are compared with);
- ``harness_vendor_maintenance``: 1 while the target is in a maintenance window (alert
  rules can leave those out);
- ``harness_monitor_history_up`` (1 while the history database accepts writes) and
  ``harness_monitor_records_waiting`` (records kept in memory meanwhile).

Either written as a textfile for node_exporter's textfile collector (atomically: a
temporary file in the same folder, then a rename) or served over HTTP.
"""

from __future__ import annotations

from pathlib import Path

from prometheus_client import CollectorRegistry, Gauge, generate_latest, write_to_textfile
from prometheus_client.exposition import start_http_server

from harness.errors import HarnessError
from harness.monitor.status import STATUSES, VendorRecord, alert_group

__all__ = ["MonitorMetrics"]

TARGET = ("vendor", "target")


class MonitorMetrics:
    """A registry of the monitor's gauges, updated from each record."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.up = Gauge(
            "harness_vendor_up",
            "1 when the target is healthy or degraded, 0 when failing or unreachable",
            TARGET,
            registry=r,
        )
        self.status = Gauge(
            "harness_vendor_status",
            "1 for the target's current health status, 0 for the others",
            (*TARGET, "status"),
            registry=r,
        )
        self.conformance = Gauge(
            "harness_vendor_conformance_ratio",
            "share of the clauses verified by the last cycle that showed no finding",
            TARGET,
            registry=r,
        )
        self.latency = Gauge(
            "harness_vendor_latency_seconds",
            "response time of the requests of the last cycle, by quantile",
            (*TARGET, "quantile"),
            registry=r,
        )
        self.check_duration = Gauge(
            "harness_check_duration_seconds",
            "time taken by each health check in the last cycle",
            (*TARGET, "check", "operation"),
            registry=r,
        )
        self.last_run = Gauge(
            "harness_vendor_last_run_timestamp_seconds",
            "Unix time at which the last cycle of the target finished",
            TARGET,
            registry=r,
        )
        self.requests = Gauge(
            "harness_vendor_requests",
            "requests sent to the target by the last cycle",
            TARGET,
            registry=r,
        )
        self.findings = Gauge(
            "harness_vendor_findings",
            "findings (clauses broken) in the last cycle",
            TARGET,
            registry=r,
        )
        self.window_p95 = Gauge(
            "harness_vendor_latency_window_p95_seconds",
            "p95 response time over the target's latency window",
            TARGET,
            registry=r,
        )
        self.maintenance = Gauge(
            "harness_vendor_maintenance",
            "1 while the target is in a maintenance window (no alert fires), else 0",
            TARGET,
            registry=r,
        )
        self.history_up = Gauge(
            "harness_monitor_history_up",
            "1 while the history database accepts writes, 0 during an outage",
            registry=r,
        )
        self.waiting = Gauge(
            "harness_monitor_records_waiting",
            "records kept in memory until the history database is back",
            registry=r,
        )
        self.history_up.set(1)

    def update(self, record: VendorRecord) -> None:
        labels = (record.vendor, record.target)
        self.up.labels(*labels).set(1 if alert_group(record.status) == "ok" else 0)
        for status in STATUSES:
            self.status.labels(*labels, status).set(1 if status == record.status else 0)
        if record.conformance is not None:
            self.conformance.labels(*labels).set(record.conformance)
        for quantile, value in (("0.5", record.p50_ms), ("0.95", record.p95_ms)):
            if value is not None:
                self.latency.labels(*labels, quantile).set(value / 1000.0)
        for check in record.checks:
            if check.outcome in ("passed", "failed"):
                self.check_duration.labels(*labels, check.check, check.operation).set(check.seconds)
        self.last_run.labels(*labels).set(record.finished)
        self.requests.labels(*labels).set(record.requests)
        self.findings.labels(*labels).set(len(record.findings))
        if record.window_p95_ms is not None:
            self.window_p95.labels(*labels).set(record.window_p95_ms / 1000.0)
        self.maintenance.labels(*labels).set(0 if record.maintenance is None else 1)

    def history(self, available: bool, waiting: int) -> None:
        self.history_up.set(1 if available else 0)
        self.waiting.set(waiting)

    def text(self) -> str:
        """The exposition text (what node_exporter or a scrape would read)."""
        return generate_latest(self.registry).decode("utf-8")

    def write(self, path: Path) -> None:
        """Write the textfile atomically (node_exporter never reads half a file)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            write_to_textfile(str(path), self.registry)
        except OSError as exc:
            raise HarnessError(f"--metrics-file {path}: cannot write ({exc.strerror})") from exc

    def serve(self, port: int, host: str = "127.0.0.1") -> int:
        """Serve ``/metrics`` in a background thread; returns the bound port."""
        try:
            server, _thread = start_http_server(port, addr=host, registry=self.registry)
        except OSError as exc:
            raise HarnessError(
                f"--metrics-port {port}: cannot listen on {host}:{port} ({exc.strerror}); "
                "choose another port"
            ) from exc
        self._server = server
        return int(server.server_address[1])

    def stop(self) -> None:
        server = getattr(self, "_server", None)
        if server is not None:
            server.shutdown()
            server.server_close()
