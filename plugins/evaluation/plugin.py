"""Hook implementations of evaluation; the work lives in the modules they name."""
from core.sdk import hookimpl
from plugins.evaluation import MANIFEST  # noqa: F401  (read by the plugin manager)


@hookimpl
def xf_models():
    from plugins.evaluation.models import EvalBranchResult, EvalPeriod, EvalRecord, EvalResult, EvalYear

    return [EvalYear, EvalPeriod, EvalRecord, EvalResult, EvalBranchResult]


@hookimpl
def xf_migrations():
    from pathlib import Path

    return [Path(__file__).parent / "migrations"]


@hookimpl
def xf_permissions():
    from plugins.evaluation.permissions import PERMISSIONS

    return PERMISSIONS


@hookimpl
def xf_api_routers():
    from plugins.evaluation import mp_api, pc_data_api, pc_report_api

    return [pc_data_api.router, pc_report_api.router, mp_api.router]


@hookimpl
def xf_admin_apps():
    from plugins.evaluation.admin import EvaluationApp

    return [EvaluationApp]


@hookimpl
async def xf_seed(session, settings):
    # Reports are PDFs with an embedded CJK font: a missing font stops start-up with a clear message.
    from core.documents import register_cjk_font

    register_cjk_font(settings.font_path)


@hookimpl
async def xf_dashboard_panels(session, actor):
    from plugins.evaluation.dashboard import year_panel

    return await year_panel(session, actor)


@hookimpl
async def xf_demo(session, settings, demo):
    from plugins.evaluation.demo import build_periods

    await build_periods(session, settings, demo)
