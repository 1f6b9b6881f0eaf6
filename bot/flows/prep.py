"""`/negotiate prep`: validate the prep modal, store the negotiation and its prep, build the plan.

No Slack here: listeners hand in a :class:`~coaching.prep.PrepForm` and get back errors to show or
the saved plan to post. Everything written for one submission happens in one unit of work, claimed
by the submission's key, so a double submission stores one negotiation and a database failure stores
nothing at all.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.flows.counterparts import NEW as NEW_COUNTERPART
from bot.flows.counterparts import link, recall, resolve_counterpart
from bot.members import Actor
from bot.playbook import playbook_in_force, workspace_playbook
from bot.services import Services
from coaching.asks import Branch
from coaching.counterpart_history import Briefing
from coaching.counterpart_names import Match
from coaching.counterparts import CounterpartKind
from coaching.dates import dates_as, day_words
from coaching.fullplan import full_plan_sections
from coaching.prep import PrepField, PrepForm, PrepInput, PrepPlan, build_prep_plan, validate_prep
from coaching.styles import Style, profile_for
from coaching.trade_ranking import Ranking
from coaching.zones import local_today
from coaching.zones import parse_style as style_of
from storage.models import Counterpart, Member, Negotiation, Workspace
from storage.models import PrepPlan as PrepRow
from storage.queries import audit, message_refs, outbox
from storage.queries.debriefs import find_debrief
from storage.queries.idempotency import claim
from storage.queries.negotiations import (
    PrepText,
    create_negotiation,
    find_negotiation,
    find_prep,
    save_prep,
    set_plan_message,
)
from templates import escape_mrkdwn, trusted
from templates.field_limits import FIELD_LIMITS
from templates.fit import truncate
from templates.limits import PLAIN_TEXT_INPUT_MAX

logger = logging.getLogger(__name__)


# ------------------------------------------------------------------------------------------ errors


class NegotiationError(Exception):
    """A request about a negotiation that cannot go ahead; ``str()`` is the sentence for the member."""


class NotFound(NegotiationError):
    def __init__(self) -> None:
        super().__init__("That negotiation no longer exists in Parley.")


class NotYours(NegotiationError):
    def __init__(self) -> None:
        super().__init__(
            "That negotiation isn't yours: only the person who prepared it can edit its prep or log "
            "its debrief. Nothing was changed."
        )


class AlreadyDebriefed(NegotiationError):
    def __init__(self, title: str, logged: datetime | None = None) -> None:
        when = f" on {day_words(logged.date())}" if logged is not None else ""
        super().__init__(
            f"“{title}” already has a debrief (logged{when}); a negotiation gets one debrief, and its prep "
            "is kept as it was. If talks start again, prepare them as a new negotiation."
        )


class StorageUnavailable(NegotiationError):
    def __init__(self) -> None:
        super().__init__(
            "Parley couldn't save this: its database didn't answer. Nothing was saved and what you "
            "typed is still here; submit again in a moment."
        )


# ------------------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class PlanMessage:
    """Where a prep plan was posted (so it can be updated in place): the card at ``ts``, and the full
    plan at ``thread_ts``, a reply in the card's thread (``None`` when it was never posted)."""

    channel: str
    ts: str
    thread_ts: str | None = None


@dataclass(frozen=True)
class SavedPrep:
    negotiation_id: int
    created: bool
    delivery: str | None = None
    """The dedupe key of the outbox row that posts the plan and refreshes the Home tab (when asked)."""


@dataclass(frozen=True)
class PlanNow:
    """A stored prep's plan as it reads now, with what is known about its counterpart."""

    plan: PrepPlan
    known: Briefing | None
    ranking: Ranking | None
    message: PlanMessage | None
    owner: Actor


@dataclass(frozen=True)
class PrepResult:
    """Exactly one of: ``errors`` to show in the modal, ``saved``, or ``duplicate`` (already stored)."""

    errors: Mapping[PrepField, str] = field(default_factory=dict)
    saved: SavedPrep | None = None
    duplicate: bool = False
    choose: Match | None = None
    """The counterpart typed is like one (or several) already known: ask in the modal first."""


# ------------------------------------------------------------------------------------------ helpers


class NeedsChoice(Exception):
    """The counterpart is ambiguous: roll back and ask in the modal."""

    def __init__(self, match: Match) -> None:
        super().__init__("a counterpart choice is needed")
        self.match = match


class Repeated(Exception):
    """A concurrent copy of this submission was stored first: this unit of work must roll back."""


