"""Enterprise Grid through the Slack app, on SQLite and PostgreSQL, against the strict fake Slack.

Parley installed org-wide (``is_enterprise_install``) through the real OAuth flow: one encrypted
installation serves every workspace of the org; the org's settings apply to each workspace unless
its admin set their own (workspace > org > default, and the screens say which); a manager in one
workspace of the org decides a report's trade from another; a member of another org or of a
workspace outside Grid is refused with a clear message and nothing changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt import BoltResponse
from slack_bolt.request import BoltRequest
from sqlalchemy import select, text

from bot.app import build_app
from bot.flows.team import import_team
from bot.installations import installation_store
from bot.playbook import in_force_over, playbook_of
from bot.services import Services
from bot.testkit import requests as slack_requests
from bot.testkit.fake_slack import FakeSlack
from bot.web import ParleyWSGI
from coaching.playbook import load_default
from storage.db import Database
from storage.models import AuditEvent, PlaybookVersion, TradeProposal
from storage.queries.workspaces import INHERITED_KEY, find_workspace
from templates.ids.settings import PlaybookBlock, SettingsAction, SettingsCallback
from templates.ids.trades import TradeAction
from tests.app.conftest import (
    CLIENT_ID,
    CLIENT_SECRET,
    SIGNING_SECRET,
    InlineExecutor,
    assert_no_missing_scope,
    make_oauth_settings,
    response_json,
    wsgi_request,
)
from tests.app.test_trade_kit import TERMS, is_request, text_of

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)

ORG, ORG_TOKEN = "E0ACME", "xoxb-org-acme"
ALPHA, BETA = "T0ALPHA", "T0BETA"  # two workspaces of the Acme org
OTHER_ORG, OTHER_TOKEN, GAMMA = "E0GLOBEX", "xoxb-org-globex", "T0GAMMA"  # another org
PLAIN, PLAIN_TOKEN = "T0PLAIN", "xoxb-plain"  # a workspace outside Grid

REPORT, MANAGER = "W0REPORT", "W0MANAGER"  # the report in Alpha, their manager in Beta
ORG_ADMIN, BETA_ADMIN = "W0ORGADMIN", "W0BETAADMIN"
INTRUDER, OUTSIDER = "W0INTRUDER", "U0OUTSIDER"  # in the other org; in the plain workspace
TEAM_OF = {
    REPORT: (ALPHA, ORG), MANAGER: (BETA, ORG), ORG_ADMIN: (ALPHA, ORG), BETA_ADMIN: (BETA, ORG),
    INTRUDER: (GAMMA, OTHER_ORG), OUTSIDER: (PLAIN, None),
}  # fmt: skip


@dataclass
class Grid:
    """The real app in OAuth mode and the fake Slack with two orgs and a plain workspace."""

    services: Services
    slack: FakeSlack
    wsgi: ParleyWSGI

    @property
    def app(self) -> Any:
        return self.wsgi.slack.app

    def send(self, request: slack_requests.SlackRequest) -> BoltResponse:
        return self.app.dispatch(BoltRequest(body=request.body, headers=request.headers(SIGNING_SECRET)))

    def _where(self, user_id: str) -> dict[str, Any]:
        team_id, enterprise_id = TEAM_OF[user_id]
        return {
            "team_id": team_id,
            "enterprise_id": enterprise_id,
            "is_enterprise_install": bool(enterprise_id),
        }

    def command(self, text: str, user_id: str) -> BoltResponse:
        channel = self.slack.dm_channel(user_id)
        return self.send(
            slack_requests.slash_command(
                user_id=user_id, channel_id=channel, text=text,
                trigger_id=self.slack.issue_trigger_id(user_id),
                response_url=self.slack.issue_response_url(channel, user_id), **self._where(user_id),
            )
        )  # fmt: skip

    def meet(self, user_id: str) -> None:
        """First contact through the app (a command that needs the member), its modal closed again."""
        assert self.command("settings", user_id).status == 200
        self.slack.clear_views(user_id)

    def open_view(self, user_id: str) -> dict[str, Any]:
        views = self.slack.open_views(user_id)
        assert views, f"no modal is open for {user_id}"
        return views[-1]

    def submit(self, values: dict[str, Any], user_id: str) -> BoltResponse:
        view = self.open_view(user_id)
        return self.send(
            slack_requests.view_submission(view, values, user_id=user_id, **self._where(user_id))
        )

    def click(
        self, action_id: str, user_id: str, *, message: dict[str, Any] | None = None,
        view: dict[str, Any] | None = None, block_id: str | None = None,
    ) -> BoltResponse:  # fmt: skip
        channel = self.slack.dm_channel(user_id) if message is not None else None
        return self.send(
            slack_requests.block_actions(
                user_id=user_id, trigger_id=self.slack.issue_trigger_id(user_id), action_id=action_id,
                block_id=block_id, message=message, channel_id=channel, view=view,
                response_url=self.slack.issue_response_url(channel, user_id) if channel else None,
                **self._where(user_id),
            )
        )  # fmt: skip

    def install(self, team_id: str, installer: str) -> tuple[str, str]:
        """The real OAuth flow: the install page, Slack's redirect with a code, the app's exchange."""
        status, headers, page = wsgi_request(self.wsgi, "/slack/install")
        assert status.startswith("200"), page
        state = re.search(r"state=([^&\"]+)", page)
        assert state is not None
        cookie = headers.get("set-cookie", "").split(";")[0]
        code = self.slack.issue_oauth_code(
            team_id, installer_id=installer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET
        )
        query = urlencode({"code": code, "state": state.group(1)})
        status, _, page = wsgi_request(self.wsgi, "/slack/oauth_redirect", query, cookie)
        return status, page

    def settings_of(self, team_id: str) -> dict[str, Any]:
        with self.services.db.session() as session:
            workspace = find_workspace(session, team_id)
            return dict(workspace.settings or {}) if workspace else {}


def said(grid: Grid, user_id: str) -> str:
    """Everything Parley answered the member ephemerally (through response_url or postEphemeral)."""
    parts = [str(e) for e in grid.slack.ephemerals(user=user_id)]
    parts += [str(call.args) for call in grid.slack.calls_to("response_url")]
    return " ".join(parts)


@pytest.fixture
def grid(db: Database) -> Iterator[Grid]:
    with FakeSlack(clock=lambda: 0.0) as slack:
        slack.add_org(ORG, bot_token=ORG_TOKEN, name="Acme", workspaces={ALPHA: "Alpha", BETA: "Beta"})
        slack.add_org(OTHER_ORG, bot_token=OTHER_TOKEN, name="Globex", workspaces={GAMMA: "Gamma"})
        slack.add_team(PLAIN, bot_token=PLAIN_TOKEN, name="Plain")
        slack.add_user(REPORT, real_name="Rita Report", team_id=ALPHA, tz="Europe/London")
        slack.add_user(MANAGER, real_name="Max Manager", team_id=BETA, tz="America/New_York")
        slack.add_user(ORG_ADMIN, real_name="Olga Orgadmin", team_id=ALPHA, is_admin=True, is_org_admin=True)
        slack.add_user(BETA_ADMIN, real_name="Bea Betaadmin", team_id=BETA, is_admin=True)
        slack.add_user(INTRUDER, real_name="Ian Intruder", team_id=GAMMA, is_admin=True, is_org_admin=True)
        slack.add_user(OUTSIDER, real_name="Otto Outsider", team_id=PLAIN, is_admin=True)
        settings = make_oauth_settings(db, slack)
        services = Services(settings=settings, db=db, clock=lambda: NOW)
        app = build_app(services, listener_executor=InlineExecutor())
        yield Grid(services, slack, ParleyWSGI(app, db))
        assert_no_missing_scope(slack)


@pytest.fixture
def installed(grid: Grid) -> Grid:
    for team_id, installer in ((ORG, ORG_ADMIN), (OTHER_ORG, INTRUDER), (PLAIN, OUTSIDER)):
        status, page = grid.install(team_id, installer)
        assert status.startswith("200"), page
    return grid


# --- the org-wide install ---------------------------------------------------------------------------


def test_an_org_wide_install_through_oauth_stores_one_encrypted_installation_for_the_org(grid: Grid) -> None:
    status, page = grid.install(ORG, ORG_ADMIN)
    assert status.startswith("200"), page
    exchange = grid.slack.calls_to("oauth.v2.access")[-1]
    assert exchange.response["team"] is None and exchange.response["is_enterprise_install"] is True
    assert exchange.response["enterprise"] == {"id": ORG, "name": "Acme"}
    store = installation_store(grid.services.settings, grid.services.db.engine)
    found = store.find_installation(enterprise_id=ORG, team_id=None, is_enterprise_install=True)
    assert found is not None and found.is_enterprise_install and found.team_id is None
    assert found.bot_token == ORG_TOKEN and found.user_id == ORG_ADMIN
    # One installation reaches both workspaces; no workspace-level one was made.
    assert store.find_bot(enterprise_id=ORG, team_id=ALPHA) is None
    with grid.services.db.engine.connect() as connection:
        stored = connection.execute(text("SELECT bot_token FROM slack_bots")).scalars().all()
    assert stored and all(token.startswith("gAAAAA") for token in stored)  # ciphertext at rest


def test_an_oauth_code_is_exchanged_once_and_a_replay_installs_nothing(grid: Grid) -> None:
    code = grid.slack.issue_oauth_code(
        ORG, installer_id=ORG_ADMIN, client_id=CLIENT_ID, client_secret=CLIENT_SECRET
    )
    first = grid.app.client.oauth_v2_access(code=code, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    assert first["is_enterprise_install"] is True
    status, _ = grid.install(ORG, ORG_ADMIN)  # a fresh code works
    assert status.startswith("200")
    replay = grid.slack.calls_to("oauth.v2.access")
    with pytest.raises(Exception, match="invalid_code"):
        grid.app.client.oauth_v2_access(code=code, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    assert len(grid.slack.calls_to("oauth.v2.access")) == len(replay) + 1


def test_a_command_in_a_workspace_of_the_org_is_authorised_with_the_org_installation(installed: Grid) -> None:
    installed.slack.reset_calls()  # the installs themselves called auth.test with each token
    body = response_json(installed.command("help", REPORT))
    assert body["response_type"] == "ephemeral" and "/negotiate help" in str(body)
    installed.meet(REPORT)
    tokens = {call.token for call in installed.slack.calls if call.method in ("auth.test", "users.info")}
    assert tokens == {ORG_TOKEN}
    with installed.services.db.session() as session:
        alpha = find_workspace(session, ALPHA)
        assert alpha is not None and alpha.enterprise_id == ORG


def test_a_workspace_of_an_org_that_did_not_install_parley_is_not_served(grid: Grid) -> None:
    grid.install(OTHER_ORG, INTRUDER)  # Globex installed; Acme did not
    response = grid.command("help", REPORT)
    assert "/negotiate help" not in response.body


def test_the_org_token_reaches_the_orgs_workspaces_and_nothing_else(installed: Grid) -> None:
    client = installed.app.client
    assert client.users_info(token=ORG_TOKEN, user=MANAGER)["user"]["enterprise_user"]["enterprise_id"] == ORG
    for user in (INTRUDER, OUTSIDER):
        with pytest.raises(Exception, match="user_not_found"):
            client.users_info(token=ORG_TOKEN, user=user)
    with pytest.raises(Exception, match="team_access_not_granted"):
        client.users_info(token=ORG_TOKEN, user=REPORT, team_id=GAMMA)
    with pytest.raises(Exception, match="channel_not_found"):
        client.chat_postMessage(token=ORG_TOKEN, channel=installed.slack.dm_channel(OUTSIDER), text="hi")


# --- settings: workspace > org > default ------------------------------------------------------------


def save_group(grid: Grid, user_id: str, command: str, group: str, values: dict[str, Any]) -> BoltResponse:
    grid.command(command, user_id)
    overview = grid.open_view(user_id)
    assert overview["callback_id"] == SettingsCallback.OVERVIEW
    grid.click(SettingsAction.EDIT, user_id, view=overview, block_id=f"settings_group_{group}")
    assert grid.open_view(user_id)["callback_id"] == SettingsCallback.GROUP
    return grid.submit(values, user_id)


def shown(grid: Grid, user_id: str, command: str = "settings") -> str:
    grid.command(command, user_id)
    return text_of(grid.open_view(user_id)).replace("\u200b", "")


def test_org_values_apply_to_every_workspace_and_a_workspace_override_wins(installed: Grid) -> None:
    grid = installed
    grid.meet(REPORT)  # Alpha and Beta are met before the org sets anything
    grid.meet(MANAGER)
    assert (
        save_group(grid, ORG_ADMIN, "settings org", "digests", {"setting_digest_time": "10:30"}).status == 200
    )
    assert grid.slack.open_views(ORG_ADMIN)[0]["title"]["text"] == "Org settings"
    assert "Digest time: *10:30* _(set for the org)_" in shown(grid, ORG_ADMIN, "settings org")
    assert "Digest time: *10:30* _(set for the org)_" in shown(grid, BETA_ADMIN)
    # Beta's admin overrides it for Beta only.
    assert save_group(grid, BETA_ADMIN, "settings", "digests", {"setting_digest_time": "08:00"}).status == 200
    assert "Digest time: *08:00* _(set for this workspace)_" in shown(grid, BETA_ADMIN)
    # The org changes its value: Alpha follows, Beta keeps its own.
    save_group(grid, ORG_ADMIN, "settings org", "digests", {"setting_digest_time": "11:00"})
    assert "Digest time: *11:00* _(set for the org)_" in shown(grid, ORG_ADMIN)
    assert "Digest time: *08:00* _(set for this workspace)_" in shown(grid, BETA_ADMIN)
    assert "Digest day: *Mon* _(default)_" in shown(grid, BETA_ADMIN)
    with grid.services.db.session() as session:
        alpha, beta = find_workspace(session, ALPHA), find_workspace(session, BETA)
        assert alpha is not None and beta is not None
        ids = alpha.id, beta.id
    # What the readers see: the policy in force in each workspace.
    assert playbook_of(grid.services, ids[0]).policy.digest_time.isoformat("minutes") == "11:00"
    assert playbook_of(grid.services, ids[1]).policy.digest_time.isoformat("minutes") == "08:00"
    assert grid.settings_of(ALPHA)[INHERITED_KEY] == ["digest_time"]
    assert (
        INHERITED_KEY not in grid.settings_of(BETA)
        or "digest_time" not in grid.settings_of(BETA)[INHERITED_KEY]
    )
    with grid.services.db.session() as session:
        trail = [
            (e.workspace_id, e.detail.get("after"), e.detail.get("scope"))
            for e in session.scalars(select(AuditEvent).where(AuditEvent.action == "settings.changed"))
        ]
    assert (ids[0], "11:00", "org") in trail and (ids[1], "08:00", "workspace") in trail


def test_a_workspace_admin_saving_the_orgs_value_unchanged_keeps_it_inherited(installed: Grid) -> None:
    """docs/admin.md: saving a value equal to the one in force changes nothing, so the org's later
    change still reaches the workspace."""
    grid = installed
    grid.meet(MANAGER)
    save_group(grid, ORG_ADMIN, "settings org", "digests", {"setting_digest_time": "10:30"})
    assert save_group(grid, BETA_ADMIN, "settings", "digests", {"setting_digest_time": "10:30"}).status == 200
    assert "digest_time" in grid.settings_of(BETA)[INHERITED_KEY]
    assert "Digest time: *10:30* _(set for the org)_" in shown(grid, BETA_ADMIN)
    save_group(grid, ORG_ADMIN, "settings org", "digests", {"setting_digest_time": "11:15"})
    assert "Digest time: *11:15* _(set for the org)_" in shown(grid, BETA_ADMIN)


def test_a_workspace_that_joins_later_starts_with_the_orgs_values(installed: Grid) -> None:
    save_group(installed, ORG_ADMIN, "settings org", "approvals", {"setting_default_currency": "EUR"})
    assert "Default currency: *EUR* _(set for the org)_" in shown(installed, BETA_ADMIN)


def test_only_org_admins_change_org_values_and_a_refusal_changes_nothing(installed: Grid) -> None:
    grid = installed
    grid.meet(BETA_ADMIN)
    before = grid.settings_of(BETA)
    grid.command("settings org", BETA_ADMIN)
    assert "Only admins and owners of your Enterprise Grid org" in said(grid, BETA_ADMIN)
    assert grid.slack.open_views(BETA_ADMIN) == []
    grid.command("settings org", OUTSIDER)
    assert "not part of an Enterprise Grid org" in said(grid, OUTSIDER)
    # A forged group submission claiming the org scope is refused under the field.
    grid.command("settings", BETA_ADMIN)
    overview = grid.open_view(BETA_ADMIN)
    grid.click(SettingsAction.EDIT, BETA_ADMIN, view=overview, block_id="settings_group_digests")
    group_view = grid.open_view(BETA_ADMIN)
    forged = {**group_view, "private_metadata": group_view["private_metadata"].replace("workspace", "org")}
    response = grid.send(
        slack_requests.view_submission(
            forged, {"setting_digest_time": "07:00"}, user_id=BETA_ADMIN, team_id=BETA, enterprise_id=ORG,
            is_enterprise_install=True,
        )
    )  # fmt: skip
    assert "Only admins and owners of your Enterprise Grid org" in response.body
    assert grid.settings_of(BETA) == before
    with grid.services.db.session() as session:
        assert find_workspace(session, ORG) is None  # no org values were stored


ACME_PLAYBOOK = """
name = "Acme standard"

