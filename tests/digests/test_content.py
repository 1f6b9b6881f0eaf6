"""What the digests of the seeded week say, number by number, and that no name or item can inject."""
# ruff: noqa: E501  (expected digest lines are long; they read better whole)

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from bot.digests.build import ChartFile, DigestKind, PreparedDigest, build_workspace_digests, render_digest
from bot.testkit.blockkit import validate_message
from coaching.digests import tip_of_the_week
from coaching.playbook import load_default
from coaching.styles import Style
from storage.db import Database
from storage.models import Workspace
from templates import Message
from templates.escape import GUARD
from tests.digests.seeding import MONDAY, NOW, Seeded, negotiation, set_member, utc

PLAYBOOK = load_default()
AFTERNOON = NOW + timedelta(hours=5)  # Monday 14:30 UTC: everyone's Monday 09:00 has passed
LIVE = re.compile(r"<(?:[!@#]|[A-Za-z][A-Za-z0-9+.\-]*:)[^>]*>?")


def built(
    db: Database, workspace_id: int, at: Any = AFTERNOON
) -> dict[tuple[str, DigestKind], PreparedDigest]:
    with db.session() as session:
        workspace = session.get(Workspace, workspace_id)
        assert workspace is not None
        digests = build_workspace_digests(session, workspace, now=at, playbook=PLAYBOOK)
    return {(p.recipient.target, p.recipient.kind): p for p in digests}


def lines(message: Message) -> list[str]:
    """The message as a reader sees it: one entry per text block or context element (without the
    invisible zero-width guards escaping puts around user text, see templates/escape.py)."""
    found: list[str] = []
    for block in message.blocks:
        if isinstance(block.get("text"), dict):
            found.append(block["text"]["text"])
        for element in block.get("elements", []):
            if element.get("type") in ("mrkdwn", "plain_text"):
                found.append(element["text"])
            elif element.get("type") == "button":
                found.append("[" + element["text"]["text"] + "]")
        if block["type"] == "image":
            found.append(f"<image {block['slack_file']['id']}>")
    return [text.replace(GUARD, "") for text in found]


def test_the_learner_digest_of_the_seeded_week(world: Any, seeded: Seeded) -> None:
    alice = render_digest(built(world.db, seeded.workspace_id)[("U0ALICE", DigestKind.LEARNER)])
    assert validate_message(alice.blocks, alice.text) == []
    assert alice.text == (
        "Your week in negotiations (Mon 16 Nov – Sun 22 Nov 2026): 2 negotiations (1 agreed); conceded "
        "6,100 USD, received 10,200 USD, 1.7×; 2 giveaways; 3,900 USD left behind."
    )
    assert lines(alice) == [
        "Your week in negotiations",
        ":date: Mon 16 Nov – Sun 22 Nov 2026",
        "*2 negotiations (1 agreed); conceded 6,100 USD, received 10,200 USD, 1.7×; 2 giveaways; "
        "3,900 USD left behind.*",
        ":handshake: *Negotiations:* 2 negotiations: 1 agreed, 1 no deal",
        ":scales: *Give / get*\n• USD: gave 6,100 USD, got 10,200 USD (1.7×), difference +4,100 USD",
        ":gift: *Giveaways:* 2 giveaways worth 3,300 USD\n"
        "Most expensive giveaway: “Discount 5%” (3,000 USD), with nothing in return.",
        ":money_with_wings: *Money left behind:* 3,900 USD\n_Money left behind is the giveaways plus what "
        "trades cost beyond what came back, so it is more than the giveaways alone._\n:rotating_light: You went "
        "past a limit from your prep once.",
        ":information_source: Based on only 2 negotiations: read it as a snapshot, not a trend yet.",
        ":spiral_calendar_pad: *Commitments:* 1 kept, 1 lapsed\nComing up:\n• Confirm the VPs — Wed 25 Nov 2026",
        ":chart_with_upwards_trend: *Against your previous weeks* (USD)\n"
        "`▁▁▁▅█` *Negotiations:* up 700 % on the 4-week average (0 → 2)\n"
        "`▁▁▁▅█` *Giveaways:* up 700 % on the 4-week average (0 → 2) :small_red_triangle:\n"
        "`▁▁▁▁█` *Money left behind:* up 15500 % on the 4-week average (25 USD → 3,900 USD) :small_red_triangle:\n"
        "`▁▁▁▁█` *Give/get difference:* up 16500 % on the 4-week average (-25 USD → 4,100 USD) :white_check_mark:",
        f":bulb: *Tip for 🐬 Diplomat:* {tip_of_the_week(Style.DIPLOMAT, MONDAY, PLAYBOOK)}",
        "[Prep your next negotiation]",
        "`/negotiate digest weekly`, `fortnightly` or `off` sets how often you get this; "
        "`/negotiate digest quiet skip` skips quiet weeks.",
    ]


