"""The batch exports of dossiers: one row per job, its progress and the zip it produced."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from core.sdk import utcnow

STATE_LABELS = {"queued": "排队中", "running": "生成中", "done": "已完成", "failed": "失败"}


class DossierExport(SQLModel, table=True):
    """A batch export (a branch's people, optionally of one stage, or a cohort's people),
    built by the worker into ``<data_dir>/dossiers/<file>``; downloaded with rights checked."""

    __tablename__ = "dossier_export"
    __table_args__ = (Index("ix_dossier_export_branch", "branch_id", "id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    title: str = Field(default="", max_length=200)
    branch_id: Optional[int] = None  # the people's branch; None: every branch (committee only)
    stage: str = Field(default="", max_length=40)  # "" every stage
    batch_id: Optional[int] = None  # a cohort (dev_batch): its people
    state: str = Field(default="queued", max_length=10)  # queued | running | done | failed
    total: int = 0
    done: int = 0
    file: str = Field(default="", max_length=80)  # name under <data_dir>/dossiers
    size: int = 0
    error: str = Field(default="", max_length=500)
    created_by: Optional[int] = None
    created_at: datetime = Field(default_factory=utcnow)
    started_at: Optional[datetime] = None
    finished_at: Optional[datetime] = None
