"""Every model, importable from one place (Alembic's env and the queries read ``Base.metadata``)."""

from storage.models.commitment import Commitment
from storage.models.counterpart import Counterpart, KindTradeTally
from storage.models.message_ref import MessageRef
from storage.models.negotiation import Debrief, LedgerEntry, Negotiation, PrepPlan
from storage.models.outbox import DigestRun, OutboxMessage
from storage.models.playbook import PlaybookVersion
from storage.models.privacy import DataRequest
from storage.models.trade import TradeProposal
from storage.models.workspace import AssessmentResult, AuditEvent, IdempotencyKey, Member, Workspace

__all__ = [
    "AssessmentResult",
    "AuditEvent",
    "Commitment",
    "Counterpart",
    "DataRequest",
    "Debrief",
    "DigestRun",
    "IdempotencyKey",
    "KindTradeTally",
    "LedgerEntry",
    "Member",
    "MessageRef",
    "Negotiation",
    "OutboxMessage",
    "PlaybookVersion",
    "PrepPlan",
    "TradeProposal",
    "Workspace",
]