def claim_last(session: Session, workspace_id: int, key: str) -> None:
    """Claim the submission key as the unit of work's last write; raise :class:`Repeated` if taken.

    Last, because on SQLite pysqlite opens its transaction lazily at the first INSERT/UPDATE: the
    savepoint ``claim`` uses, issued before any write, would run outside the transaction and commit
    the key on its own even when the unit of work then rolls back, and a retry after a database
    error would be mistaken for a duplicate. After the writes it is inside the transaction.
    """
    session.flush()
    if not claim(session, workspace_id, key):
        raise Repeated()


def owned_negotiation(session: Session, actor: Actor, negotiation_id: int) -> Negotiation:
    """The negotiation, if it is in the actor's workspace and theirs; ids from payloads are not trusted."""
    negotiation = find_negotiation(session, actor.workspace_id, negotiation_id)
    if negotiation is None:
        raise NotFound()
    if negotiation.owner_id != actor.member_id:
        raise NotYours()
    return negotiation


def ensure_not_debriefed(session: Session, negotiation: Negotiation) -> None:
    debrief = find_debrief(session, negotiation.workspace_id, negotiation.id)
    if debrief is not None:
        raise AlreadyDebriefed(negotiation.title, debrief.submitted_at)


def form_from_rows(negotiation: Negotiation, prep: PrepRow | None) -> PrepForm:
    """The prep modal's values as they were saved (verbatim), for *Edit prep*."""
    return PrepForm(
        title=negotiation.title,
        counterpart_kind=negotiation.counterpart_kind,
        counterpart_name=negotiation.counterpart_name,
        date=negotiation.date.isoformat() if negotiation.date else "",
        objectives=prep.objectives if prep else "",
        limits=prep.limits if prep else "",
        walk_away=prep.walk_away if prep else "",
        tradeables=prep.tradeables if prep else "",
        wants=prep.wants if prep else "",
        counterpart_style=(prep.counterpart_style or "") if prep else "",
        asks=prep.asks if prep else "",
    )


def stored_prep_input(negotiation: Negotiation, prep: PrepRow | None) -> PrepInput | None:
    """The stored prep read back as a :class:`PrepInput` (its date may have passed by now)."""
    if prep is None:
        return None
    validation = validate_prep(
        form_from_rows(negotiation, prep), today=date.min, default_currency=negotiation.currency
    )
    return validation.prep


# ------------------------------------------------------------------------------------------ use cases


def new_prep_form(title: str) -> PrepForm:
    """The empty prep modal, with the title typed after ``/negotiate prep``."""
    return PrepForm(title=title.strip())


def prep_form_for_edit(services: Services, actor: Actor, negotiation_id: int) -> tuple[PrepForm, str]:
    """The saved prep for *Edit prep* and the currency it is read in; raises :class:`NegotiationError`
    when it may not be edited (not found, not the actor's, already debriefed, database down)."""
    try:
        with services.db.session() as session:
            negotiation = owned_negotiation(session, actor, negotiation_id)
            ensure_not_debriefed(session, negotiation)
            prep = find_prep(session, actor.workspace_id, negotiation.id)
            return form_from_rows(negotiation, prep), negotiation.currency
    except SQLAlchemyError:
        logger.exception("reading a prep for editing failed")
        raise StorageUnavailable() from None


