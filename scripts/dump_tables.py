"""Dump every table of a Xianfeng database to JSON, for the upgrade test's release fixture.

Run it with the release being captured (its own checkout and venv), after `xianfeng init`,
`xianfeng demo` and a few actions, so the rows are exactly what that release writes:

    .venv/bin/python /path/to/scripts/dump_tables.py OUT.json [RELEASE] [COMMIT]

Rows are read through the release's own table definitions (so JSON columns come back as
JSON and times as datetimes); dates and times are written as ISO strings. See
docs/migrations.md ("The release fixture").
"""
from __future__ import annotations

import json
import sys
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import create_engine, inspect, select
from sqlmodel import SQLModel


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def dump(sync_url: str) -> dict[str, list[dict]]:
    engine = create_engine(sync_url)
    tables: dict[str, list[dict]] = {}
    with engine.connect() as conn:
        present = set(inspect(conn).get_table_names())
        for table in SQLModel.metadata.sorted_tables:
            if table.name not in present:
                continue
            pk = list(table.primary_key.columns)
            rows = conn.execute(select(table).order_by(*pk)).mappings().all()
            tables[table.name] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    return tables


def main() -> int:
    from core.plugins import Plugins
    from core.settings import Settings

    out = sys.argv[1]
    settings = Settings()
    Plugins(settings).models()
    sync_url = settings.database_url.replace("+aiosqlite", "").replace("+asyncpg", "+psycopg")
    data = {"release": sys.argv[2] if len(sys.argv) > 2 else "", "commit": sys.argv[3] if len(sys.argv) > 3 else "",
            "tables": dump(sync_url)}
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")
    counts = {k: len(v) for k, v in data["tables"].items()}
    print(json.dumps(counts, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
