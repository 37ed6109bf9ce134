"""Batch export of dossiers (a branch's people, optionally of one stage, or a cohort's people)
on the arq worker, never in the web process.

Asking for an export writes its row and a timer in the request's transaction, and kicks the
worker after the commit: the timer makes the export start even when Redis was down at that
moment (the worker's sweep fires it), the kick makes it start at once otherwise. The timer
only enqueues the job (the sweep must stay quick); the job claims the row (one UPDATE from
``queued``), so a second delivery does nothing. Progress is written every few people; the zip
(one ``姓名学号.pdf`` per person) lands under ``<data_dir>/dossiers``."""
from __future__ import annotations

import asyncio
import logging
import os
import secrets
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import select, update

from core import clock, outbox, timers
from core.sdk import Batch, BatchEntry, DevelopmentRecord, User, utcnow
from plugins.dossier.dossier_pdf import build_pdf
from plugins.dossier.dossier_sources import load_dossiers
from plugins.dossier.models import DossierExport

log = logging.getLogger("xianfeng.dossier")
BUILD_JOB = "xf_dossier_build"
TIMER_JOB = "xf_dossier_start"
CHUNK = 10
MAX_PEOPLE = 3000


def _lower_priority() -> None:
    """On Linux a thread has its own nice value: the PDF thread yields the CPU to the web
    processes on the same machine (a 2-core college server runs both)."""
    try:
        os.nice(10)
    except (AttributeError, OSError):
        pass


_pool: ThreadPoolExecutor | None = None


def _builder() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(1, thread_name_prefix="xf-dossier", initializer=_lower_priority)
    return _pool


def export_dir(settings) -> Path:
    return settings.data_dir / "dossiers"


def export_path(settings, export: DossierExport) -> Path | None:
    root = export_dir(settings).resolve()
    path = (root / export.file).resolve() if export.file else None
    return path if path is not None and root in path.parents and path.is_file() else None


def people_query(export: DossierExport):
    """SQL: the record ids of an export's people (its branch, stage or cohort)."""
    q = (select(DevelopmentRecord.id).join(User, User.id == DevelopmentRecord.user_id).where(User.deleted_at.is_(None)))
    if export.batch_id is not None:
        q = q.join(BatchEntry, BatchEntry.record_id == DevelopmentRecord.id).where(
            BatchEntry.batch_id == export.batch_id, BatchEntry.removed_at.is_(None))
    if export.branch_id is not None:
        q = q.where(User.party_branch_id == export.branch_id)
    if export.stage:
        q = q.where(DevelopmentRecord.stage == export.stage)
    return q.order_by(DevelopmentRecord.id)


async def schedule(session, export: DossierExport) -> None:
    """In the caller's transaction: the timer that starts the export (now)."""
    await timers.schedule(session, TIMER_JOB, f"dossier_export:{export.id}", utcnow(), {"export_id": export.id})


async def kick(redis_url: str | None, export_id: int) -> bool:
    """Enqueue the build now (best effort; the timer catches up when Redis is down)."""
    if not redis_url:
        return False
    from arq.connections import ArqRedis

    redis = None
    try:
        redis = ArqRedis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=2)
        await redis.enqueue_job(BUILD_JOB, export_id, _job_id=f"{BUILD_JOB}:{export_id}")
        return True
    except Exception as exc:
        log.info("dossier kick skipped: %s", exc)
        return False
    finally:
        if redis is not None:
            try:
                await redis.aclose()
            except Exception:
                pass


def _registry(ctx):
    if ctx.get("xf_stage_registry") is None:
        from core.workflow.stages import StageRegistry

        plugins = ctx["plugins"]
        ctx["xf_stage_registry"] = StageRegistry(plugins.collect("xf_stages"), plugins.collect("xf_extra_steps"))
    return ctx["xf_stage_registry"]


async def start_job(ctx, object_ref: str, payload: dict) -> None:
    """Timer job: hand the export to the worker's queue, so the sweep that fired it stays quick."""
    export_id = int(payload["export_id"])
    redis = ctx.get("redis")
    if redis is not None:
        await redis.enqueue_job(BUILD_JOB, export_id, _job_id=f"{BUILD_JOB}:{export_id}")
    else:
        await build(ctx["sessionmaker"], ctx["settings"], _registry(ctx), export_id)


async def build_job(ctx, export_id: int) -> str:
    """arq job: build the export's zip."""
    return await build(ctx["sessionmaker"], ctx["settings"], _registry(ctx), int(export_id))


async def build(sessionmaker, settings, registry, export_id: int) -> str:
    async with sessionmaker() as session:
        claimed = (await session.execute(
            update(DossierExport).where(DossierExport.id == export_id, DossierExport.state == "queued")
            .values(state="running", started_at=utcnow()).returning(DossierExport.id))).first()
        await session.commit()
        if claimed is None:
            return "skipped"
        export = await session.get(DossierExport, export_id)
        try:
            name = await _write_zip(session, settings, registry, export)
        except Exception as exc:
            await session.rollback()
            log.exception("dossier export %s failed", export_id)
            await session.execute(update(DossierExport).where(DossierExport.id == export_id).values(
                state="failed", error=f"{type(exc).__name__}: {exc}"[:500], finished_at=utcnow()))
            await session.commit()
            return "failed"
        size = (export_dir(settings) / name).stat().st_size
        await session.execute(update(DossierExport).where(DossierExport.id == export_id).values(
            state="done", file=name, size=size, finished_at=utcnow()))
        if export.created_by:
            await outbox.notify(session, [export.created_by], "档案导出已完成", f"“{export.title}”已生成，可在“一人一档”页面下载。",
                                kind="notice", link="/admin/development/page/dossiers", object_type="dossier_export",
                                object_id=export_id)
        await session.commit()
        return "done"


async def _write_zip(session, settings, registry, export: DossierExport) -> str:
    ids = list((await session.execute(people_query(export))).scalars())
    await session.execute(update(DossierExport).where(DossierExport.id == export.id).values(total=len(ids), done=0))
    await session.commit()
    folder = export_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{export.id}-{secrets.token_hex(8)}.zip"
    tmp = folder / (name + ".part")
    today = clock.local_today().isoformat()
    used: set[str] = set()
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as zf:
        for k in range(0, len(ids), CHUNK):
            chunk = ids[k:k + CHUNK]
            records = list((await session.execute(select(DevelopmentRecord).where(DevelopmentRecord.id.in_(chunk))
                                                  .order_by(DevelopmentRecord.id))).scalars())
            users = {u.id: u for u in (await session.execute(
                select(User).where(User.id.in_([r.user_id for r in records])))).scalars()}
            dossiers = await load_dossiers(session, settings, registry, records, users)
            for d in dossiers:
                pdf = await asyncio.get_running_loop().run_in_executor(_builder(), build_pdf, d, settings.font_path, today)
                file_name = d.file_name if d.file_name not in used else f"{d.record.id}-{d.file_name}"
                used.add(file_name)
                zf.writestr(file_name, pdf)
            await session.execute(update(DossierExport).where(DossierExport.id == export.id)
                                  .values(done=min(len(ids), k + len(chunk))))
            await session.commit()
    tmp.rename(folder / name)
    return name



async def cohort_options(session, actor) -> list[tuple[int, str]]:
    """Cohorts the actor may export: the committee every one, a branch its own."""
    q = select(Batch.id, Batch.title, Batch.kind).order_by(Batch.id.desc()).limit(300)
    if actor.scope != "all":
        q = q.where(Batch.branch_id == actor.branch_id)
    return [(i, f"{title or kind}（{i}）") for i, title, kind in (await session.execute(q)).all()]