def submit_prep(
    services: Services,
    actor: Actor,
    form: PrepForm,
    *,
    negotiation_id: int | None,
    submission_key: str,
    counterpart_choice: str = "",
    deliver_to: str | None = None,
) -> PrepResult:
    """Validate and save a prep (new, or an edit of ``negotiation_id``).

    With ``deliver_to`` (the channel the modal was opened from, where a notice goes if the plan cannot
    be posted), the same unit of work enqueues the outbox job that builds the plan, posts it in the
    member's DM and refreshes their Home tab (``bot.flows.prep_delivery``): saved and owed, or neither.
    The plan is not built here; it is built from what was stored when the job runs.

    Raises :class:`NegotiationError` (not found, not yours, already debriefed, storage unavailable).
    """
    in_force = playbook_in_force(services, actor.workspace_id)
    playbook = in_force.playbook
    now = services.clock()
    currency = playbook.policy.default_currency
    if negotiation_id is not None:
        currency = negotiation_currency(services, actor, negotiation_id)
    validation = validate_prep(form, today=local_today(now, actor.tz), default_currency=currency)
    if validation.prep is None:
        return PrepResult(errors=validation.errors)
    prep = validation.prep
    style = style_of(actor.style)
    text = PrepText(
        objectives=form.objectives,
        limits=form.limits,
        walk_away=form.walk_away,
        tradeables=form.tradeables,
        wants=form.wants,
        counterpart_style=prep.counterpart_style.value if prep.counterpart_style else None,
        asks=form.asks,
    )
    try:
        with services.db.session() as session:
            existing = None
            if negotiation_id is not None:
                existing = owned_negotiation(session, actor, negotiation_id)
                ensure_not_debriefed(session, existing)
            resolved = resolve_counterpart(
                session, actor, existing, prep.counterpart_name, prep.counterpart_kind.value,
                counterpart_choice, now,
            )  # fmt: skip
            if resolved.ask is not None:
                raise NeedsChoice(resolved.ask)
            kind_changed = False
            if existing is None:
                negotiation = create_negotiation(
                    session,
                    actor.workspace_id,
                    actor.member_id,
                    title=prep.title,
                    counterpart_kind=prep.counterpart_kind.value,
                    counterpart_name=prep.counterpart_name,
                    when=prep.date,
                    currency=prep.currency,
                    # a new negotiation is linked as it is inserted: it has no ledger or trades to relink
                    counterpart_id=resolved.counterpart.id if resolved.counterpart is not None else None,
                )
            else:
                negotiation = existing
                kind_changed = negotiation.counterpart_kind != prep.counterpart_kind.value
                negotiation.title = prep.title
                negotiation.counterpart_kind = prep.counterpart_kind.value
                negotiation.counterpart_name = prep.counterpart_name
                negotiation.date = prep.date
                negotiation.updated_at = now
            link(session, negotiation, resolved.counterpart, kind_changed=kind_changed)
            _, created = save_prep(
                session,
                actor.workspace_id,
                negotiation.id,
                text,
                style=style.value if style else None,
                now=now,
                new=negotiation_id is None,
                playbook_version=in_force.version,
            )
            audit.record(
                session,
                actor.workspace_id,
                "prep.created" if created else "prep.updated",
                "negotiation",
                negotiation.id,
                now,
                actor_id=actor.member_id,
                counterpart_kind=negotiation.counterpart_kind,
            )
            delivery = None
            if deliver_to is not None:
                delivery = enqueue_plan_delivery(
                    session, actor, negotiation.id, submission_key, channel_id=deliver_to,
                    updated=not created, now=now,
                )  # fmt: skip
            claim_last(session, actor.workspace_id, submission_key)
            saved = SavedPrep(negotiation.id, created, delivery)
    except NeedsChoice as ask:
        return PrepResult(choose=ask.match)
    except Repeated:
        return PrepResult(duplicate=True)
    except SQLAlchemyError:
        logger.exception("saving a prep failed; nothing was stored")
        raise StorageUnavailable() from None
    return PrepResult(saved=saved)


PLAN_JOB = "prep_plan"
"""The outbox job kind that posts a saved prep's plan and refreshes the Home tab
(``bot.flows.prep_delivery``)."""


def enqueue_plan_delivery(
    session: Session,
    actor: Actor,
    negotiation_id: int,
    submission_key: str,
    *,
    channel_id: str,
    updated: bool,
    now: datetime,
) -> str:
    """Owe the member their plan and Home tab: one outbox row in the saving unit of work; its key.

    The key names the submission (Slack resends a retried one with the same view id and hash), so
    a copy of the submission stored first already owes it and this one rolls back with the claim."""
    digest = hashlib.sha256(submission_key.encode()).hexdigest()[:40]
    key = f"{PLAN_JOB}:{actor.workspace_id}:{negotiation_id}:{digest}"
    outbox.enqueue(
        session,
        workspace_id=actor.workspace_id,
        kind=PLAN_JOB,
        target=actor.slack_user_id,
        payload={"negotiation_id": negotiation_id, "channel_id": channel_id, "updated": updated},
        dedupe_key=key,
        due_at=now,
    )
    return key


def plan_now(session: Session, services: Services, workspace_id: int, negotiation_id: int) -> PlanNow | None:
    """Build a stored prep's plan from its rows, as the member's plan message shows it: ranked by the
    evidence about its counterpart, with what is known about them. None when it is gone."""
    negotiation = find_negotiation(session, workspace_id, negotiation_id)
    prep_row = find_prep(session, workspace_id, negotiation_id) if negotiation is not None else None
    prep = stored_prep_input(negotiation, prep_row) if negotiation is not None else None
    if negotiation is None or prep_row is None or prep is None:
        return None
    owner = session.get(Member, negotiation.owner_id)
    if owner is None:
        return None
    actor = Actor.of(owner)
    with dates_as(actor.dates):  # the owner's way, whoever runs the job (their request, or the clock)
        return _plan_for(session, services, workspace_id, negotiation, prep_row, prep, actor)


