"""The manifest is the contract: every event a listener handles is subscribed, every Web API method the
code calls has its scope, and no scope is asked for that nothing uses.

What the code uses is found twice over, so one blind spot cannot hide a gap:
- events: the real Bolt app's listeners are probed with every event type Slack could send, and the
  source is read for ``.event("…")`` registrations;
- methods: the source is read for slack-sdk ``WebClient`` method calls and Slack method names in strings
  (the delivery gateway names them), and every test's fake Slack fails the test on a ``missing_scope``
  answer even when the app swallowed the error (``tests/app/conftest.py``).
Scopes come from the fake's own table (``METHOD_SCOPES``, written from Slack's method reference).
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient

from bot.manifest import EVENT_USES, SCOPE_USES, build_manifest
from bot.testkit.fake_slack.scopes import (
    EMAIL_SCOPE,
    EVENT_SCOPES,
    MESSAGE_SUBSCRIPTIONS,
    METHOD_SCOPES,
    ByConversation,
)
from tests.app.conftest import Parley

ROOT = Path(__file__).resolve().parents[2]
APPARATUS = ("bot/testkit", "bot/playground")  # not production: never installed in a workspace

# Every bot event type a listener could be written for (Slack's Events API list, the ones an app like
# Parley could plausibly handle); `message` is probed once per channel type.
PROBED_EVENTS = sorted(
    {
        *EVENT_SCOPES,
        "app_mention",
        "app_rate_limited",
        "channel_created",
        "channel_archive",
        "emoji_changed",
        "file_shared",
        "link_shared",
        "member_joined_channel",
        "member_left_channel",
        "reaction_added",
        "reaction_removed",
        "subteam_updated",
        "team_join",
        "user_change",
        "user_status_changed",
    }
    - {name for name in EVENT_SCOPES if name.startswith("message.")}
)

# slack-sdk helpers that call several methods.
COMPOSITE_CALLS: Mapping[str, tuple[str, ...]] = {
    "files_upload_v2": ("files.getUploadURLExternal", "files.completeUploadExternal"),
}


def production_files() -> Iterator[Path]:
    for path in sorted((ROOT / "bot").rglob("*.py")):
        if not path.relative_to(ROOT).as_posix().startswith(APPARATUS):
            yield path


def _web_client_methods() -> dict[str, str]:
    """``chat_postMessage`` -> ``chat.postMessage`` for every method slack-sdk's WebClient offers."""
    names: dict[str, str] = {}
    for attr in dir(WebClient):
        if not attr[:1].islower() or "_" not in attr or not callable(getattr(WebClient, attr)):
            continue
        if attr == "api_call":  # its method is a string argument, found as a constant
            continue
        family, _, rest = attr.partition("_")
        names[attr] = f"{family}.{rest.replace('_', '.')}"
    return names


def methods_called(files: Iterable[Path]) -> dict[str, set[str]]:
    """Slack Web API method -> the files that call it (WebClient calls, ``api_call`` and method names)."""
    client_methods = _web_client_methods()
    found: dict[str, set[str]] = {}
    for path in files:
        where = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: tuple[str, ...] = ()
            attr = (
                node.func.attr if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) else ""
            )
            if attr in COMPOSITE_CALLS:
                names = COMPOSITE_CALLS[attr]
            elif attr in client_methods:
                names = (client_methods[attr],)
            elif isinstance(node, ast.Constant) and node.value in METHOD_SCOPES:
                names = (str(node.value),)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "say":
                names = ("chat.postMessage",)
            for name in names:
                found.setdefault(name, set()).add(where)
    return found


def events_in_source(files: Iterable[Path]) -> set[str]:
    """Event types named in ``<app>.event("…")`` / ``.event({"type": "…"})`` registrations."""
    found: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr != "event" or not node.args:
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
            elif isinstance(arg, ast.Dict):
                for key, value in zip(arg.keys, arg.values, strict=True):
                    if (
                        isinstance(key, ast.Constant)
                        and key.value == "type"
                        and isinstance(value, ast.Constant)
                    ):
                        found.add(str(value.value))
    # "message" needs a message.<channel type> subscription: the probe of the real app finds which.
    return found - {"message"}


def events_handled(app: App) -> set[str]:
    """The subscriptions the app's listeners need, found by offering each listener every event."""
    handled: set[str] = set()
    probes: list[tuple[str, dict[str, Any]]] = [(name, {"type": name}) for name in PROBED_EVENTS]
    probes += [(sub, {"type": "message", "channel_type": ct}) for ct, sub in MESSAGE_SUBSCRIPTIONS.items()]
    for subscription, event in probes:
        body = {
            "type": "event_callback",
            "team_id": "T0EXAMPLE",
            "api_app_id": "A0EXAMPLE",
            "event": {**event, "user": "U0ALICE", "channel": "D0ALICE", "text": "hi", "ts": "1.000001"},
        }
        request = BoltRequest(body=body, mode="socket_mode")
        if any(listener.matches(req=request, resp=BoltResponse(status=200)) for listener in app._listeners):
            handled.add(subscription)
    return handled


def reads_profile_email(files: Iterable[Path]) -> bool:
    """Whether any module reads ``"email"`` out of a Slack user profile (``.get("email")``/``["email"]``)."""
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            key: ast.AST | None = None
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
                key = node.args[0] if node.func.attr == "get" else None
            elif isinstance(node, ast.Subscript):
                key = node.slice
            if isinstance(key, ast.Constant) and key.value == "email":
                return True
    return False


