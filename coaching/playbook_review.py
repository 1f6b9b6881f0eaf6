"""The playbook review: the loop by which the enterprise standard improves.

For one period (a month): which playbook moves and trades were used, how the deals that used them
ended, which limits were breached most, and three concrete edits to the playbook, each with its
evidence. Pure: the storage layer hands in counts; the text is ours.

"Moves used" are the playbook moves each plan carried: every plan for a kind of counterpart carries
the enabled moves that apply to that kind, so a move's deals are the deals with those kinds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from coaching.counterparts import CounterpartKind
from coaching.phrasing import quoted
from coaching.playbook import Playbook

MAX_LISTED = 5


@dataclass(frozen=True, slots=True)
class KindOutcomes:
    kind: str
    deals: int
    agreed: int
    no_deal: int


@dataclass(frozen=True, slots=True)
class TradeUse:
    """One traded item in the period: how often accepted or refused, and how its deals ended."""

    item: str
    kind: str
    accepted: int
    refused: int
    agreed_deals: int
    deals: int
    low_return: int  # accepted for less than the playbook's balance_attention_ratio × its cost


@dataclass(frozen=True, slots=True)
class Breach:
    limit: str
    count: int


@dataclass(frozen=True, slots=True)
class MoveLine:
    """A playbook move and how the deals that carried it went: the name is shown bold by the template
    (a playbook's move names are people's words, escaped), the detail after it."""

    name: str
    detail: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One suggested playbook edit. The key is the app's own words (shown as code); the change may
    quote what people typed (limits, items), so it is shown as plain text, escaped."""

    key: str  # the playbook key, e.g. "counters.customer"
    change: str  # what to do there, e.g. "name the limit “…” in the counter, so …"
    evidence: str


@dataclass(frozen=True, slots=True)
class Review:
    period: str
    deals: int
    moves: tuple[MoveLine, ...]
    trades: tuple[str, ...]
    breaches: tuple[str, ...]
    suggestions: tuple[Suggestion, ...]
    note: str


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "–"


def _label(kind: str) -> str:
    try:
        return CounterpartKind(kind).label.lower()
    except ValueError:
        return kind


def build_review(
    period: str,
    playbook: Playbook,
    kinds: Sequence[KindOutcomes],
    trades: Sequence[TradeUse],
    breaches: Sequence[Breach],
) -> Review:
    """The review's lines and its three suggested edits (fewer, said plainly, when data is thin)."""
    deals = sum(k.deals for k in kinds)
    by_kind = {k.kind: k for k in kinds}
    moves: list[tuple[int, MoveLine]] = []
    for move in playbook.moves:
        used = [by_kind[k.value] for k in CounterpartKind if k.value in by_kind and move.applies_to(k)]
        n = sum(k.deals for k in used)
        if n:
            agreed = sum(k.agreed for k in used)
            moves.append((n, MoveLine(move.name, f"in {n} plans; {agreed} agreed ({_pct(agreed, n)})")))
    moves.sort(key=lambda pair: -pair[0])  # stable: equal counts keep the playbook's order
    offered = sorted(trades, key=lambda t: -(t.accepted + t.refused))
    trade_lines = tuple(
        f"{quoted(t.item)} ({_label(t.kind)}): accepted {t.accepted} of {t.accepted + t.refused}; "
        f"their deals agreed {t.agreed_deals} of {t.deals}"
        for t in offered[:MAX_LISTED]
    )
    breach_lines = tuple(f"{quoted(b.limit)}: breached {b.count}×" for b in breaches[:MAX_LISTED])
    threshold = playbook.policy.evidence_min_trades
    suggestions: list[Suggestion] = []
    if breaches:
        top = breaches[0]
        kind = _kind_of_most_deals(kinds)
        suggestions.append(
            Suggestion(
                f"counters.{kind}",
                f"name the limit {quoted(top.limit)} in the counter, so it is said before "
                "anyone is pushed past it",
                f"breached {top.count} time{'s' if top.count != 1 else ''} this period, the most of any",
            )
        )
    winners = [t for t in trades if t.accepted + t.refused >= threshold and t.accepted > t.refused]
    if winners:
        best = max(winners, key=lambda t: (Fraction(t.accepted, t.accepted + t.refused), t.accepted))
        suggestions.append(
            Suggestion(
                f"questions.{best.kind}",
                f"add “What would {best.item} be worth to you?”, so the trade "
                "that works here is asked about in every plan",
                f"accepted {best.accepted} of {best.accepted + best.refused} times with {_label(best.kind)} "
                f"counterparts; their deals agreed {best.agreed_deals} of {best.deals}",
            )
        )
    losers = [t for t in trades if t.accepted + t.refused >= threshold and t.refused >= t.accepted]
    if losers:
        worst = max(losers, key=lambda t: (t.refused, -t.accepted))
        suggestions.append(
            Suggestion(
                f"extend.usually_gives.{worst.kind}",
                f"list {quoted(worst.item)}, so plans stop leading with "
                "a trade this kind of counterpart keeps turning down",
                f"refused {worst.refused} of {worst.accepted + worst.refused} times",
            )
        )
    low = sum(t.low_return for t in trades)
    accepted = sum(t.accepted for t in trades)
    if accepted and low * 3 >= accepted and len(suggestions) < 3:
        ratio = float(playbook.policy.balance_attention_ratio)
        suggestions.append(
            Suggestion(
                "policy.balance_attention_ratio",
                f"raise it from {ratio:.1f} to {ratio + 0.5:.1f}, so more "
                "of these trades are flagged before they are agreed",
                f"{low} of {accepted} accepted trades returned less than {ratio:.1f}× their cost",
            )
        )
    offers = sum(t.accepted + t.refused for t in trades)
    if len(suggestions) < 3 and 0 < offers < threshold * 3:
        suggestions.append(
            Suggestion(
                "policy.evidence_min_trades",
                f"keep it at {threshold} until more debriefs are logged; "
                "plans rank trades by the playbook until then",
                f"only {offers} trades recorded in debriefs this period",
            )
        )
    note = ""
    if len(suggestions) < 3:
        note = (
            f"{3 - len(suggestions)} more suggestion{'s' if 3 - len(suggestions) != 1 else ''} need more "
            "evidence: more debriefs with their trades and limits."
        )
    return Review(
        period, deals, tuple(line for _n, line in moves[:MAX_LISTED]), trade_lines, breach_lines,
        tuple(suggestions[:3]), note,
    )  # fmt: skip


def _kind_of_most_deals(kinds: Sequence[KindOutcomes]) -> str:
    return max(kinds, key=lambda k: k.deals).kind if kinds else CounterpartKind.OTHER.value
