"""Answer Slack's HTTP request the moment a listener acks, not on Bolt's next 10 ms poll.

Bolt runs each listener on its executor and has the request thread poll ``ack.response`` every 10 ms
until the listener acks. So every request waits for the next poll after its ack — up to 10 ms on an
idle server, and more on a busy one, where the sleeping thread must also win the GIL back. Parley's
listeners ack first and work after, so that wait is most of their time to ack.

Two public hooks remove it without changing what Bolt answers: a global middleware gives the request
a :class:`SignallingAck` (an ``Ack`` that also sets an event), and :class:`AckWaitingExecutor` — the
listener executor — waits on that event (or on the listener finishing, whichever comes first) before
it returns from ``submit``. By the time Bolt starts polling, the response is already there.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from slack_bolt import Ack, BoltContext, BoltResponse

# Slack's limit; Bolt keeps polling after this anyway, so waiting longer would gain nothing.
ACK_WAIT_SECONDS = 3.0

_pending = threading.local()  # the ack of the request this thread is dispatching


class SignallingAck(Ack):
    """An ``Ack`` that also tells whoever is waiting that the response is set.

    Its response, once set, stays set: when a listener fails *after* acking, Bolt's thread runner
    sets ``ack.response`` back to None, so the request thread (which reads it after the ack) would
    answer Slack as if nobody had acked (a 404 and "didn't call ack()"). The ack already answered;
    the failure is the error handler's to report (``bot.errors``).
    """

    _response: BoltResponse | None = None

    def __init__(self) -> None:
        super().__init__()
        self.done = threading.Event()

    @property  # type: ignore[override]
    def response(self) -> BoltResponse | None:
        return self._response

    @response.setter
    def response(self, value: BoltResponse | None) -> None:
        if value is None and self._response is not None:
            return
        self._response = value

    def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        try:
            return super().__call__(*args, **kwargs)
        finally:
            self.done.set()


def signalling_ack(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
    """Global middleware: this request's ack signals, and the executor knows which ack to wait for."""
    ack = SignallingAck()
    context["ack"] = ack
    _pending.ack = ack
    return next()


class AckWaitingExecutor(ThreadPoolExecutor):
    """Bolt's listener pool, except that ``submit`` from a request thread returns once the listener acks."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        ack: SignallingAck | None = getattr(_pending, "ack", None)
        _pending.ack = None
        # The listener runs in a copy of the request's context: its log lines keep the request's fields.
        future = super().submit(contextvars.copy_context().run, fn, *args, **kwargs)
        if ack is not None:
            # A listener that fails or returns without acking must not keep the request thread here.
            future.add_done_callback(lambda _: ack.done.set())
            ack.done.wait(ACK_WAIT_SECONDS)
        return future
