"""Hook implementations of org_mgmt; the work lives in the modules they name."""
from core.sdk import hookimpl
from plugins.org_mgmt import MANIFEST  # noqa: F401  (read by the plugin manager)


@hookimpl
def xf_models():
    from plugins.org_mgmt.models import Organisation, OrgInstitution, PartyGroup

    return [Organisation, OrgInstitution, PartyGroup]


@hookimpl
def xf_migrations():
    from pathlib import Path

    return [Path(__file__).parent / "migrations"]


@hookimpl
def xf_permissions():
    from plugins.org_mgmt.permissions import PERMISSIONS

    return PERMISSIONS


@hookimpl
def xf_api_routers():
    from plugins.org_mgmt import members, organisations, party_groups

    return [organisations.router, party_groups.router, members.router]


@hookimpl
def xf_admin_apps():
    from plugins.org_mgmt.admin import OrgMgmtApp

    return [OrgMgmtApp]


@hookimpl
async def xf_seed(session, settings):
    from plugins.org_mgmt.seed import seed

    await seed(session, settings)


@hookimpl
async def xf_demo(session, settings, demo):
    from plugins.org_mgmt.demo import build_demo

    await build_demo(session, settings, demo)


@hookimpl
async def xf_user_placed(session, user_ids):
    from plugins.org_mgmt.association import recompute_branches

    await recompute_branches(session, user_ids)


@hookimpl
async def xf_institution_in_use(session, institution_id):
    from plugins.org_mgmt.placement import institution_in_use

    return await institution_in_use(session, institution_id)


@hookimpl
async def xf_check_placement(session, org_id, institution_id):
    from plugins.org_mgmt.placement import check_placement

    return await check_placement(session, org_id, institution_id)
