"""Hook implementations of 一人一档 and 历史数据导入; the work lives in the modules they name."""
from core.sdk import hookimpl
from plugins.dossier import MANIFEST  # noqa: F401  (read by the plugin manager)


@hookimpl
def xf_models():
    from plugins.dossier.models import DossierExport

    return [DossierExport]


@hookimpl
def xf_migrations():
    from pathlib import Path

    return [Path(__file__).parent / "migrations"]


@hookimpl
def xf_permissions():
    from plugins.dossier.permissions import PERMISSIONS

    return PERMISSIONS


@hookimpl
def xf_api_routers():
    from plugins.dossier import dossier_api, history_import_api

    return [dossier_api.pc, dossier_api.mp, history_import_api.router]


@hookimpl
def xf_development_pages():
    from plugins.dossier.admin import DossierPage, HistoryImportPage

    return [DossierPage, HistoryImportPage]


@hookimpl
def xf_jobs():
    from arq import func

    from plugins.dossier.dossier_export import BUILD_JOB, TIMER_JOB, build_job, start_job

    return [func(build_job, name=BUILD_JOB, keep_result=0, timeout=3600), func(start_job, name=TIMER_JOB, keep_result=0)]


@hookimpl
async def xf_seed(session, settings):
    # Dossiers are PDFs with an embedded CJK font: a missing font stops start-up with a clear message.
    from core.documents import register_cjk_font

    register_cjk_font(settings.font_path)
