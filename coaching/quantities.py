"""Reading the numbers in anything a person types: money, percentages, durations, counts.

One parser for every line (tradeables, wants, limits, their asks, concessions, commitments), so a
number means the same thing wherever it was typed. The text is always kept; the quantities are read
*from* it, never instead of it. What is read:

* **money**: a currency symbol or code before the number (``$1,200``, ``USD 40,000``, ``€800``), a
  code or currency word after it (``800 EUR``, ``900 euros``), or a ``k``/``m``/``bn`` multiplier
  (``1.2k``, in the default currency). A money-looking span that is not a valid amount
  (``$1,2,3``) is read as money of *unknown* amount, never as 0.
* **percentages**: ``15%``, ``15 %``, ``15 percent``, ``15 pct``.
* **durations**: ``24 months``, ``24-month``, ``2 weeks``, ``3 days``, ``1 year``, ``2h``, ``30 minutes``;
  an adjective may sit between (``2 extra days``, ``5 working days``).
* **counts**: a number followed by a noun (``10 seats``, ``3 free seats``, ``four VPs``); the noun is
  kept singular for comparison (``seat``).
* anything else is a plain **number** (``Q3``'s 3 is not read at all: numbers glued to letters
  in front are part of a word).

Number words one to twenty (and thirty, forty, fifty, a hundred) are read before a unit or noun.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Final

from coaching.money import MINOR_UNITS, AmountError, Money, parse_amount

_SYMBOLS: Final = (
    "US$",
    "AU$",
    "CA$",
    "NZ$",
    "HK$",
    "R$",
    "A$",
    "C$",
    "S$",
    "$",
    "€",
    "£",
    "¥",
    "₹",
    "₩",
    "₪",
    "₦",
    "₱",
    "₫",
    "₺",
    "₴",
    "฿",
)
_CURRENCY_WORDS: Final = frozenset(
    ["dollar", "dollars", "euro", "euros", "pound", "pounds", "yen", "rupee", "rupees", "bucks", "quid"]
)
_WORD_CURRENCY: Final = {
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "quid": "GBP",
    "yen": "JPY",
    "rupee": "INR",
    "rupees": "INR",
}

_WORDLIKE_CODES: Final = frozenset(["ALL", "TOP", "CUP", "MOP", "TRY", "BOB", "SOS", "PEN", "GEL", "MAD"])
"""Currency codes that are also English words typed in capitals; never read as a currency."""

_SYM_RE = "|".join(re.escape(symbol) for symbol in _SYMBOLS)
_NUM_RE = r"\d[\d,]*(?:\.\d+)?|\.\d+"
_CANDIDATE = re.compile(
    rf"(?<![\w.,/$€£¥])(?:(?P<sym>{_SYM_RE})\s?|(?P<code>(?-i:[A-Z]{{3}}))\s?)?"
    rf"(?P<num>{_NUM_RE})(?:\s?(?P<mult>k|mn|m|bn)(?![A-Za-z]))?",
    re.IGNORECASE,
)
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+")
_PERCENT_AFTER = re.compile(r"^\s?(?:%|per\s?cent\b|pct\b)", re.IGNORECASE)
_CODE_AFTER = re.compile(r"^\s?(?-i:([A-Z]{3}))\b")
_WORD_AFTER = re.compile(r"^(\s*-\s*|\s+|)([A-Za-z][A-Za-z'’]*)")

_NUMBER_WORDS: Final = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "eighteen": 18,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
}
_WORD_NUMBER = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)

_DURATIONS: Final = {
    "minute": "minute",
    "minutes": "minute",
    "min": "minute",
    "mins": "minute",
    "hour": "hour",
    "hours": "hour",
    "hr": "hour",
    "hrs": "hour",
    "h": "hour",
    "day": "day",
    "days": "day",
    "d": "day",
    "week": "week",
    "weeks": "week",
    "wk": "week",
    "wks": "week",
    "w": "week",
    "month": "month",
    "months": "month",
    "mo": "month",
    "mos": "month",
    "mth": "month",
    "mths": "month",
    "year": "year",
    "years": "year",
    "yr": "year",
    "yrs": "year",
    "y": "year",
}
_GLUED_OK: Final = frozenset(
    {"h", "hr", "hrs", "d", "w", "wk", "wks", "mo", "mos", "mth", "mths", "y", "yr", "yrs", "min", "mins"}
)
"""Duration abbreviations that may follow the number with no space (``2h``, ``24mo``)."""
_ADJECTIVES: Final = frozenset(
    [
        "free",
        "extra",
        "additional",
        "more",
        "paid",
        "complimentary",
        "full",
        "half",
        "working",
        "business",
        "calendar",
        "new",
        "fewer",
        "less",
        "further",
        "unpaid",
        "whole",
    ]
)
_NOT_NOUNS: Final = frozenset(
    [
        "to",
        "of",
        "or",
        "and",
        "for",
        "by",
        "x",
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "per",
        "from",
        "with",
        "off",
        "than",
        "each",
        "times",
        "as",
        "is",
        "are",
        "was",
        "vs",
        "versus",
        "up",
        "down",
        "if",
        "then",
        "but",
    ]
)

_DAYS_PER: Final = {
    "day": Fraction(1),
    "week": Fraction(7),
    "month": Fraction(365, 12),
    "year": Fraction(365),
}
_HOURS_PER: Final = {"minute": Fraction(1, 60), "hour": Fraction(1)}


class Kind(StrEnum):
    """What a number measures."""

    MONEY = "money"
    PERCENT = "percent"
    DURATION = "duration"
    COUNT = "count"
    NUMBER = "number"


@dataclass(frozen=True, slots=True)
class Quantity:
    """One number read from a line, with what it measures and the text it was read from.

    ``value`` is the number as typed (7 for ``7 %``, 24 for ``24 months``); None only for money
    whose amount could not be read (unknown, never 0). ``unit`` is the currency code (money), ``%``,
    the singular duration unit, the singular count noun, or ``""`` for a plain number. ``noun`` is the
    noun as typed (``seats``), for saying it back. ``start``/``end`` locate ``text`` in the line.
    """

    kind: Kind
    value: Fraction | None
    unit: str
    text: str
    start: int = 0
    end: int = 0
    noun: str = ""
    money: Money | None = None

    @property
    def known(self) -> bool:
        return self.value is not None

    def base(self) -> Fraction | None:
        """The value in its family's base unit (days, hours or minor currency units) for comparing."""
        if self.value is None:
            return None
        if self.kind is Kind.DURATION:
            if self.unit in _DAYS_PER:
                return self.value * _DAYS_PER[self.unit]
            return self.value * _HOURS_PER[self.unit]
        if self.kind is Kind.MONEY and self.money is not None:
            return Fraction(self.money.amount_minor)
        return self.value

    def family(self) -> tuple[str, str]:
        """Two quantities can be compared only when their families are equal."""
        if self.kind is Kind.DURATION:
            return ("duration", "days" if self.unit in _DAYS_PER else "hours")
        return (self.kind.value, self.unit)

    def comparable(self, other: Quantity) -> bool:
        return self.family() == other.family() and self.known and other.known

    def __str__(self) -> str:
        return format_quantity(self.kind, self.value, self.unit, money=self.money, noun=self.noun)


