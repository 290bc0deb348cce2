"""Matrix entries for the assistant (Hỏi đáp): anyone signed in may ask and read their own
history; a question is readable by the account that asked it and by nobody else, not even the
city admin (the target's question belongs to a member who is none of the acting accounts)."""

from __future__ import annotations

from typing import Any

from app.knowledge.models import Question
from tests.permissions.matrix import NOBODY, Case, RouteSpec, roles_on

SIGNED_IN = roles_on({"none"}, "member", "secretary", "ward_staff", "city_admin", "auditor")
ASK = {"question": "Đảng viên được miễn sinh hoạt khi nào?"}


def someone_elses_question(c: Case) -> dict[str, Any]:
    row = Question(
        account_id=c.org.accounts["mem_d"].id,
        question="Câu hỏi riêng",
        answer="Trả lời riêng",
        found=False,
        citations=[],
    )
    c.session.add(row)
    c.session.flush()
    return {"question_id": row.id}


SPECS = [
    RouteSpec("POST", "/api/v1/assistant/ask", SIGNED_IN, targetless=True, body=lambda c: ASK),
    RouteSpec("GET", "/api/v1/assistant/questions", SIGNED_IN, targetless=True),
    RouteSpec(
        "GET", "/api/v1/assistant/questions/{question_id}", NOBODY, setup=someone_elses_question
    ),
    RouteSpec("GET", "/assistant", SIGNED_IN, targetless=True, web=True),
    RouteSpec("POST", "/assistant", SIGNED_IN, targetless=True, web=True, form=lambda c: ASK),
]
