"""Replies to the person behind a request: ephemeral notices where they are, and "the form didn't open".

Every listener and the central error handler (:mod:`bot.errors`) answer people through these, so
one situation reads the same wherever it happens.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot import edge
from bot.messaging import (
    SLACK_FAILURES,
    Posted,
    deliver,
    open_dm,
    post_notice,
    retry_rate_limited,
    slack_error,
)
from bot.metadata import MetadataError, NegotiationRef, load
from templates import Message, Trusted, app_text, escape_mrkdwn, render_message, trusted

logger = logging.getLogger(__name__)
T = TypeVar("T")
K = TypeVar("K")
S_co = TypeVar("S_co", covariant=True)

DATABASE_DOWN = "Parley can't reach its database right now; nothing was saved — try again in a minute."
"""The one wording for a database failure (issue 13): commands, buttons and modals alike."""


def notice(title: str, body: str, level: str = "warning") -> Message:
    return render_message("messages/notice", level=level, title=title, body=body)


def tell_member(
    client: WebClient, user_id: str, channel_id: str, *, title: str, body: str, level: str = "warning"
) -> None:
    """An ephemeral notice where the member is (the channel they started from, else their DM); best effort."""
    channels = [c for c in (channel_id,) if c]
    try:
        dm = open_dm(client, user_id)
    except SLACK_FAILURES as error:
        logger.warning("could not open the DM with %s: %s", user_id, slack_error(error))
    else:
        if dm not in channels:
            channels.append(dm)
    for channel in channels:

        def send(channel: str = channel) -> None:
            post_notice(client, channel, user_id, level=level, title=title, body=body)

        try:
            retry_rate_limited(send)
            return
        except SLACK_FAILURES as error:
            logger.warning("notice to %s in %s failed: %s", user_id, channel, slack_error(error))


def answer(
    respond: Respond | None,
    client: WebClient,
    body: Mapping[str, Any],
    title: str,
    text: str,
    level: str = "warning",
) -> None:
    """An ephemeral reply to a command or a click: through its response_url when it has one (a
    command, a button in a message), else (a Home-tab button, a modal) as a notice in the DM."""
    if respond is not None and edge.response_url(body):
        try:
            respond(
                response_type="ephemeral", replace_original=False, **notice(title, text, level).as_kwargs()
            )
            return
        except Exception as error:  # an expired response_url: the DM is still there
            logger.warning("could not answer through the response_url: %s", type(error).__name__)
    user_id = edge.user_id(body)
    if user_id:
        tell_member(client, user_id, "", title=title, body=text, level=level)


def form_did_not_open(
    respond: Respond | None,
    client: WebClient,
    body: Mapping[str, Any],
    form: str,
    error: BaseException,
    *,
    again: str = "Click again.",
) -> None:
    """Slack refused ``views.open`` (usually an expired trigger): log it and ask the person to retry.

    ``form`` names what did not open ("prep form", "assessment"); ``again`` says how to retry.
    """
    logger.warning("could not open the %s for %s: %s", form, edge.user_id(body), slack_error(error))
    answer(
        respond,
        client,
        body,
        f"The {form} didn't open",
        app_text(f"Slack didn't let Parley open it in time. {again}"),
        level="error",
    )


def button_ref(
    cls: type[T],
    respond: Respond | None,
    client: WebClient,
    body: Mapping[str, Any],
    *,
    title: str,
    instead: str,
) -> T | None:
    """What the clicked button's value names (a ``bot.metadata`` dataclass); None, after telling the
    person ``title`` and what to run ``instead``, when the value is not one Parley wrote."""
    try:
        return load(cls, edge.action_value(body))
    except MetadataError:
        answer(respond, client, body, title, instead)
        return None


def run_or_answer(
    respond: Respond | None,
    client: WebClient,
    body: Mapping[str, Any],
    title: str,
    refusal: type[Exception],
    use_case: Callable[[], T],
) -> T | None:
    """``use_case()`` for a click; when it raises ``refusal``, None after answering its message under
    ``title`` (nothing changed)."""
    try:
        return use_case()
    except refusal as error:
        answer(respond, client, body, title, str(error))
        return None


def plan_button(
    respond: Respond | None, client: WebClient, body: Mapping[str, Any], *, instead: str
) -> NegotiationRef | None:
    """The negotiation a prep plan's button names (*Edit prep*, *Log the debrief*); None, after saying
    the button no longer works and what to run ``instead``."""
    return button_ref(
        NegotiationRef, respond, client, body, title="That button doesn't work any more", instead=instead
    )


def open_modal(
    client: WebClient,
    respond: Respond | None,
    body: Mapping[str, Any],
    view: dict[str, Any],
    form: str,
    *,
    again: str = "Click again.",
) -> None:
    """``views.open`` with the request's trigger id; when Slack refuses, :func:`form_did_not_open`."""
    try:
        client.views_open(trigger_id=edge.trigger_id(body), view=view)
    except SLACK_FAILURES as error:
        form_did_not_open(respond, client, body, form, error, again=again)


def deliver_saved(
    client: WebClient,
    user_id: str,
    channel_id: str,
    message: Message,
    previous: Posted | None = None,
    *,
    title: str,
    kept: str,
) -> Posted | None:
    """Send what was just saved (in place of ``previous`` if it still exists); when Slack refuses,
    tell the member where they are that it is saved (``kept`` says where to find it)."""
    try:
        return deliver(client, user_id, message, previous)
    except SLACK_FAILURES as error:
        logger.warning("%r for %s not delivered: %s", title, user_id, slack_error(error))
        kept_text = kept if isinstance(kept, Trusted) else escape_mrkdwn(kept)
        body = trusted(
            f"Slack refused the message ({escape_mrkdwn(slack_error(error))}). Nothing you typed is lost: "
            + kept_text
        )
        tell_member(client, user_id, channel_id, title=title, body=body)
        return None


def form_meta(
    ack: Ack, view: Mapping[str, Any], cls: type[T], stale: Mapping[str, str] | None = None
) -> T | None:
    """The submitted modal's private metadata (a ``bot.metadata`` dataclass); None, after answering
    the submission, when it is not what Parley wrote (an out-of-date form): with the ``stale``
    errors shown in the modal, or without them by closing it."""
    try:
        return load(cls, edge.private_metadata(view))
    except MetadataError:
        if stale:
            ack(response_action="errors", errors=dict(stale))
        else:
            ack()
        return None


class FormResult(Protocol[K, S_co]):
    """What a form's use case answers: field problems, or what it saved (None for a repeat)."""

    @property
    def errors(self) -> Mapping[K, str]: ...

    @property
    def saved(self) -> S_co | None: ...


def saved_or_errors(
    ack: Ack,
    submit: Callable[[], FormResult[K, S_co]],
    *,
    refusal: type[Exception],
    refusal_block: str,
    shown: Callable[[Mapping[K, str]], dict[str, str]],
) -> S_co | None:
    """Run a form's use case before the ack, so every problem shows in the modal: a ``refusal``
    under ``refusal_block``, field problems under their blocks (``shown`` maps them to block ids).
    Otherwise close the modal and return what was saved (None for a repeat of a stored submission)."""
    try:
        result = submit()
    except refusal as error:
        ack(response_action="errors", errors={refusal_block: str(error)})
        return None
    if result.errors:
        ack(response_action="errors", errors=shown(result.errors))
        return None
    ack()
    return result.saved
