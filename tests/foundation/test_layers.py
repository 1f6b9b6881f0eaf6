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


# ----------------------------------------------------------------------------------- the test apparatus
# bot/testkit (fake Slack, request builders, Block Kit rules) is for tests and the playground only.
APPARATUS = {"bot.testkit", "bot.playground"}
APPARATUS_DIRS = ("bot/testkit", "bot/playground")
# The one door from production code to the apparatus: `parley demo` starts the playground.
APPARATUS_DOORS = {("bot/cli.py", "demo")}


def imported_modules(path: Path) -> Iterator[tuple[int, str, str | None]]:
    """``(line, full module name, enclosing top-level function or None)`` for each absolute import."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for top in tree.body:
        owner = top.name if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef) else None
        for node in ast.walk(top):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield node.lineno, alias.name, owner
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield node.lineno, node.module, owner
                for alias in node.names:  # `from bot import testkit`
                    yield node.lineno, f"{node.module}.{alias.name}", owner


def _within(module: str, packages: set[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def apparatus_leaks(root: Path) -> list[str]:
    found = []
    for path in sorted((root / "bot").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative.startswith(APPARATUS_DIRS):
            continue
        for line, module, owner in imported_modules(path):
            if _within(module, APPARATUS) and (relative, owner) not in APPARATUS_DOORS:
                found.append(f"{relative}:{line} imports {module}")
    return found


def test_production_code_never_imports_the_test_apparatus() -> None:
    assert apparatus_leaks(ROOT) == []


def test_the_testkit_never_imports_parleys_rendering() -> None:
    """The fake's Block Kit rules come from Slack's reference, not from templates/ (limits included)."""
    assert list(python_files("bot/testkit")), "bot/testkit has no modules"
    assert violations("bot/testkit", {"templates"}) == []


def test_the_apparatus_rule_catches_a_leak(tmp_path: Path) -> None:
    (tmp_path / "bot" / "listeners").mkdir(parents=True)
    (tmp_path / "bot" / "cli.py").write_text(
        "def demo():\n    from bot.playground.demo import run_demo\n\n"
        "def serve():\n    from bot.testkit import fake_slack\n"
    )
    (tmp_path / "bot" / "listeners" / "x.py").write_text("from bot.testkit.requests import sign\n")
    assert apparatus_leaks(tmp_path) == [
        "bot/cli.py:5 imports bot.testkit",
        "bot/cli.py:5 imports bot.testkit.fake_slack",
        "bot/listeners/x.py:1 imports bot.testkit.requests",
        "bot/listeners/x.py:1 imports bot.testkit.requests.sign",
    ]


# --- bot/'s own roles (issue 12) ---------------------------------------------------------------------

# Slack Web API methods as slack_sdk names them (chat_postMessage, views_open, …).
SLACK_METHOD_PREFIXES = (
    "chat_", "views_", "conversations_", "users_", "files_", "reactions_", "pins_", "team_", "auth_",
)  # fmt: skip
# bot.messaging / bot.replies functions that send something to Slack.
SLACK_SENDERS = {
    "post_dm", "update_message", "post_notice", "deliver", "open_dm", "tell_member", "answer",
    "form_did_not_open",
}  # fmt: skip
DATABASE_UNITS = {"session", "read", "read_core", "engine"}


def _is_notifier(path: Path) -> bool:
    """Where a feature's outgoing Slack effects live: ``*_notifier.py`` (digests: ``upload.py``)."""
    return path.stem.endswith("_notifier") or path.relative_to(ROOT).as_posix() == "bot/digests/upload.py"


def slack_calls(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in {"bot.messaging", "bot.replies"}:
            for alias in node.names:
                if alias.name in SLACK_SENDERS:
                    yield f"{node.lineno} imports {alias.name}"
        elif isinstance(node, ast.ImportFrom) and node.module == "slack_sdk.webhook":
            yield f"{node.lineno} imports slack_sdk.webhook"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr.startswith(SLACK_METHOD_PREFIXES)
            and "client" in ast.unparse(node.func.value).lower()
        ):
            yield f"{node.lineno} calls .{node.func.attr}()"


def database_units(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in DATABASE_UNITS
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "db"
        ):
            yield f"{node.lineno} uses db.{node.attr}"
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "sqlalchemy":
            yield f"{node.lineno} imports {node.module}"
        elif isinstance(node, ast.ImportFrom) and node.module == "storage.db":
            yield f"{node.lineno} imports storage.db"


def test_listeners_never_open_database_sessions() -> None:
    listeners = list(python_files("bot/listeners"))
    assert listeners
    found = [f"{path.relative_to(ROOT)}:{what}" for path in listeners for what in database_units(path)]
    assert found == [], "listeners call a flow; the flow owns the unit of work"


def test_flows_call_slack_only_from_their_notifiers() -> None:
    modules = [*python_files("bot/flows"), *python_files("bot/digests")]
    assert any(_is_notifier(path) for path in modules)
    found = [
        f"{path.relative_to(ROOT)}:{what}"
        for path in modules
        if not _is_notifier(path)
        for what in slack_calls(path)
    ]
    assert found == [], "outgoing Slack effects belong in the feature's *_notifier.py"


def test_the_role_rules_catch_a_violation(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text(
        "from bot.messaging import post_dm\n"
        "def f(services, client):\n"
        "    with services.db.session() as s:\n"
        "        client.chat_postMessage(channel='C', text='x')\n"
    )
    assert [line.split()[1] for line in slack_calls(module)] == ["imports", "calls"]
    assert list(database_units(module)) == ["3 uses db.session"]
