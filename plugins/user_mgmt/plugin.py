"""Hook implementations of user_mgmt; the work lives in the modules they name."""
from core.sdk import hookimpl
from plugins.user_mgmt import MANIFEST  # noqa: F401  (read by the plugin manager)


@hookimpl
def xf_models():
    from plugins.user_mgmt.models import Institution

    return [Institution]


@hookimpl
def xf_migrations():
    from pathlib import Path

    return [Path(__file__).parent / "migrations"]


@hookimpl
def xf_permissions():
    from plugins.user_mgmt.permissions import PERMISSIONS

    return PERMISSIONS


@hookimpl
def xf_api_routers():
    from plugins.user_mgmt import institutions, mp_profile, personal, roles, users

    return [users.router, institutions.router, roles.router, personal.router, personal.mp_router, mp_profile.router]


@hookimpl
def xf_admin_apps():
    from plugins.user_mgmt.admin import PersonalPage, UserMgmtApp

    # The personal centre sits at the site root: every signed-in user reaches it from the top bar.
    return [UserMgmtApp, PersonalPage]


@hookimpl
async def xf_seed(session, settings):
    from plugins.user_mgmt.seed import seed

    await seed(session, settings)
