"""DESIGN §3's layer rule, enforced by reading the source (an AST walk, no imports executed)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What coaching/ may never import: our other layers, Slack, SQL, HTTP, processes, the file system.
COACHING_FORBIDDEN = {
    "bot", "storage", "templates", "slack_bolt", "slack_sdk", "sqlalchemy", "alembic", "psycopg",
    "sqlite3", "jinja2", "apscheduler", "requests", "urllib", "http", "socket", "ssl", "subprocess",
    "os", "shutil", "pathlib", "time", "threading", "asyncio", "logging", "random",
}  # fmt: skip
# Clock reads: the time is always passed in.
CLOCK_CALLS = {"now", "utcnow", "today", "time", "monotonic", "perf_counter"}


def python_files(package: str) -> Iterator[Path]:
    yield from sorted((ROOT / package).rglob("*.py"))


def imported_roots(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


def violations(package: str, forbidden: set[str]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{line} imports {root}"
        for path in python_files(package)
        for line, root in imported_roots(path)
        if root in forbidden
    ]


def test_coaching_is_pure() -> None:
    assert list(python_files("coaching")), "coaching/ has no modules"
    assert violations("coaching", COACHING_FORBIDDEN) == []


def test_coaching_never_reads_the_clock() -> None:
    found = []
    for path in python_files("coaching"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in CLOCK_CALLS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in {"datetime", "date", "time"}
            ):
                found.append(
                    f"{path.relative_to(ROOT)}:{node.lineno} calls {node.func.value.id}.{node.func.attr}()"
                )
    assert found == []


@pytest.mark.parametrize("package", ["storage", "templates"])
def test_lower_layers_never_import_bot(package: str) -> None:
    assert violations(package, {"bot"}) == []


def test_templates_do_not_touch_the_database() -> None:
    assert violations("templates", {"storage", "sqlalchemy"}) == []


def test_the_rule_itself_catches_a_violation(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("import os\nfrom slack_sdk import WebClient\nfrom .x import y\n")
    assert [root for _, root in imported_roots(module)] == ["os", "slack_sdk"]
