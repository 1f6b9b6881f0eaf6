"""Money as integer minor units plus an ISO 4217 code.

Sums are exact (no floats anywhere) and amounts in different currencies are never mixed: adding or
comparing them raises :class:`CurrencyMismatch`, and :class:`MoneyTotals` keeps one total per
currency for reports. :func:`parse_amount` reads amounts the way people type them in Slack.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Final

from coaching.errors import CoachingError

_TWO_DECIMALS = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD "
    "CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS "
    "GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL "
    "MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK "
    "PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS "
    "TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL"
)
_ZERO_DECIMALS = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE_DECIMALS = "BHD IQD JOD KWD LYD OMR TND"
_FOUR_DECIMALS = "CLF UYW"

MINOR_UNITS: Final[Mapping[str, int]] = MappingProxyType(
    {
        **dict.fromkeys(_TWO_DECIMALS.split(), 2),
        **dict.fromkeys(_ZERO_DECIMALS.split(), 0),
        **dict.fromkeys(_THREE_DECIMALS.split(), 3),
        **dict.fromkeys(_FOUR_DECIMALS.split(), 4),
    }
)
"""Decimal places per ISO 4217 currency (active codes; precious metals and test codes left out)."""

MAX_MAJOR_UNITS: Final = 10**12
"""Amounts at or above this many major units are rejected as typing mistakes."""

SYMBOLS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "USD": "$",
        "EUR": "€",
        "GBP": "£",
        "JPY": "¥",
        "INR": "₹",
        "KRW": "₩",
        "ILS": "₪",
        "NGN": "₦",
        "PHP": "₱",
        "VND": "₫",
        "TRY": "₺",
        "UAH": "₴",
        "THB": "฿",
    }
)
"""Symbols used by :meth:`Money.format` with ``symbol=True``; other currencies show their code."""

_DOLLAR_CODES = "USD AUD CAD NZD SGD HKD TWD MXN BSD BBD BZD BMD BND FJD GYD JMD KYD LRD NAD SBD SRD TTD XCD"
_DOLLAR_CURRENCIES: Final = frozenset(_DOLLAR_CODES.split())

# Written before the number; longest first so "US$" wins over "$".
_PREFIX_SYMBOLS: Final[tuple[tuple[str, str | None], ...]] = (
    ("US$", "USD"),
    ("AU$", "AUD"),
    ("CA$", "CAD"),
    ("NZ$", "NZD"),
    ("HK$", "HKD"),
    ("R$", "BRL"),
    ("A$", "AUD"),
    ("C$", "CAD"),
    ("S$", "SGD"),
    ("$", None),  # the default currency if it is a dollar, else USD
    ("€", "EUR"),
    ("£", "GBP"),
    ("¥", None),  # CNY if that is the default, else JPY
    ("₹", "INR"),
    ("₩", "KRW"),
    ("₪", "ILS"),
    ("₦", "NGN"),
    ("₱", "PHP"),
    ("₫", "VND"),
    ("₺", "TRY"),
    ("₴", "UAH"),
    ("฿", "THB"),
)

_CURRENCY_WORDS: Final[Mapping[str, str | None]] = MappingProxyType(
    {
        "dollar": None,
        "dollars": None,
        "euro": "EUR",
        "euros": "EUR",
        "pound": "GBP",
        "pounds": "GBP",
        "yen": "JPY",
        "rupee": "INR",
        "rupees": "INR",
    }
)

_MULTIPLIERS: Final[Mapping[str, int]] = MappingProxyType({"k": 3, "m": 6, "mn": 6, "bn": 9})


class CurrencyMismatch(CoachingError):
    """Two amounts in different currencies were combined; Parley never converts silently."""

    def __init__(self, left: str, right: str) -> None:
        super().__init__(f"cannot combine {left} with {right}: amounts in different currencies")
        self.left = left
        self.right = right


class AmountError(CoachingError):
    """Text that could not be read as an amount; ``str()`` reads "'12abc' is not an amount"."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"'{text}' {reason}")
        self.text = text
        self.reason = reason


