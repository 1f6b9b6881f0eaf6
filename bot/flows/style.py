"""The style assessment: its modal, storing a sitting, and the style card sent to the member.

The questions and the scoring live in :mod:`coaching.assessment`; this module turns them into the
modal, checks a submission (every question answered with one of its own options), stores the result
with the member's new style in one unit of work (a second delivery of the same submission stores
nothing), and delivers the style card. The card is sent *after* the commit: if Slack refuses the DM,
the result is kept and the member is shown the card where they opened the assessment instead.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Final, TypeVar

from bot.replies import DATABASE_DOWN
from bot.services import Services
from coaching import assessment
from coaching.assessment import QUESTIONS, Confidence
from coaching.styles import Style, profile_for
from coaching.zones import parse_style as _style
from storage.queries import audit
from storage.queries.assessments import add_result, lock_member
from storage.queries.idempotency import claim
from templates import Message, render_message, render_view
from templates.ids.style import StyleBlock

logger = logging.getLogger(__name__)
T = TypeVar("T")

UNANSWERED: Final = "Pick the answer closest to what you would do."
NOT_A_CHOICE: Final = "That isn't one of this question's answers: pick one of them."
SAVE_FAILED: Final = DATABASE_DOWN  # said in the modal by the central error handler (bot.errors)
"""A rate-limited DM is retried in place only if Slack asks to wait at most this many seconds."""
MAX_RESPONSE_URL: Final = 500
_RESPONSE_URL: Final = re.compile(r"https?://[A-Za-z0-9.:/_~%-]{1," + str(MAX_RESPONSE_URL - 8) + "}")

_CONFIDENCE_WORDS: Final = {
    Confidence.CLEAR: "a clear result",
    Confidence.LEANING: "a leaning rather than a landslide",
    Confidence.MIXED: "a close call: you draw on more than one style",
}


# ------------------------------------------------------------------------------------------ the modal


@dataclass(frozen=True)
class AssessmentOrigin:
    """The modal's ``private_metadata``: a response_url to reach the member if their DM fails."""

    response_url: str = ""

    @classmethod
    def of(cls, response_url: object) -> AssessmentOrigin:
        """Keep a response_url only if it looks like one (Slack's are ~100 plain URL characters), so the
        metadata stays far below Slack's 3,000-character limit whatever a payload carried."""
        if isinstance(response_url, str) and _RESPONSE_URL.fullmatch(response_url):
            return cls(response_url)
        return cls()


def question_block_id(question_id: str) -> str:
    return f"{StyleBlock.QUESTION}:{question_id}"


def question_id_of(block_id: str) -> str | None:
    prefix = f"{StyleBlock.QUESTION}:"
    return block_id.removeprefix(prefix) if block_id.startswith(prefix) else None


def assessment_view(current_style: str | None, origin: AssessmentOrigin) -> dict[str, Any]:
    """The assessment modal: every question as radio buttons in its own input block."""
    style = _style(current_style)
    origin = AssessmentOrigin.of(origin.response_url)
    return render_view(
        "views/assessment",
        metadata=asdict(origin),
        current=style.label if style else "",
        questions=[
            {
                "block_id": question_block_id(question.id),
                "prompt": question.prompt,
                "options": [(option.id, option.text) for option in question.options],
            }
            for question in QUESTIONS
        ],
    )


# ------------------------------------------------------------------------------------------ submission


def answer_errors(answers: Mapping[str, str | None]) -> dict[str, str]:
    """Modal errors by block id: each unanswered question, and each answer that isn't one of its options.

    ``answers`` maps question id → chosen option id (None when unanswered); questions missing from it
    count as unanswered, unknown question ids are ignored (they cannot come from Parley's modal).
    """
    errors = {}
    for question in QUESTIONS:
        chosen = answers.get(question.id)
        if chosen is None:
            errors[question_block_id(question.id)] = UNANSWERED
        elif question.option(chosen) is None:
            errors[question_block_id(question.id)] = NOT_A_CHOICE
    return errors


@dataclass(frozen=True)
class Assessed:
    """A stored sitting: the result and the style the member had before it (None the first time)."""

    result_id: int
    result: assessment.AssessmentResult
    previous: Style | None


def record_assessment(
    services: Services,
    workspace_id: int,
    member_id: int,
    answers: Mapping[str, str],
    submission_key: str,
) -> Assessed | None:
    """Score and store one sitting and set the member's style, in one unit of work.

    Returns None when ``submission_key`` was already processed (a double submission: nothing is
    stored twice). Raises :class:`AssessmentError` for incomplete answers (check
    :func:`answer_errors` first) and lets database errors through, with nothing written.
    """
    known = {question.id for question in QUESTIONS}
    result = assessment.score({qid: oid for qid, oid in answers.items() if qid in known})
    now = services.clock()
    try:
        with services.db.session() as session:
            member = lock_member(session, workspace_id, member_id)
            if member is None:
                raise LookupError(f"member {member_id} is not in workspace {workspace_id}")
            previous = _style(member.style)
            row = add_result(
                session,
                workspace_id,
                member_id,
                answers={qid: answers[qid] for qid in known},
                primary=result.primary.value,
                secondary=result.secondary.value if result.secondary else "",
                scores={style.value: points for style, points in result.scores.items()},
                confidence=result.confidence.value,
                taken_at=now,
            )
            # Claimed after the first write, not before: pysqlite only opens the transaction at the
            # first INSERT, and a savepoint (which ``claim`` uses) opened outside one commits on release.
            if not claim(session, workspace_id, submission_key):
                raise _AlreadyRecorded
            member.style = result.primary.value
            audit.record(
                session,
                workspace_id,
                "style.assessed",
                "assessment_result",
                row.id,
                now,
                actor_id=member_id,
                style=result.primary.value,
                previous=previous.value if previous else None,
                confidence=result.confidence.value,
            )
            return Assessed(result_id=row.id, result=result, previous=previous)
    except _AlreadyRecorded:  # rolled back: the first delivery's result stands alone
        return None


class _AlreadyRecorded(Exception):
    """The submission was processed before; raised inside the unit of work to roll it back."""


# ------------------------------------------------------------------------------------------ the card


def style_card(assessed: Assessed, *, note: str = "") -> Message:
    """The result message: the style, its strengths and blind spots, and what Parley will coach on."""
    result = assessed.result
    profile = profile_for(result.primary)
    secondary = result.secondary if result.confidence is not Confidence.CLEAR else None
    return render_message(
        "messages/style_card",
        label=profile.label,
        essence=profile.essence,
        strengths=list(profile.strengths),
        blind_spots=list(profile.blind_spots),
        concedes=profile.concedes,
        coaching=list(profile.coaching),
        confidence=_CONFIDENCE_WORDS[result.confidence],
        secondary=secondary.label if secondary else "",
        previous=assessed.previous.label if assessed.previous else "",
        note=note,
    )