def _plan_for(
    session: Session,
    services: Services,
    workspace_id: int,
    negotiation: Negotiation,
    prep_row: PrepRow,
    prep: PrepInput,
    actor: Actor,
) -> PlanNow:
    workspace = session.get(Workspace, workspace_id)  # held: recall reads it again from the identity map
    playbook = workspace_playbook(services, session, workspace_id).playbook
    plan = build_prep_plan(prep, style_of(prep_row.style), playbook)
    counterpart = session.get(Counterpart, negotiation.counterpart_id) if negotiation.counterpart_id else None
    remembered = recall(
        session, actor, workspace, counterpart,
        kind=prep.counterpart_kind.value, kind_label=prep.counterpart_kind.label, trades=plan.trades,
        playbook=playbook, currency=prep.currency, exclude=negotiation.id,
        today=local_today(services.clock(), actor.tz),
    )  # fmt: skip
    message = (
        PlanMessage(prep_row.slack_channel, prep_row.slack_ts, prep_row.slack_thread_ts)
        if prep_row.slack_channel and prep_row.slack_ts
        else None
    )
    plan = with_ranking(prep, plan, remembered.ranking)
    return PlanNow(plan, remembered.known, remembered.ranking, message, actor)


def with_ranking(prep: PrepInput, plan: PrepPlan, ranking: Ranking) -> PrepPlan:
    """The plan with its trades in the ranking's order ("Your three moves" follows it)."""
    if not ranking.by_evidence:
        return plan
    from coaching.moves import first_screen

    ranked = replace(plan, trades=tuple(r.trade for r in ranking.trades))
    return replace(ranked, first_screen=first_screen(prep, ranked))


def negotiation_currency(services: Services, actor: Actor, negotiation_id: int) -> str:
    """The currency amounts typed for a negotiation are read in: its own (also checks ownership early)."""
    try:
        with services.db.session() as session:
            return owned_negotiation(session, actor, negotiation_id).currency
    except SQLAlchemyError:
        logger.exception("reading a negotiation failed")
        raise StorageUnavailable() from None


PLAN_VIEW = "plan"
"""How the plan card is recorded with its negotiation (updated in place once the debrief is logged)."""


def record_plan_in(
    session: Session, workspace_id: int, viewer: str, negotiation_id: int, message: PlanMessage
) -> None:
    """Remember where the plan was posted (so *Edit prep* and the debrief update it in place)."""
    set_plan_message(session, workspace_id, negotiation_id, message.channel, message.ts, message.thread_ts)
    message_refs.record(
        session, workspace_id=workspace_id, entity=message_refs.NEGOTIATION, entity_id=negotiation_id,
        view=PLAN_VIEW, viewer=viewer, channel=message.channel, ts=message.ts,
    )  # fmt: skip


# ------------------------------------------------------------------------------------------ rendering data


def fit_initial(text: str, limit: int = PLAIN_TEXT_INPUT_MAX) -> str:
    """Prefilled text must fit its field's ``max_length`` (at most 3,000 UTF-16 units). Saved fields are
    validated to the same limits, so only text full of emoji (two units each) or an over-long command
    argument is ever cut here."""
    return truncate(text, min(limit, PLAIN_TEXT_INPUT_MAX))


def match_context(match: Match | None, *, initial: str = "") -> dict[str, Any] | None:
    """The modal's "met them before?" radio: each known counterpart, then "a different one"."""
    if match is None or not match.options:
        return None
    options = [
        [
            str(k.id),
            truncate(f"Yes: {k.name} ({k.negotiations} negotiation{'s' if k.negotiations != 1 else ''})", 75),
        ]
        for k in match.options[:9]
    ]
    options.append([NEW_COUNTERPART, "No: a different counterpart"])
    return {
        "question": "Have you met them before? Parley knows a counterpart like this",
        "options": options,
        "initial": initial,
    }


