"""Sample contexts for the commitment templates: the modal, the list, cards, nudges, reports, reminders."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import strategies as st

from bot.flows.commitments_items import CommitmentItem
from bot.flows.commitments_settings import NudgeMode
from coaching.worktime import WEEKDAY_NAMES
from tests.templates.conftest import Kit, sample

DAYS = [(name, name.title()) for name in WEEKDAY_NAMES]
TIMES = st.sampled_from(["09:00", "08:30", "17:45", "00:00", "23:59"])


def items(kit: Kit) -> st.SearchStrategy[CommitmentItem]:
    return st.builds(
        CommitmentItem,
        id=st.integers(1, 10**12),
        what=kit.text,
        due=kit.text,
        status=st.sampled_from(["open", "done", "cancelled", "lapsed"]),
        overdue=st.booleans(),
        owner_user_id=st.none() | kit.user_id,
        owner_label=kit.text,
        owed_to_user_id=st.none() | kit.user_id,
        negotiation=kit.text,
        conditions=kit.text,
        consequence=kit.text,
        snoozed=kit.text,
        can_done=st.booleans(),
        can_snooze=st.booleans(),
        can_cancel=st.booleans(),
        theirs=st.booleans(),
    )


def numbered(kit: Kit) -> st.SearchStrategy[list[CommitmentItem]]:
    """A list of items with distinct ids, as the database gives them (block ids derive from them)."""
    return kit.many(items(kit)).map(lambda xs: [replace(x, id=i + 1) for i, x in enumerate(xs)])


@sample("messages/commitment_card")
def _card(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"item": items(kit), "intro": kit.text, "note": kit.text})


@sample("messages/nudge")
def _nudge(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"line": kit.text, "item": items(kit), "hours": kit.text})


@sample("messages/commitment_report")
def _report(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "event": st.sampled_from(["cancelled", "done"]),
            "role": st.sampled_from(["owed", "manager"]),
            "actor_user_id": kit.user_id,
            "item": items(kit),
            "consequence": kit.text,
        }
    )


@sample("messages/commitments_list")
def _list(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "mine": numbered(kit),
            "more_mine": st.integers(0, 1000),
            "owed": numbered(kit).map(lambda xs: [replace(x, id=x.id + 10**6) for x in xs]),
            "more_owed": st.integers(0, 1000),
            "nudges": kit.text,
            "hours": kit.text,
            "note": kit.text,
        }
    )


@sample("messages/debrief_reminder")
def _debrief_reminder(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "title": kit.text,
            "counterpart": kit.text,
            "when": kit.text,
            "value": st.builds(lambda i: {"negotiation_id": i}, st.integers(1, 10**12)),
            "hours": kit.text,
            "logged": st.booleans(),
        }
    )


@sample("views/commit_modal")
def _commit_modal(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    negotiations = kit.many(st.tuples(st.integers(1, 10**6), kit.text)).map(
        lambda xs: [(i + 1, title) for i, (_, title) in enumerate(xs[:100])]
    )
    return st.fixed_dictionaries(
        {
            "metadata": st.builds(lambda i: {"negotiation_id": i}, st.none() | st.integers(1, 10**12)),
            "owner_user_id": kit.user_id,
            "negotiations": negotiations,
            "selected": st.integers(0, 3),
            "today": st.dates().map(lambda d: d.isoformat()),
            "notice_days": st.integers(0, 365),
            "percent": st.integers(0, 100),
            "currency": st.sampled_from(["USD", "EUR", "JPY"]),
        }
    )


@sample("views/commit_cancel")
def _commit_cancel(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    metadata = st.builds(
        lambda i, charge: {
            "commitment_id": i,
            "surface": "card",
            "channel_id": "D0ABC",
            "message_ts": "1700000000.000100",
            "response_url": "",
            "shown_charge_minor": charge,
            "shown_units": 1,
        },
        st.integers(1, 10**12),
        st.none() | st.integers(0, 10**15),
    )
    return st.fixed_dictionaries(
        {
            "metadata": metadata,
            "item": items(kit),
            "consequence": kit.text,
            "notice_days": st.integers(-1000, 1000),
            "notify": kit.many(kit.text),
            "changed": st.booleans(),
            "units": st.integers(1, 10_000),
            "units_total": st.integers(1, 10_000),
            "unit_count": kit.text,
        }
    )


@sample("views/commit_settings")
def _commit_settings(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    modes = [(mode.value, mode.label) for mode in NudgeMode]
    return st.fixed_dictionaries(
        {
            "mode": st.sampled_from([mode.value for mode in NudgeMode]),
            "modes": st.just(modes),
            "start": TIMES,
            "end": TIMES,
            "chosen_days": st.lists(st.sampled_from(DAYS), unique=True),
            "all_days": st.just(DAYS),
            "workspace_hours": kit.text,
        }
    )
