"""Sample contexts for the concession-trade templates (hostile text everywhere a user types)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from templates.fit import text_length
from tests.templates.conftest import Kit, sample

STATUSES = ["pending", "countered", "approved", "rejected", "accepted", "withdrawn", "expired"]
ACTION_SETS = [[], ["approve", "reject", "counter"], ["accept", "counter", "withdraw"], ["withdraw"]]
NOTICE_KINDS = [
    "approved",
    "rejected",
    "accepted",
    "countered",
    "withdrawn",
    "expired",
    "reminder",
    "escalated",
]


def _maybe_user(kit: Kit) -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), kit.user_id)


def _ref() -> st.SearchStrategy[dict[str, int]]:
    return st.fixed_dictionaries({"trade_id": st.integers(1, 2**53), "round": st.integers(0, 1000)})


def _check(kit: Kit) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries(
        {"severity": st.sampled_from(["block", "warn", "info"]), "message": kit.text}
    )


def _trade(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "ref": _ref(),
            "role": st.sampled_from(["approver", "escalation", "proposer"]),
            "status": st.sampled_from(STATUSES),
            "sentence": kit.text,
            "negotiation": kit.text,
            "receive": kit.text,
            "receive_value": kit.text,
            "give": kit.text,
            "give_cost": kit.text,
            "reason": kit.text,
            "needed_by": kit.text,
            "checks": kit.many(_check(kit)),
            "limits": kit.many(kit.text),
            "proposer": _maybe_user(kit),
            "approver": _maybe_user(kit),
            "escalated_to": _maybe_user(kit),
            "style": kit.text,
            "concedes": kit.text,
            "rounds": st.integers(0, 1000),
            "countered_by": _maybe_user(kit),
            "escalated_this_turn": st.booleans(),
            "waiting_on": _maybe_user(kit),
            "since": kit.text,
            "decided_by": _maybe_user(kit),
            "decided_at": kit.text,
            "decision_reason": kit.text,
            "actions": st.sampled_from(ACTION_SETS),
        }
    )


@sample("messages/trade_request")
def _request(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"trade": _trade(kit)})


@sample("messages/trade_notice")
def _notice(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "kind": st.sampled_from(NOTICE_KINDS),
            "to": st.sampled_from(["proposer", "approver"]),
            "by": _maybe_user(kit),
            "sentence": kit.text,
            "reason": kit.text,
            "proposer": _maybe_user(kit),
            "approver": _maybe_user(kit),
            "escalated_to": _maybe_user(kit),
            "since": kit.text,
        }
    )


def _line(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "sentence": kit.text,
            "status": st.sampled_from(["pending", "countered"]),
            "other": _maybe_user(kit),
            "since": kit.text,
            "needed_by": kit.text,
        }
    )


@sample("messages/trade_list")
def _list(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"mine": kit.many(_line(kit)), "waiting": kit.many(_line(kit))})


def _no_approver(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"admins": kit.many(kit.user_id), "can_set_own": st.booleans()})


sample("messages/trade_no_approver")(_no_approver)
sample("views/trade_no_approver")(_no_approver)


@sample("messages/trade_refused")
def _refused(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "kind": st.sampled_from(["not_yours", "decided", "moved_on"]),
            "status": st.sampled_from(["", *STATUSES]),
            "user": _maybe_user(kit),
            "at": kit.text,
        }
    )


def _terms(kit: Kit) -> st.SearchStrategy[dict[str, str]]:
    """Pre-filled values come from stored terms, so they are within the inputs' ``max_length``."""

    def cut(limit: int) -> st.SearchStrategy[str]:
        def within(text: str) -> str:
            while text_length(text) > limit:
                text = text[: limit if len(text) > limit else -1]
            return text

        return kit.text.map(within)

    return st.fixed_dictionaries(
        {
            "receive": cut(500),
            "receive_value": cut(60),
            "give": cut(500),
            "give_cost": cut(60),
            "reason": cut(2000),
        }
    )


@sample("views/trade_propose")
def _propose(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    negotiation = st.fixed_dictionaries({"id": st.integers(1, 2**53).map(str), "label": kit.text})
    negotiations = st.lists(negotiation, max_size=100, unique_by=lambda n: n["id"])
    return st.one_of(
        st.fixed_dictionaries(
            {
                "mode": st.just("propose"),
                "metadata": st.just({}),
                "approver": _maybe_user(kit),
                "negotiations": negotiations,
                "selected": st.one_of(st.just(""), st.integers(1, 2**53).map(str)),
                "terms": _terms(kit),
                "currency": st.sampled_from(["USD", "EUR", "JPY"]),
                "sentence": st.just(""),
                "author": st.just(""),
                "their_reason": st.just(""),
                "suggestions": kit.many(kit.text).map(
                    lambda labels: [
                        {"label": label, "value": {"negotiation_id": 7, "index": i}, "chosen": i == 1}
                        for i, label in enumerate(labels[:10])
                    ]
                ),
            }
        ),
        st.fixed_dictionaries(
            {
                "mode": st.just("counter"),
                "metadata": _ref(),
                "approver": st.just(""),
                "negotiations": st.just([]),
                "selected": st.just(""),
                "terms": _terms(kit),
                "currency": st.sampled_from(["USD", "EUR", "JPY"]),
                "sentence": kit.text,
                "author": _maybe_user(kit),
                "their_reason": kit.text,
                "suggestions": st.just([]),
            }
        ),
    )


@sample("views/trade_reject")
def _reject(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"metadata": _ref(), "sentence": kit.text, "proposer": _maybe_user(kit)})
