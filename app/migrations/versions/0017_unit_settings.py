"""unit settings (issue 17): the names a unit's documents and minutes print (its full name and
its superior committee's), and the quorum rule its new meetings start from

Revision ID: 0017_unit_settings
Revises: 0016_attendance_intent
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_unit_settings"
down_revision = "0016_attendance_intent"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("units") as batch:
        batch.add_column(
            sa.Column("full_name", sa.String(length=255), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("superior_name", sa.String(length=255), nullable=False, server_default="")
        )
        # NULL: the product's default rule (more than 2/3 of those who must attend).
        batch.add_column(sa.Column("quorum_numerator", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("quorum_denominator", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("quorum_strict", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("quorum_base", sa.String(length=16), nullable=True))
        batch.create_check_constraint(
            op.f("ck_units_quorum_default"),
            "(quorum_numerator IS NULL AND quorum_denominator IS NULL "
            "AND quorum_strict IS NULL AND quorum_base IS NULL) OR "
            "(quorum_numerator > 0 AND quorum_denominator > 0 "
            "AND quorum_numerator <= quorum_denominator AND quorum_strict IS NOT NULL "
            "AND quorum_base IN ('must_attend', 'all_members'))",
        )


def downgrade() -> None:
    with op.batch_alter_table("units") as batch:
        batch.drop_constraint(op.f("ck_units_quorum_default"), type_="check")
        for name in (
            "quorum_base",
            "quorum_strict",
            "quorum_denominator",
            "quorum_numerator",
            "superior_name",
            "full_name",
        ):
            batch.drop_column(name)