def scope_of(method: str) -> str | None:
    """The bot scope a call needs; conversation methods act on DMs in Parley (its only conversations)."""
    scope = METHOD_SCOPES[method]
    return scope.im if isinstance(scope, ByConversation) else scope


def contract_problems(
    manifest: Mapping[str, Any], *, handled: set[str], called: Mapping[str, set[str]], reads_email: bool
) -> list[str]:
    """Every way ``manifest`` and what the code uses disagree; empty when they match."""
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    problems = [
        f"a listener handles {e!r} but the manifest does not subscribe to it"
        for e in sorted(handled - events)
    ]
    problems += [
        f"the manifest subscribes to {e!r} but no listener handles it" for e in sorted(events - handled)
    ]
    used: set[str] = set()
    for method, files in sorted(called.items()):
        if method not in METHOD_SCOPES:
            problems.append(f"{method} (in {sorted(files)}) has no scope in the fake's METHOD_SCOPES table")
            continue
        needed = scope_of(method)
        if needed is None:
            continue
        used.add(needed)
        if needed not in scopes:
            problems.append(f"{method} (in {sorted(files)}) needs {needed!r}, which the manifest lacks")
    for event in events:
        if (needed := EVENT_SCOPES.get(event)) is not None:
            used.add(needed)
            if needed not in scopes:
                problems.append(f"the {event!r} subscription needs {needed!r}, which the manifest lacks")
    if manifest["features"].get("slash_commands"):
        used.add("commands")
        if "commands" not in scopes:
            problems.append("the manifest has a slash command but not the 'commands' scope")
    if reads_email and {"users.info", "users.list"} & set(called):
        used.add(EMAIL_SCOPE)
        if EMAIL_SCOPE not in scopes:
            problems.append(f"the code reads profile emails, which need {EMAIL_SCOPE!r}")
    problems += [f"the manifest asks for {s!r}, which nothing uses" for s in sorted(scopes - used)]
    return problems


@pytest.fixture
def uses(parley: Parley) -> dict[str, Any]:
    files = list(production_files())
    return {
        "handled": events_handled(parley.app) | events_in_source(files),
        "called": methods_called(files),
        "reads_email": reads_profile_email(files),
    }


def test_the_manifest_matches_what_the_code_uses(uses: dict[str, Any]) -> None:
    assert contract_problems(build_manifest(), **uses) == []


def test_the_finders_see_what_parley_is_known_to_use(uses: dict[str, Any]) -> None:
    """If a finder went blind (a refactor hid the calls from it), the contract test would pass vacuously."""
    assert {"app_home_opened", "message.im", "app_uninstalled", "tokens_revoked"} <= uses["handled"]
    assert {
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.update",
        "conversations.open",
        "users.info",
        "views.open",
        "views.publish",
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    } <= set(uses["called"])
    assert uses["reads_email"] is True


def test_every_scope_and_event_says_which_feature_needs_it() -> None:
    manifest = build_manifest()
    assert manifest["oauth_config"]["scopes"]["bot"] == list(SCOPE_USES)
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == list(EVENT_USES)
    assert all(len(use) > 10 for use in [*SCOPE_USES.values(), *EVENT_USES.values()])


@pytest.mark.parametrize("scope", list(SCOPE_USES))
def test_removing_any_scope_breaks_the_contract(uses: dict[str, Any], scope: str) -> None:
    manifest = copy.deepcopy(build_manifest())
    manifest["oauth_config"]["scopes"]["bot"].remove(scope)
    problems = contract_problems(manifest, **uses)
    assert problems and all(repr(scope) in p for p in problems), problems


@pytest.mark.parametrize("event", list(EVENT_USES))
def test_removing_any_event_breaks_the_contract(uses: dict[str, Any], event: str) -> None:
    manifest = copy.deepcopy(build_manifest())
    manifest["settings"]["event_subscriptions"]["bot_events"].remove(event)
    problems = contract_problems(manifest, **uses)
    # im:history stays in use without message.im: exactly-once delivery reads a DM's history.
    assert problems == [f"a listener handles {event!r} but the manifest does not subscribe to it"]


def test_a_scope_nothing_uses_breaks_the_contract(uses: dict[str, Any]) -> None:
    manifest = copy.deepcopy(build_manifest())
    manifest["oauth_config"]["scopes"]["bot"].append("channels:read")
    assert contract_problems(manifest, **uses) == [
        "the manifest asks for 'channels:read', which nothing uses"
    ]


def test_a_method_without_its_scope_or_outside_the_table_breaks_the_contract(
    uses: dict[str, Any], tmp_path: Path
) -> None:
    module = tmp_path / "new_feature.py"
    module.write_text(
        "def f(client):\n    client.reactions_add(name='x')\n    client.admin_apps_approve(app_id='A')\n"
    )
    called = {**uses["called"], **methods_called([module])}
    problems = contract_problems(build_manifest(), **{**uses, "called": called})
    assert len(problems) == 2
    assert "reactions.add" in problems[1] and "'reactions:write', which the manifest lacks" in problems[1]
    assert "admin.apps.approve" in problems[0] and "no scope in the fake's METHOD_SCOPES" in problems[0]


def test_a_listener_for_an_unsubscribed_event_breaks_the_contract(
    parley: Parley, uses: dict[str, Any]
) -> None:
    parley.app.event("reaction_added")(lambda: None)
    handled = events_handled(parley.app)
    assert "reaction_added" in handled
    problems = contract_problems(build_manifest(), **{**uses, "handled": uses["handled"] | handled})
    assert problems == ["a listener handles 'reaction_added' but the manifest does not subscribe to it"]
