"""Imports every ORM model so that metadata is complete for Alembic and for tests."""

from app.accounts.models import Account, AccountCode, AuthToken, LoginAttempt, RoleGrant
from app.bulletins.models import (  # noqa: F401
    Bulletin,
    BulletinAudience,
    BulletinAudio,
    PodcastToken,
)
from app.calendar.models import CalendarItem, CalendarToken
from app.core.audit import AuditLog
from app.core.throttle import ThrottleBucket
from app.documents.models import (  # noqa: F401
    Document,
    DocumentAudience,
    DocumentDistribution,
    DocumentRead,
    DocumentVersion,
)
from app.feedback.models import FeedbackPost, FeedbackThread  # noqa: F401
from app.jobs.models import Job
from app.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceIntent,
    Guest,
    Meeting,
    MeetingComment,
    MeetingDocument,
)
from app.members.models import (
    Award,
    Correction,
    Discipline,
    Member,
    Rating,
    Training,
    UnitMembership,
    WorkHistory,
)
from app.minutes.models import Minutes, MinutesReview, MinutesVersion  # noqa: F401
from app.notifications.models import Notification
from app.outcomes.models import (  # noqa: F401
    AssessmentBand,
    AssessmentCriterion,
    AssessmentScore,
    MeetingAssessment,
    Resolution,
)
from app.recordings.models import (  # noqa: F401
    Recording,
    RecordingPolicy,
    SegmentVersion,
    TranscriptSegment,
)
from app.summaries.models import DocumentSummaryRow, FeedbackSummaryRow  # noqa: F401
from app.tasks.models import Task  # noqa: F401
from app.transfers.models import Transfer
from app.units.models import Unit, UnitEvent
from app.votes.models import Ballot, OpenChoice, Vote, VoteItem, VoteParticipation

__all__ = [
    "Ballot",
    "OpenChoice",
    "Vote",
    "VoteItem",
    "VoteParticipation",
    "AgendaItem",
    "Attendance",
    "AttendanceIntent",
    "CalendarItem",
    "CalendarToken",
    "Guest",
    "Meeting",
    "MeetingComment",
    "MeetingDocument",
    "Account",
    "AuditLog",
    "AccountCode",
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
    "ThrottleBucket",
    "Training",
    "Transfer",
    "Unit",
    "UnitEvent",
    "UnitMembership",
    "WorkHistory",
]
