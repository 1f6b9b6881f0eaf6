"""coaching/ stays pure: standard library only (from an allow-list), no I/O, no clock reads.

Stricter than the layer test in tests/foundation: an allow-list rather than a deny-list, and calls
such as open(), print() and input() are refused too. The preview's ``main`` is the one place
allowed to write to stdout (through ``sys``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "coaching"

ALLOWED_IMPORTS = {
    "__future__", "collections", "dataclasses", "datetime", "enum", "fractions", "functools",
    "importlib", "math", "re", "string", "tomllib", "types", "typing", "zoneinfo", "coaching",
    "unicodedata", "difflib",  # pure text computation (counterpart names)
    "contextlib", "contextvars",  # the reader's date style, set per message (coaching.dates)
    "babel",  # dates in other languages: computation over its packaged CLDR data (coaching.dates)
}  # fmt: skip
PREVIEW_ONLY = {"argparse", "sys"}
FORBIDDEN_CALLS = {"open", "print", "input", "eval", "exec", "compile", "__import__", "breakpoint"}
# Clock reads on any receiver; ``.time()`` only counts on the ``time`` module (``moment.time()`` is fine).
CLOCK_ATTRIBUTES = {"now", "utcnow", "today", "time_ns", "monotonic", "perf_counter", "localtime"}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_there_are_modules_to_check() -> None:
    names = {path.stem for path in modules()}
    assert {"styles", "money", "parsing", "assessment", "playbook", "prep", "debrief", "trades"} <= names


@pytest.mark.parametrize("path", modules(), ids=lambda path: path.name)
def test_imports_only_allowed_standard_library(path: Path) -> None:
    allowed = ALLOWED_IMPORTS | (PREVIEW_ONLY if path.name == "preview.py" else set())
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bad += [alias.name for alias in node.names if alias.name.split(".")[0] not in allowed]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] not in allowed:
                bad.append(node.module)
            if node.module == "importlib" and any(alias.name != "resources" for alias in node.names):
                bad.append("importlib (only importlib.resources)")
    assert bad == []


@pytest.mark.parametrize("path", modules(), ids=lambda path: path.name)
def test_no_io_and_no_clock(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_CALLS:
            bad.append(f"line {node.lineno}: {node.func.id}()")
        if isinstance(node.func, ast.Attribute) and (
            node.func.attr in CLOCK_ATTRIBUTES
            or (
                node.func.attr == "time"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "time"
            )
        ):
            bad.append(f"line {node.lineno}: .{node.func.attr}()")
    assert bad == []


def test_only_the_preview_touches_sys() -> None:
    users = [path.name for path in modules() if "sys." in path.read_text(encoding="utf-8")]
    assert users == ["preview.py"]


def test_the_checks_catch_violations(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("import os\nfrom datetime import datetime\nx = datetime.now()\nopen('f')\n")
    tree = ast.parse(sample.read_text())
    imports = [node for node in ast.walk(tree) if isinstance(node, ast.Import)]
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    assert imports[0].names[0].name == "os" and "os" not in ALLOWED_IMPORTS
    attrs = {c.func.attr for c in calls if isinstance(c.func, ast.Attribute)}
    names = {c.func.id for c in calls if isinstance(c.func, ast.Name)}
    assert attrs & CLOCK_ATTRIBUTES == {"now"} and names & FORBIDDEN_CALLS == {"open"}
