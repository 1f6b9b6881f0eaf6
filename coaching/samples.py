"""Sample preps and debriefs, typed the way people type them: one per counterpart kind
(:data:`SAMPLES`), and the cases a trainer reviews (:data:`CASES`): each sample, the same meeting
before anyone knows what the other side will ask or how they negotiate, and a few more real cases.

Used by the trainer preview (``python -m coaching.preview``) and the tests; the playground may seed
its demo team from them. All dates are fixed so nothing depends on the clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from types import MappingProxyType
from typing import Final

from coaching.counterparts import CounterpartKind
from coaching.debrief import DebriefForm
from coaching.prep import PrepForm

SAMPLE_TODAY: Final = date(2025, 3, 3)
SAMPLE_CURRENCY: Final = "USD"


@dataclass(frozen=True, slots=True)
class Sample:
    prep: PrepForm
    debrief: DebriefForm


SAMPLES: Final[Mapping[CounterpartKind, Sample]] = MappingProxyType(
    {
        CounterpartKind.MANAGEMENT: Sample(
            PrepForm(
                title="Leadership course length",
                counterpart_kind="management",
                counterpart_name="Dana Ruiz (VP Operations)",
                counterpart_style="closer",
                date="2025-03-10",
                objectives="Keep the programme at full value\nAn executive sponsor for the course",
                limits="Cutting a full day\nCourse shorter than 2.5 days\nDropping the final assessment",
                walk_away="Two and a half days, and only with something of equal value in return",
                tradeables=(
                    "Extra coaching session for the VP – costs us $300 – worth $2,000\n"
                    "no cost: earlier start date – worth $500\n"
                    "Cutting a full day – $6,000\n"
                    "Tailored job aids – $800 – worth $1,500"
                ),
                wants=(
                    "Seat at the quarterly planning meeting – worth $5,000\n"
                    "Sponsor opens the course – worth $1,000\n"
                    "Attendance commitment with cancellation terms"
                ),
                asks="Cut the course to 2 days\nCut the course to 2.5 days",
            ),
            DebriefForm(
                outcome="agreed",
                offered="Extra coaching session – $300\nHalf a day off the course – $3,000",
                conceded=(
                    "Half a day off the course – $3,000 -> seat at quarterly planning worth $5,000\n"
                    "Extra coaching session – $300 -> nothing"
                ),
                held="Final assessment",
                commitments=(
                    "they: confirm all 10 VPs by 2025-03-14\nme: send the revised agenda by 2025-03-12"
                ),
                reflection="They accepted the half day quickly once the planning seat was on the table.",
            ),
        ),
        CounterpartKind.CONSULTANT: Sample(
            PrepForm(
                title="Six-month programme fee",
                counterpart_kind="consultant",
                counterpart_name="Sam Lee (external instructor)",
                counterpart_style="strategist",
                date="2025-03-12",
                objectives="Full programme within budget\nMore delivery for the same fee",
                limits="Fee above $60,000\nUntested replacement trainer",
                walk_away="Fee above $60,000 with nothing extra",
                tradeables=(
                    "Reference letter and case study – no cost – worth $3,000\n"
                    "Introductions to our leadership team – costs us nothing – worth $2,000\n"
                    "Payment 30 days earlier – $500 – worth $1,000\n"
                    "Longer engagement – $10,000 – worth $12,000"
                ),
                wants=(
                    "3 extra training days – worth $9,000\n"
                    "2h coaching session with a senior executive (worth 1.5k)\n"
                    "Job aids tailored to our goals – worth $2,500"
                ),
                asks="Fee of $68,000\nFee of $58,000",
            ),
            DebriefForm(
                outcome="agreed",
                offered="Reference letter and case study\nPayment 30 days earlier – $500",
                conceded=(
                    "Reference letter and case study – no cost -> 2h executive coaching worth $1,500\n"
                    "Payment 30 days earlier – $500 -> tailored job aids worth $2,500\n"
                    "Travel expenses – $1,200 -> nothing"
                ),
                held="Fee cap of $55,000",
                commitments=(
                    "they: send tailored job aid drafts by 2025-04-01\n"
                    "we: set up a meeting with the COO by 2025-03-21"
                ),
                reflection="Price never moved, but the package grew.",
            ),
        ),
        CounterpartKind.LEARNER: Sample(
            PrepForm(
                title="Request to skip day 2 afternoon",
                counterpart_kind="learner",
                counterpart_name="Jordan Patel (participant)",
                counterpart_style="diplomat",
                date="2025-03-05",
                objectives="Jordan completes the programme\nQuestionnaire returned before day 1",
                limits="Missing the final assessment\nMissing more than 2 hours of the course",
                walk_away="Jordan joins the next cohort instead",
                tradeables=(
                    "Recording of the session – no cost – worth $200\n"
                    "Skip the afternoon session – $400 – worth $600\n"
                    "Missing the final assessment – $1,000"
                ),
                wants=(
                    "Two 30-minute catch-ups with the trainer – worth $400\n"
                    "Questionnaire completed by Friday – worth $300"
                ),
                asks="Missing the day 2 afternoon: 4 hours",
            ),
            DebriefForm(
                outcome="agreed",
                conceded=(
                    "Skip the afternoon session – $400 for two 30-minute catch-ups worth $400\n"
                    "Questionnaire deadline moved – $100 -> nothing"
                ),
                held="Final assessment attendance",
                commitments=(
                    "they: complete the questionnaire by 2025-03-07\nme: book the catch-ups by 2025-03-04"
                ),
                reflection="",
            ),
        ),
        CounterpartKind.CUSTOMER: Sample(
            PrepForm(
                title="Renewal pricing",
                counterpart_kind="customer",
                counterpart_name="Northwind Ltd",
                counterpart_style="strategist",
                date="2025-03-20",
                objectives="Renew for 24 months\nKeep the discount under 5%",
                limits="Discount above 10%\nMinimum term 12 months",
                walk_away="Renewal below $100,000 a year",
                tradeables=(
                    "Extra onboarding workshop – $1,500 – worth $4,000\n"
                    "Quarterly business review – $500 – worth $2,000\n"
                    "5% discount – $6,000 – worth $6,000"
                ),
                wants=(
                    "24-month term – worth $20,000\n"
                    "Payment up front – worth $3,000\n"
                    "Case study – worth $2,000"
                ),
                asks="15% discount\n5% discount\nTerm of 6 months",
            ),
            DebriefForm(
                outcome="agreed",
                conceded=(
                    "Extra onboarding workshop – $1,500 for 24-month term worth $20,000\n"
                    "Discount 5% ($6,000) -> payment up front worth $3,000\n"
                    "Free support hours – $800 -> nothing"
                ),
                held="Discount above 10%",
                commitments="they: sign the renewal by 2025-03-31",
                reflection="The discount was asked for last, after we had agreed everything else.",
            ),
        ),
        CounterpartKind.SUPPLIER: Sample(
            PrepForm(
                title="Late course materials",
                counterpart_kind="supplier",
                counterpart_name="PrintCo",
                counterpart_style="game_changer",
                date="2025-03-04",
                objectives="Materials in hand before day 1\nNo extra cost",
                limits="Paying for express delivery",
                walk_away="Switch to digital materials and cancel the print order",
                tradeables=(
                    "Flexible delivery window – no cost – worth $300\n"
                    "Longer contract term – $0 – worth $5,000"
                ),
                wants="Credit for the late week – worth $1,000\nDigital copies in the meantime – worth $400",
                asks="Express delivery at $400",
            ),
            DebriefForm(
                outcome="agreed",
                conceded=(
                    "Paying for express delivery – $600 -> nothing\n"
                    "Flexible delivery window – no cost -> digital copies worth $400"
                ),
                commitments="they: deliver the printed copies by 2025-03-07",
                reflection="I agreed to pay for express before asking about a credit.",
            ),
        ),
        CounterpartKind.OTHER: Sample(
            PrepForm(
                title="Training room schedule",
                counterpart_kind="other",
                counterpart_name="Facilities team",
                date="2025-03-06",
                objectives="Two fixed mornings a week for training",
                limits="Giving up Monday mornings",
                walk_away="Book an external venue",
                tradeables=(
                    "Friday afternoon slot – no cost – worth $200\nSetting up the room ourselves – $100"
                ),
                wants="Tuesday and Thursday mornings – worth $500",
                asks="Monday mornings for their team",
            ),
            DebriefForm(
                outcome="paused",
                conceded="Friday afternoon slot – $0 -> Tuesday mornings worth $500",
                held="Monday mornings",
                commitments="they: confirm Thursdays by 2025-03-13",
            ),
        ),
    }
)


@dataclass(frozen=True, slots=True)
class Case:
    """A named case for the trainer preview: ``name`` is what ``--case`` takes."""

    name: str
    kind: CounterpartKind
    sample: Sample


SEAT_RENEWAL: Final = Sample(
    PrepForm(
        title="Seat renewal",
        counterpart_kind="customer",
        counterpart_name="Contoso (procurement)",
        counterpart_style="closer",
        date="2025-03-18",
        objectives="Renew all 40 seats for 24 months\nKeep the discount at 5% or less",
        limits="No more than 7% off\nNo free seats",
        walk_away="Fewer than 30 seats, or a term under 12 months",
        tradeables=(
            "Onboarding day $900 worth $2,500\n"
            "Quarterly business review – $500 – worth $2,000\n"
            "5% discount – $4,000 – worth $4,000"
        ),
        wants="24-month term – worth $15,000\nCase study – worth $2,000",
        asks="12% discount\nA quarterly business review",
    ),
    DebriefForm(
        outcome="agreed",
        conceded=("5% discount – $4,000 for 24-month term worth $15,000\nOnboarding day $900 -> nothing"),
        held="No more than 7% off",
        commitments="they: sign for 40 seats by 2025-03-31",
        reflection="They asked for the onboarding day as we were shaking hands, and I said yes.",
    ),
)


def _unknown(sample: Sample) -> Sample:
    """The same meeting before you know what they will ask or how they negotiate."""
    return Sample(replace(sample.prep, asks="", counterpart_style=""), sample.debrief)


CASES: Final[tuple[Case, ...]] = (
    *(Case(kind.value, kind, SAMPLES[kind]) for kind in CounterpartKind),
    *(Case(f"{kind.value}-unknown", kind, _unknown(SAMPLES[kind])) for kind in CounterpartKind),
    Case("seat-renewal", CounterpartKind.CUSTOMER, SEAT_RENEWAL),
)
"""Every case the trainer preview shows and the style tests run: per kind, the sample and the same
meeting with their asks and style unknown; and the seat renewal (a numeric limit, two asks)."""
