"""Limits read as numbers: ``discount ≤ 7 %``, ``term ≥ 12 months``, ``free seats = 0``.

A limit line becomes a :class:`Constraint` when it names a bound and a quantity in words people use
("no more than 7% off", "minimum term 12 months", "never below $40k", "no free seats"); otherwise it
stays a *worded* limit, matched by wording as before (:mod:`coaching.matching`). Prep, trade checks
and the debrief all ask :func:`check_item`, so a limit means the same everywhere:

* **breaks**: the item is about the limit's subject and its number is outside the bound;
* **within**: about the subject and inside the bound;
* **no number**: about the subject but no number to compare (the limit cannot be checked for it);
* **unrelated**: not about the subject (or a quantity of another kind).

For a worded limit the answer is *breaks* when the wording matches, else *unchecked*: Parley never
says a worded limit held, because it cannot know.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Final

from coaching.matching import matches_limit, normalise
from coaching.money import Money
from coaching.quantities import Kind, Quantity, Term, format_quantity, read_term, singular


class Op(StrEnum):
    """The bound a constraint sets on its subject."""

    LE = "≤"
    GE = "≥"
    LT = "<"
    GT = ">"
    EQ = "="

    def allows(self, value: Fraction, bound: Fraction) -> bool:
        return {
            Op.LE: value <= bound,
            Op.GE: value >= bound,
            Op.LT: value < bound,
            Op.GT: value > bound,
            Op.EQ: value == bound,
        }[self]

    @property
    def words(self) -> str:
        return {
            Op.LE: "at most",
            Op.GE: "at least",
            Op.LT: "under",
            Op.GT: "over",
            Op.EQ: "exactly",
        }[self]


# Longest phrases first; each maps to the bound it sets.
_OPS: Final[tuple[tuple[str, Op], ...]] = (
    ("not to exceed", Op.LE),
    ("no more than", Op.LE),
    ("not more than", Op.LE),
    ("never more than", Op.LE),
    ("no higher than", Op.LE),
    ("no greater than", Op.LE),
    ("no longer than", Op.LE),
    ("no later than", Op.LE),
    ("no bigger than", Op.LE),
    ("no larger than", Op.LE),
    ("no less than", Op.GE),
    ("not less than", Op.GE),
    ("never less than", Op.GE),
    ("no fewer than", Op.GE),
    ("no shorter than", Op.GE),
    ("no lower than", Op.GE),
    ("no earlier than", Op.GE),
    ("or more", Op.GE),
    ("or longer", Op.GE),
    ("or above", Op.GE),
    ("or higher", Op.GE),
    ("or less", Op.LE),
    ("or fewer", Op.LE),
    ("or below", Op.LE),
    ("or lower", Op.LE),
    ("or shorter", Op.LE),
    ("capped at", Op.LE),
    ("at most", Op.LE),
    ("at least", Op.GE),
    ("up to", Op.LE),
    ("maximum", Op.LE),
    ("minimum", Op.GE),
    ("max", Op.LE),
    ("min", Op.GE),
    ("cap", Op.LE),
    ("ceiling", Op.LE),
    ("floor", Op.GE),
    ("within", Op.LE),
    ("exactly", Op.EQ),
    ("less than", Op.LT),
    ("fewer than", Op.LT),
    ("shorter than", Op.LT),
    ("lower than", Op.LT),
    ("more than", Op.GT),
    ("longer than", Op.GT),
    ("higher than", Op.GT),
    ("greater than", Op.GT),
    ("exceed", Op.GT),
    ("exceeds", Op.GT),
    ("exceeding", Op.GT),
    ("under", Op.LT),
    ("below", Op.LT),
    ("beneath", Op.LT),
    ("over", Op.GT),
    ("above", Op.GT),
    ("beyond", Op.GT),
    ("<=", Op.LE),
    ("≤", Op.LE),
    (">=", Op.GE),
    ("≥", Op.GE),
    ("<", Op.LT),
    (">", Op.GT),
    ("=", Op.EQ),
)
_REGIONS: Final = frozenset(
    [
        "or more",
        "or longer",
        "or above",
        "or higher",
        "or less",
        "or fewer",
        "or below",
        "or lower",
        "or shorter",
        "less than",
        "fewer than",
        "shorter than",
        "lower than",
        "more than",
        "longer than",
        "higher than",
        "greater than",
        "exceed",
        "exceeds",
        "exceeding",
        "under",
        "below",
        "beneath",
        "over",
        "above",
        "beyond",
        "<",
        ">",
    ]
)
"""Phrases that describe the out-of-bounds *region* ("Discount above 10%", "never below $40k",
"don't go over 15%"): the limit allows the complement. The prep field is "Limits: out of bounds", so
a bare "Discount above 10%" names what is forbidden, and a negated one says the same."""
_FLIP: Final = {Op.LT: Op.GE, Op.GT: Op.LE, Op.LE: Op.GT, Op.GE: Op.LT, Op.EQ: Op.EQ}
_NO_X: Final = re.compile(
    r"^(?:no|zero|never\s+any|not\s+any|nothing\s+in)\s+(?P<subject>.+)$", re.IGNORECASE
)

_FILLER: Final = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "and",
        "or",
        "our",
        "their",
        "your",
        "my",
        "we",
        "us",
        "it",
        "is",
        "be",
        "per",
        "no",
        "not",
        "never",
        "do",
        "don't",
        "dont",
        "will",
        "won't",
        "wont",
        "can't",
        "cannot",
        "must",
        "go",
        "give",
        "offer",
        "agree",
        "accept",
        "any",
        "than",
        "limit",
        "budget's",
        "stay",
        "stays",
        "remain",
        "remains",
        "keep",
        "keeps",
        "should",
        "shall",
        "be",
        "go",
        "goes",
        "get",
    ]
)
_SYNONYMS: Final[tuple[frozenset[str], ...]] = (
    frozenset(["discount", "discounts", "off", "reduction", "rebate", "markdown", "cut", "price-cut"]),
    frozenset(
        ["price", "fee", "fees", "rate", "cost", "costs", "charge", "amount", "total", "spend", "budget"]
    ),
    frozenset(["term", "contract", "commitment", "length", "duration"]),
    frozenset(["payment", "pay", "paid", "invoice", "invoicing", "net"]),
    frozenset(["miss", "missing", "skip", "skipping", "absence", "absent", "excused", "leave", "away"]),
)
_GENERAL: Final = frozenset(
    ["concession", "concessions", "give", "giveaway", "anything", "single", "item", "any", "each", "one"]
)


_BEYOND: Final = re.compile(
    r"(?:\babove|\bover|\bmore\s+than|\bexceed\w*|\bbeyond|\bgreater\s+than|\bhigher\s+than|"
    r"\blonger\s+than|>)\s*$"
)
_SHORT_OF: Final = re.compile(
    r"(?:\bbelow|\bunder|\bless\s+than|\bfewer\s+than|\bshorter\s+than|\blower\s+than|<)\s*$"
)
_NUDGE: Final = Fraction(1, 10**9)


def _words(text: str) -> frozenset[str]:
    """The meaningful words of ``text``, singular, with synonyms folded together."""
    out: set[str] = set()
    for word in normalise(text).split():
        if word in _FILLER or not any(ch.isalpha() for ch in word):
            continue
        for group in _SYNONYMS:
            if word in group:
                word = sorted(group)[0]
                break
        out.add(singular(word))
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class Constraint:
    """``subject op bound``. ``bound`` None means zero of whatever the subject is counted in (``no X``)."""

    subject: str
    op: Op
    bound: Quantity | None

    @property
    def bound_text(self) -> str:
        return "0" if self.bound is None else str(self.bound)

    def __str__(self) -> str:
        subject = f"{self.subject} " if self.subject else ""
        return f"{subject}{self.op.value} {self.bound_text}"


@dataclass(frozen=True, slots=True)
class Limit:
    """A limit as typed, and its constraint when it could be read as one."""

    text: str
    constraint: Constraint | None = None

    @property
    def is_numeric(self) -> bool:
        return self.constraint is not None

    def __str__(self) -> str:
        return self.text if self.constraint is None else str(self.constraint)


def _find_op(lowered: str) -> tuple[Op, int, int] | None:
    for phrase, op in _OPS:
        if phrase[0].isalpha():
            match = re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", lowered)
        else:
            index = lowered.find(phrase)
            match = None if index < 0 else re.compile(re.escape(phrase)).search(lowered, index)
        if match is None:
            continue
        if phrase in _REGIONS:
            op = _FLIP[op]
        return op, match.start(), match.end()
    return None


def read_limit(text: str, default_currency: str = "USD") -> Limit:
    """``text`` as a :class:`Limit`, with a constraint when a bound and a quantity can be read."""
    cleaned = " ".join(text.split())
    term = read_term(cleaned, default_currency)
    measured = [q for q in term.quantities if q.kind is not Kind.NUMBER]
    lowered = cleaned.lower()
    if len(measured) == 1:
        bound = measured[0]
        found = _find_op(lowered)
        if found is None:
            return Limit(text)
        op, start, end = found
        pieces = [cleaned[: min(start, bound.start)], cleaned[max(end, bound.end) :]]
        if end <= bound.start:
            pieces.insert(1, cleaned[end : bound.start])
        elif bound.end <= start:
            pieces.insert(1, cleaned[bound.end : start])
        subject = _subject(" ".join(pieces), bound)
        return Limit(text, Constraint(subject, op, bound))
    if not measured:
        zero = _NO_X.match(cleaned.rstrip("."))
        if zero is not None:
            subject = zero.group("subject").strip()
            head = subject.split()[-1].lower() if subject.split() else ""
            if head.endswith("s") and not head.endswith("ss") and len(subject) <= 60:
                return Limit(text, Constraint(subject, Op.EQ, None))
    return Limit(text)


def _subject(text: str, bound: Quantity) -> str:
    words = [w for w in re.split(r"[\s,;:.()]+", text) if w]
    kept = [w for w in words if w.lower() not in _FILLER and w.lower() not in ("-", "–", "—")]
    subject = " ".join(kept).strip(" -–—")
    if subject[:1].isupper() and not subject[1:2].isupper():
        subject = subject[0].lower() + subject[1:]
    if bound.kind is Kind.PERCENT and (not subject or subject.lower() == "off"):
        return "discount"
    if bound.kind is Kind.PERCENT and subject.lower().endswith(" off"):
        return subject[:-4]
    return subject


def read_limits(texts: Iterable[str], default_currency: str = "USD") -> tuple[Limit, ...]:
    return tuple(read_limit(text, default_currency) for text in texts)


class Verdict(StrEnum):
    BREAKS = "breaks"
    WITHIN = "within"
    NO_NUMBER = "no_number"
    UNRELATED = "unrelated"
    UNCHECKED = "unchecked"
    """A worded limit whose wording the item does not match: nothing can be said."""


@dataclass(frozen=True, slots=True)
class LimitCheck:
    """One item against one limit; ``found`` is the item's number that was compared."""

    limit: Limit
    verdict: Verdict
    found: Quantity | None = None
    qualifier: str = ""
    """``more than`` / ``less than`` when the item said so ("Discount above 10%")."""

    def explain(self, item: str, done: str = "conceded") -> str:
        """``9 % off conceded — your limit was discount ≤ 7 %``, or the worded equivalent."""
        constraint = self.limit.constraint
        if constraint is None:
            return f"“{item}” {done} — it matches your limit “{self.limit.text}”"
        if self.verdict is Verdict.NO_NUMBER:
            return f"“{item}” has no number to check against your limit {constraint}"
        if self.found is None:
            shown = f"“{item}” {done}"  # no figure read from it: name the item once
        else:
            found = f"{self.qualifier} {self.found}" if self.qualifier else str(self.found)
            shown = f"{found} {done} (“{item}”)"
        if self.verdict is Verdict.BREAKS:
            return f"{shown} — your limit was {constraint}"
        return f"{shown} — within your limit {constraint}"


