"""A throwaway plugin with a table and no migration: the upgrade must name it."""
from typing import Optional

from sqlmodel import Field, SQLModel

from core.hookspecs import hookimpl

MANIFEST = {"name": "unmigrated", "version": "1.0", "depends": [], "title": "无迁移插件"}


class Orphan(SQLModel, table=True):
    __tablename__ = "tp_orphan"

    id: Optional[int] = Field(default=None, primary_key=True)


@hookimpl
def xf_models():
    return [Orphan]
