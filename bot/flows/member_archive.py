"""A member's archive: every table of :data:`~storage.queries.privacy.ARCHIVE_TABLES` as JSON Lines
and CSV in one zip, written row by row to a file and uploaded from it in a stream.

Memory stays flat whatever the row count: rows come from the database a batch at a time
(``yield_per``), each is written to the zip entry as it comes (deflated on the fly), and the upload
sends the finished file from disk in chunks — nothing holds the whole archive. Values follow
``parley export`` (:mod:`bot.digests.export`): ISO 8601 UTC times, money in minor units, CSV cells
that look like formulas defused.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Final

from bot.digests.export import cell, csv_cell
from storage.db import Database
from storage.models import Member
from storage.queries.privacy import ARCHIVE_TABLES, read_archive_table

README: Final = """Your data in Parley
===================

Each kind of record is here twice: <name>.jsonl (one JSON object per line) and <name>.csv.

profile         what Parley keeps from your Slack profile, and your settings
assessments     your style assessment answers and results
negotiations    the negotiations you prepared or debriefed
preps           what you typed before each negotiation
debriefs        how each went: outcome, reflection and the analysis
ledger_entries  the concession ledger of your negotiations
trades          concession trades you proposed or decided (role says which)
commitments     commitments you own or that are owed to you (role says which)
activity        what you did in Parley, from the audit trail

Times are UTC (ISO 8601), money is in minor units (cents) with its currency code.
"""


@dataclass
class Archive:
    path: Path
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(count for name, count in self.rows.items() if name != "profile")


def write_archive(db: Database, workspace_id: int, member_id: int, path: Path) -> Archive:
    """Write the member's archive to ``path`` (a zip); returns the row count of each table."""
    archive = Archive(path)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        zf.writestr("README.txt", README)
        for table in ARCHIVE_TABLES:
            for suffix in ("jsonl", "csv"):
                with db.session() as session:
                    member = session.get(Member, member_id)
                    if member is None or member.workspace_id != workspace_id:
                        raise LookupError(f"no member {member_id} in workspace {workspace_id}")
                    rows = read_archive_table(session, member, table.name)
                    with zf.open(f"{table.name}.{suffix}", "w", force_zip64=True) as raw:
                        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                        count = _write(rows, table.columns, text, suffix)
                        text.flush()
                        text.detach()
                archive.rows[table.name] = count
    return archive


def _write(rows: Any, columns: tuple[str, ...], out: IO[str], suffix: str) -> int:
    count = 0
    if suffix == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv(row[name]) for name in columns])
            count += 1
        return count
    for row in rows:
        out.write(json.dumps({name: cell(row[name]) for name in columns}, ensure_ascii=False))
        out.write("\n")
        count += 1
    return count


def _csv(value: Any) -> str:
    if isinstance(value, dict | list):
        return csv_cell(json.dumps(value, ensure_ascii=False))
    return csv_cell(value)
