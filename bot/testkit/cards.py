"""The state-consistency check for tests: every message that shows an entity shows its current state.

After a transition (a click, a modal, a tick that expires or escalates, a lapse, a debrief logged) a
test delivers the outbox and calls :func:`assert_cards_current`. It checks, against the fake Slack as
it holds the messages now:

* every message recorded with the entity (``message_refs``) is what rendering that view from the
  entity's current state gives now (text and blocks; Slack's generated block ids aside), so no copy is
  left showing an older state or its buttons;
* no other message in the workspace carries a button or menu naming the entity (an unrecorded copy
  would never be updated);
* optionally, the interactive elements each view shows are exactly the ones expected.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import select

from bot.delivery.cards import render_card
from bot.delivery.kinds import DeliveryContext
from bot.playbook import current_playbook
from bot.services import Services
from bot.testkit.fake_slack import FakeSlack
from storage.models import MessageRef

ENTITY_KEYS: Final = {"trade": "trade_id", "commitment": "commitment_id", "negotiation": "negotiation_id"}
"""The key a button's JSON value names each kind of entity by."""


@dataclass(frozen=True, slots=True)
class Card:
    """One recorded message as the fake Slack holds it now."""

    view: str
    viewer: str
    channel: str
    ts: str
    message: dict[str, Any]

    @property
    def actions(self) -> list[str]:
        """The action ids of its interactive elements (buttons, menus), in order."""
        return interactive(self.message)


def interactive(message: Mapping[str, Any]) -> list[str]:
    found: list[str] = []
    for block in message.get("blocks") or []:
        elements = block.get("elements", []) if block.get("type") == "actions" else []
        accessory = block.get("accessory")
        for element in [*elements, *([accessory] if isinstance(accessory, dict) else [])]:
            if element.get("action_id") and element.get("type") != "overflow_link":
                found.append(str(element["action_id"]))
    return found


def _without_block_ids(blocks: Any) -> Any:
    """Blocks as the app sent them: Slack fills in a ``block_id`` where the app gave none."""
    return [{k: v for k, v in block.items() if k != "block_id"} for block in blocks or []]


STATE_FREE_ACTIONS: Final = frozenset({"commitment_add", "commitment_new", "commitment_settings"})
"""Buttons that stay valid whatever the entity's state (add a commitment to a negotiation, even a
debriefed one; nudge settings): a message carrying only these need not be recorded."""


def _names(message: Mapping[str, Any], key: str, entity_id: int) -> bool:
    """Whether a state-changing element of ``message`` carries a value naming the entity."""
    for block in message.get("blocks") or []:
        elements = list(block.get("elements", [])) if block.get("type") == "actions" else []
        if isinstance(block.get("accessory"), dict):
            elements.append(block["accessory"])
        for element in elements:
            if element.get("action_id") in STATE_FREE_ACTIONS:
                continue
            values = [element.get("value")] + [o.get("value") for o in element.get("options", [])]
            for value in values:
                try:
                    decoded = json.loads(value) if isinstance(value, str) else None
                except ValueError:
                    continue
                if isinstance(decoded, dict) and decoded.get(key) == entity_id:
                    return True
    return False


def cards_of(services: Services, slack: FakeSlack, entity: str, entity_id: int) -> list[Card]:
    """The entity's recorded messages, as the fake Slack holds them now."""
    with services.db.session() as session:
        refs = list(
            session.scalars(
                select(MessageRef)
                .where(MessageRef.entity == entity, MessageRef.entity_id == entity_id)
                .order_by(MessageRef.id)
            )
        )
        rows = [(ref.view, ref.viewer, ref.channel, ref.ts) for ref in refs]
    held = slack.all_messages()
    cards = []
    for view, viewer, channel, ts in rows:
        message = next((m for m in held.get(channel, []) if m.get("ts") == ts), None)
        assert message is not None, f"{entity} {entity_id}'s {view} message {channel}/{ts} is not in Slack"
        cards.append(Card(view, viewer, channel, ts, message))
    return cards


