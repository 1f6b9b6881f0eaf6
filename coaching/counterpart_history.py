"""What we know about them: this workspace's history with a counterpart, as the viewer may see it.

Privacy: a negotiation is shown *individually* (its title, owner, figures, asks, lesson,
commitments) to its owner, the owner's manager chain and admins. Everyone else sees *aggregates*
only: counts, outcomes and summed figures over at least ``min_cell`` negotiations they cannot see
individually (fewer, and only the count is said, so no one deal's figures can be worked out), never
a person's name. With the workspace's ``counterpart_sharing`` off, they see nothing of others' deals.

Money is kept per currency: amounts in different currencies are never added together ("we conceded
1,200 USD + 800 EUR"), and a get/give ratio is only ever taken within one currency.

Pure: the storage layer hands in per-owner totals, per-owner sums per currency, recent deals and open
commitments.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from coaching.counterpart_names import item_key
from coaching.dates import day_words
from coaching.money import format_number
from coaching.phrasing import quoted

MAX_ASKS = 4
MAX_DEALS_LISTED = 5
MAX_LESSON = 200


@dataclass(frozen=True, slots=True)
class OwnerTotals:
    """One owner's negotiations with the counterpart, summed."""

    owner_id: int
    deals: int
    agreed: int
    no_deal: int
    open: int
    accepted: int
    refused: int
    last_contact: date | None
    approved_requests: int = 0
    """Trade requests approved for these negotiations and not yet debriefed (then the debrief's
    lines say what was traded)."""
    rejected_requests: int = 0


@dataclass(frozen=True, slots=True)
class OwnerMoney:
    """What one owner's negotiations with the counterpart conceded and got back in one currency."""

    owner_id: int
    currency: str
    given_minor: int
    got_minor: int


Amounts = tuple[tuple[str, int, int], ...]
"""(currency, given, got) per currency, sorted by currency."""


def amounts(rows: Sequence[tuple[str, int, int]]) -> Amounts:
    """Per-currency sums of (currency, given, got) rows, sorted; currencies with nothing dropped."""
    sums: dict[str, tuple[int, int]] = {}
    for currency, given, got in rows:
        g, r = sums.get(currency, (0, 0))
        sums[currency] = (g + given, r + got)
    return tuple((c, g, r) for c, (g, r) in sorted(sums.items()) if g or r)


def contact_label(day: date, today: date, words: str | None = None) -> str:
    """``last contact Mon 30 Nov 2026``, or ``next meeting …`` when the latest negotiation with them is
    still ahead (a planned one's date): a date to come is never "last contact"."""
    text = words or day_words(day)
    return f"next meeting {text}" if day > today else f"last contact {text}"


def money_list(values: Sequence[tuple[str, int]]) -> str:
    """ "1,200 USD + 800 EUR" (each amount in its own currency, never added together)."""
    return " + ".join(_money(minor, currency) for currency, minor in values)


@dataclass(frozen=True, slots=True)
class PastDeal:
    negotiation_id: int
    owner_id: int
    owner_name: str
    title: str
    date: date | None
    status: str
    lesson: str
    asks: tuple[str, ...]
    money: Amounts
    currency: str  # the negotiation's, for a deal with nothing on its ledger


@dataclass(frozen=True, slots=True)
class OpenCommitment:
    negotiation_id: int | None
    owner_id: int | None  # None: the other side owes it
    text: str
    due: date


@dataclass(frozen=True, slots=True)
class Viewer:
    member_id: int
    is_admin: bool
    sharing: bool = True
    min_cell: int = 3


def can_see(viewer: Viewer, owner_id: int, managers: Mapping[int, int | None]) -> bool:
    """Owner, anyone in the owner's manager chain, or an admin (cycles in the team data are cut)."""
    if viewer.is_admin or viewer.member_id == owner_id:
        return True
    seen: set[int] = set()
    current = managers.get(owner_id)
    while current is not None and current not in seen:
        if current == viewer.member_id:
            return True
        seen.add(current)
        current = managers.get(current)
    return False


