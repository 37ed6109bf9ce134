"""Permission keys declared by plugins (PC tree and MP tree) and their grant to roles."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import PermissionSeen, Role, RolePermission

# Built-in role keys and their Chinese names (UM-7); scope says how far each reaches.
BUILTIN_ROLES = {
    "admin": ("系统管理员", "all"),
    "committee": ("学院党委", "all"),
    "branch_admin": ("党支部管理员", "branch"),
    "student": ("学生", "self"),
}
SCOPE_LABELS = {"all": "全部", "branch": "本支部", "self": "仅本人"}


@dataclass(frozen=True)
class Permission:
    key: str
    title: str
    tree: Literal["pc", "mp"] = "pc"
    parent: str | None = None
    default_roles: tuple[str, ...] = field(default_factory=tuple)


class PermissionRegistry:
    def __init__(self, permissions: list[Permission]):
        self.by_key: dict[str, Permission] = {}
        for p in permissions:
            if p.key in self.by_key:
                raise ValueError(f"permission {p.key!r} declared twice")
            self.by_key[p.key] = p
        for p in permissions:
            if p.parent and p.parent not in self.by_key:
                raise ValueError(f"permission {p.key!r} has unknown parent {p.parent!r}")

    def tree(self, which: str) -> list[dict]:
        """amis tree options: [{label, value, children}] for one of the two trees."""
        nodes = {k: {"label": p.title, "value": k, "children": []} for k, p in self.by_key.items() if p.tree == which}
        roots = []
        for k, p in self.by_key.items():
            if p.tree != which:
                continue
            (nodes[p.parent]["children"] if p.parent in nodes else roots).append(nodes[k])
        for n in nodes.values():
            if not n["children"]:
                n.pop("children")
        return roots

    async def grant_defaults(self, session: AsyncSession) -> None:
        """Give each newly seen key to its default roles, once; admins' later edits are kept."""
        seen = set((await session.execute(select(PermissionSeen.key))).scalars())
        new = [p for k, p in self.by_key.items() if k not in seen]
        if not new:
            return
        roles = {r.key: r.id for r in (await session.execute(select(Role))).scalars()}
        existing = set((await session.execute(select(RolePermission.role_id, RolePermission.key))).all())
        for p in new:
            for role_key in p.default_roles:
                rid = roles.get(role_key)
                if rid and (rid, p.key) not in existing:
                    session.add(RolePermission(role_id=rid, key=p.key))
            session.add(PermissionSeen(key=p.key))


async def seed_builtin_roles(session: AsyncSession) -> None:
    have = set((await session.execute(select(Role.key))).scalars())
    for key, (name, scope) in BUILTIN_ROLES.items():
        if key not in have:
            session.add(Role(key=key, name=name, scope=scope, builtin=True))
    await session.flush()
