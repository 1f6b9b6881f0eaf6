"""Reading the terms of a trade as typed in a form: one error per field, keyed by :class:`TradeField`.

Pure: the bot maps the fields to its input blocks (``bot.flows.trades_modal.BLOCK_FOR``), as prep and
debrief do, so errors land under the input they are about. Lengths are counted as Slack counts them
(UTF-16 units), so what is stored can pre-fill a modal again.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from coaching.money import AmountError, Money, parse_amount
from coaching.playbook import Playbook
from coaching.styles import profile_for
from coaching.textlength import text_length
from coaching.trades import CheckKind, TradeTerms, check_trade
from coaching.trades import TradeProposal as Ask
from coaching.zones import parse_style

MAX_ITEM = 500  # the columns' size
MAX_REASON = 2000
MAX_AMOUNT = 60


class TradeField(StrEnum):
    """The trade form's term fields; errors are keyed by these."""

    GET = "get"
    GET_VALUE = "get_value"
    GIVE = "give"
    GIVE_COST = "give_cost"
    REASON = "reason"


@dataclass(frozen=True)
class TermsForm:
    """The terms as typed (raw strings); amounts are read with ``coaching.money.parse_amount``."""

    get: str = ""
    get_value: str = ""
    give: str = ""
    give_cost: str = ""
    reason: str = ""


def read_terms(
    form: TermsForm, *, default_currency: str, style: str | None, playbook: Playbook
) -> tuple[TradeTerms | None, dict[TradeField, str]]:
    """The terms, or an error per field. Nothing asked in return is refused with the coaching."""
    errors: dict[TradeField, str] = {}
    give, get = form.give.strip(), form.get.strip()
    if not give:
        errors[TradeField.GIVE] = "Say what we would give."
    elif text_length(give) > MAX_ITEM:
        errors[TradeField.GIVE] = f"Keep it to {MAX_ITEM} characters."
    if text_length(get) > MAX_ITEM:
        errors[TradeField.GET] = f"Keep it to {MAX_ITEM} characters."
    if text_length(form.reason.strip()) > MAX_REASON:
        errors[TradeField.REASON] = f"Keep it to {MAX_REASON} characters."
    cost = _amount(form.give_cost, default_currency, TradeField.GIVE_COST, errors)
    value = _amount(form.get_value, default_currency, TradeField.GET_VALUE, errors)
    if not get and TradeField.GET not in errors:
        errors[TradeField.GET] = giveaway_coaching(give or "it", style, playbook)
    if errors:
        return None, errors
    return TradeTerms(give=give, give_cost=cost, get=get, get_value=value), {}


def giveaway_coaching(give: str, style: str | None, playbook: Playbook) -> str:
    """The engine's giveaway explanation, followed by how the member's style tends to concede."""
    checks = check_trade(Ask(TradeTerms(give, None, "", None)), limits=(), playbook=playbook)
    message = next(check.message for check in checks if check.kind is CheckKind.GIVEAWAY)
    profile = profile_for(parse_style(style))
    return f"{message} {profile.label}: {profile.concedes}"


def _amount(text: str, currency: str, field: TradeField, errors: dict[TradeField, str]) -> Money | None:
    text = text.strip()
    if not text:
        return None
    if len(text) > MAX_AMOUNT:
        errors[field] = "That is too long to be an amount: type it like 2,000, $2,000 or 800 EUR."
        return None
    try:
        return parse_amount(text, currency)
    except AmountError as error:
        errors[field] = f"{error}: type it like 2,000, $2,000, 1.5k or 800 EUR."
        return None


def reject_reason_problem(reason: str) -> str | None:
    """What is wrong with a rejection's reason (stripped), or None: the proposer needs a why."""
    if not reason:
        return "Say why, so the proposer can come back with a better trade."
    if text_length(reason) > MAX_REASON:
        return f"Keep it to {MAX_REASON} characters."
    return None
