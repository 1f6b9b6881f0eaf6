"""Column shapes repeated across tables: the tenant key, primary keys and timestamps."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from sqlalchemy import ForeignKey, String, func
from sqlalchemy.orm import mapped_column

IntPK = Annotated[int, mapped_column(primary_key=True)]
WorkspaceFK = Annotated[int, mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=False)]
MemberFK = Annotated[int, mapped_column(ForeignKey("members.id", ondelete="CASCADE"))]
OptionalMemberFK = Annotated[int | None, mapped_column(ForeignKey("members.id", ondelete="SET NULL"))]
CreatedAt = Annotated[datetime, mapped_column(server_default=func.now())]
Currency = Annotated[str, mapped_column(String(3), default="USD")]
