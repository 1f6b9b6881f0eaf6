"""The one base class for every error the coaching engine raises on bad input.

Callers at the edge can catch :class:`CoachingError` to turn any of them into a user-facing message;
each subclass carries structured detail (line numbers, key paths, missing ids) for a precise one.
"""


class CoachingError(ValueError):
    """Bad input to the coaching engine; the message is written to be shown to a person."""
