"""docs/prometheus-alerts.yml and docs/grafana-dashboard.json: they parse, and every Parley metric they
name is one the code exports (a renamed metric would silently break an alert or a panel)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from prometheus_client import REGISTRY

from bot.metrics import OutboxCollector
from bot.scheduler.registry import all_jobs
from storage.db import Database

DOCS = Path(__file__).resolve().parents[2] / "docs"
METRIC = re.compile(r"\bparley_[a-z_]+")
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",)}


def exported_names() -> set[str]:
    """Every series name Parley's metrics can have (labelled metrics show none until first used)."""
    names: set[str] = set()
    families = list(REGISTRY.collect())
    db = Database.from_url("sqlite://")  # unmigrated: the collector still names its gauges (database_up 0)
    try:
        families += list(OutboxCollector(db).collect())
        from storage import migrate

        migrate.upgrade(db.engine)
        families += list(OutboxCollector(db).collect())
    finally:
        db.dispose()
    for family in families:
        if family.name.startswith("parley_"):
            names.update(family.name + suffix for suffix in SUFFIXES[family.type])
    return names


def test_the_registry_knows_the_documented_metrics() -> None:
    names = exported_names()
    documented = set(METRIC.findall((DOCS / "operations.md").read_text()))
    stems = {re.sub(r"_(total|bucket|count|sum)$", "", name) for name in names} | names
    assert documented <= stems, f"docs/operations.md names metrics the code lacks: {documented - stems}"
    assert {"parley_outbox_oldest_due_age_seconds", "parley_ack_seconds_bucket"} <= names


def test_the_alert_rules_parse_and_name_only_real_metrics() -> None:
    rules = yaml.safe_load((DOCS / "prometheus-alerts.yml").read_text())
    names = exported_names()
    alerts = [rule for group in rules["groups"] for rule in group["rules"]]
    assert {rule["alert"] for rule in alerts} >= {
        "ParleyOutboxBacklog",
        "ParleyHTTP5xx",
        "ParleySlackRateLimited",
        "ParleyJobFailures",
    }
    for rule in alerts:
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule["alert"]
        assert rule["labels"]["severity"] in {"page", "ticket"}
        assert rule["annotations"]["summary"]
        used = set(METRIC.findall(rule["expr"]))
        assert used, f"{rule['alert']} names no Parley metric"
        assert used <= names, f"{rule['alert']} uses unknown metrics {used - names}"
        assert rule["expr"].count("(") == rule["expr"].count(")")
        if "for" in rule:
            assert re.fullmatch(r"\d+[smh]", rule["for"])


def test_the_dashboard_parses_and_queries_only_real_metrics() -> None:
    dashboard = json.loads((DOCS / "grafana-dashboard.json").read_text())
    names = exported_names()
    queried: set[str] = set()
    for panel in dashboard["panels"]:
        assert panel["title"] and panel["targets"]
        for target in panel["targets"]:
            used = set(METRIC.findall(target["expr"]))
            assert used, f"panel {panel['title']!r} queries no Parley metric"
            assert target["expr"].count("(") == target["expr"].count(")")
            queried |= used
    assert queried <= names, f"the dashboard queries unknown metrics: {queried - names}"
    # Every metric the code exports is on the dashboard somewhere.
    stems = {re.sub(r"_(total|bucket|count|sum)$", "", name) for name in queried}
    exported = {re.sub(r"_(total|bucket|count|sum)$", "", name) for name in names}
    assert exported <= stems, f"exported but on no panel: {exported - stems}"


def test_every_job_id_is_a_plain_label() -> None:
    assert all(re.fullmatch(r"[a-z_]+", job.id) for job in all_jobs())
