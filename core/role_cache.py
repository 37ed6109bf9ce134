"""Role permissions cached in each process, checked against a version in the database.

Every authenticated request needs the caller's permission keys and scope. Reading them with
the user costs one row per permission key (a committee member has dozens), which was most of
authentication's time (issue 11). Roles change rarely, so each process keeps every role's
key, name, scope and permissions in memory, labelled with ``xf_acl_version.version``. The
actor statement (core/auth.py) reads that version with the user, in the same round trip;
when it differs from the cached one the roles are read again (one more statement).

Triggers (core/db_triggers.py) bump the version on every INSERT, UPDATE or DELETE of
``xf_role`` and ``xf_role_permission``, whoever writes, in the writing transaction, so a
change is seen by every worker on its next request.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import AclVersion, Role, RolePermission


@dataclass(frozen=True)
class RoleInfo:
    key: str
    name: str
    scope: str
    permissions: frozenset[str]


@dataclass
class RoleCache:
    version: int | None = None
    roles: dict[int, RoleInfo] = field(default_factory=dict)

    def fresh(self, version: int | None) -> bool:
        """A missing version row (None) never counts as fresh: then roles are read every time."""
        return version is not None and version == self.version

    async def load(self, session: AsyncSession, version: int | None) -> None:
        """Read every role and its permissions. ``version`` was read before this statement, so
        a change in between makes the label older than the data: the next request reloads."""
        roles: dict[int, tuple[str, str, str, set[str]]] = {}
        rows = await session.execute(select(Role.id, Role.key, Role.name, Role.scope, RolePermission.key)
                                     .outerjoin(RolePermission, RolePermission.role_id == Role.id))
        for role_id, key, name, scope, permission in rows:
            entry = roles.setdefault(role_id, (key, name, scope, set()))
            if permission:
                entry[3].add(permission)
        self.roles = {rid: RoleInfo(key, name, scope, frozenset(perms)) for rid, (key, name, scope, perms) in roles.items()}
        self.version = version


# One cache per database engine: tests (and tools) run several apps on different databases
# in one process.
_caches: "weakref.WeakKeyDictionary[object, RoleCache]" = weakref.WeakKeyDictionary()


def cache_for(session: AsyncSession) -> RoleCache:
    engine = session.get_bind()
    cache = _caches.get(engine)
    if cache is None:
        cache = _caches[engine] = RoleCache()
    return cache


def version_column():
    """The scalar subquery the actor statement selects (None when the row is missing)."""
    return select(AclVersion.version).where(AclVersion.id == 1).scalar_subquery()