def assert_cards_current(
    services: Services,
    slack: FakeSlack,
    entity: str,
    entity_id: int,
    *,
    now: datetime | None = None,
    actions: Mapping[str, Collection[str]] | None = None,
    views: Collection[str] | None = None,
) -> list[Card]:
    """Fail unless every message showing the entity shows its current state (see the module doc).

    ``actions`` maps a view (``approver``, ``card`` …), or ``view:viewer`` for one person's copy, to
    the action ids it must show now, exactly (``[]`` = no buttons left); ``views`` are the views that
    must have been recorded. Returns the cards.
    """
    at = now or services.clock()
    context = DeliveryContext(at, current_playbook(services.settings))
    cards = cards_of(services, slack, entity, entity_id)
    assert cards, f"no message is recorded for {entity} {entity_id}"
    with services.db.session() as session:
        refs = {
            (ref.channel, ref.ts, ref.view): ref
            for ref in session.scalars(
                select(MessageRef).where(MessageRef.entity == entity, MessageRef.entity_id == entity_id)
            )
        }
        for card in cards:
            rendered = render_card(session, refs[(card.channel, card.ts, card.view)], context)
            assert rendered is not None, f"{entity} {entity_id} has no {card.view} rendering"
            want = rendered.as_kwargs()
            where = f"{entity} {entity_id}'s {card.view} message for {card.viewer}"
            assert card.message.get("text") == want.get("text"), (
                f"{where} is stale: {card.message.get('text')!r}"
            )
            assert _without_block_ids(card.message.get("blocks")) == _without_block_ids(want.get("blocks")), (
                f"{where} does not show the current state"
            )
    recorded = {(card.channel, card.ts) for card in cards}
    key = ENTITY_KEYS[entity]
    unrecorded = [
        (channel, message.get("ts"), message.get("text", "")[:80])
        for channel, messages in slack.all_messages().items()
        for message in messages
        if (channel, message.get("ts")) not in recorded and _names(message, key, entity_id)
    ]
    assert unrecorded == [], f"messages with {entity} {entity_id}'s buttons are not recorded: {unrecorded}"
    if views is not None:
        assert {card.view for card in cards} >= set(views), f"recorded views: {[c.view for c in cards]}"
    for wanted, expected in (actions or {}).items():
        view, _, viewer = wanted.partition(":")
        shown = [card for card in cards if card.view == view and viewer in ("", card.viewer)]
        assert shown, f"no {wanted} message is recorded for {entity} {entity_id}"
        for card in shown:
            assert sorted(card.actions) == sorted(expected), (
                f"{entity} {entity_id}'s {view} message for {card.viewer} shows {card.actions}, "
                f"expected {sorted(expected)}"
            )
    return cards


@dataclass(frozen=True, slots=True)
class Place:
    """Where a recorded message of an entity was posted (kept by a test before the entity goes)."""

    entity: str
    entity_id: int
    view: str
    channel: str
    ts: str


def places_of(services: Services, entity: str, entity_ids: Collection[int]) -> list[Place]:
    """Where the entities' messages are, as recorded now (a test takes this before a deletion)."""
    with services.db.session() as session:
        refs = session.scalars(
            select(MessageRef)
            .where(MessageRef.entity == entity, MessageRef.entity_id.in_(list(entity_ids)))
            .order_by(MessageRef.id)
        )
        return [Place(ref.entity, ref.entity_id, ref.view, ref.channel, ref.ts) for ref in refs]


def _all_text(message: Mapping[str, Any]) -> str:
    return json.dumps({"text": message.get("text"), "blocks": message.get("blocks")}, ensure_ascii=False)


def assert_cards_retired(
    services: Services,
    slack: FakeSlack,
    places: Collection[Place],
    *,
    says: str,
    gone: Collection[str] = (),
) -> None:
    """Fail unless every message at ``places`` now says ``says`` (why its entity went), shows no
    buttons and none of the ``gone`` texts, the entities have no recorded messages left, and no
    message anywhere in the workspace still carries a button naming one of them."""
    assert places, "no message was recorded for what went"
    held = slack.all_messages()
    for place in places:
        message = next((m for m in held.get(place.channel, []) if m.get("ts") == place.ts), None)
        where = f"{place.entity} {place.entity_id}'s {place.view} message {place.channel}/{place.ts}"
        assert message is not None, f"{where} is not in Slack"
        shown = _all_text(message)
        assert says in shown, f"{where} does not say {says!r}: {message.get('text')!r}"
        assert interactive(message) == [], f"{where} still shows {interactive(message)}"
        for text in gone:
            assert text not in shown, f"{where} still shows {text!r}"
    by_entity: dict[str, set[int]] = {}
    for place in places:
        by_entity.setdefault(place.entity, set()).add(place.entity_id)
    for entity, ids in by_entity.items():
        assert places_of(services, entity, ids) == [], f"{entity} {sorted(ids)} still have recorded messages"
        key = ENTITY_KEYS[entity]
        live = [
            (channel, message.get("ts"))
            for channel, messages in held.items()
            for message in messages
            for entity_id in ids
            if _names(message, key, entity_id)
        ]
        assert live == [], f"messages still carry buttons for {entity} {sorted(ids)}: {live}"