def test_the_manager_digest_of_the_seeded_week(world: Any, seeded: Seeded) -> None:
    digest = built(world.db, seeded.workspace_id)[("U0BOB", DigestKind.MANAGER)]
    assert digest.chart is not None
    assert digest.chart.conceded[-1] == 710000 and digest.chart.received[-1] == 1170000
    assert digest.chart.left_behind[-2:] == (10000, 390000) and len(digest.chart.week_starts) == 12
    bob = render_digest(digest, ChartFile("F0CHART01", "the chart"))
    assert validate_message(bob.blocks, bob.text) == []
    text = lines(bob)
    assert text[:4] == [
        "Team of Bob Manager: the week",
        ":date: Mon 16 Nov – Sun 22 Nov 2026",
        "*2 reports, 2 active: 3 negotiations: 2 agreed, 1 no deal.*",
        ":scales: *Team give / get*\n• USD: gave 7,100 USD, got 11,700 USD (1.6×), difference +4,600 USD",
    ]
    assert text[4] == (
        ":gift: *Giveaways:* 2 giveaways worth 3,300 USD · :money_with_wings: *Left behind:* 3,900 USD · "
        ":spiral_calendar_pad: *Commitments:* 1 kept, 1 lapsed; 2 overdue now\n"
        "_Money left behind is the giveaways plus what trades cost beyond what came back, so it is more than "
        "the giveaways alone._"
    )
    assert text[5].splitlines() == [
        "```Member             Deals  Get/give Giveaways Left behind  Kept/lapsed",
        "Alice Example      1/2    1.7×     2         3.9k USD     1/1",
        "Carol Closer       1/1    1.5×     0         —            0/0```",
    ]
    assert text[6].splitlines() == [
        ":eyes: *Needs your attention*",
        "• <@U0ALICE>: conceded past a prep limit 1 time",
        "• <@U0ALICE>: 1 commitment lapsed",
        "• <@U0ALICE>: 2 giveaways worth 3,300 USD: concessions with nothing in return",
        "• <@U0ALICE>: trade request “Extra coaching session for Half a day in the planning seat” has waited "
        "35 hours for a decision",
    ]
    assert text[7] == (
        ":hourglass_flowing_sand: *Trade requests waiting for a decision*\n"
        "• <@U0ALICE>: Extra coaching session for Half a day in the planning seat — waiting 35 hours"
    )
    assert text[8] == (
        ":alarm_clock: *Overdue commitments*\n• <@U0ALICE>: Share the deck — due Mon 16 Nov 2026\n"
        "• <@U0ALICE>: Book the room — due Fri 20 Nov 2026"
    )
    assert text[9] == (
        ":mute: *Not answering reminders:* 1 report with 1 overdue commitment and 2 unanswered nudges "
        "between them (<@U0ALICE>). A private word works better than a reminder in a channel."
    )
    assert text[10].splitlines()[1:] == [
        "`▁▁▁▃█` *Negotiations:* up 1100 % on the 4-week average (0 → 3)",
        "`▁▁▁▅█` *Giveaways:* up 700 % on the 4-week average (0 → 2) :small_red_triangle:",
        "`▁▁▁▁█` *Money left behind:* up 15500 % on the 4-week average (25 USD → 3,900 USD) :small_red_triangle:",
        "`▁▁▁▁█` *Give/get difference:* up 18500 % on the 4-week average (-25 USD → 4,600 USD) :white_check_mark:",
    ]
    assert text[11] == "<image F0CHART01>"


