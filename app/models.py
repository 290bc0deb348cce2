"""Imports every ORM model so that metadata is complete for Alembic and for tests."""

from app.accounts.models import Account, AuthToken, LoginAttempt, RoleGrant
from app.core.audit import AuditLog
from app.jobs.models import Job
from app.members.models import (
    Award,
    Correction,
    Discipline,
    Member,
    Rating,
    Training,
    Transfer,
    UnitMembership,
    WorkHistory,
)
from app.notifications.models import Notification
from app.units.models import Unit, UnitEvent

__all__ = [
    "Account",
    "AuditLog",
    "AuthToken",
    "Award",
    "Correction",
    "Discipline",
    "Job",
    "LoginAttempt",
    "Notification",
    "Member",
    "Rating",
    "RoleGrant",
    "Training",
    "Transfer",
    "Unit",
    "UnitEvent",
    "UnitMembership",
    "WorkHistory",
]
