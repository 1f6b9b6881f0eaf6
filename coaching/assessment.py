"""The style self-assessment: scenario questions and deterministic scoring.

Each of the 12 questions is a real negotiation moment with four answers, each written as a
*strength* of one style (no answer is the textbook one). Every answer gives :data:`PRIMARY_WEIGHT`
points to its style and nothing to any other, each question has one answer per style, and every style
sits in every answer position equally often, so someone answering at random is equally likely to get
any style (tested over 100,000 simulated respondents). ``Option.secondary`` is kept for playbooks that
define their own questions; the built-in questions use none, because secondary points were what tilted
random answering towards Diplomat and Strategist.

Ids are stable strings (they travel as Slack action values and are stored with the result): change
the wording freely, never an id.

**Tie-break rule.** Styles are ranked by (1) total points, then (2) the number of answers whose
primary style it is ("decisive picks"), then (3) the style picked at the earliest question (in the
order the questions are asked), then (4) the fixed order Closer, Diplomat, Strategist, Game Changer
(only for styles never picked). Rule (3) treats every style alike, where a fixed order would hand
every tie to Closer. The ranking never depends on the order in which answers are given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from coaching.errors import CoachingError
from coaching.styles import Style

PRIMARY_WEIGHT: Final = 2
SECONDARY_WEIGHT: Final = 1
CLEAR_MARGIN: Final = 6
"""Points between first and second style for a ``clear`` result (three more decisive picks)."""
LEANING_MARGIN: Final = 3
"""Points between first and second style for a ``leaning`` result; below it the result is ``mixed``."""


class Confidence(StrEnum):
    """How strongly the answers point to the primary style."""

    CLEAR = "clear"
    LEANING = "leaning"
    MIXED = "mixed"


@dataclass(frozen=True, slots=True)
class Option:
    """One answer: ``primary`` scores :data:`PRIMARY_WEIGHT`, ``secondary`` :data:`SECONDARY_WEIGHT`."""

    id: str
    text: str
    primary: Style
    secondary: Style | None = None

    def weights(self) -> Mapping[Style, int]:
        weights = {self.primary: PRIMARY_WEIGHT}
        if self.secondary is not None:
            weights[self.secondary] = SECONDARY_WEIGHT
        return MappingProxyType(weights)


@dataclass(frozen=True, slots=True)
class Question:
    """A scenario and its four answers."""

    id: str
    prompt: str
    options: tuple[Option, ...]

    def option(self, option_id: str) -> Option | None:
        return next((option for option in self.options if option.id == option_id), None)


def _q(qid: str, prompt: str, *options: tuple[str, str, Style, Style | None]) -> Question:
    return Question(
        qid,
        prompt,
        tuple(
            Option(f"{qid}.{slug}", text, primary, secondary) for slug, text, primary, secondary in options
        ),
    )


C, D, S, G = Style.CLOSER, Style.DIPLOMAT, Style.STRATEGIST, Style.GAME_CHANGER

# Every answer is a strength of one style: none is the "right" answer, none reads as giving in or as
# buying the signature. Answer positions form three 4×4 Latin squares, so every style sits in every
# position exactly three times (a respondent who always picks the first answer favours no style).
QUESTIONS: Final[tuple[Question, ...]] = (
    _q(
        "course-cut",
        "The head of operations asks you to shorten a three-day course for middle managers to two and a "
        "half days. What is your first move?",
        ("sign-today", "Settle what a shorter course needs from them, and agree it in this meeting", C, None),
        (
            "make-it-work",
            "Explore the pressure they're under and shape a version that works for both",
            D,
            None,
        ),
        ("ask-why", "Ask what's driving it and how they'll judge the course a success", S, None),
        ("new-format", "Offer a different shape: two days plus a follow-up virtual session", G, None),
    ),
    _q(
        "consultant-fee",
        "The instructor you want for a six-month programme won't lower her fee, and your budget is "
        "under scrutiny. What do you do?",
        ("accept", "Build the relationship: ask what she values most about working with you", D, None),
        ("flex", "Keep the fee and design a richer package: extra days, coaching, job aids", G, None),
        ("deadline", "Put a clear decision date on it so both sides can plan", C, None),
        ("benchmark", "Benchmark comparable instructors so the fee is judged on evidence", S, None),
    ),
    _q(
        "learner-excused",
        "A participant asks to skip the afternoon of day two because of a last-minute assignment. "
        "How do you respond?",
        ("check-impact", "Check what they'd miss and what it means for their assessment", S, None),
        (
            "no-exceptions",
            "Be clear the course needs them there, and ask them to confirm they'll come",
            C,
            None,
        ),
        ("catch-up", "Offer a swap: a 30-minute catch-up with the trainer instead", G, None),
        ("sympathise", "Hear them out and agree a plan that keeps them on side and on track", D, None),
    ),
    _q(
        "customer-price",
        "A long-standing customer says your price is 15 % too high and a competitor is cheaper. "
        "What is your reply?",
        ("restructure", "Reshape the deal around term, volume and services, not just price", G, None),
        ("compare", "Ask to see the competing offer and compare it like for like", S, None),
        ("listen", "Ask what the relationship needs from you to stay strong", D, None),
        ("quick-discount", "Hold your price with confidence and ask for their decision", C, None),
    ),
    _q(
        "exec-cancels",
        "Two days before a leadership course, an executive tells you four of the ten vice presidents "
        "who were enrolled will not attend. What do you do?",
        ("fill-seats", "Turn the gap into an opening: offer the seats to rising managers", G, None),
        ("check-terms", "Check what was agreed and what it costs before you reply", S, None),
        ("hold-firm", "Hold them to the agreement: the places were booked and the cost stands", C, None),
        ("later-cohort", "Talk through what changed and agree together how to keep the VPs in", D, None),
    ),
    _q(
        "supplier-late",
        "A supplier says the printed materials will be a week late unless you pay for express "
        "delivery. How do you handle it?",
        ("whose-delay", "Establish whose delay it is and what the contract says", S, None),
        ("work-together", "Ask what they need from you to make the date together", D, None),
        ("go-digital", "Find another route: digital materials for the first week", G, None),
        ("pay-and-go", "Decide fast: get a firm date and a price for express, then move", C, None),
    ),
    _q(
        "night-before",
        "It is the evening before an important negotiation. How are you most likely to spend it?",
        ("the-ask", "Fixing the number you'll ask for and rehearsing saying it plainly", C, None),
        ("bold-ideas", "Sketching a few bold ideas that could reshape the whole deal", G, None),
        ("their-view", "Thinking through what they need and how to open warmly", D, None),
        ("model", "Building a sheet of options, costs and fallback positions", S, None),
    ),
    _q(
        "silence",
        "You have made your proposal and the other side goes quiet. What do you do?",
        ("soften", "Check in with them: ask what's on their mind", D, None),
        ("ask-for-deal", "Ask directly: do we have a deal?", C, None),
        ("wait", "Wait, and note what they react to", S, None),
        ("new-option", "Float a new option to get things moving again", G, None),
    ),
    _q(
        "deadlock",
        "Talks have stalled on one point that both sides care about. What is your instinct?",
        ("pause", "Call a break and rebuild trust before going back to it", D, None),
        ("split", "Put one clear package on the table and ask for a decision on it", C, None),
        ("widen", "Widen the deal: bring in something new to trade against it", G, None),
        ("interests", "Map the interests behind each position and revisit the data", S, None),
    ),
    _q(
        "one-more-thing",
        "Just before signing, the other side asks for 'one small thing' extra. What do you do?",
        ("yes-if-signed", "Tie it to the close: 'if we settle that, we sign today'", C, None),
        ("check-plan", "Check it against your plan and limits before answering", S, None),
        ("interests-first", "Ask what it would mean to them before deciding how to respond", D, None),
        ("counter-extra", "Counter on the spot with an extra you'd like in return", G, None),
    ),
    _q(
        "roi-question",
        "Finance asks what the company will get for this year's training budget. How do you answer?",
        ("pilot", "Propose a pilot that proves its value before the full rollout", G, None),
        ("reassure", "Ask what would reassure them and build the answer together", D, None),
        ("measures", "Show baseline, targets and how results will be tracked", S, None),
        ("approval", "Lead with the headline result and ask for their backing", C, None),
    ),
    _q(
        "after-deal",
        "The deal is agreed. What do you do next?",
        ("record", "Write down what was agreed, what it cost, and what you learned", S, None),
        ("build-on", "Sketch how to build something bigger on it next time", G, None),
        ("next-deal", "Lock in the next step and its date while momentum is high", C, None),
        ("thank", "Thank them warmly and check the relationship is in good shape", D, None),
    ),
)

del C, D, S, G

_BY_ID: Final[Mapping[str, Question]] = MappingProxyType({question.id: question for question in QUESTIONS})


class AssessmentError(CoachingError):
    """The answers don't fit the questions: lists missing and unknown ids so the modal can say which."""

    def __init__(
        self,
        missing: tuple[str, ...],
        unknown_questions: tuple[str, ...] = (),
        unknown_options: tuple[str, ...] = (),
    ) -> None:
        parts = []
        if missing:
            parts.append("unanswered questions: " + ", ".join(missing))
        if unknown_questions:
            parts.append("unknown questions: " + ", ".join(unknown_questions))
        if unknown_options:
            parts.append("unknown answers: " + ", ".join(unknown_options))
        super().__init__("; ".join(parts))
        self.missing = missing
        self.unknown_questions = unknown_questions
        self.unknown_options = unknown_options


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    """The outcome of one assessment. ``secondary`` is None only if no other style scored at all."""

    primary: Style
    secondary: Style | None
    scores: Mapping[Style, int]
    decisive: Mapping[Style, int]
    confidence: Confidence
    margin: int
    first_pick: Mapping[Style, int] = field(default_factory=lambda: MappingProxyType({}))
    """Per style, the index of the earliest question answered with it (the third tie-break)."""

    @property
    def max_score(self) -> int:
        """The most points one style can get (every answer's primary weight)."""
        return PRIMARY_WEIGHT * len(QUESTIONS)

    def ranking(self) -> tuple[Style, ...]:
        """All four styles, best first, by the documented tie-break rule."""
        return _rank(self.scores, self.decisive, self.first_pick)


