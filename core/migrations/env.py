"""Alembic's entry point. Xianfeng runs migrations only through core/migrate.py (``xianfeng db``,
``xianfeng init``/``run`` and app start), which passes the open connection and the loaded
plugin set in ``config.attributes``."""
from alembic import context
from sqlmodel import SQLModel

from core.migrate import VERSION_TABLE, MigrationError, include_tables, render_item

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise MigrationError("请使用 xianfeng db 命令执行数据库迁移")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    version_table=VERSION_TABLE,
    # SQLite cannot ALTER most things in place: batch mode copies the table, and is a plain
    # ALTER on PostgreSQL, so one revision works on both.
    render_as_batch=True,
    compare_type=True,
    include_object=include_tables(config.attributes["xf_tables"]),
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