[policy]
digest_time = "07:45"
"""
BETA_PLAYBOOK = """
name = "Beta's own"
"""


def paste_and_apply(grid: Grid, user_id: str, command: str, toml: str) -> None:
    grid.command(command, user_id)
    screen = grid.open_view(user_id)
    assert screen["callback_id"] == SettingsCallback.PLAYBOOK
    grid.click(SettingsAction.PLAYBOOK_PASTE, user_id, view=screen)
    body = response_json(grid.submit({PlaybookBlock.TEXT: toml}, user_id))
    assert body["response_action"] == "update", body
    grid.click(SettingsAction.PLAYBOOK_APPLY, user_id, view=body["view"])
    grid.slack.clear_views(user_id)


def playbook_screen(grid: Grid, user_id: str, command: str = "playbook") -> str:
    grid.command(command, user_id)
    return text_of(grid.open_view(user_id))


def test_the_orgs_playbook_is_in_force_where_a_workspace_has_none_of_its_own(installed: Grid) -> None:
    grid = installed
    grid.meet(REPORT)
    grid.meet(BETA_ADMIN)
    paste_and_apply(grid, ORG_ADMIN, "playbook org", ACME_PLAYBOOK)
    assert grid.slack.open_views(ORG_ADMIN) == []
    org_screen = playbook_screen(grid, ORG_ADMIN, "playbook org")
    assert "Org playbook" in str(grid.open_view(ORG_ADMIN)["title"]) and "Acme standard" in org_screen
    assert "Acme standard · version 1, set for the org" in playbook_screen(grid, BETA_ADMIN)
    with grid.services.db.session() as session:
        alpha, beta = find_workspace(session, ALPHA), find_workspace(session, BETA)
        assert alpha is not None and beta is not None
        ids = alpha.id, beta.id
    assert playbook_of(grid.services, ids[0]).name == "Acme standard"
    assert playbook_of(grid.services, ids[0]).policy.digest_time.isoformat("minutes") == "07:45"
    with grid.services.db.read() as session:  # what scheduled jobs read (nudges, reminders, timers)
        assert in_force_over(session, load_default(), ids[0]).name == "Acme standard"
    # Beta applies its own: it wins in Beta, Alpha keeps the org's.
    paste_and_apply(grid, BETA_ADMIN, "playbook", BETA_PLAYBOOK)
    assert "Beta's own · version 1" in playbook_screen(grid, BETA_ADMIN).replace("&#x27;", "'")
    assert playbook_of(grid.services, ids[1]).name == "Beta's own"
    assert playbook_of(grid.services, ids[0]).name == "Acme standard"


def test_only_org_admins_manage_the_orgs_playbook(installed: Grid) -> None:
    grid = installed
    grid.meet(BETA_ADMIN)
    grid.command("playbook org", BETA_ADMIN)
    assert "Only admins and owners of your Enterprise Grid org can change the org's playbook." in said(
        grid, BETA_ADMIN
    )
    assert grid.slack.open_views(BETA_ADMIN) == []
    grid.command("playbook org", OUTSIDER)
    assert "not part of an Enterprise Grid org: its playbook is managed with" in said(grid, OUTSIDER)
    # An org version's Apply button, replayed by a workspace admin who is not an org admin.
    grid.command("playbook org", ORG_ADMIN)
    grid.click(SettingsAction.PLAYBOOK_PASTE, ORG_ADMIN, view=grid.open_view(ORG_ADMIN))
    draft = response_json(grid.submit({PlaybookBlock.TEXT: ACME_PLAYBOOK}, ORG_ADMIN))["view"]
    grid.click(SettingsAction.PLAYBOOK_APPLY, BETA_ADMIN, view=draft)
    with grid.services.db.session() as session:
        statuses = list(session.scalars(select(PlaybookVersion.status)))
    assert statuses == ["draft"]


# --- approvals across the org's workspaces ----------------------------------------------------------


def propose(grid: Grid) -> TradeProposal:
    """Rita (Alpha) proposes a trade; her manager is Max, of Beta (set by the team import)."""
    grid.meet(REPORT)
    assert import_team(grid.services, ALPHA, f"{REPORT},{MANAGER}").ok
    grid.command("trade", REPORT)
    response = grid.submit(TERMS, REPORT)
    assert response.status == 200 and not response.body, response.body
    with grid.services.db.session() as session:
        trades = list(session.scalars(select(TradeProposal)))
        session.expunge_all()
    assert len(trades) == 1 and trades[0].status == "pending"
    return trades[0]


def request_in_dm(grid: Grid, user_id: str) -> dict[str, Any]:
    copies = [m for m in grid.slack.messages(grid.slack.dm_channel(user_id)) if is_request(m)]
    assert copies, f"{user_id} has no trade request"
    return copies[-1]


def status_of(grid: Grid, trade_id: int) -> str:
    with grid.services.db.session() as session:
        trade = session.get(TradeProposal, trade_id)
        assert trade is not None
        return trade.status


def test_a_manager_in_another_workspace_of_the_org_approves_a_reports_trade(installed: Grid) -> None:
    trade = propose(installed)
    request = request_in_dm(installed, MANAGER)  # delivered through the org token to Beta's member
    response = installed.click(TradeAction.APPROVE, MANAGER, message=request)
    assert response.status == 200
    assert status_of(installed, trade.id) == "approved"
    with installed.services.db.session() as session:
        decided = session.get(TradeProposal, trade.id)
        assert decided is not None and decided.workspace_id == trade.workspace_id  # stays Alpha's
        events = [
            e.action for e in session.scalars(select(AuditEvent).where(AuditEvent.subject_id == trade.id))
        ]
    assert "trade.approved" in events
    notes = " ".join(text_of(m) for m in installed.slack.messages(installed.slack.dm_channel(REPORT)))
    assert "approved" in notes.lower()


@pytest.mark.parametrize("outsider", [INTRUDER, OUTSIDER, BETA_ADMIN])
def test_nobody_outside_the_decision_can_approve_across_workspaces_and_nothing_changes(
    installed: Grid, outsider: str
) -> None:
    trade = propose(installed)
    request = request_in_dm(installed, MANAGER)
    installed.meet(outsider)  # a known member of their own workspace
    with installed.services.db.session() as session:
        audit_before = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    response = installed.click(TradeAction.APPROVE, outsider, message=request)  # the button value, replayed
    assert response.status == 200
    assert "not yours to decide" in said(installed, outsider).lower()
    assert status_of(installed, trade.id) == "pending"
    with installed.services.db.session() as session:
        latest = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    assert latest == audit_before  # nothing recorded either


# --- leaving the org ---------------------------------------------------------------------------------


def test_uninstalling_the_org_wide_install_forgets_its_token_and_every_workspace_of_the_org(
    installed: Grid,
) -> None:
    installed.meet(REPORT)
    installed.meet(MANAGER)
    installed.meet(OUTSIDER)
    event = slack_requests.app_uninstalled(
        team_id=ALPHA, enterprise_id=ORG, is_enterprise_install=True, bot_user_id="W0ACMEBOT"
    )
    assert installed.send(event).status == 200
    store = installation_store(installed.services.settings, installed.services.db.engine)
    assert store.find_bot(enterprise_id=ORG, team_id=None, is_enterprise_install=True) is None
    assert store.find_bot(enterprise_id=None, team_id=PLAIN) is not None  # another tenant's stays
    with installed.services.db.session() as session:
        gone = {team: find_workspace(session, team) for team in (ALPHA, BETA, PLAIN)}
        assert gone[ALPHA] is not None and gone[ALPHA].uninstalled_at is not None
        assert gone[BETA] is not None and gone[BETA].uninstalled_at is not None
        assert gone[PLAIN] is not None and gone[PLAIN].uninstalled_at is None
    assert "/negotiate help" not in installed.command("help", MANAGER).body


def test_a_revoked_org_bot_token_is_forgotten(installed: Grid) -> None:
    event = slack_requests.tokens_revoked(
        bot_user_ids=["W0ACMEBOT"], team_id=BETA, enterprise_id=ORG, is_enterprise_install=True
    )
    assert installed.send(event).status == 200
    store = installation_store(installed.services.settings, installed.services.db.engine)
    assert store.find_bot(enterprise_id=ORG, team_id=None, is_enterprise_install=True) is None
    assert store.find_bot(enterprise_id=OTHER_ORG, team_id=None, is_enterprise_install=True) is not None