def prep_modal_context(
    form: PrepForm,
    *,
    style: str | None,
    editing: bool,
    metadata: dict[str, Any],
    currency: str,
    match: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``views/prep`` template's context: plain strings and lists only."""
    member_style = style_of(style)
    return {
        "match": match,
        "form": {
            "title": fit_initial(form.title, FIELD_LIMITS["prep_title"]),
            "counterpart_kind": form.counterpart_kind,
            "counterpart_name": fit_initial(form.counterpart_name, FIELD_LIMITS["prep_name"]),
            "counterpart_style": form.counterpart_style,
            "date": form.date,
            "objectives": fit_initial(form.objectives),
            "limits": fit_initial(form.limits),
            "walk_away": fit_initial(form.walk_away),
            "tradeables": fit_initial(form.tradeables),
            "wants": fit_initial(form.wants),
            "asks": fit_initial(form.asks),
        },
        "kinds": [[kind.value, kind.label] for kind in CounterpartKind],
        "styles": [[s.value, s.label] for s in Style],
        "style_label": profile_for(member_style).label,
        "has_style": member_style is not None,
        "editing": editing,
        "metadata": metadata,
        "currency": currency,
    }


ASK_LABELS = {
    Branch.COUNTER: "breaks your limit {limit}: counter on terms they'll refuse",
    Branch.TRADE: "within your limits: a trade for one of your wants",
    Branch.EXPLORE: "ask first, trade after",
}


def memory_sections(known: Briefing | None, ranking: Ranking | None) -> list[dict[str, Any]]:
    """The full plan's "What we know about them" and "Trades that work here" sections."""
    sections: list[dict[str, Any]] = []
    if known is not None and known.lines:
        title = (
            f":brain: What we know about {known.name}" if known.name else ":brain: What we know about them"
        )
        sections.append({"title": title, "lines": list(known.lines), "mark": "•"})
    if ranking is not None and ranking.trades:
        lines = [r.line for r in ranking.trades]
        if ranking.note:
            lines.append(trusted(f"_{escape_mrkdwn(ranking.note)}_"))  # the app's italics, its words escaped
        sections.append(
            {"title": ":chart_with_upwards_trend: Trades that work here", "lines": lines, "mark": "•"}
        )
    return sections


def plan_message_context(
    plan: PrepPlan,
    negotiation_id: int,
    *,
    updated: bool = False,
    debriefed: bool = False,
    known: Briefing | None = None,
    ranking: Ranking | None = None,
) -> dict[str, Any]:
    """The ``messages/prep_plan`` template's context, from everything the plan offers (and, when
    the counterpart is known, what we know about them and the trades ranked by evidence)."""
    guards = plan.limits
    guidance = None
    if guards and not any(a.branch is Branch.COUNTER for a in plan.asks):  # else the asks script it
        guidance = {
            "when_pushed": guards[0].when_pushed,
            "counter": guards[0].counter_example,
        }
    return {
        "title": plan.title,
        "headline": plan.headline,
        "style_label": profile_for(plan.style).label,
        "has_style": plan.style is not None,
        "kind_label": plan.counterpart_kind.label,
        "who": plan.counterpart_name or plan.counterpart_kind.label,
        "date": day_words(plan.date),
        "objectives": list(plan.objectives),
        "questions": list(plan.questions),
        "trades": [{"sentence": t.sentence, "why": t.why} for t in plan.trades],
        "held_back": [
            {"item": h.tradeable.item, "limit": h.limit, "reason": h.reason, "constraint": h.constraint}
            for h in plan.held_back
        ],
        "first_screen": (
            None
            if plan.first_screen is None
            else {
                "risk": plan.first_screen.risk,
                "moves": [{"title": m.title, "lines": list(m.lines)} for m in plan.first_screen.moves],
            }
        ),
        "asks": [
            {
                "ask": a.ask,
                "branch": a.branch.value,
                "label": ASK_LABELS[a.branch].format(limit=a.constraint or a.limit),
                "first": a.first,
                "script": a.script,
                "note": a.note,
            }
            for a in plan.asks
        ],
        "limits": [guard.limit for guard in guards],
        "guidance": guidance,
        "walk_away": plan.walk_away,
        "commitments": list(plan.commitments),
        "sections": [
            *memory_sections(known, ranking),
            *(
                {"title": section.title, "lines": list(section.lines), "mark": section.mark}
                for section in full_plan_sections(plan)
            ),
        ],
        "known_line": known.card_line if known is not None else None,
        "todo": list(plan.todo),
        "style_notes": list(plan.style_notes),
        "counterpart_notes": list(plan.counterpart_notes),
        "checklist": list(plan.checklist),
        "in_the_room": list(plan.in_the_room),
        "moves": [
            {"name": m.name, "when": m.when, "language": m.language[0]} for m in plan.moves if m.language
        ],
        "ref": {"negotiation_id": negotiation_id},
        "updated": updated,
        "debriefed": debriefed,
    }
