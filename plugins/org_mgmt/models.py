"""Organisations (党群组织), their associated institutions (ORG-3) and party groups (ORG-5)."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from core.sdk import utcnow

KIND_LABELS = {"party": "党组织", "league": "团组织", "masses": "群众"}
LEVEL_LABELS = {"committee": "一级组织", "branch": "支部"}


class Organisation(SQLModel, table=True):
    __tablename__ = "org_organisation"

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True, index=True)
    kind: str = Field(max_length=10, index=True)  # party | league | masses
    level: str = Field(default="branch", max_length=10)  # committee (first level) | branch
    training_type: Optional[str] = Field(default=None, max_length=4)
    parent_id: Optional[int] = Field(default=None, foreign_key="org_organisation.id")
    enabled: bool = Field(default=True)
    builtin: bool = Field(default=False)
    secretary: str = Field(default="", max_length=64)
    description: str = Field(default="", max_length=400)
    created_at: datetime = Field(default_factory=utcnow)


class OrgInstitution(SQLModel, table=True):
    __tablename__ = "org_institution_link"

    org_id: int = Field(foreign_key="org_organisation.id", primary_key=True, ondelete="CASCADE")
    institution_id: int = Field(foreign_key="um_institution.id", primary_key=True, index=True)


class PartyGroup(SQLModel, table=True):
    __tablename__ = "org_party_group"
    __table_args__ = (UniqueConstraint("branch_id", "name"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=64)
    branch_id: int = Field(foreign_key="org_organisation.id", index=True)
    leader: str = Field(default="", max_length=64)
    description: str = Field(default="", max_length=400)
    created_at: datetime = Field(default_factory=utcnow)
