"""tasks, resolutions, meeting self-assessment (criteria and bands seeded as data)

Revision ID: 0005_tasks
Revises: 0005_votes
"""

import sqlalchemy as sa
from alembic import op

import app.core.db

revision = "0005_tasks"
down_revision = "0005_votes"
branch_labels = None
# Resolutions and assessments point at meetings, built by the meetings migration.
depends_on = None

UTC = app.core.db.UTCDateTime(timezone=True)

# Default criteria for the quality of a cell meeting, after the Central Organisation
# Commission's guidance on raising the quality of cell meetings (Hướng dẫn 12-HD/BTCTW).
DEFAULT_CRITERIA = [
    ("CHUAN_BI", "Chuẩn bị nội dung, tài liệu sinh hoạt chu đáo, gửi trước cho đảng viên", 15),
    ("DUNG_KY", "Sinh hoạt đúng định kỳ, đúng giờ, bảo đảm thời lượng", 10),
    ("THAM_DU", "Tỷ lệ đảng viên tham dự; vắng có lý do chính đáng", 15),
    ("NOI_DUNG", "Nội dung thiết thực, bám sát nhiệm vụ chính trị của chi bộ và địa phương", 20),
    ("DAN_CHU", "Phát huy dân chủ, tự phê bình và phê bình; đảng viên tích cực phát biểu", 15),
    ("CHU_TRI", "Đồng chí chủ trì điều hành tốt, tập trung vào trọng tâm", 10),
    ("KET_LUAN", "Kết luận, nghị quyết rõ ràng, khả thi; phân công thực hiện cụ thể", 15),
]
DEFAULT_BANDS = [
    ("tot", "Tốt", 80),
    ("kha", "Khá", 65),
    ("trung_binh", "Trung bình", 50),
    ("kem", "Kém", 0),
]


