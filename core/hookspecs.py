"""Every hook of the platform, one flat file (the datasette way), grouped by lifecycle phase.

All hooks carry the ``xf_`` prefix. Async hooks return coroutines that the core awaits in
plugin dependency order (a plugin's implementation runs after those of its dependencies).
Each hook has a section in docs/hooks.md and a ``test_hook_<name>`` test.
"""
from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("xianfeng")
hookimpl = pluggy.HookimplMarker("xianfeng")


# --- plugin manager -------------------------------------------------------------------

@hookspec(historic=True)
def xf_addhooks(pm: pluggy.PluginManager) -> None:
    """Add a plugin's own hook specifications (``pm.add_hookspecs(module)``) so other plugins
    can implement them. Historic: called for every plugin as it registers."""


# --- registration (app start) -----------------------------------------------------------

@hookspec
def xf_models() -> list[type]:
    """Return the SQLModel table classes the plugin owns, so they are created with the schema."""


@hookspec
def xf_permissions() -> list[Any]:
    """Return ``core.permissions.Permission`` entries: keys in the PC tree or the MP tree,
    with their Chinese titles, parent key and the built-in roles that get them by default."""


@hookspec
def xf_admin_apps() -> list[type]:
    """Return ``fastapi_amis_admin`` AdminApp classes; each is one menu group of the admin UI.
    Pages inside set ``permission`` to the PC permission key that opens them."""


@hookspec
def xf_api_routers() -> list[Any]:
    """Return FastAPI ``APIRouter`` objects. Mini-program routes live under ``/api/mp/v1``,
    admin-UI JSON routes under ``/api/pc/v1``."""


# --- data -------------------------------------------------------------------------------

@hookspec
async def xf_seed(session: Any, settings: Any) -> None:
    """Insert the plugin's required rows if missing (idempotent); runs at ``xianfeng init``
    and at app start. The session is committed by the core afterwards."""


@hookspec
async def xf_demo(session: Any, settings: Any, demo: Any) -> None:
    """Add demo data for ``xianfeng demo``. ``demo`` (``core.demo.DemoContext``) carries the
    options (students, password) and collects the accounts to print."""


# --- people -----------------------------------------------------------------------------

@hookspec
async def xf_user_placed(session: Any, user_ids: list[int]) -> None:
    """Users were created or had their organisation/institution changed; recompute what
    depends on it (org_mgmt sets ``party_branch_id`` from the ORG-3 associations)."""


@hookspec
async def xf_institution_in_use(session: Any, institution_id: int) -> str | None:
    """Return a Chinese reason why the institution cannot be disabled (e.g. an organisation
    links it), or None. Any reason refuses (UM-6)."""


@hookspec
async def xf_check_placement(session: Any, org_id: int | None, institution_id: int | None) -> str | None:
    """Return a Chinese reason why a user cannot belong to this organisation and institution
    (the institution must be one the organisation allows, UM-1), or None."""
