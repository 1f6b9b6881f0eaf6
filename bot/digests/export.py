"""``parley export``: a workspace's data as CSV or JSON Lines files, streamed row by row.

One file per table (``negotiations``, ``ledger_entries``, ``trades``, ``commitments``) in the output
directory, read in batches (:mod:`storage.queries.export`) and written as they come, so memory stays
flat whatever the row count. Columns and meanings: ``docs/export.md``.

Values: timestamps ISO 8601 in UTC (``2026-11-23T09:30:00Z``), dates ``YYYY-MM-DD``, money as
integer minor units plus the currency code. CSV writes an empty cell for a missing value and, so a
spreadsheet never runs a cell as a formula, prefixes ``'`` to text that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return (JSON Lines keeps every value exact).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, Final

from sqlalchemy import select

from storage.db import Database
from storage.models import Workspace
from storage.queries import export as queries

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
SINGULAR: Final = {
    "negotiations": "negotiation",
    "ledger_entries": "ledger entry",
    "trades": "trade",
    "commitments": "commitment",
}


class Format(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


class UnknownWorkspace(Exception):
    pass


@dataclass
class ExportReport:
    directory: Path
    rows: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        counts = ", ".join(f"{count:,} {SINGULAR[name] if count == 1 else name.replace('_', ' ')}"
                           for name, count in self.rows.items())  # fmt: skip
        return f"Exported {counts} to {self.directory}"


def cell(value: Any) -> Any:
    """A value as JSON Lines writes it."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S") + (
            f".{value.microsecond:06d}Z" if value.microsecond else "Z"
        )
    if isinstance(value, date):
        return value.isoformat()
    return value


def csv_cell(value: Any) -> str:
    """A value as CSV writes it: text, empty for missing, formula-looking text defused."""
    value = cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def write_table(rows: Iterable[dict[str, Any]], columns: tuple[str, ...], out: IO[str], fmt: Format) -> int:
    count = 0
    if fmt is Format.CSV:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([csv_cell(row[name]) for name in columns])
            count += 1
    else:
        for row in rows:
            out.write(json.dumps({name: cell(row[name]) for name in columns}, ensure_ascii=False))
            out.write("\n")
            count += 1
    return count


def export_workspace(
    db: Database,
    team_id: str,
    directory: Path,
    fmt: Format,
    *,
    since: datetime | None = None,
    now: datetime | None = None,
) -> ExportReport:
    """Write the four files for workspace ``team_id`` (a Slack team id) into ``directory``;
    ``now`` (default: the clock) dates each commitment's ``standing``."""
    today = (now or datetime.now(UTC)).astimezone(UTC).date()
    if since is not None and since.tzinfo is None:
        raise ValueError("since must be timezone-aware")
    with db.session() as session:
        workspace_id = session.scalar(select(Workspace.id).where(Workspace.team_id == team_id))
    if workspace_id is None:
        raise UnknownWorkspace(team_id)
    directory.mkdir(parents=True, exist_ok=True)
    report = ExportReport(directory)
    for table in queries.TABLES:
        path = directory / f"{table.name}.{fmt.value}"
        with db.session() as session, path.open("w", encoding="utf-8", newline="") as out:
            rows = (
                queries.commitments(session, workspace_id, since, today=today)
                if table is queries.COMMITMENTS
                else queries.READERS[table.name](session, workspace_id, since)
            )
            report.rows[table.name] = write_table(rows, table.columns, out, fmt)
    return report
