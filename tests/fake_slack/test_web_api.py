"""The fake's Web API through slack-sdk's real WebClient: happy paths and Slack's error names."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.manifest import build_manifest
from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN, FakeSlack
from tests.fake_slack.conftest import ALICE, BOB, ManualClock, button, section

# slack-sdk warns (client side) when text is missing; some tests omit it on purpose to see the fake refuse.
omits_text = pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")


def error_of(call: Any) -> str:
    with pytest.raises(SlackApiError) as raised:
        call()
    return raised.value.response["error"]


# ---------------------------------------------------------------------------------------------- auth


def test_auth_test_describes_the_bot(client: WebClient) -> None:
    answer = client.auth_test()
    assert answer["team_id"] == "T0EXAMPLE"
    assert (answer["user_id"], answer["bot_id"]) == ("U0BOT", "B0BOT")
    assert answer["url"] == "https://example.slack.com/"


def test_tokens_are_checked(slack: FakeSlack) -> None:
    assert error_of(WebClient(base_url=slack.api_url, token="xoxb-nope").auth_test) == "invalid_auth"
    assert error_of(WebClient(base_url=slack.api_url).auth_test) == "not_authed"
    slack.revoke_token(DEFAULT_BOT_TOKEN)
    assert error_of(WebClient(base_url=slack.api_url, token=DEFAULT_BOT_TOKEN).auth_test) == "token_revoked"


def test_each_team_has_its_own_token_and_bot(slack: FakeSlack) -> None:
    slack.add_team("T0ACME", bot_token="xoxb-acme")
    slack.add_user("U0CAROL", team_id="T0ACME")
    acme = WebClient(base_url=slack.api_url, token="xoxb-acme")
    assert acme.auth_test()["user_id"] == "U0ACMEBOT"
    assert acme.users_info(user="U0CAROL")["user"]["team_id"] == "T0ACME"
    assert error_of(lambda: acme.users_info(user=ALICE)) == "user_not_found"  # another workspace's member


def test_missing_scope_names_the_scope(slack: FakeSlack) -> None:
    slack.add_team("T0SMALL", bot_token="xoxb-small", scopes={"commands"})
    with pytest.raises(SlackApiError) as raised:
        WebClient(base_url=slack.api_url, token="xoxb-small").chat_postMessage(channel="C1", text="hi")
    assert raised.value.response["error"] == "missing_scope"
    assert raised.value.response["needed"] == "chat:write"


# ---------------------------------------------------------------------------------------------- users


def test_users_info_has_time_zone_fields_from_zoneinfo(client: WebClient, wall: ManualClock) -> None:
    alice = client.users_info(user=ALICE)["user"]
    assert (alice["tz"], alice["tz_label"], alice["tz_offset"]) == ("Europe/London", "Greenwich Mean Time", 0)
    bob = client.users_info(user=BOB)["user"]
    assert (bob["tz"], bob["tz_label"], bob["tz_offset"]) == (
        "America/Los_Angeles",
        "Pacific Standard Time",
        -28800,
    )
    wall.advance(180 * 86_400)  # summer: the offset changes silently, the IANA name does not
    alice = client.users_info(user=ALICE)["user"]
    assert (alice["tz"], alice["tz_label"], alice["tz_offset"]) == (
        "Europe/London",
        "British Summer Time",
        3600,
    )


def test_users_info_is_a_realistic_user_object(client: WebClient) -> None:
    bob = client.users_info(user=BOB, include_locale=True)["user"]
    assert bob["is_admin"] is True and bob["is_owner"] is False and bob["is_bot"] is False
    assert bob["real_name"] == "Bob Baker" and bob["name"] == "bob"
    assert bob["profile"]["display_name"] == "bob"
    assert bob["profile"]["email"] == "bob@example.example"
    assert bob["locale"] == "en-GB"  # only when asked: Slack adds it for include_locale
    assert "locale" not in client.users_info(user=BOB)["user"]
    assert client.users_info(user="U0BOT")["user"]["is_bot"] is True


def test_users_info_errors(client: WebClient, slack: FakeSlack) -> None:
    assert error_of(lambda: client.users_info(user="U0NOBODY")) == "user_not_found"
    with pytest.raises(ValueError, match="time zone"):
        slack.add_user("U0X", tz="Mars/Olympus")


def test_email_needs_the_email_scope(slack: FakeSlack) -> None:
    slack.add_team("T0NOMAIL", bot_token="xoxb-nomail", scopes={"users:read"})
    slack.add_user("U0DAN", team_id="T0NOMAIL", email="dan@x.example")
    profile = WebClient(base_url=slack.api_url, token="xoxb-nomail").users_info(user="U0DAN")["user"][
        "profile"
    ]
    assert "email" not in profile


# ---------------------------------------------------------------------------------------------- conversations


def test_conversations_open_gives_a_stable_dm(client: WebClient, slack: FakeSlack) -> None:
    first = client.conversations_open(users=ALICE)["channel"]["id"]
    assert (
        first
        == client.conversations_open(users=[ALICE])["channel"]["id"]
        == slack.dm_channel(ALICE)
        == "D0ALICE"
    )
    full = client.conversations_open(users=ALICE, return_im=True)["channel"]
    assert full["is_im"] is True and full["user"] == ALICE
    # A group DM needs mpim:write, which Parley's manifest does not ask for.
    with pytest.raises(SlackApiError) as refused:
        client.conversations_open(users=[ALICE, BOB])
    answer = refused.value.response
    assert (answer["error"], answer["needed"]) == ("missing_scope", "mpim:write")


def test_conversations_open_gives_a_stable_group_dm_to_an_app_with_mpim_write() -> None:
    manifest = build_manifest()
    manifest["oauth_config"]["scopes"]["bot"].append("mpim:write")
    with FakeSlack(manifest=manifest) as slack:
        slack.add_user(ALICE)
        slack.add_user(BOB)
        client = WebClient(base_url=slack.api_url, token=DEFAULT_BOT_TOKEN)
        group = client.conversations_open(users=[ALICE, BOB])["channel"]["id"]
        again = client.conversations_open(users=[BOB, ALICE])["channel"]["id"]
        assert group.startswith("G") and group == again
        nine = [f"U{i}" for i in range(9)]
        assert error_of(lambda: client.conversations_open(users=nine)) == "too_many_users"


def test_conversations_open_errors(client: WebClient, slack: FakeSlack) -> None:
    assert error_of(lambda: client.conversations_open(users="U0NOBODY")) == "user_not_found"
    slack.add_user("U0GONE", real_name="Gone")
    assert client.conversations_open(users="U0GONE")["ok"]
    slack.deactivate_user("U0GONE")
    assert error_of(lambda: client.conversations_open(users="U0GONE")) == "user_disabled"
    assert error_of(lambda: client.conversations_open(users="")) == "users_list_not_supplied"
    assert error_of(lambda: client.conversations_open(channel="D0NOWHERE")) == "channel_not_found"
    assert error_of(lambda: client.conversations_open(users="U0BOT")) == "cannot_dm_bot"


# ---------------------------------------------------------------------------------------------- chat


def test_post_message_stores_it_with_a_slack_ts(client: WebClient, slack: FakeSlack) -> None:
    answer = client.chat_postMessage(channel="D0ALICE", text="Your plan", blocks=[section("*plan*")])
    assert answer["channel"] == "D0ALICE"
    seconds, micros = answer["ts"].split(".")
    assert len(seconds) == 10 and len(micros) == 6
    stored = slack.last_message("D0ALICE")
    assert stored is not None
    assert stored["text"] == "Your plan" and stored["user"] == "U0BOT" and stored["bot_id"] == "B0BOT"
    assert stored["blocks"][0]["block_id"]  # Slack fills in missing block ids
    assert stored == answer["message"]


def test_timestamps_are_unique_and_increasing(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel=ALICE, text=str(i))["ts"] for i in range(5)]
    assert stamps == sorted(stamps) and len(set(stamps)) == 5  # the wall clock is frozen in these tests


def test_posting_to_a_user_id_lands_in_their_dm(client: WebClient, slack: FakeSlack) -> None:
    assert client.chat_postMessage(channel=ALICE, text="hi")["channel"] == "D0ALICE"
    assert [m["text"] for m in slack.messages(ALICE)] == ["hi"]


def test_thread_replies(client: WebClient, slack: FakeSlack) -> None:
    parent = client.chat_postMessage(channel=ALICE, text="parent")["ts"]
    reply = client.chat_postMessage(channel=ALICE, text="reply", thread_ts=parent)["message"]
    assert reply["thread_ts"] == parent
    assert [m["text"] for m in slack.thread(ALICE, parent)] == ["reply"]
    assert slack.messages(ALICE)[0]["reply_count"] == 1


@omits_text
def test_post_message_errors(client: WebClient, slack: FakeSlack) -> None:
    assert error_of(lambda: client.chat_postMessage(channel="C0NOWHERE", text="x")) == "channel_not_found"
    assert error_of(lambda: client.chat_postMessage(channel="", text="x")) == "channel_not_found"
    assert error_of(lambda: client.chat_postMessage(channel=ALICE)) == "no_text"
    assert error_of(lambda: client.api_call("chat.postMessage", data={"channel": ALICE, "blocks": "[{"})) == (
        "invalid_blocks_format"
    )
    slack.add_channel("C0PRIVATE", bot_member=False)
    assert error_of(lambda: client.chat_postMessage(channel="C0PRIVATE", text="x")) == "not_in_channel"


@omits_text
@pytest.mark.parametrize(
    ("blocks", "text", "pointer"),
    [
        ([section()] * 51, "t", "/blocks"),
        ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}], "t", "/blocks/0/text/text"),
        (
            [{"type": "actions", "elements": [button("a"), button("a")]}],
            "t",
            "/blocks/0/elements/1/action_id",
        ),
        (
            [
                {"type": "section", "fields": [{"type": "mrkdwn", "text": "x"}]},
                {"type": "header", "text": {"type": "mrkdwn", "text": "x"}},
            ],
            "t",
            "/blocks/1/text/type",
        ),
        ([section()], None, "/text"),
    ],
    ids=[
        "over-50-blocks",
        "header-too-long",
        "duplicate-action-id",
        "mrkdwn-in-plain-text",
        "no-fallback-text",
    ],
)
def test_invalid_blocks_are_rejected_like_slack(
    client: WebClient, blocks: Any, text: Any, pointer: str
) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel=ALICE, text=text, blocks=blocks)
    response = raised.value.response
    assert response["error"] == "invalid_blocks"
    messages = response["response_metadata"]["messages"]
    assert messages and all(m.startswith("[ERROR] ") for m in messages)
    assert any(f"[json-pointer:{pointer}]" in m for m in messages), messages
    assert response["errors"] == [m.removeprefix("[ERROR] ") for m in messages]


def test_too_much_block_text_is_msg_blocks_too_long(client: WebClient) -> None:
    blocks = [section("x" * 2_900, block_id=f"b{i}") for i in range(5)]
    assert (
        error_of(lambda: client.chat_postMessage(channel=ALICE, text="t", blocks=blocks))
        == "msg_blocks_too_long"
    )


def test_chat_update(client: WebClient, slack: FakeSlack) -> None:
    ts = client.chat_postMessage(channel=ALICE, text="pending", blocks=[section("pending")])["ts"]
    answer = client.chat_update(channel="D0ALICE", ts=ts, text="approved")
    assert answer["ts"] == ts and answer["text"] == "approved"
    stored = slack.last_message(ALICE)
    assert stored is not None and stored["text"] == "approved" and stored["edited"]["user"] == "U0BOT"
    assert stored["blocks"][0]["text"]["text"] == "pending"  # omitted blocks are kept, as in Slack
    client.chat_update(channel="D0ALICE", ts=ts, text="approved", blocks=[section("done")])
    assert slack.messages(ALICE)[0]["blocks"][0]["text"]["text"] == "done"


@omits_text
def test_chat_update_errors(client: WebClient) -> None:
    ts = client.chat_postMessage(channel=ALICE, text="x")["ts"]
    assert (
        error_of(lambda: client.chat_update(channel="D0ALICE", ts="1.000001", text="y"))
        == "message_not_found"
    )
    assert error_of(lambda: client.chat_update(channel="C0NOWHERE", ts=ts, text="y")) == "channel_not_found"
    assert (
        error_of(lambda: client.chat_update(channel="D0ALICE", ts=ts, blocks=[section()])) == "invalid_blocks"
    )


def test_chat_delete(client: WebClient, slack: FakeSlack) -> None:
    ts = client.chat_postMessage(channel=ALICE, text="x")["ts"]
    assert client.chat_delete(channel="D0ALICE", ts=ts)["ts"] == ts
    assert slack.messages(ALICE) == []
    assert error_of(lambda: client.chat_delete(channel="D0ALICE", ts=ts)) == "message_not_found"


@omits_text
def test_post_ephemeral(client: WebClient, slack: FakeSlack) -> None:
    slack.add_channel("C0DEALS", name="deals", members={ALICE})
    answer = client.chat_postEphemeral(channel="C0DEALS", user=ALICE, text="only you")
    [ephemeral] = slack.ephemerals("C0DEALS", ALICE)
    assert ephemeral["text"] == "only you" and ephemeral["ts"] == answer["message_ts"]
    assert slack.messages("C0DEALS") == [] and slack.ephemerals(user=BOB) == []
    assert (
        error_of(lambda: client.chat_postEphemeral(channel="C0DEALS", user=BOB, text="x"))
        == "user_not_in_channel"
    )
    assert error_of(lambda: client.chat_postEphemeral(channel="C0DEALS", user="U0NOBODY", text="x")) == (
        "user_not_in_channel"
    )
    assert error_of(lambda: client.chat_postEphemeral(channel="C0NOWHERE", user=ALICE, text="x")) == (
        "channel_not_found"
    )
    assert error_of(lambda: client.chat_postEphemeral(channel="C0DEALS", user=ALICE, blocks=[section()])) == (
        "invalid_blocks"
    )


# ---------------------------------------------------------------------------------------------- files


def test_files_upload_v2_round_trip(client: WebClient, slack: FakeSlack) -> None:
    answer = client.files_upload_v2(
        channel="D0ALICE", content="deal,value\nacme,40000\n", filename="export.csv", title="Export"
    )
    assert answer["file"]["name"] == "export.csv" and answer["file"]["title"] == "Export"
    [upload] = slack.files()
    assert upload["content"] == b"deal,value\nacme,40000\n" and upload["channels"] == ["D0ALICE"]
    shared = slack.last_message(ALICE)
    assert shared is not None and shared["files"][0]["id"] == upload["id"]
    methods = [c.method for c in slack.calls]
    assert methods == ["files.getUploadURLExternal", "upload_url", "files.completeUploadExternal"]


def test_file_errors(client: WebClient) -> None:
    assert (
        error_of(lambda: client.files_getUploadURLExternal(filename="x.txt", length=0)) == "missing_argument"
    )
    not_uploaded = client.files_getUploadURLExternal(filename="x.txt", length=3)["file_id"]
    assert (
        error_of(lambda: client.files_completeUploadExternal(files=[{"id": not_uploaded}]))
        == "file_not_found"
    )
    assert error_of(lambda: client.files_completeUploadExternal(files=[{"id": "F0NOPE"}])) == "file_not_found"


def test_a_shared_upload_follows_slacks_channel_rules(client: WebClient, slack: FakeSlack) -> None:
    """A reply (thread_ts) goes to one channel; at most 100 channels; completing twice is refused."""

    def uploaded() -> str:
        answer = client.files_getUploadURLExternal(filename="a.zip", length=3)
        request = urllib.request.Request(answer["upload_url"], b"zip", method="POST")
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
        return str(answer["file_id"])

    file_id = uploaded()
    too_many = ",".join(f"C{i:04d}" for i in range(101))
    assert error_of(
        lambda: client.files_completeUploadExternal(files=[{"id": file_id}], channels=too_many)
    ) == ("invalid_arguments")
    two = "D0ALICE," + slack.dm_channel(BOB)
    assert (
        error_of(
            lambda: client.files_completeUploadExternal(
                files=[{"id": file_id}], channels=two, thread_ts="1.2"
            )
        )
        == "invalid_arguments"
    )
    assert client.files_completeUploadExternal(files=[{"id": file_id}], channel_id="D0ALICE")["ok"]
    assert (
        error_of(lambda: client.files_completeUploadExternal(files=[{"id": file_id}], channel_id="D0ALICE"))
        == "file_not_found"
    )


# ---------------------------------------------------------------------------------------------- response_url


def post_json(url: str, body: dict[str, Any]) -> tuple[int, str]:
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_response_url_posts_ephemeral_then_in_channel(slack: FakeSlack, clock: ManualClock) -> None:
    url = slack.issue_response_url("D0ALICE", ALICE)
    assert post_json(url, {"text": "just you"}) == (200, "ok")
    assert post_json(url, {"text": "everyone", "response_type": "in_channel"}) == (200, "ok")
    assert [e["text"] for e in slack.ephemerals(ALICE)] == ["just you"]
    assert [m["text"] for m in slack.messages(ALICE)] == ["everyone"]
    assert post_json(url, {"blocks": [section()]}) == (400, "invalid_blocks")
    for _ in range(2):
        post_json(url, {"text": "again"})
    assert post_json(url, {"text": "sixth"}) == (404, "used_url")
    fresh = slack.issue_response_url("D0ALICE", ALICE)
    clock.advance(30 * 60 + 1)
    assert post_json(fresh, {"text": "late"}) == (404, "expired_url")
    assert slack.calls_to("response_url")[0].args["text"] == "just you"


def test_response_url_replaces_and_deletes_the_original(client: WebClient, slack: FakeSlack) -> None:
    ts = client.chat_postMessage(channel=ALICE, text="Approve?", blocks=[section("Approve?")])["ts"]
    url = slack.issue_response_url("D0ALICE", ALICE, message_ts=ts)
    assert post_json(url, {"text": "Approved", "replace_original": True})[0] == 200
    message = slack.last_message(ALICE)
    assert message is not None and message["text"] == "Approved" and "blocks" not in message
    assert post_json(url, {"delete_original": True})[0] == 200
    assert slack.messages(ALICE) == []


def test_chat_update_only_changes_the_apps_own_messages(client: WebClient, slack: FakeSlack) -> None:
    """Slack: a bot token edits only its own app's messages (``cant_update_message`` otherwise)."""
    ts = client.chat_postMessage(channel=ALICE, text="mine")["ts"]
    channel_id = slack.dm_channel(ALICE)
    with slack._lock:  # a message the member typed in the DM: not the app's
        slack._ws.messages[channel_id].append(
            {"type": "message", "user": ALICE, "text": "typed by Alice", "ts": "1700000000.000001"}
        )
        slack._ws.messages[channel_id].append(
            {"type": "message", "user": "U0OTHERBOT", "bot_id": "B0OTHER", "app_id": "A0OTHER",
             "text": "another app", "ts": "1700000000.000002"}
        )  # fmt: skip
    for foreign in ("1700000000.000001", "1700000000.000002"):
        assert (
            error_of(lambda ts=foreign: client.chat_update(channel=channel_id, ts=ts, text="y"))
            == "cant_update_message"
        )
    assert [m["text"] for m in slack.messages(ALICE) if m["ts"] != ts] == ["typed by Alice", "another app"]
    assert client.chat_update(channel=channel_id, ts=ts, text="still mine")["ok"]