def upgrade() -> None:
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("assignee_member_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("source_type", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("done_at", UTC, nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("grade", sa.String(length=8), nullable=True),
        sa.Column("grade_note", sa.Text(), nullable=True),
        sa.Column("graded_by_account_id", sa.Integer(), nullable=True),
        sa.Column("graded_at", UTC, nullable=True),
        sa.Column("created_by_account_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.CheckConstraint("due_date >= start_date", name=op.f("ck_tasks_due_after_start")),
        sa.CheckConstraint(
            "status IN ('assigned', 'in_progress', 'done', 'graded')",
            name=op.f("ck_tasks_status_known"),
        ),
        sa.CheckConstraint(
            "source_type IN ('meeting', 'document', 'other')", name=op.f("ck_tasks_source_known")
        ),
        sa.CheckConstraint(
            "source_type = 'other' OR source_id IS NOT NULL", name=op.f("ck_tasks_source_has_id")
        ),
        sa.CheckConstraint(
            "grade IS NULL OR grade IN ('XS', 'HTT', 'HT', 'KHT')",
            name=op.f("ck_tasks_grade_known"),
        ),
        sa.CheckConstraint(
            "(status = 'graded') = (grade IS NOT NULL)", name=op.f("ck_tasks_grade_iff_graded")
        ),
        sa.CheckConstraint(
            "(status IN ('done', 'graded')) = (done_at IS NOT NULL AND done_on IS NOT NULL)",
            name=op.f("ck_tasks_done_iff_done_at"),
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_tasks_unit_id_units")),
        sa.ForeignKeyConstraint(
            ["assignee_member_id"],
            ["members.id"],
            name=op.f("fk_tasks_assignee_member_id_members"),
        ),
        sa.ForeignKeyConstraint(
            ["graded_by_account_id"],
            ["accounts.id"],
            name=op.f("fk_tasks_graded_by_account_id_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_account_id"],
            ["accounts.id"],
            name=op.f("fk_tasks_created_by_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
    )
    op.create_index("ix_tasks_unit_status", "tasks", ["unit_id", "status"])
    op.create_index("ix_tasks_assignee_status", "tasks", ["assignee_member_id", "status"])

    op.create_table(
        "resolutions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("created_by_account_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_resolutions_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_resolutions_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_account_id"],
            ["accounts.id"],
            name=op.f("fk_resolutions_created_by_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resolutions")),
        sa.UniqueConstraint("unit_id", "number", name="uq_resolutions_unit_number"),
    )
    op.create_index("ix_resolutions_unit_id", "resolutions", ["unit_id"])
    op.create_index("ix_resolutions_meeting_id", "resolutions", ["meeting_id"])

    criteria = op.create_table(
        "assessment_criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("max_score", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("max_score > 0", name=op.f("ck_assessment_criteria_max_positive")),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_assessment_criteria_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_criteria")),
        sa.UniqueConstraint("unit_id", "code", name="uq_assessment_criteria_unit_code"),
    )
    op.create_index(
        "uq_assessment_criteria_global_code",
        "assessment_criteria",
        ["code"],
        unique=True,
        sqlite_where=sa.text("unit_id IS NULL"),
        postgresql_where=sa.text("unit_id IS NULL"),
    )
    bands = op.create_table(
        "assessment_bands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("grade", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("min_percent", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "min_percent BETWEEN 0 AND 100", name=op.f("ck_assessment_bands_percent_range")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_assessment_bands_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_bands")),
        sa.UniqueConstraint("unit_id", "grade", name="uq_assessment_bands_unit_grade"),
    )
    op.create_index(
        "uq_assessment_bands_global_grade",
        "assessment_bands",
        ["grade"],
        unique=True,
        sqlite_where=sa.text("unit_id IS NULL"),
        postgresql_where=sa.text("unit_id IS NULL"),
    )
    op.create_table(
        "meeting_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("max_total", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(length=32), nullable=False),
        sa.Column("grade_label", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("assessed_by_account_id", sa.Integer(), nullable=True),
        sa.Column("assessed_at", UTC, nullable=False),
        sa.CheckConstraint(
            "total >= 0 AND total <= max_total", name=op.f("ck_meeting_assessments_total_range")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_meeting_assessments_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_assessments_meeting_id_meetings"),
        ),
        sa.ForeignKeyConstraint(
            ["assessed_by_account_id"],
            ["accounts.id"],
            name=op.f("fk_meeting_assessments_assessed_by_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_assessments")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_meeting_assessments_meeting_id")),
    )
    op.create_index("ix_meeting_assessments_unit_id", "meeting_assessments", ["unit_id"])
    op.create_table(
        "assessment_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("max_score", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "score >= 0 AND score <= max_score", name=op.f("ck_assessment_scores_score_range")
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["meeting_assessments.id"],
            name=op.f("fk_assessment_scores_assessment_id_meeting_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["assessment_criteria.id"],
            name=op.f("fk_assessment_scores_criterion_id_assessment_criteria"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_scores")),
        sa.UniqueConstraint("assessment_id", "criterion_id", name="uq_assessment_scores_pair"),
    )

    op.bulk_insert(
        criteria,
        [
            {"unit_id": None, "code": c, "text": t, "max_score": m, "position": i, "active": True}
            for i, (c, t, m) in enumerate(DEFAULT_CRITERIA, start=1)
        ],
    )
    op.bulk_insert(
        bands,
        [
            {"unit_id": None, "grade": g, "label": lbl, "min_percent": p}
            for g, lbl, p in DEFAULT_BANDS
        ],
    )


def downgrade() -> None:
    op.drop_table("assessment_scores")
    op.drop_table("meeting_assessments")
    op.drop_index("uq_assessment_bands_global_grade", table_name="assessment_bands")
    op.drop_table("assessment_bands")
    op.drop_index("uq_assessment_criteria_global_code", table_name="assessment_criteria")
    op.drop_table("assessment_criteria")
    op.drop_index("ix_resolutions_meeting_id", table_name="resolutions")
    op.drop_index("ix_resolutions_unit_id", table_name="resolutions")
    op.drop_table("resolutions")
    op.drop_index("ix_tasks_assignee_status", table_name="tasks")
    op.drop_index("ix_tasks_unit_status", table_name="tasks")
    op.drop_table("tasks")
