"""Models owned by the core: people, roles, permissions, login throttling, stored files.

Organisation and institution tables belong to the org_mgmt plugin; the core only keeps
their ids on the user (without foreign keys, so the core starts with any plugin set).
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Optional

from sqlalchemy import JSON, Column, Index, text
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


# 学号 is unique among live users (core/student_no.py says why); deleted users keep theirs.
STUDENT_NO_LIVE = "student_no IS NOT NULL AND student_no <> '' AND deleted_at IS NULL"


class User(SQLModel, table=True):
    __tablename__ = "xf_user"
    __table_args__ = (
        Index("uq_xf_user_student_no", "student_no", unique=True,
              sqlite_where=text(STUDENT_NO_LIVE), postgresql_where=text(STUDENT_NO_LIVE)),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True, index=True)
    name: str = Field(default="", max_length=64, index=True)
    password_hash: str = Field(default="", max_length=128)
    # Bumped on password change / delete: every token issued before stops working.
    token_version: int = Field(default=0)
    is_active: bool = Field(default=True)
    deleted_at: Optional[datetime] = Field(default=None)
    student_no: Optional[str] = Field(default=None, max_length=32, index=True)
    phone: str = Field(default="", max_length=32)
    email: str = Field(default="", max_length=128)
    avatar: str = Field(default="", max_length=255)
    org_id: Optional[int] = Field(default=None, index=True)
    institution_id: Optional[int] = Field(default=None, index=True)
    # Derived from org/institution by org_mgmt (ORG-3 associations); used for branch scoping.
    party_branch_id: Optional[int] = Field(default=None, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Role(SQLModel, table=True):
    __tablename__ = "xf_role"

    id: Optional[int] = Field(default=None, primary_key=True)
    key: str = Field(max_length=40, unique=True, index=True)
    name: str = Field(max_length=40)
    description: str = Field(default="", max_length=400)
    # How far the role reaches: all people, its own party branch, or only itself.
    scope: str = Field(default="self", max_length=10)
    builtin: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)


class UserRole(SQLModel, table=True):
    __tablename__ = "xf_user_role"

    user_id: int = Field(foreign_key="xf_user.id", primary_key=True, ondelete="CASCADE")
    role_id: int = Field(foreign_key="xf_role.id", primary_key=True, index=True, ondelete="CASCADE")


class RolePermission(SQLModel, table=True):
    __tablename__ = "xf_role_permission"

    role_id: int = Field(foreign_key="xf_role.id", primary_key=True, ondelete="CASCADE")
    key: str = Field(max_length=80, primary_key=True)


class AclVersion(SQLModel, table=True):
    """One row (id 1) whose ``version`` database triggers bump on every change to roles or
    role permissions, so every process can cache role permissions and see a change on the
    next request (core/role_cache.py)."""

    __tablename__ = "xf_acl_version"

    id: int = Field(primary_key=True)
    version: int = Field(default=0)


class RowCount(SQLModel, table=True):
    """Row counts kept exact by database triggers (core/db_triggers.py), so a list's unfiltered
    total is one row read instead of a scan that grows with the college. ``live_users``: users
    not deleted (what the admin user list counts)."""

    __tablename__ = "xf_row_count"

    name: str = Field(max_length=40, primary_key=True)
    n: int = Field(default=0)


class PermissionSeen(SQLModel, table=True):
    """Permission keys already granted to their default roles once; later edits stay the admin's."""

    __tablename__ = "xf_permission_seen"

    key: str = Field(max_length=80, primary_key=True)


class LoginAttempt(SQLModel, table=True):
    """Failed logins per account name (existing or not, so a lock says nothing about existence)."""

    __tablename__ = "xf_login_attempt"

    username: str = Field(max_length=64, primary_key=True)
    failures: int = Field(default=0)
    first_failure_at: Optional[datetime] = None
    locked_until: Optional[datetime] = None


class RevokedToken(SQLModel, table=True):
    """Access tokens ended by logout before they expire, by the token's ``jti``. The actor
    query checks this table in the same statement; rows past ``expires_at`` are useless (the
    token is refused anyway) and are deleted at the next logout."""

    __tablename__ = "xf_revoked_token"

    jti: str = Field(max_length=64, primary_key=True)
    user_id: int = Field(default=0)
    expires_at: datetime = Field(index=True)


class StoredFile(SQLModel, table=True):
    __tablename__ = "xf_file"

    id: Optional[int] = Field(default=None, primary_key=True)
    token: str = Field(max_length=40, unique=True, index=True)
    owner_id: Optional[int] = Field(default=None, index=True)
    # The person the file is about (rights follow that person's scope).
    subject_user_id: Optional[int] = Field(default=None, index=True)
    purpose: str = Field(default="", max_length=40)
    original_name: str = Field(default="", max_length=255)
    content_type: str = Field(max_length=80)
    ext: str = Field(max_length=10)
    size: int = 0
    path: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow)


class StudentProfile(SQLModel, table=True):
    """Basic information a student completes on first MP login (EV-12), edited by branch admins (ORG-6)."""

    __tablename__ = "xf_student_profile"

    user_id: int = Field(foreign_key="xf_user.id", primary_key=True, ondelete="CASCADE")
    gender: Optional[str] = Field(default=None, max_length=4)
    ethnicity: Optional[str] = Field(default=None, max_length=20)
    birth_date: Optional[date] = None
    id_card: Optional[str] = Field(default=None, max_length=18)
    native_place: Optional[str] = Field(default=None, max_length=64)
    grade: Optional[str] = Field(default=None, max_length=10)
    enrollment_date: Optional[date] = None
    political_status: Optional[str] = Field(default=None, max_length=20)
    address: Optional[str] = Field(default=None, max_length=200)
    complete: bool = Field(default=False, index=True)
    submitted_at: Optional[datetime] = None
    deferred_at: Optional[datetime] = None
    draft: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))
    updated_at: datetime = Field(default_factory=utcnow)