def format_number(value: Fraction) -> str:
    """``7``, ``7.5``, ``1,200`` (at most two decimals, trailing zeros dropped)."""
    if value.denominator == 1:
        return f"{value.numerator:,}"
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return text


def format_quantity(
    kind: Kind, value: Fraction | None, unit: str, *, money: Money | None = None, noun: str = ""
) -> str:
    """How a quantity is said back: ``7 %``, ``12 months``, ``10 seats``, ``2,000 USD``, ``unknown``."""
    if value is None:
        return f"an unknown amount{f' of {unit}' if unit else ''}"
    if kind is Kind.MONEY:
        return str(money) if money is not None else f"{format_number(value)} {unit}"
    if kind is Kind.PERCENT:
        return f"{format_number(value)} %"
    if kind is Kind.DURATION:
        return f"{format_number(value)} {unit if value == 1 else plural_of(unit)}"
    if kind is Kind.COUNT:
        word = noun if noun and value != 1 else (unit if value == 1 else plural_of(unit))
        return f"{format_number(value)} {word}"
    return format_number(value)


def plural_of(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def singular(word: str) -> str:
    """A forgiving singular for comparing nouns: ``seats``→``seat``, ``VPs``→``vp``."""
    lowered = word.lower().strip("'’")
    if lowered in ("people", "persons"):
        return "person"
    if lowered.endswith("ies") and len(lowered) > 4:
        return lowered[:-3] + "y"
    if lowered.endswith(("ches", "shes", "sses", "xes")):
        return lowered[:-2]
    if lowered.endswith("s") and not lowered.endswith(("ss", "us", "is")) and len(lowered) > 2:
        return lowered[:-1]
    return lowered


def _unit_after(text: str, end: int) -> tuple[Kind, str, str, int] | None:
    """The duration unit or count noun after a number ending at ``end``: (kind, unit, noun, new end)."""
    rest = text[end:]
    match = _WORD_AFTER.match(rest)
    if match is None:
        return None
    gap, word = match.group(1), match.group(2)
    lowered = word.lower()
    if not gap and lowered not in _GLUED_OK:
        return None
    consumed = match.end()
    if lowered in _DURATIONS:
        return Kind.DURATION, _DURATIONS[lowered], word, end + consumed
    if lowered in _ADJECTIVES:
        following = re.match(r"^\s+([A-Za-z][A-Za-z'’]*)", rest[consumed:])
        if following is not None:
            noun = following.group(1)
            if noun.lower() in _DURATIONS and len(noun) > 1:
                return Kind.DURATION, _DURATIONS[noun.lower()], noun, end + consumed + following.end()
            if noun.lower() not in _NOT_NOUNS and noun.lower() not in _ADJECTIVES:
                phrase = f"{word} {noun}"
                return Kind.COUNT, singular(noun), phrase, end + consumed + following.end()
        return None
    if lowered in _NOT_NOUNS or lowered in _CURRENCY_WORDS or len(lowered) < 2 or not gap:
        return None
    return Kind.COUNT, singular(word), word, end + consumed


def read_quantities(text: str, default_currency: str = "USD") -> tuple[Quantity, ...]:
    """Every quantity in ``text``, left to right. Never raises; unreadable money is unknown, not 0."""
    found: list[Quantity] = []
    for match in _CANDIDATE.finditer(text):
        start, end = match.start(), match.end()
        num = match.group("num").rstrip(",")
        sym, code, mult = match.group("sym"), match.group("code"), match.group("mult")
        if code is not None and (code not in MINOR_UNITS or code in _WORDLIKE_CODES):
            code = None
            start = match.start("num")
            if start > 0 and (text[start - 1].isalnum()):
                continue
        rest = text[end:]
        suffix_code: str | None = None
        code_after = _CODE_AFTER.match(rest)
        if code_after and code_after.group(1) in MINOR_UNITS and code_after.group(1) not in _WORDLIKE_CODES:
            suffix_code = code_after.group(1)
        word_after = re.match(r"^\s?([A-Za-z]+)\b", rest)
        currency_word = word_after.group(1).lower() if word_after else ""
        is_money = bool(sym or code or mult or suffix_code or currency_word in _CURRENCY_WORDS)
        if is_money and not _PERCENT_AFTER.match(rest):
            if suffix_code and code_after is not None:
                end += code_after.end()
            elif currency_word in _CURRENCY_WORDS and word_after is not None:
                end += word_after.end()
            span = text[start:end]
            amount_text = span
            if currency_word in ("bucks",):
                amount_text = span[: span.lower().rfind("bucks")] + " USD"
            elif currency_word == "quid":
                amount_text = span[: span.lower().rfind("quid")] + " GBP"
            money: Money | None
            try:
                money = parse_amount(amount_text, default_currency)
            except AmountError:
                money = None
            unit = money.currency if money is not None else (suffix_code or code or default_currency)
            value = None if money is None else Fraction(money.amount_minor, 10 ** MINOR_UNITS[money.currency])
            found.append(Quantity(Kind.MONEY, value, unit, span, start, end, money=money))
            continue
        if _GROUPED.fullmatch(num) is None:
            continue
        value = Fraction(num.replace(",", ""))
        end = match.start("num") + len(num)
        percent = _PERCENT_AFTER.match(text[end:])
        if percent:
            end += percent.end()
            found.append(Quantity(Kind.PERCENT, value, "%", text[start:end], start, end))
            continue
        unit = _unit_after(text, end)
        if unit is not None:
            kind, name, noun, new_end = unit
            found.append(Quantity(kind, value, name, text[start:new_end], start, new_end, noun=noun))
            continue
        found.append(Quantity(Kind.NUMBER, value, "", text[start:end], start, end))
    for match in _WORD_NUMBER.finditer(text):
        unit = _unit_after(text, match.end())
        if unit is None:
            continue
        kind, name, noun, new_end = unit
        value = Fraction(_NUMBER_WORDS[match.group(1).lower()])
        start = match.start()
        found.append(Quantity(kind, value, name, text[start:new_end], start, new_end, noun=noun))
    return tuple(sorted(found, key=lambda q: q.start))


@dataclass(frozen=True, slots=True)
class Term:
    """A line as typed and the quantities read from it."""

    text: str
    quantities: tuple[Quantity, ...]

    def first(self, *kinds: Kind) -> Quantity | None:
        return next((q for q in self.quantities if q.kind in kinds), None)

    def words(self) -> str:
        """The text with its quantities taken out (what the line is *about*)."""
        out, last = [], 0
        for quantity in self.quantities:
            out.append(self.text[last : quantity.start])
            last = quantity.end
        out.append(self.text[last:])
        return " ".join("".join(out).split())


def read_term(text: str, default_currency: str = "USD") -> Term:
    """``text`` and every quantity in it."""
    return Term(text, read_quantities(text, default_currency))


def trailing_money(text: str, default_currency: str) -> tuple[str, Quantity] | None:
    """A money amount typed at the very end of a line with no separator (``Onboarding day $900``):
    the label before it and the amount; None when the line does not end in money or has no label."""
    stripped = text.rstrip().rstrip(".")
    quantities = [q for q in read_quantities(stripped, default_currency) if q.kind is Kind.MONEY]
    if not quantities:
        return None
    last = quantities[-1]
    if last.end != len(stripped):
        return None
    label = stripped[: last.start].rstrip(" -–—:=|,;(").strip()
    if not label or not any(ch.isalpha() for ch in label):
        return None
    return label, last