def test_the_organisation_roll_up_names_teams_and_groups_never_people(world: Any, seeded: Seeded) -> None:
    digest = built(world.db, seeded.workspace_id)[("U0BOB", DigestKind.ORGANISATION)]
    org = render_digest(digest, ChartFile("F0CHART02", "the chart"))
    assert validate_message(org.blocks, org.text) == []
    everything = "\n".join(lines(org))
    assert "Alice" not in everything and "Carol" not in everything and "<@" not in everything
    assert org.text.startswith(
        "Example Org: where the organisation left money behind (Mon 16 Nov – Sun 22 Nov"
    )
    assert "*3 negotiations: 2 agreed, 1 no deal; 3,900 USD left behind.*" in everything
    assert "1 person has overdue commitments with unanswered reminders" in everything
    # every group is under the playbook's minimum of 3 negotiations or members: labels only, no numbers
    assert "Diplomat with customer" not in everything and "Free coaching" not in everything
    assert "Team of Bob Manager    fewer than 3: not shown" in everything
    assert "• Supplier: fewer than 3: not shown (too few to show without pointing at someone)" in everything
    assert "• 🧭 No style yet: fewer than 3: not shown" in everything
    assert "fewer than 3 negotiations or members is not shown" in everything
    assert "<image F0CHART02>" in everything


def test_a_quiet_week_gets_a_short_useful_digest_never_an_empty_table(world: Any, seeded: Seeded) -> None:
    bob = render_digest(built(world.db, seeded.workspace_id)[("U0BOB", DigestKind.LEARNER)])
    text = lines(bob)
    assert text[2].startswith(
        ":zzz: *A quiet week:* no negotiations, concessions or commitments were logged."
    )
    assert not any("Give / get" in line or "```" in line for line in text)
    assert any(line.startswith(":bulb: *Tip for 🧭 No style yet:*") for line in text)
    assert "[Prep your next negotiation]" in text
    assert len(bob.blocks) <= 10


def test_the_prep_button_opens_the_next_planned_negotiation(world: Any, seeded: Seeded) -> None:
    world.negotiation(seeded.alice, (NOW + timedelta(days=3)).date(), title="Q1 renewal")
    alice = render_digest(built(world.db, seeded.workspace_id)[("U0ALICE", DigestKind.LEARNER)])
    actions = next(b for b in alice.blocks if b["type"] == "actions")
    button = actions["elements"][0]
    assert button["action_id"] == "edit_prep" and button["text"]["text"] == "Prep: Q1 renewal"
    assert "Next up: Q1 renewal on Thu 26 Nov 2026." in lines(alice)


@pytest.mark.parametrize(
    "hostile",
    [
        "<!channel> `boss` ```",
        "<@U0BOB|admin> & <https://evil.example|click>",
        "*bold* _it_ ~x~ > quote\n\nbreak",
    ],
)
def test_names_and_items_cannot_inject_anything(world: Any, seeded: Seeded, hostile: str) -> None:
    set_member(world.db, seeded.alice, display_name=hostile)
    negotiation(world.db, seeded.workspace_id, seeded.alice, hostile, "customer", utc(2026, 11, 19, 9), "agreed", [
        {"kind": "conceded", "item": hostile, "value": 999_999},
        {"kind": "conceded", "item": hostile, "value": 1},
    ])  # fmt: skip
    world.commitment(seeded.alice, (NOW + timedelta(days=1)).date(), text=hostile)
    digests = built(world.db, seeded.workspace_id)
    for key in (
        ("U0ALICE", DigestKind.LEARNER),
        ("U0BOB", DigestKind.MANAGER),
        ("U0BOB", DigestKind.ORGANISATION),
    ):
        message = render_digest(digests[key], ChartFile("F0CHART03", hostile))
        assert validate_message(message.blocks, message.text) == [], key
        shown = "\n".join(lines(message)) + message.text
        tokens = [t for t in LIVE.findall(shown) if t not in ("<@U0ALICE>",) and not t.startswith("<image")]
        assert tokens == [], key
    manager = "\n".join(lines(render_digest(digests[("U0BOB", DigestKind.MANAGER)])))
    table = next(line for line in manager.split("```") if "Member " in line)
    assert "`" not in table and "\n\n" not in table  # a name can't close the fixed-width table
