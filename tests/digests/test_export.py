"""``parley export``: stable columns, exact values back from JSON Lines, CSV that no spreadsheet runs."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from bot.cli import cli
from bot.digests.export import FORMULA_STARTS, Format, export_workspace
from storage.db import Database
from storage.models import Commitment, LedgerEntry, Negotiation, TradeProposal
from storage.queries import export as queries
from tests.digests.seeding import Seeded, negotiation, seed_week, utc

HOSTILE = '=HYPERLINK("https://evil.example","click"), "quoted"\nnew line, ünïcödé 😀'

DOCUMENTED = {
    "negotiations": "id,created_at,owner_slack_id,owner_name,title,counterpart_kind,counterpart_name,date,"
    "status,currency,debriefed_at,outcome",
    "ledger_entries": "id,negotiation_id,recorded_at,owner_slack_id,kind,item,value_minor,currency,"
    "received_item,received_value_minor,position,trade_id",
    "trades": "id,created_at,negotiation_id,parent_id,requester_slack_id,approver_slack_id,give_item,"
    "give_cost_minor,get_item,get_value_minor,currency,value_currency,reason,needed_by,status,rounds,"
    "decided_by_slack_id,decided_at,decision_reason",
    "commitments": "id,created_at,negotiation_id,owner_slack_id,owner_label,owed_to_slack_id,text,due,status,"
    "source,notice_days,chargeback_percent,chargeback_base_minor,currency,charged_to,nudges_sent,closed_at,"
    "units,unit,unit_value_minor,units_cancelled,chargeback_minor,standing",
}


@pytest.fixture
def seeded(db: Database) -> Seeded:
    seeded = seed_week(db)
    negotiation(db, seeded.workspace_id, seeded.alice, HOSTILE, "other", utc(2026, 11, 21, 8), "agreed", [
        {"kind": "conceded", "item": HOSTILE, "value": 12345, "currency": "EUR"},
        {"kind": "conceded", "item": "-5% discount", "value": 1, "received": "@mention", "received_value": 7},
    ])  # fmt: skip
    return seeded


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_columns_are_the_documented_ones(db: Database, seeded: Seeded, tmp_path: Path) -> None:
    report = export_workspace(db, "T0EXAMPLE", tmp_path, Format.CSV)
    assert report.rows == {"negotiations": 5, "ledger_entries": 10, "trades": 1, "commitments": 4}
    for table in queries.TABLES:
        header = (tmp_path / f"{table.name}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header == DOCUMENTED[table.name]
        assert f"`{table.columns[-1]}`" in Path("docs/export.md").read_text(encoding="utf-8")


def test_json_lines_give_back_exactly_what_is_stored(db: Database, seeded: Seeded, tmp_path: Path) -> None:
    export_workspace(db, "T0EXAMPLE", tmp_path, Format.JSONL)
    ledger = read_jsonl(tmp_path / "ledger_entries.jsonl")
    with db.session() as session:
        stored = session.scalars(select(LedgerEntry).order_by(LedgerEntry.id)).all()
        assert [
            (r["id"], r["item"], r["value_minor"], r["currency"], r["received_item"]) for r in ledger
        ] == [(e.id, e.item, e.value_minor, e.currency, e.received_item) for e in stored]
        assert [datetime.fromisoformat(r["recorded_at"]) for r in ledger] == [e.recorded_at for e in stored]
        assert all(r["owner_slack_id"] in ("U0ALICE", "U0CAROL") for r in ledger)
        commitments = read_jsonl(tmp_path / "commitments.jsonl")
        rows = session.scalars(select(Commitment).order_by(Commitment.id)).all()
        assert [(c["text"], c["due"], c["status"]) for c in commitments] == [
            (r.text, r.due.isoformat(), r.status) for r in rows
        ]
        trade = read_jsonl(tmp_path / "trades.jsonl")[0]
        stored_trade = session.scalars(select(TradeProposal)).one()
        assert (trade["requester_slack_id"], trade["approver_slack_id"], trade["status"]) == (
            "U0ALICE",
            "U0BOB",
            "pending",
        ) and trade["id"] == stored_trade.id
    negotiations = read_jsonl(tmp_path / "negotiations.jsonl")
    assert [n["outcome"] for n in negotiations] == ["agreed", "no_deal", "agreed", "agreed", "agreed"]
    assert negotiations[-1]["title"] == HOSTILE


def test_csv_defuses_formulas_and_otherwise_round_trips(db: Database, seeded: Seeded, tmp_path: Path) -> None:
    export_workspace(db, "T0EXAMPLE", tmp_path / "csv", Format.CSV)
    export_workspace(db, "T0EXAMPLE", tmp_path / "jsonl", Format.JSONL)
    for table in queries.TABLES:
        with (tmp_path / "csv" / f"{table.name}.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        exact = read_jsonl(tmp_path / "jsonl" / f"{table.name}.jsonl")
        assert len(rows) == len(exact)
        for row, truth in zip(rows, exact, strict=True):
            for name in table.columns:
                value = row[name]
                if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
                    value = value[1:]
                expected = truth[name]
                assert value == ("" if expected is None else str(expected)), (table.name, name)
                assert not row[name].startswith(("=", "+", "@")), (table.name, name)


def test_since_keeps_only_the_later_rows(db: Database, seeded: Seeded, tmp_path: Path) -> None:
    report = export_workspace(
        db, "T0EXAMPLE", tmp_path, Format.JSONL, since=datetime(2026, 11, 19, tzinfo=UTC)
    )
    assert report.rows["ledger_entries"] == 3  # Budget review (20 Nov) and the two of 21 Nov
    with db.session() as session:
        assert report.rows["negotiations"] == session.query(Negotiation).count()  # created today


def test_the_command_line(
    db: Database, seeded: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", str(db.engine.url.render_as_string(hide_password=False)))
    runner = CliRunner()
    result = runner.invoke(
        cli, ["export", "--workspace", "T0EXAMPLE", "--format", "jsonl", "--output", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        f"Exported 5 negotiations, 10 ledger entries, 1 trade, 4 commitments to {tmp_path / 'out'}"
    )
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "commitments.jsonl",
        "ledger_entries.jsonl",
        "negotiations.jsonl",
        "trades.jsonl",
    ]
    missing = runner.invoke(cli, ["export", "--workspace", "T0NOPE", "--output", str(tmp_path / "none")])
    assert missing.exit_code == 1
    assert "no workspace 'T0NOPE'" in missing.output and "Traceback" not in missing.output
    bad = runner.invoke(cli, ["export", "--workspace", "T0EXAMPLE", "--since", "last week"])
    assert bad.exit_code == 2 and "--since" in bad.output


@pytest.mark.parametrize(
    ("status", "units", "stored", "expected"),
    [
        ("open", 12, None, (12, 0, None)),  # never cancelled
        ("cancelled", 12, None, (12, 12, None)),  # all of it, on time, in one go
        ("cancelled", 4, {"units": 4, "charge_minor": 200000}, (4, 4, 200000)),  # one late cancellation
        ("open", 7, {"units_cancelled": 5, "units": 5, "charge_minor": 450000}, (12, 5, 450000)),
        ("open", 8, {"units_cancelled": 4, "units": 0, "charge_minor": None}, (12, 4, None)),  # on time
        ("cancelled", 9, {"units_cancelled": 12, "units": 3, "charge_minor": 270000}, (12, 12, 270000)),
    ],
)
def test_units_as_agreed_cancelled_and_charged(
    status: str, units: int, stored: dict[str, Any] | None, expected: tuple[int, int, int | None]
) -> None:
    assert queries.units_of(status, units, stored) == expected
