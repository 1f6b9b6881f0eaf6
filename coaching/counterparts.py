"""Who sits across the table: the kinds of counterpart Parley coaches for."""

from enum import StrEnum


class CounterpartKind(StrEnum):
    """The kind of counterpart; each gets its own probing questions and coaching."""

    MANAGEMENT = "management"
    CONSULTANT = "consultant"
    LEARNER = "learner"
    CUSTOMER = "customer"
    SUPPLIER = "supplier"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The name shown to people (select options, headings)."""
        return _LABELS[self]


_LABELS: dict[CounterpartKind, str] = {
    CounterpartKind.MANAGEMENT: "Management",
    CounterpartKind.CONSULTANT: "Consultant / vendor",
    CounterpartKind.LEARNER: "Learner / participant",
    CounterpartKind.CUSTOMER: "Customer",
    CounterpartKind.SUPPLIER: "Supplier",
    CounterpartKind.OTHER: "Other",
}
