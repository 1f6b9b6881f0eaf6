"""The style self-assessment: scenario questions and deterministic scoring.

Each of the 13 questions is a real negotiation moment with four answers. Every answer gives
:data:`PRIMARY_WEIGHT` points to one style (each question has one answer per style, in varying
positions) and sometimes :data:`SECONDARY_WEIGHT` to a second style it also reflects.

Ids are stable strings (they travel as Slack action values and are stored with the result): change
the wording freely, never an id.

**Tie-break rule.** Styles are ranked by (1) total points, then (2) the number of answers whose
primary style it is ("decisive picks"), then (3) the fixed order Closer, Diplomat, Strategist,
Game Changer. The ranking never depends on the order in which answers are given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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

QUESTIONS: Final[tuple[Question, ...]] = (
    _q(
        "course-cut",
        "The head of operations asks you to shorten a three-day course for middle managers to two and a "
        "half days. What is your first move?",
        ("ask-why", "Ask what prompted it and how success will be measured", S, D),
        ("sign-today", "Agree, if they confirm the dates and budget in this meeting", C, None),
        ("new-format", "Pitch a new shape: two days plus a follow-up virtual session", G, None),
        ("make-it-work", "Say you'll make it work; they are under a lot of pressure", D, None),
    ),
    _q(
        "consultant-fee",
        "The instructor you want for a six-month programme won't lower her fee, and your budget is "
        "under scrutiny. What do you do?",
        ("deadline", "Set a deadline: confirm at this fee by Friday or we look elsewhere", C, None),
        ("flex", "Keep the fee and ask what else she can add: days, coaching, job aids", G, S),
        ("accept", "Accept the fee; the relationship with her is worth more", D, None),
        ("benchmark", "Benchmark three comparable instructors before deciding", S, None),
    ),
    _q(
        "learner-excused",
        "A participant asks to skip the afternoon of day two because of a last-minute assignment. "
        "How do you respond?",
        ("sympathise", "Say yes; it's one afternoon and they are clearly stretched", D, None),
        ("catch-up", "Offer a 30-minute catch-up with the trainer in exchange", G, D),
        ("check-impact", "Check what they would miss and how it affects their assessment", S, None),
        ("no-exceptions", "Fine, as long as they're there for everything else", C, None),
    ),
    _q(
        "customer-price",
        "A long-standing customer says your price is 15 % too high and a competitor is cheaper. "
        "What is your reply?",
        ("compare", "Ask to see the competing offer and compare like for like", S, None),
        ("restructure", "Restructure: longer term, lower unit price, services bundled", G, None),
        ("quick-discount", "Offer 5 % off if they sign this week", C, None),
        ("listen", "Ask how you can help; you'd hate to lose them over this", D, None),
    ),
    _q(
        "exec-cancels",
        "Two days before a leadership course, an executive tells you four of the ten vice presidents "
        "who were enrolled will not attend. What do you do?",
        ("later-cohort", "Accept it and offer the four a place in a later cohort", D, None),
        ("hold-firm", "Hold them to it: the places are booked and the cost stands", C, S),
        ("fill-seats", "Offer the seats to high-potential managers from their teams", G, None),
        ("check-terms", "Check what was agreed and what it costs before replying", S, None),
    ),
    _q(
        "supplier-late",
        "A supplier says the printed materials will be a week late unless you pay for express "
        "delivery. How do you handle it?",
        ("pay-and-go", "Pay for express so the course isn't put at risk", C, D),
        ("go-digital", "Switch to digital materials for the first week", G, None),
        ("whose-delay", "Ask whose delay it is and what the contract says", S, None),
        ("work-together", "Ask what they need from you to make the date together", D, None),
    ),
    _q(
        "night-before",
        "It is the evening before an important negotiation. How are you most likely to spend it?",
        ("model", "Building a sheet of options, costs and fallback positions", S, None),
        ("their-view", "Thinking about what they need and how to keep it friendly", D, None),
        ("bold-ideas", "Sketching a few bold ideas that could change the whole deal", G, None),
        ("the-ask", "Deciding the number you'll push for and how to ask for it", C, None),
    ),
    _q(
        "silence",
        "You have made your proposal and the other side goes quiet. What do you do?",
        ("soften", "Soften it: mention you're open to adjusting", D, None),
        ("ask-for-deal", "Ask directly: do we have a deal?", C, None),
        ("new-option", "Float a new option to get things moving again", G, None),
        ("wait", "Wait, and watch what they react to", S, None),
    ),
    _q(
        "deadlock",
        "Talks have stalled on one point that both sides care about. What is your instinct?",
        ("widen", "Widen the deal: bring in something new to trade against it", G, None),
        ("interests", "List the interests behind each position and revisit the data", S, None),
        ("split", "Split the difference so everyone can move on", C, D),
        ("pause", "Suggest a break and check how everyone is feeling", D, None),
    ),
    _q(
        "one-more-thing",
        "Just before signing, the other side asks for 'one small thing' extra. What do you do?",
        ("counter-extra", "Counter on the spot with an extra you'd like too", G, None),
        ("check-plan", "Check it against your plan and limits before answering", S, None),
        ("yes-if-signed", "Give it if they sign today", C, None),
        ("goodwill", "Agree, to end on a good note", D, None),
    ),
    _q(
        "roi-question",
        "Finance asks what the company will get for this year's training budget. How do you answer?",
        ("approval", "Give the headline number and ask for their approval", C, None),
        ("pilot", "Propose a pilot that proves its value before the full rollout", G, S),
        ("measures", "Show baseline, targets and how results will be tracked", S, None),
        ("reassure", "Ask what would reassure them and build the answer together", D, None),
    ),
    _q(
        "after-deal",
        "The deal is agreed. What do you do next?",
        ("thank", "Send a warm thank-you and check they're happy", D, None),
        ("record", "Write down what was agreed, what it cost, what you learned", S, None),
        ("next-deal", "Move straight on to the next deal", C, None),
        ("build-on", "Think about how to build something bigger on it next time", G, None),
    ),
    _q(
        "how-seen",
        "How would colleagues most likely describe you in a negotiation?",
        ("inventive", "Inventive and hard to predict", G, None),
        ("direct", "Direct and decisive", C, None),
        ("prepared", "Thorough and well prepared", S, None),
        ("warm", "Warm and easy to deal with", D, None),
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

    @property
    def max_score(self) -> int:
        """The most points one style can get (every answer's primary weight)."""
        return PRIMARY_WEIGHT * len(QUESTIONS)

    def ranking(self) -> tuple[Style, ...]:
        """All four styles, best first, by the documented tie-break rule."""
        return _rank(self.scores, self.decisive)


def question(question_id: str) -> Question:
    """The question with this id; raises :class:`AssessmentError` if there is none."""
    try:
        return _BY_ID[question_id]
    except KeyError:
        raise AssessmentError((), unknown_questions=(question_id,)) from None


def _rank(scores: Mapping[Style, int], decisive: Mapping[Style, int]) -> tuple[Style, ...]:
    order = list(Style)
    return tuple(sorted(order, key=lambda style: (-scores[style], -decisive[style], order.index(style))))


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
    for qid, oid in answers.items():
        option = _BY_ID[qid].option(oid)
        assert option is not None
        for style, weight in option.weights().items():
            scores[style] += weight
        decisive[option.primary] += 1
    ranking = _rank(scores, decisive)
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
    )