def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 code Parley knows (upper case, e.g. ``"EUR"``)."""
    return code in MINOR_UNITS


def _check_currency(code: str) -> str:
    if not isinstance(code, str) or code not in MINOR_UNITS:
        raise CoachingError(f"'{code}' is not an ISO 4217 currency code")
    return code


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount: integer minor units (cents, pence; yen have none) and an ISO 4217 code."""

    amount_minor: int
    currency: str

    def __post_init__(self) -> None:
        if type(self.amount_minor) is not int:
            raise CoachingError(f"amount_minor must be an int, got {type(self.amount_minor).__name__}")
        _check_currency(self.currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Nothing, in this currency."""
        return cls(0, currency)

    @classmethod
    def of(cls, major: int | str, currency: str) -> Money:
        """From non-negative major units, exactly: ``Money.of("1250.50", "GBP") == Money(125050, "GBP")``."""
        _check_currency(currency)
        return parse_amount(f"{major} {currency}", default_currency=currency)

    @property
    def decimals(self) -> int:
        """Decimal places of this currency (JPY 0, USD 2, KWD 3)."""
        return MINOR_UNITS[self.currency]

    def is_zero(self) -> bool:
        return self.amount_minor == 0

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatch(self.currency, other.currency)

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return Money(self.amount_minor + other.amount_minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return Money(self.amount_minor - other.amount_minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount_minor, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.amount_minor), self.currency)

    def __mul__(self, factor: int) -> Money:
        if type(factor) is not int:
            return NotImplemented
        return Money(self.amount_minor * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount_minor < other.amount_minor

    def __le__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount_minor <= other.amount_minor

    def __gt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount_minor > other.amount_minor

    def __ge__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount_minor >= other.amount_minor

    def scaled(self, factor: Fraction) -> Money:
        """``self × factor`` rounded to a whole minor unit, halves away from zero (0.5¢ → 1¢)."""
        exact = self.amount_minor * factor
        magnitude = abs(exact)
        whole = magnitude.numerator // magnitude.denominator
        if (magnitude - whole) * 2 >= 1:
            whole += 1
        return Money(whole if exact >= 0 else -whole, self.currency)

    def percent(self, percent: int | Fraction) -> Money:
        """``percent`` % of this amount, rounded like :meth:`scaled`: 50 % of 4,000 USD = 2,000 USD."""
        return self.scaled(Fraction(percent) / 100)

    def ratio_to(self, other: Money) -> Fraction | None:
        """``self / other`` as an exact fraction, or None when ``other`` is zero."""
        self._same(other)
        if other.amount_minor == 0:
            return None
        return Fraction(self.amount_minor, other.amount_minor)

    def format(self, *, symbol: bool = False) -> str:
        """``2,000 USD`` (default) or ``$2,000`` (``symbol=True`` where a symbol is known).

        Whole amounts drop their decimals; others show every minor digit (``1,250.50 GBP``).
        """
        number = format_number(abs(self.amount_minor), self.currency)
        sign = "-" if self.amount_minor < 0 else ""
        if symbol and self.currency in SYMBOLS:
            return f"{sign}{SYMBOLS[self.currency]}{number}"
        return f"{sign}{number} {self.currency}"

    def __str__(self) -> str:
        return self.format()


def format_number(amount_minor: int, currency: str) -> str:
    """Digits of an amount with thousands commas, e.g. ``1,250.50``; no sign, no currency."""
    decimals = MINOR_UNITS[currency]
    major, minor = divmod(abs(amount_minor), 10**decimals)
    text = f"{major:,}"
    if minor:
        text += "." + str(minor).zfill(decimals)
    return text


@dataclass(frozen=True, slots=True)
class MoneyTotals:
    """One total per currency, sorted by code, because different currencies are never summed.

    A currency appears once any amount in it has been added, even if it nets to zero.
    """

    amounts: tuple[Money, ...] = ()

    @classmethod
    def of(cls, items: Iterable[Money | None]) -> MoneyTotals:
        """Totals of the given amounts; ``None`` (an unknown value) is skipped."""
        sums: dict[str, int] = {}
        for money in items:
            if money is None:
                continue
            sums[money.currency] = sums.get(money.currency, 0) + money.amount_minor
        return cls(tuple(Money(sums[code], code) for code in sorted(sums)))

    def __iter__(self) -> Iterator[Money]:
        return iter(self.amounts)

    def __len__(self) -> int:
        return len(self.amounts)

    def __add__(self, other: MoneyTotals | Money) -> MoneyTotals:
        if isinstance(other, Money):
            return MoneyTotals.of((*self.amounts, other))
        if isinstance(other, MoneyTotals):
            return MoneyTotals.of((*self.amounts, *other.amounts))
        return NotImplemented

    @property
    def currencies(self) -> tuple[str, ...]:
        return tuple(money.currency for money in self.amounts)

    def get(self, currency: str) -> Money:
        """The total in ``currency`` (zero if none was added)."""
        for money in self.amounts:
            if money.currency == currency:
                return money
        return Money.zero(currency)

    def is_empty(self) -> bool:
        return not self.amounts

    def is_zero(self) -> bool:
        return all(money.is_zero() for money in self.amounts)

    def format(self, *, symbol: bool = False, empty: str = "0") -> str:
        """``2,000 USD + 800 EUR``; ``empty`` when nothing was added."""
        if not self.amounts:
            return empty
        return " + ".join(money.format(symbol=symbol) for money in self.amounts)

    def __str__(self) -> str:
        return self.format()


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d*)?|\.\d+")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+")
_APPROX = re.compile(r"^(?:~|≈|approx\.?\s+|approximately\s+|about\s+|around\s+|c\.\s*|ca\.\s*)", re.I)


def _resolve_symbol(currency: str | None, symbol: str, default_currency: str) -> str:
    if currency is not None:
        return currency
    if symbol == "$":
        return default_currency if default_currency in _DOLLAR_CURRENCIES else "USD"
    return "CNY" if default_currency == "CNY" else "JPY"


def _take_currency(text: str, default_currency: str, *, at_start: bool) -> tuple[str | None, str]:
    """Strip one currency marker (symbol, code or word) from the start or end of ``text``."""
    stripped = text.strip()
    for symbol, code in _PREFIX_SYMBOLS:
        if at_start and stripped[: len(symbol)].upper() == symbol:
            return _resolve_symbol(code, symbol, default_currency), stripped[len(symbol) :]
        if not at_start and len(stripped) > len(symbol) and stripped[-len(symbol) :].upper() == symbol:
            return _resolve_symbol(code, symbol, default_currency), stripped[: -len(symbol)]
    pattern = r"^([A-Za-z]{3,7})(?![A-Za-z])" if at_start else r"(?<![A-Za-z])([A-Za-z]{2,7})$"
    match = re.search(pattern, stripped)
    if match:
        word = match.group(1)
        rest = stripped[match.end() :] if at_start else stripped[: match.start()]
        if word.upper() in MINOR_UNITS:
            return word.upper(), rest
        if word.lower() in _CURRENCY_WORDS:
            code = _CURRENCY_WORDS[word.lower()]
            return _resolve_symbol(code, "$", default_currency), rest
    return None, stripped


def looks_like_amount(text: str) -> bool:
    """Whether ``text`` is meant as an amount (so failing to read it is an error, not a label).

    True when it starts with a currency symbol or code followed by a digit, or is a number typed as
    one word (``12abc``, ``1.5k``) optionally followed by a currency (``800 EUR``). A number followed
    by an ordinary word (``2 days``) or a percentage (``5%``) is not an amount.
    """
    stripped = _APPROX.sub("", text.strip())
    stripped = stripped.lstrip("-−+ ").strip()
    if not stripped:
        return False
    if "%" in stripped:
        return False
    if any(stripped[: len(symbol)].upper() == symbol for symbol, _ in _PREFIX_SYMBOLS):
        return True
    code_first = re.match(r"^([A-Za-z]{3})\s*[-−+]?\s*\d", stripped)
    if code_first and code_first.group(1).upper() in MINOR_UNITS:
        return True
    if not stripped[0].isdigit() and not (stripped[0] == "." and stripped[1:2].isdigit()):
        return False
    tokens = stripped.split()
    if len(tokens) == 1:
        return True
    if len(tokens) == 2:
        tail = tokens[1]
        return (
            tail.upper() in MINOR_UNITS
            or tail.lower() in _CURRENCY_WORDS
            or tail.lower() in _MULTIPLIERS
            or any(tail.upper() == symbol for symbol, _ in _PREFIX_SYMBOLS)
        )
    return len(tokens) == 3 and tokens[1].lower() in _MULTIPLIERS


def parse_amount(text: str, default_currency: str) -> Money:
    """Read an amount as people type it: ``$2,000``, ``2000``, ``1.5k``, ``2k USD``, ``€800``,
    ``£1,250.50``, ``USD 40,000``, ``800 euros``.

    Rules: ``,`` only between groups of three digits and ``.`` for decimals; ``k``/``m``/``bn``
    multiply by a thousand/million/billion; a currency code, symbol or word may come before or after
    the number, otherwise ``default_currency`` applies; ``$`` means the default currency when that is
    a dollar currency (CAD, AUD…) and USD otherwise, ``¥`` means CNY when that is the default and JPY
    otherwise. Negative amounts, more decimals than the currency has and amounts of
    :data:`MAX_MAJOR_UNITS` or more are refused. Raises :class:`AmountError` and nothing else.
    """
    _check_currency(default_currency)
    original = text.strip()
    if not original:
        raise AmountError(original, "is empty: type an amount such as 2,000 or $2,000")
    if len(original) > 60:
        raise AmountError(original[:57] + "…", "is too long to be an amount")
    body = _APPROX.sub("", original)
    negative = False
    if body[:1] in "-−":
        negative, body = True, body[1:]
    elif body[:1] == "+":
        body = body[1:]
    first, body = _take_currency(body, default_currency, at_start=True)
    body = body.strip()
    if body[:1] in "-−":
        negative, body = True, body[1:].strip()
    if negative:
        raise AmountError(original, "is negative: amounts are entered as positive values")
    second, body = _take_currency(body, default_currency, at_start=False)
    body = body.strip()
    if first and second and first != second:
        raise AmountError(original, f"has two currencies ({first} and {second})")
    currency = first or second or default_currency
    multiplier = 0
    suffix = re.search(r"(?<=[\d\s.])(k|mn|m|bn)$", body, re.I)
    if suffix:
        multiplier = _MULTIPLIERS[suffix.group(1).lower()]
        body = body[: suffix.start()].strip()
    numbers = _NUMBER.findall(body)
    if len(numbers) > 1:
        residue = _NUMBER.sub(" ", body).split()
        if re.search(r"\s", body) and all(_is_marker(token) for token in residue):
            raise AmountError(original, "has two amounts: keep one amount per value")
        raise AmountError(original, "is not an amount")
    if not body or _GROUPED.fullmatch(body) is None:
        if body and re.fullmatch(r"[\d.,]+", body):
            raise AmountError(
                original,
                "is not an amount: use ',' only between groups of three digits (1,250) and '.' for decimals",
            )
        raise AmountError(original, "is not an amount")
    whole, _, fraction = body.replace(",", "").partition(".")
    decimals = MINOR_UNITS[currency]
    shift = decimals + multiplier
    digits_after = fraction[shift:]
    if digits_after.strip("0"):
        allowed = "no decimal places" if decimals == 0 else f"{decimals} decimal places"
        raise AmountError(original, f"has more decimals than {currency} allows ({allowed})")
    if len(whole.lstrip("0")) + multiplier > 13:
        raise AmountError(original, _too_large(currency))
    minor = int((whole or "0") + fraction[:shift].ljust(shift, "0"))
    if minor >= MAX_MAJOR_UNITS * 10**decimals:
        raise AmountError(original, _too_large(currency))
    return Money(minor, currency)


def _is_marker(token: str) -> bool:
    """A currency symbol, code or word, or a multiplier: what may sit between two typed amounts."""
    return (
        token.upper() in MINOR_UNITS
        or token.lower() in _CURRENCY_WORDS
        or token.lower() in _MULTIPLIERS
        or any(token.upper() == symbol for symbol, _ in _PREFIX_SYMBOLS)
    )


def _too_large(currency: str) -> str:
    return f"is too large (the limit is {MAX_MAJOR_UNITS:,} {currency}); check for a typing mistake"