@dataclass(frozen=True, slots=True)
class Briefing:
    """The "What we know about them" section and, when it matters, the card's line."""

    name: str
    lines: tuple[str, ...]
    card_line: str | None
    deals: int


def _money(minor: int, currency: str) -> str:
    return f"{format_number(minor, currency)} {currency}"


def _ratio(got: int, given: int) -> str:
    if given <= 0:
        return "nothing conceded" if got <= 0 else "all get, no give"
    return f"{float(Fraction(got, given)):.1f}× get/give"


def _owners_money(money: Sequence[OwnerMoney], owners: set[int]) -> Amounts:
    return amounts([(m.currency, m.given_minor, m.got_minor) for m in money if m.owner_id in owners])


def conceded_line(figures: Amounts) -> str:
    """ "We conceded … and got … back (…)", per currency."""
    given = money_list([(c, g) for c, g, _r in figures])
    got = money_list([(c, r) for c, _g, r in figures if r]) or "nothing"
    if len(figures) == 1:
        ratio = _ratio(figures[0][2], figures[0][1])
    else:
        ratio = "; ".join(f"{c}: {_ratio(r, g)}" for c, g, r in figures)
    return f"We conceded {given} and got {got} back ({ratio})."


def briefing(
    name: str,
    viewer: Viewer,
    managers: Mapping[int, int | None],
    totals: Sequence[OwnerTotals],
    deals: Sequence[PastDeal],
    commitments: Sequence[OpenCommitment],
    money: Sequence[OwnerMoney] = (),
    *,
    today: date,
) -> Briefing:
    """What the viewer may know about ``name`` here (empty lines: nothing on record for them)."""
    mine = [t for t in totals if can_see(viewer, t.owner_id, managers)]
    others = [t for t in totals if not can_see(viewer, t.owner_id, managers)]
    if not viewer.sharing:
        others = []
    shown = mine + others
    count = sum(t.deals for t in shown)
    if count == 0:
        hidden = sum(t.deals for t in totals) - sum(t.deals for t in mine)
        lines: tuple[str, ...] = ()
        if hidden and not viewer.sharing:
            lines = ("Colleagues' history with them isn't shared in this workspace (an admin's setting).",)
        return Briefing(name, lines, None, 0)
    lines_: list[str] = []
    agreed = sum(t.agreed for t in shown)
    no_deal = sum(t.no_deal for t in shown)
    still_open = sum(t.open for t in shown)
    last = max((t.last_contact for t in shown if t.last_contact), default=None)
    head = f"Met {count} time{'s' if count != 1 else ''} here: {agreed} agreed, {no_deal} no deal"
    head += f", {still_open} open" if still_open else ""
    head += f"; {contact_label(last, today)}." if last else "."  # a planned date: next meeting
    lines_.append(head)
    # figures: the viewer's visible deals in full; others' only as a sum over enough of them
    figures = list(mine)
    other_deals = sum(t.deals for t in others)
    if others and other_deals >= viewer.min_cell:
        figures += others
    elif others:
        lines_.append(
            f"{other_deals} of these by colleagues: their details are private, too few to sum without "
            "showing one deal."
        )
    figure_money = _owners_money(money, {t.owner_id for t in figures})
    accepted = sum(t.accepted for t in figures)
    refused = sum(t.refused for t in figures)
    if figures and figure_money:
        lines_.append(conceded_line(figure_money))
    if figures and (accepted or refused):
        lines_.append(f"Trades: they accepted {accepted} and refused {refused}.")
    approved = sum(t.approved_requests for t in figures)
    rejected = sum(t.rejected_requests for t in figures)
    if figures and (approved or rejected):
        lines_.append(
            f"Trade requests decided here and not yet debriefed: {approved} approved, {rejected} rejected."
        )
    visible = [d for d in deals if can_see(viewer, d.owner_id, managers)]
    asks: dict[str, str] = {}
    for deal in visible:
        for ask in deal.asks:
            asks.setdefault(item_key(ask), ask)
    asks.pop("", None)
    if asks:
        listed = ", ".join(quoted(a) for a in list(asks.values())[:MAX_ASKS])
        lines_.append(f"They asked before for {listed}.")
    theirs = [c for c in commitments if c.owner_id is None and _visible(c, visible)]
    ours = [c for c in commitments if c.owner_id is not None and _visible(c, visible)]
    for label, owed in (("We still owe", ours), ("They still owe", theirs)):
        if owed:
            listed = "; ".join(f"{quoted(c.text)} by {day_words(c.due)}" for c in owed[:3])
            lines_.append(f"{label}: {listed}.")
    lesson = next((d for d in visible if d.lesson.strip()), None)
    if lesson is not None:
        text = lesson.lesson.strip().replace("\n", " ")
        if len(text) > MAX_LESSON:
            text = text[: MAX_LESSON - 1] + "…"
        lines_.append(f"Last debrief's lesson ({lesson.owner_name or 'a colleague'}): {quoted(text)}")
    for deal in visible[:MAX_DEALS_LISTED]:
        when = day_words(deal.date) if deal.date else "no date"
        lines_.append(
            f"{when} · {deal.owner_name} · {quoted(deal.title)} · "
            f"{STATUS_LABELS.get(deal.status, deal.status)}"
            f" · {_deal_money(deal)}"
        )
    card = f"Met {name} {count} time{'s' if count != 1 else ''} here ({agreed} agreed)"
    if asks:
        card += f"; they asked before for {quoted(next(iter(asks.values())))}"
    if lesson is not None:
        card += f". Last lesson: {quoted(lesson.lesson.strip().splitlines()[0][:120])}"
    return Briefing(name, tuple(lines_), card + ".", count)