def question(question_id: str) -> Question:
    """The question with this id; raises :class:`AssessmentError` if there is none."""
    try:
        return _BY_ID[question_id]
    except KeyError:
        raise AssessmentError((), unknown_questions=(question_id,)) from None


def _rank(
    scores: Mapping[Style, int], decisive: Mapping[Style, int], first_pick: Mapping[Style, int] | None = None
) -> tuple[Style, ...]:
    order = list(Style)
    never = len(QUESTIONS)
    firsts = first_pick or {}
    return tuple(
        sorted(
            order,
            key=lambda style: (
                -scores[style],
                -decisive[style],
                firsts.get(style, never),
                order.index(style),
            ),
        )
    )


def score(answers: Mapping[str, str]) -> AssessmentResult:
    """Score a complete set of answers (question id → option id).

    Raises :class:`AssessmentError` listing every missing question id and every unknown question or
    option id; extra or partial answer sets are never scored.
    """
    missing = tuple(q.id for q in QUESTIONS if q.id not in answers)
    unknown_questions = tuple(sorted(qid for qid in answers if qid not in _BY_ID))
    unknown_options = tuple(
        sorted(
            str(oid) for qid, oid in answers.items() if qid in _BY_ID and _BY_ID[qid].option(str(oid)) is None
        )
    )
    if missing or unknown_questions or unknown_options:
        raise AssessmentError(missing, unknown_questions, unknown_options)
    scores = dict.fromkeys(Style, 0)
    decisive = dict.fromkeys(Style, 0)
    first_pick: dict[Style, int] = {}
    for index, q in enumerate(QUESTIONS):
        option = q.option(answers[q.id])
        assert option is not None
        for style, weight in option.weights().items():
            scores[style] += weight
        decisive[option.primary] += 1
        first_pick.setdefault(option.primary, index)
    ranking = _rank(scores, decisive, first_pick)
    primary, runner_up = ranking[0], ranking[1]
    margin = scores[primary] - scores[runner_up]
    if margin >= CLEAR_MARGIN:
        confidence = Confidence.CLEAR
    elif margin >= LEANING_MARGIN:
        confidence = Confidence.LEANING
    else:
        confidence = Confidence.MIXED
    return AssessmentResult(
        primary=primary,
        secondary=runner_up if scores[runner_up] > 0 else None,
        scores=MappingProxyType(scores),
        decisive=MappingProxyType(decisive),
        confidence=confidence,
        margin=margin,
        first_pick=MappingProxyType(first_pick),
    )
