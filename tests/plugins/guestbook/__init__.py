"""A throwaway third-party plugin that ships its own migrations: a table in its first
revision and a column added in its second (the upgrade of a plugin's table, issue 8)."""
from datetime import datetime
from pathlib import Path
from typing import Optional

from sqlmodel import Field, SQLModel

from core.hookspecs import hookimpl

MANIFEST = {"name": "guestbook", "version": "2.0.0", "depends": [], "title": "留言簿"}


class GuestbookEntry(SQLModel, table=True):
    __tablename__ = "tp_guestbook_entry"

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="xf_user.id", index=True)
    text: str = Field(max_length=200)
    # Added in guestbook_0002: rows written by version 1 get the default.
    mood: str = Field(default="平静", max_length=10, sa_column_kwargs={"server_default": "平静"})
    created_at: Optional[datetime] = None


@hookimpl
def xf_models():
    return [GuestbookEntry]


@hookimpl
def xf_migrations():
    return [Path(__file__).parent / "migrations"]