def _deal_money(deal: PastDeal) -> str:
    if not deal.money:
        return f"gave {_money(0, deal.currency)}, got {_money(0, deal.currency)}"
    gave = money_list([(c, g) for c, g, _r in deal.money if g]) or _money(0, deal.money[0][0])
    got = money_list([(c, r) for c, _g, r in deal.money if r]) or _money(0, deal.money[0][0])
    return f"gave {gave}, got {got}"


STATUS_LABELS = {"agreed": "Agreed", "no_deal": "No deal", "planned": "Open", "paused": "Paused"}


def _visible(commitment: OpenCommitment, visible: Sequence[PastDeal]) -> bool:
    return commitment.negotiation_id in {d.negotiation_id for d in visible}


@dataclass(frozen=True, slots=True)
class Overview:
    """One counterpart on the App Home list: what the viewer may see of it."""

    counterpart_id: int
    name: str
    deals: int
    last_contact: date | None
    balance: str  # "balance +4,000 USD (1.8× get/give), −800 EUR (…)", or why it isn't shown


def overview(
    counterpart_id: int,
    name: str,
    viewer: Viewer,
    managers: Mapping[int, int | None],
    totals: Sequence[OwnerTotals],
    money: Sequence[OwnerMoney] = (),
    *,
    currency: str,
) -> Overview | None:
    """The Home row for one counterpart under the privacy rules (None: nothing the viewer may see)."""
    mine = [t for t in totals if can_see(viewer, t.owner_id, managers)]
    others = [t for t in totals if not can_see(viewer, t.owner_id, managers)] if viewer.sharing else []
    shown = mine + others
    deals = sum(t.deals for t in shown)
    if deals == 0:
        return None
    other_deals = sum(t.deals for t in others)
    figures = mine + (others if other_deals >= viewer.min_cell else [])
    last = max((t.last_contact for t in figures if t.last_contact), default=None)
    if not figures:
        return Overview(counterpart_id, name, deals, None, "colleagues' deals: details private")
    per = _owners_money(money, {t.owner_id for t in figures}) or ((currency, 0, 0),)
    balance = "balance " + ", ".join(
        f"{'+' if got >= given else '−'}{_money(abs(got - given), cur)} ({_ratio(got, given)})"
        for cur, given, got in per
    )
    if others and other_deals < viewer.min_cell:
        balance += f"; {other_deals} by colleagues not summed"
    return Overview(counterpart_id, name, deals, last, balance)
