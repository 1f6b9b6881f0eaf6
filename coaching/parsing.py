"""Reading the lists people type into Slack modals, one item per line.

The syntax is forgiving on purpose and written down here (and in ``docs/playbook.md``) so that the
modal hints can quote it. Blank lines are ignored and bullets (``-``, ``*``, ``•``, ``1.``) are
stripped. Anything that cannot be read is reported per line, with the line number, the line and why,
all in one :class:`LinesError`; nothing typed is dropped silently.

**Value lines** (tradeables, wants, offered and held items)::

    Extra training day – $2,000          label, separator, amount
    2h exec coaching (worth 1.5k)        amount in trailing parentheses
    job aids: 800 EUR                    ':' '=' '|' '–' '—' ' - ' all separate
    no cost: earlier start date          'no cost' / 'free' in front means a cost of zero
    Coaching – costs us $500 – worth $2k to them
    Seat at quarterly planning           no amount: value unknown

An amount is tagged by an optional keyword: ``cost``/``costs``/``costs us`` (what it costs us),
``worth``/``value`` (what it is worth). A bare amount means the line's main value: the cost to us
for a tradeable, the value to us for a want, the value for an offered or held item. The last
separated part is read as an amount when it looks like one (starts with a currency symbol or code,
or is a number typed as one word such as ``12abc`` or ``1.5k``), and is then an error if it is not
a valid amount; ``Q3 review – 2 days`` keeps "2 days" as part of the label.

**Conceded lines**: ``<what we gave> [cost] <return marker> <what came back> [worth]``, where the
return marker is ``->``, ``=>``, ``→``, ``in return for``, ``in exchange for`` or ``for``.
``for`` splits at the first "for" after the cost (or at the first "for" when no cost is typed); use
``->`` when the item's own name contains "for". ``nothing``, ``none``, ``-``, ``n/a`` or no return
marker at all mean nothing came back (a giveaway)::

    Extra training day – $2,000 for 24-month term worth $10,000
    Discount 5% ($3,000) -> nothing

**Commitment lines**: ``who: what by YYYY-MM-DD``, where who is ``me``, ``we``, ``they`` or a name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Final, TypeVar

from coaching.errors import CoachingError
from coaching.items import Commitment, Concession, LedgerItem, Side, Tradeable, Want
from coaching.money import AmountError, Money, looks_like_amount, parse_amount
from coaching.quantities import trailing_money

MAX_LINES: Final = 50
MAX_LINE_LENGTH: Final = 300
MAX_LABEL_LENGTH: Final = 200
MAX_WHO_LENGTH: Final = 80

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class LineProblem:
    """Why one line could not be read. ``line_no`` counts from 1, blank lines included."""

    line_no: int
    line: str
    reason: str

    def __str__(self) -> str:
        shown = self.line if len(self.line) <= 60 else self.line[:59] + "…"
        return f"line {self.line_no} “{shown}”: {self.reason}"


class LineError(CoachingError):
    """One line could not be read; ``reason`` says why (no line number: see :class:`LinesError`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class LinesError(CoachingError):
    """Some lines of a list could not be read; ``problems`` holds every one, in line order."""

    def __init__(self, problems: tuple[LineProblem, ...]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


class _Slot(Enum):
    BARE = "bare"
    COST = "cost"
    WORTH = "worth"


@dataclass(frozen=True, slots=True)
class _Annotation:
    slot: _Slot
    text: str
    money: Money


@dataclass(frozen=True, slots=True)
class _Valued:
    label: str
    annotations: tuple[_Annotation, ...]


_BULLET = re.compile(r"^(?:[-*•·▪◦‣–—]|\d{1,3}[.)])\s+")
# "worth" / "cost(s) (us)" start a new part without a separator, but only right before an amount.
_KEYWORD_AHEAD = r"(?=(?:worth|costs?(?:\s+us)?)\s+(?:[~≈$€£¥₹\d.]|[a-z]{3}\s*\d|approx|about|around))"
_SEP = re.compile(
    r"\s*[–—]\s*|\s+-\s+|:\s+|\s*=\s*|\s*\|\s*|;\s*|,?\s+" + _KEYWORD_AHEAD,
    re.IGNORECASE,
)
_PAREN = re.compile(r"\(([^()]*)\)\s*$")
_PAREN_PARTS = re.compile(r"\s*[,;]\s+|\s*[–—]\s*|\s+-\s+|\s+" + _KEYWORD_AHEAD, re.IGNORECASE)
_ZERO = re.compile(
    r"^(?:no[\s-]+cost|free|free\s+of\s+charge|zero[\s-]+cost|no\s+charge|costs?\s+(?:us\s+)?nothing)$",
    re.IGNORECASE,
)
_KEYWORD = re.compile(
    r"^(?P<kw>worth|valued?(?:\s+at)?|costs?(?:\s+(?:us|to\s+us))?)\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_AUDIENCE = re.compile(r"\s+(?:to|for)\s+(?:them|us|you|the\s+\w+)$", re.IGNORECASE)
_TRAILING_JUNK = re.compile(r"[\s\-–—:=|,;]+$")
_LEADING_JUNK = re.compile(r"^[\s\-–—:=|,;]+")
_ARROW = re.compile(r"\s*(?:->|=>|→|⇒)\s*")
_IN_RETURN = re.compile(r"\s+in\s+(?:return|exchange)\s+for\s+|\s+in\s+return\s*:?\s+", re.IGNORECASE)
_FOR = re.compile(r"\s+for\s+", re.IGNORECASE)
_NOTHING = re.compile(
    r"^(?:nothing(?:\s+in\s+return)?|none|no\s+return|-+|–|—|n/?a|zero|no|nil)?\.?$",
    re.IGNORECASE,
)
_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})\.?$")
_BY = re.compile(r" by ", re.IGNORECASE)


def _clean(line: str) -> str:
    text = line.strip()
    return _BULLET.sub("", text, count=1).strip()


def _annotation(text: str, default_currency: str, *, strict: bool) -> _Annotation | None:
    """Read one separated part as a tagged amount; None if it is not meant as one.

    When ``strict`` (the last part of a line), a part that looks like an amount but is not one is an
    error; otherwise it is simply left in the label.
    """
    part = text.strip().rstrip(".").strip()
    if _ZERO.match(part):
        return _Annotation(_Slot.COST, part, Money.zero(default_currency))
    slot = _Slot.BARE
    keyword = _KEYWORD.match(part)
    if keyword:
        slot = _Slot.WORTH if keyword.group("kw").lower().startswith(("worth", "value")) else _Slot.COST
        part = keyword.group("rest")
    part = _AUDIENCE.sub("", part).strip()
    if not looks_like_amount(part):
        return None
    try:
        money = parse_amount(part, default_currency)
    except AmountError as error:
        # an amount out of range is a mistake wherever it is typed: say so, never fold it into the label
        if strict or error.reason.startswith("is too large"):
            raise LineError(f"value {error}") from None
        return None
    return _Annotation(slot, part, money)


def _parse_valued(text: str, default_currency: str) -> _Valued:
    """Split a line into its label and its tagged amounts (see the module docstring)."""
    annotations: list[_Annotation] = []
    body = text
    split_end = len(body)
    paren = _PAREN.search(body)
    if paren:
        inner = paren.group(1)
        cuts = list(_PAREN_PARTS.finditer(inner))
        part_starts = [0, *(cut.end() for cut in cuts)]
        part_ends = [*(cut.start() for cut in cuts), len(inner)]
        keep = len(part_starts)
        while keep > 0:
            part = inner[part_starts[keep - 1] : part_ends[keep - 1]]
            found = _annotation(part, default_currency, strict=keep == len(part_starts))
            if found is None:
                break
            annotations.insert(0, found)
            keep -= 1
        if keep == 0:
            body = body[: paren.start()]
        elif annotations:
            body = f"{body[: paren.start()]}({inner[: part_ends[keep - 1]].strip()})"
        split_end = paren.start()
    separators = list(_SEP.finditer(body, 0, split_end))
    starts = [0, *(match.end() for match in separators)]
    ends = [*(match.start() for match in separators), len(body)]
    label_start, label_end = 0, len(body)
    index = len(starts) - 1
    while index >= 1:
        strict = not annotations
        found_part = _annotation(body[starts[index] : ends[index]], default_currency, strict=strict)
        if found_part is None:
            break
        annotations.insert(0, found_part)
        label_end = ends[index - 1]
        index -= 1
    if index >= 1:
        leading = _annotation(body[starts[0] : ends[0]], default_currency, strict=False)
        if leading is not None:
            annotations.insert(0, leading)
            label_start = starts[1]
    elif not separators and not annotations:
        whole = _annotation(body, default_currency, strict=False)
        if whole is not None:
            annotations.append(whole)
            label_end = 0
    if all(a.slot is _Slot.WORTH for a in annotations):
        # "Onboarding day $900" (worth …): an amount typed after the label with no separator.
        trailing = trailing_money(body[label_start:label_end], default_currency)
        if trailing is not None:
            if trailing[1].money is None:
                raise LineError(f"value '{trailing[1].text}' is not an amount")
            annotations.insert(0, _Annotation(_Slot.BARE, trailing[1].text, trailing[1].money))
            label_end = label_start + trailing[1].start
    label = _LEADING_JUNK.sub("", _TRAILING_JUNK.sub("", body[label_start:label_end]))
    if not label:
        raise LineError("label empty: say what the item is, e.g. 'Extra training day – $2,000'")
    if len(label) > MAX_LABEL_LENGTH:
        raise LineError(f"label is too long (max {MAX_LABEL_LENGTH} characters)")
    return _Valued(label, tuple(annotations))


def _one(annotations: list[_Annotation], what: str) -> Money | None:
    if len(annotations) > 1:
        first, second = annotations[0].text, annotations[1].text
        raise LineError(f"two {what} ('{first}' and '{second}'): keep one per line")
    return annotations[0].money if annotations else None


def parse_tradeable(line: str, default_currency: str) -> Tradeable:
    """One tradeable: a bare amount or ``cost`` is the cost to us, ``worth`` the value to them."""
    valued = _parse_valued(_clean(line), default_currency)
    costs = [a for a in valued.annotations if a.slot is not _Slot.WORTH]
    worths = [a for a in valued.annotations if a.slot is _Slot.WORTH]
    return Tradeable(valued.label, _one(costs, "costs"), _one(worths, "'worth' values"))


def parse_want(line: str, default_currency: str) -> Want:
    """One want: a bare amount or ``worth`` is its value to us; a cost makes no sense here."""
    valued = _parse_valued(_clean(line), default_currency)
    if any(a.slot is _Slot.COST for a in valued.annotations):
        raise LineError("a want has a value to us (e.g. 'worth $500'), not a cost")
    return Want(valued.label, _one(list(valued.annotations), "amounts"))


def parse_ledger_item(line: str, default_currency: str) -> LedgerItem:
    """One offered or held item with an optional value (any single amount)."""
    valued = _parse_valued(_clean(line), default_currency)
    return LedgerItem(valued.label, _one(list(valued.annotations), "amounts"))


def _split_return(text: str, default_currency: str) -> tuple[str, str | None]:
    for pattern in (_ARROW, _IN_RETURN):
        match = pattern.search(text)
        if match:
            return text[: match.start()], text[match.end() :]
    candidates = list(_FOR.finditer(text))
    for match in candidates:
        try:
            if _parse_valued(text[: match.start()], default_currency).annotations:
                return text[: match.start()], text[match.end() :]
        except LineError:
            continue
    if candidates:
        return text[: candidates[0].start()], text[candidates[0].end() :]
    return text, None


def parse_concession(line: str, default_currency: str) -> Concession:
    """One conceded item: what we gave and its cost, what came back and its value."""
    given_text, returned = _split_return(_clean(line), default_currency)
    given = _parse_valued(given_text, default_currency)
    cost = _one(list(given.annotations), "costs")
    if returned is None or _NOTHING.match(returned.strip()):
        return Concession(given.label, cost)
    try:
        received = _parse_valued(returned, default_currency)
    except LineError as error:
        if not error.reason.startswith("label empty"):
            raise
        amount = _annotation(returned, default_currency, strict=False)
        if amount is None or amount.slot is _Slot.COST:
            raise LineError("say what came back after the arrow, or write 'nothing'") from None
        return Concession(given.label, cost, amount.text, amount.money)
    return Concession(given.label, cost, received.label, _one(list(received.annotations), "values"))


_PRONOUNS: Final[dict[str, tuple[str, Side]]] = {
    "me": ("me", Side.OURS),
    "i": ("me", Side.OURS),
    "myself": ("me", Side.OURS),
    "we": ("we", Side.OURS),
    "us": ("we", Side.OURS),
    "they": ("they", Side.THEIRS),
    "them": ("they", Side.THEIRS),
}


def parse_commitment(line: str) -> Commitment:
    """One commitment, ``who: what by YYYY-MM-DD``."""
    text = _clean(line)
    who, colon, rest = text.partition(":")
    who = who.strip()
    if not colon or not who:
        raise LineError("start with who, then a colon: 'me: …', 'they: …' or 'Dana: …'")
    if len(who) > MAX_WHO_LENGTH:
        raise LineError(f"who is too long (max {MAX_WHO_LENGTH} characters)")
    cuts = list(_BY.finditer(rest))  # the last "by", in any case: "a by b BY 2025-03-31" is due then
    if not cuts:
        raise LineError("no due date: end the line with 'by YYYY-MM-DD'")
    what, due_text = rest[: cuts[-1].start()].strip(), rest[cuts[-1].end() :].strip()
    if not what:
        raise LineError("say what was committed to before 'by'")
    if len(what) > MAX_LABEL_LENGTH:
        raise LineError(f"the commitment is too long (max {MAX_LABEL_LENGTH} characters)")
    match = _DATE.match(due_text)
    if not match:
        raise LineError(f"due date '{due_text}' is not a date: use YYYY-MM-DD, e.g. 2025-03-31")
    try:
        due = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise LineError(f"due date '{due_text}' is not a real date") from None
    pronoun = _PRONOUNS.get(who.lower())
    if pronoun:
        return Commitment(pronoun[0], what, due, pronoun[1])
    return Commitment(who, what, due, None)


def _parse_lines(text: str, parse_one: Callable[[str], T]) -> tuple[T, ...]:
    items: list[T] = []
    problems: list[LineProblem] = []
    seen = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        seen += 1
        if seen > MAX_LINES:
            problems.append(LineProblem(number, line, f"too many lines (max {MAX_LINES})"))
            break
        if len(line) > MAX_LINE_LENGTH:
            problems.append(LineProblem(number, line, f"line is too long (max {MAX_LINE_LENGTH} characters)"))
            continue
        try:
            items.append(parse_one(line))
        except LineError as error:
            problems.append(LineProblem(number, line, error.reason))
    if problems:
        raise LinesError(tuple(problems))
    return tuple(items)


def parse_text_lines(text: str) -> tuple[str, ...]:
    """Plain one-per-line text (objectives, limits): bullets stripped, blank lines dropped."""
    return _parse_lines(text, _clean)


def parse_tradeable_lines(text: str, default_currency: str) -> tuple[Tradeable, ...]:
    """Every tradeable in a multi-line field; raises :class:`LinesError` listing every bad line."""
    return _parse_lines(text, lambda line: parse_tradeable(line, default_currency))


def parse_want_lines(text: str, default_currency: str) -> tuple[Want, ...]:
    """Every want in a multi-line field; raises :class:`LinesError` listing every bad line."""
    return _parse_lines(text, lambda line: parse_want(line, default_currency))


def parse_ledger_item_lines(text: str, default_currency: str) -> tuple[LedgerItem, ...]:
    """Every offered or held item in a multi-line field; raises :class:`LinesError`."""
    return _parse_lines(text, lambda line: parse_ledger_item(line, default_currency))


def parse_concession_lines(text: str, default_currency: str) -> tuple[Concession, ...]:
    """Every conceded item in a multi-line field; raises :class:`LinesError`."""
    return _parse_lines(text, lambda line: parse_concession(line, default_currency))


def parse_commitment_lines(text: str) -> tuple[Commitment, ...]:
    """Every commitment in a multi-line field; raises :class:`LinesError`."""
    return _parse_lines(text, parse_commitment)


def _amount(money: Money | None, prefix: str = " – ") -> str:
    return "" if money is None else f"{prefix}{money}"


def format_tradeable(tradeable: Tradeable) -> str:
    """The line that :func:`parse_tradeable` reads back as ``tradeable`` (for pre-filling a modal)."""
    return tradeable.item + _amount(tradeable.cost_to_us) + _amount(tradeable.value_to_them, " – worth ")


def format_want(want: Want) -> str:
    """The line that :func:`parse_want` reads back as ``want``."""
    return want.item + _amount(want.value_to_us, " – worth ")


def format_ledger_item(item: LedgerItem) -> str:
    """The line that :func:`parse_ledger_item` reads back as ``item``."""
    return item.item + _amount(item.value)


def format_concession(concession: Concession) -> str:
    """The line that :func:`parse_concession` reads back as ``concession``."""
    given = concession.item + _amount(concession.cost)
    if concession.received is None:
        return f"{given} -> nothing"
    return f"{given} -> {concession.received}{_amount(concession.received_value, ' worth ')}"


def format_commitment(commitment: Commitment) -> str:
    """The line that :func:`parse_commitment` reads back as ``commitment``."""
    return f"{commitment.who}: {commitment.what} by {commitment.due.isoformat()}"
