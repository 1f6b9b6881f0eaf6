"""Ids shared by every feature (collected into the templates' ``ids`` global by the package)."""

from enum import StrEnum


class CallbackId(StrEnum):
    LOADING = "parley_loading"
