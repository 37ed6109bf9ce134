"""Institutions (机构, UM-5/6). Exported: org_mgmt links organisations to them."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel

from core.sdk import utcnow

INSTITUTION_TYPES = ("班级", "研究所", "党支部", "团支部", "学院党委", "学院团委")
COLLEGE_TYPE = "学院"
TRAINING_TYPES = ("研究生", "本科生")


class Institution(SQLModel, table=True):
    __tablename__ = "um_institution"

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True, index=True)
    type: str = Field(max_length=10, index=True)
    parent_id: Optional[int] = Field(default=None, foreign_key="um_institution.id", index=True)
    training_type: Optional[str] = Field(default=None, max_length=4)
    enabled: bool = Field(default=True)
    is_college: bool = Field(default=False)
    sort: int = Field(default=0)
    description: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