def _related(subject: str, term: Term, bound: Quantity) -> bool:
    limit_words = _words(subject)
    if not limit_words:
        return any(q.family() == bound.family() for q in term.quantities)
    if limit_words & _GENERAL:
        return True
    item_words = _words(term.words())
    for quantity in term.quantities:
        if quantity.kind is Kind.COUNT:
            item_words |= {quantity.unit}
    return bool(limit_words & item_words)


def check_item(
    item: str, limit: Limit, *, cost: Money | None = None, default_currency: str = "USD"
) -> LimitCheck:
    """How ``item`` (a tradeable, concession, ask or trade) stands against ``limit``.

    ``cost`` is the item's separately typed amount (``Discount – $3,000``), compared with a money
    bound when the item's text has no money of its own.
    """
    constraint = limit.constraint
    if constraint is None:
        verdict = Verdict.BREAKS if matches_limit(item, limit.text) else Verdict.UNCHECKED
        return LimitCheck(limit, verdict)
    term = read_term(item, default_currency)
    if constraint.bound is None:
        related = matches_limit(item, constraint.subject) or matches_limit(term.words(), constraint.subject)
        if not related:
            return LimitCheck(limit, Verdict.UNRELATED)
        measured = [q for q in term.quantities if q.kind is not Kind.NUMBER]
        numbered = next((q for q in measured if q.known), None)
        if numbered is not None and numbered.value == 0:
            return LimitCheck(limit, Verdict.WITHIN, numbered)
        return LimitCheck(limit, Verdict.BREAKS, numbered)
    bound = constraint.bound
    if not _related(constraint.subject, term, bound):
        return LimitCheck(limit, Verdict.UNRELATED)
    candidates = [q for q in term.quantities if q.family() == bound.family()]
    if bound.kind is Kind.COUNT:
        candidates = [q for q in candidates if _qualifier(q) == _qualifier(bound)]
    if not candidates and bound.kind is Kind.MONEY and cost is not None:
        candidates = [Quantity(Kind.MONEY, Fraction(cost.amount_minor), cost.currency, str(cost), money=cost)]
    if not candidates:
        other_kinds = [q for q in term.quantities if q.kind is not Kind.NUMBER and q.known]
        if other_kinds and _words(constraint.subject) & _GENERAL:
            return LimitCheck(limit, Verdict.UNRELATED)
        if other_kinds and bound.kind is not Kind.MONEY:
            return LimitCheck(limit, Verdict.UNRELATED)
        return LimitCheck(limit, Verdict.NO_NUMBER)
    found = candidates[0]
    value, bound_value = found.base(), bound.base()
    if value is None or bound_value is None:
        return LimitCheck(limit, Verdict.NO_NUMBER, found)
    before = item[: found.start].lower() if found.end <= len(item) else ""
    qualifier = ""
    if _BEYOND.search(before):  # "Discount above 10%": more than the number typed
        value, qualifier = value + _NUDGE, "more than"
    elif _SHORT_OF.search(before):
        value, qualifier = value - _NUDGE, "less than"
    verdict = Verdict.WITHIN if constraint.op.allows(value, bound_value) else Verdict.BREAKS
    return LimitCheck(limit, verdict, found, qualifier)


def _qualifier(quantity: Quantity) -> str:
    """The adjective in a counted noun phrase (``free`` in ``3 free seats``), lower case."""
    words = quantity.noun.lower().split()
    return " ".join(words[:-1])


def first_breach(
    item: str, limits: Iterable[Limit], *, cost: Money | None = None, default_currency: str = "USD"
) -> LimitCheck | None:
    """The first limit ``item`` breaks (numerically, or by wording for a worded limit), or None."""
    for limit in limits:
        check = check_item(item, limit, cost=cost, default_currency=default_currency)
        if check.verdict is Verdict.BREAKS:
            return check
    return None


def describe_bound(constraint: Constraint) -> str:
    """``at most 7 %`` — the bound in words, for sentences."""
    if constraint.bound is None:
        return "none at all"
    return f"{constraint.op.words} {constraint.bound}"


__all__ = [
    "Constraint",
    "Limit",
    "LimitCheck",
    "Op",
    "Verdict",
    "check_item",
    "describe_bound",
    "first_breach",
    "format_quantity",
    "read_limit",
    "read_limits",
]
