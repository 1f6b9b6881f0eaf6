"""The demo team and what happened to them: who is in it, whom each learner negotiates with, and the
trade requests of the last weeks — the data :mod:`bot.playground.seed` writes as history.

Omar (admin, the executive owner), Maya (manager), five learners — one of each style and one more —
who report to Maya, and Alex, who joined today and has done nothing yet (the person the page starts
as).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from coaching.counterparts import CounterpartKind
from coaching.styles import Style

CHANNEL_ID: Final = "C0DEALS"
CHANNEL_NAME: Final = "negotiations"
REJECTION: Final = "It gives away margin with nothing measurable back."


@dataclass(frozen=True)
class DemoPerson:
    user_id: str
    handle: str
    name: str
    title: str
    role: str  # new | learner | manager | admin
    tz: str
    style: Style | None = None
    manager: str | None = None  # the Slack id of their manager
    slack_admin: bool = False

    @property
    def member_role(self) -> str:
        return "learner" if self.role == "new" else self.role

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.user_id,
            "name": self.name,
            "title": self.title,
            "role": self.role,
            "tz": self.tz,
            "style": self.style.value if self.style else None,
            "style_label": self.style.label if self.style else None,
        }


ADMIN = DemoPerson(
    "U0OMAR", "omar", "Omar Haddad", "CFO · executive owner", "admin", "Europe/London", Style.STRATEGIST,
    slack_admin=True,
)  # fmt: skip
MANAGER = DemoPerson(
    "U0MAYA", "maya", "Maya Patel", "Head of Learning · manager", "manager", "Europe/London",
    Style.DIPLOMAT, manager=ADMIN.user_id,
)  # fmt: skip
NEWCOMER = DemoPerson(
    "U0ALEX", "alex", "Alex Kim", "Programme lead · new today", "new", "Europe/London",
    manager=MANAGER.user_id,
)  # fmt: skip
LEARNERS: Final = (
    DemoPerson("U0LEO", "leo", "Leo Carter", "Account executive", "learner", "America/New_York",
               Style.CLOSER, MANAGER.user_id),
    DemoPerson("U0NINA", "nina", "Nina Okafor", "L&D partner", "learner", "Europe/London",
               Style.DIPLOMAT, MANAGER.user_id),
    DemoPerson("U0RAJ", "raj", "Raj Mehta", "Procurement lead", "learner", "Asia/Kolkata",
               Style.STRATEGIST, MANAGER.user_id),
    DemoPerson("U0SOFIA", "sofia", "Sofia Rossi", "Partnerships manager", "learner", "Europe/Rome",
               Style.GAME_CHANGER, MANAGER.user_id),
    DemoPerson("U0TOM", "tom", "Tom Becker", "Sales lead", "learner", "Europe/Berlin",
               Style.CLOSER, MANAGER.user_id),
)  # fmt: skip
ROSTER: Final = (NEWCOMER, *LEARNERS, MANAGER, ADMIN)

# Who each learner negotiates with, week after week (the sample for that kind, under another name).
# Northwind comes back, typed a different way each time, so prep shows what Parley remembers of them
# and ranks the trades that worked with them (issue 16).
COUNTERPARTS: Final = {
    CounterpartKind.CUSTOMER: ("Northwind Ltd", "northwind", "Globex Retail", "Northwind Ltd."),
    CounterpartKind.SUPPLIER: ("PrintWorks", "Venue Partners", "Cloudlearn", "FastCourier"),
    CounterpartKind.CONSULTANT: ("Sam Lee (instructor)", "Brightpath Coaching", "Ana Duarte (facilitator)"),
    CounterpartKind.MANAGEMENT: ("Dana Ruiz (VP Operations)", "Finance committee", "Chris Wong (COO)"),
    CounterpartKind.LEARNER: ("Sales cohort B", "Regional managers", "Graduate intake"),
    CounterpartKind.OTHER: ("Facilities team", "IT service desk"),
}
PLAN: Final = {  # the counterpart kinds each learner meets, one negotiation every ~10 days
    "U0LEO": (CounterpartKind.CUSTOMER, CounterpartKind.CUSTOMER, CounterpartKind.MANAGEMENT,
              CounterpartKind.CUSTOMER, CounterpartKind.SUPPLIER, CounterpartKind.CUSTOMER),
    "U0NINA": (CounterpartKind.CONSULTANT, CounterpartKind.LEARNER, CounterpartKind.MANAGEMENT,
               CounterpartKind.CONSULTANT, CounterpartKind.LEARNER, CounterpartKind.OTHER),
    "U0RAJ": (CounterpartKind.SUPPLIER, CounterpartKind.SUPPLIER, CounterpartKind.CONSULTANT,
              CounterpartKind.SUPPLIER, CounterpartKind.MANAGEMENT, CounterpartKind.SUPPLIER),
    "U0SOFIA": (CounterpartKind.MANAGEMENT, CounterpartKind.CUSTOMER, CounterpartKind.OTHER,
                CounterpartKind.CONSULTANT, CounterpartKind.CUSTOMER, CounterpartKind.MANAGEMENT),
    "U0TOM": (CounterpartKind.CUSTOMER, CounterpartKind.SUPPLIER, CounterpartKind.CUSTOMER,
              CounterpartKind.LEARNER, CounterpartKind.CUSTOMER, CounterpartKind.CUSTOMER),
}  # fmt: skip


@dataclass(frozen=True)
class TradeStory:
    """A trade proposed ``days_ago``, then ``moves``: (move, days ago, by whom), ending ``final``."""

    proposer: str
    final: str
    days_ago: float
    give: str
    give_cost: str
    get: str
    get_value: str
    moves: tuple[tuple[str, float, str], ...] = ()


MAYA = MANAGER.user_id
TRADE_STORIES: Final = (
    TradeStory("U0RAJ", "expired", 44, "Early payment discount of 2%", "$1,200", "Payment within 10 days",
               "$2,000"),
    TradeStory("U0NINA", "withdrawn", 36, "Two extra coaching sessions", "$600",
               "Cohort dates fixed for the year", "$1,500", (("withdraw", 35, "U0NINA"),)),
    TradeStory("U0LEO", "accepted", 29, "Onboarding workshop for their team", "$1,500", "24-month term",
               "$20,000", (("counter", 28, MAYA), ("accept", 27.5, "U0LEO"))),
    TradeStory("U0TOM", "rejected", 22, "10% discount on the first year", "$9,000", "A case study", "",
               (("reject", 21, MAYA),)),
    TradeStory("U0SOFIA", "approved", 14, "Co-branded launch webinar", "$800", "Logo on their partner page",
               "$3,000", (("approve", 13, MAYA),)),
    TradeStory("U0RAJ", "countered", 3, "Free delivery on the next three orders", "$450",
               "Orders placed 4 weeks ahead", "$900", (("counter", 2, MAYA),)),
    TradeStory("U0LEO", "pending", 1, "Quarterly business review", "$500", "Payment up front", "$3,000"),
    TradeStory("U0NINA", "pending", 0.15, "Extra facilitator day", "$1,200",
               "Attendance commitment with a 50% late-cancellation charge", "$2,400"),
)  # fmt: skip
REASON: Final = "Keeps the deal moving without giving margin away."
COUNTER_REASON: Final = "Only with more back."
