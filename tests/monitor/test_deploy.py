"""The deployment examples (deploy/): Kubernetes shards and Prometheus rules are valid, use
only options and metrics the harness has, and are the ones the README shows."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from harness import _cli_monitor
from harness.monitor.config import load_config
from harness.monitor.metrics import MonitorMetrics
from harness.monitor.status import STATUSES, VendorRecord
from harness.targets import load_target

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
FILES = sorted(DEPLOY.rglob("*.yaml"))
RULES = DEPLOY / "prometheus" / "harness-rules.yaml"
PROMTOOL = shutil.which("promtool")


def _documents(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def _kind(kind: str) -> dict[str, Any]:
    found = [d for p in FILES for d in _documents(p) if d.get("kind") == kind]
    assert len(found) == 1, kind
    return found[0]


def test_every_example_parses_and_the_readme_shows_it_verbatim() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert {p.name for p in FILES} >= {"cronjob.yaml", "statefulset.yaml", "harness-rules.yaml"}
    for path in FILES:
        assert _documents(path), path
        assert path.read_text(encoding="utf-8").strip() in readme, f"README lacks {path.name}"


def _parse_args(args: list[str], **env: str) -> argparse.Namespace:
    expanded = [re.sub(r"\$\((\w+)\)", lambda m: env[m.group(1)], a) for a in args]
    parser = argparse.ArgumentParser(prog="harness")
    _cli_monitor.register(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(expanded)


def _container(spec: dict[str, Any]) -> dict[str, Any]:
    (container,) = spec["template"]["spec"]["containers"]
    return container


ENV = {"HARNESS_DB": "postgresql://harness@db:5432/harness", "SLACK_WEBHOOK": "https://hooks/x"}


def test_the_cronjob_runs_one_indexed_pod_per_shard() -> None:
    job = _kind("CronJob")["spec"]["jobTemplate"]["spec"]
    assert job["completionMode"] == "Indexed" and job["completions"] == job["parallelism"]
    args = _container(job)["args"]
    count = int(args[args.index("--shard") + 1].split("/")[1])
    assert count == job["completions"] and "$(JOB_COMPLETION_INDEX)/" in " ".join(args)
    shards = []
    for index in range(count):
        parsed = _parse_args(args, JOB_COMPLETION_INDEX=str(index), **ENV)
        options = _cli_monitor._options(parsed)
        assert parsed.once and options.config == Path("/etc/harness/monitor.toml")
        shards.append(str(options.shard))
    assert shards == [f"{i}/{count}" for i in range(count)]


def test_the_statefulset_takes_its_shard_from_the_pod_index_and_serves_metrics() -> None:
    spec = _kind("StatefulSet")["spec"]
    container = _container(spec)
    (shard_env,) = [e for e in container["env"] if e["name"] == "SHARD"]
    assert "apps.kubernetes.io/pod-index" in shard_env["valueFrom"]["fieldRef"]["fieldPath"]
    for index in range(spec["replicas"]):
        options = _cli_monitor._options(_parse_args(container["args"], SHARD=str(index), **ENV))
        assert str(options.shard) == f"{index}/{spec['replicas']}"
        assert options.metrics_port == container["ports"][0]["containerPort"]
    service = _kind("Service")
    assert service["spec"]["selector"] == spec["template"]["metadata"]["labels"]


def test_the_configmap_holds_a_valid_config_and_target_files(tmp_path: Path) -> None:
    data = _kind("ConfigMap")["data"]
    for name, text in data.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    config = load_config(tmp_path / "monitor.toml")
    environ = {"ITRP_API_TOKEN": "t", "TURRIS_CLIENT_ID": "i", "TURRIS_CLIENT_SECRET": "s"}
    targets = [load_target(p, environ=environ) for p in config.target_files]
    assert {t.vendor for t in targets} == {"itrp", "turris"} and config.maintenance


def _exported(record: VendorRecord) -> str:
    metrics = MonitorMetrics()
    metrics.update(record)
    metrics.history(True, 0)
    return metrics.text()


def _record(target: str, status: str, maintenance: str | None = None) -> VendorRecord:
    return VendorRecord(
        "itrp", target, "live", status, 1.0, 2.0, 3, 40,  # type: ignore[arg-type]
        latencies=(0.1,), window_p95_ms=100.0, maintenance=maintenance,
    )  # fmt: skip


def test_the_rules_name_only_metrics_and_labels_the_harness_exports() -> None:
    families = {
        f.name: f for f in text_string_to_metric_families(_exported(_record("t", "failing")))
    }
    labels = {n: {k for s in f.samples for k in s.labels} for n, f in families.items()}
    for rule in _documents(RULES)[0]["groups"][0]["rules"]:
        expr = rule["expr"]
        names = set(re.findall(r"\bharness_\w+", expr))
        assert names and names <= set(families), (rule["alert"], names - set(families))
        for used in re.findall(r"on\(([^)]*)\)", expr):
            for label in (x.strip() for x in used.split(",")):
                assert all(label in labels[n] for n in names if labels[n]), (label, expr)
        for label, value in re.findall(r'(\w+)="([^"]*)"', expr):
            assert label == "status" and value in STATUSES
        for label in re.findall(r"\$labels\.(\w+)", json.dumps(rule.get("annotations", {}))):
            assert any(label in labels[n] for n in names), (rule["alert"], label)


def _series(text: str, minutes: int) -> list[dict[str, str]]:
    out = []
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name.endswith(("_created", "_total")):
                continue
            selector = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            out.append(
                {"series": f"{sample.name}{{{selector}}}", "values": f"{sample.value:g}x{minutes}"}
            )
    return out


@pytest.mark.skipif(PROMTOOL is None, reason="promtool not installed (apt-get install prometheus)")
def test_promtool_fires_the_down_rule_on_what_the_harness_exports_and_not_in_maintenance(
    tmp_path: Path,
) -> None:
    assert PROMTOOL is not None
    down = _exported(_record("itrp acme prod", "failing"))
    quiet = _exported(_record("itrp acme staging", "unreachable", maintenance="paused: deploy"))
    healthy = _exported(_record("itrp acme dev", "healthy"))
    series = _series(down, 15) + _series(quiet, 15) + _series(healthy, 15)
    unique = list({s["series"]: s for s in series}.values())
    tests = {
        "rule_files": [str(RULES)],
        "evaluation_interval": "1m",
        "tests": [
            {
                "interval": "1m",
                "input_series": unique,
                "alert_rule_test": [
                    {"eval_time": "5m", "alertname": "VendorApiDown", "exp_alerts": []},
                    {
                        "eval_time": "12m",
                        "alertname": "VendorApiDown",
                        "exp_alerts": [
                            {
                                "exp_labels": {
                                    "severity": "page", "vendor": "itrp",
                                    "target": "itrp acme prod",
                                },
                                "exp_annotations": {
                                    "summary": "itrp acme prod (itrp) is failing or unreachable"
                                },
                            }
                        ],
                    },
                ],
            }
        ],
    }  # fmt: skip
    spec = tmp_path / "rules-test.yaml"
    spec.write_text(yaml.safe_dump(tests), encoding="utf-8")
    checked = subprocess.run(
        [PROMTOOL, "check", "rules", str(RULES)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    done = subprocess.run([PROMTOOL, "test", "rules", str(spec)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
