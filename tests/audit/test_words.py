"""The audit page in words: every action code has a sentence, the raw row is one click away,
object kinds are chosen by name, and sensitive values stay out."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.audit.service_words import ACTIONS, OBJECTS
from app.core import audit
from app.core.audit import AuditContext
from app.core.i18n import catalogue
from app.core.permissions import load_actor
from app.meetings.models import MeetingStatus
from app.members import service_sensitive
from app.members.service_records import SPECS
from tests.audit.test_web import sign_in
from tests.factories.meetings import make_meeting
from tests.factories.members import make_member
from tests.factories.org import Org

APP = Path(__file__).resolve().parents[2] / "app"
CODE = re.compile(r"[a-z_]+(\.[a-z_]+)+")
# Codes built at run time, and what they expand to.
DYNAMIC = {
    "meeting.{status}": {f"meeting.{s.value}" for s in MeetingStatus},
    "feedback.{kind.value}": {"feedback.comment", "feedback.idea"},
    "member.{spec.name}.add": {f"member.{s.name}.add" for s in SPECS.values()},
    "member.{spec.name}.delete": {f"member.{s.name}.delete" for s in SPECS.values()},
    "member.{spec.name}.{action}": {f"member.{s.name}.update" for s in SPECS.values()}
    | {"member.work_history.end", "member.training.end"},
    "task.{('start' if to == TaskStatus.in_progress else 'complete')}": {
        "task.start",
        "task.complete",
    },
    "transfer.{action}": {f"transfer.{a}" for a in ("request", "accept", "reject", "cancel")},
    "unit.{kind}": {f"unit.{k}" for k in ("created", "renamed", "moved", "dissolved")},
}
# Passed through a variable; the values are set a few lines above the call.
THROUGH_A_NAME = {"jobs.requeue", "jobs.fail_exhausted", "member.update"}


def _recorded_codes() -> tuple[set[str], set[str]]:
    """Action codes in `record(...)`-like calls across app/: literal ones and f-string shapes."""
    literal: set[str] = set()
    shapes: set[str] = set()
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            if name not in ("record", "_record", "_audit"):
                continue
            for arg in node.args[:4]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    if CODE.fullmatch(arg.value):
                        literal.add(arg.value)
                elif isinstance(arg, ast.JoinedStr):
                    shapes.add(ast.unparse(arg)[2:-1])
    return literal, shapes


def test_every_action_code_has_a_sentence_in_both_languages() -> None:
    literal, shapes = _recorded_codes()
    assert len(literal) > 40
    assert shapes <= set(DYNAMIC), f"a new computed action code: {shapes - set(DYNAMIC)}"
    codes = literal | THROUGH_A_NAME | set().union(*DYNAMIC.values())
    assert not codes - set(ACTIONS), f"action codes without a sentence: {codes - set(ACTIONS)}"
    english = catalogue("en")
    for phrase in [*ACTIONS.values(), *OBJECTS.values()]:
        assert english.get(phrase), phrase
        assert ("{object}" in phrase) == ("{object}" in english[phrase]), phrase


def test_page_tells_each_row_in_words_with_the_raw_record_behind_a_click(
    client: TestClient, session: Session, org: Org
) -> None:
    meeting = make_meeting(session, org.units["A"])
    mem_a = org.members["mem_a"]
    ctx = AuditContext(actor_account_id=org.accounts["sec_a"].id, ip="10.1.2.3")
    audit.record(session, ctx, "auth.login", object_type="account", object_id=ctx.actor_account_id)
    audit.record(
        session,
        AuditContext(actor_account_id=org.accounts["sec_a"].id, on_behalf_of_member_id=mem_a.id),
        "meeting.check_in",
        object_type="meeting",
        object_id=meeting.id,
        unit_id=org.units["A"].id,
    )
    audit.record(session, ctx, "future.thing", object_type="widget", object_id=9, detail={"k": "v"})
    sign_in(client, session, org.accounts["admin"])
    page = client.get("/audit").text
    assert "<strong>sec_a</strong> đã đăng nhập" in page
    assert (
        f"<strong>sec_a</strong> (làm thay {mem_a.full_name}) "
        f"đã điểm danh có mặt ở cuộc họp “{meeting.title}”"
    ) in page
    # A code this table does not know yet is still told, with its code.
    assert "đã thực hiện thao tác future.thing trên widget số 9" in page
    # The raw record: behind a <details>, with its code and JSON.
    raw = page[page.index('<details class="audit-raw">') :]
    assert "<code>auth.login</code>" in raw or "<code>future.thing</code>" in raw
    assert "{&#34;k&#34;: &#34;v&#34;}" in page or '{"k": "v"}' in page
    # Object kinds are chosen by name; the old hint is gone.
    assert '<option value="meeting" >cuộc họp</option>' in page.replace("  ", " ")
    assert "Ví dụ: member, account, unit" not in page
    assert '<option value="auth.login" >đã đăng nhập</option>' in page.replace("  ", " ")

    english = client.get("/audit?lang=en").text
    assert "<strong>sec_a</strong> signed in" in english
    assert f"checked in at the meeting “{meeting.title}”" in english


def test_sensitive_values_stay_out_of_the_page(
    client: TestClient, session: Session, org: Org
) -> None:
    member = make_member(session, org.units["A"], "Ngô Thị Kín", cccd="079123456789")
    session.flush()
    admin = load_actor(session, org.accounts["admin"].id)
    assert admin is not None
    ctx = AuditContext(actor_account_id=admin.account_id)
    service_sensitive.read_sensitive(session, ctx, actor=admin, member_id=member.id)
    sign_in(client, session, org.accounts["admin"])
    page = client.get("/audit").text
    assert "đã xem thông tin nhạy cảm của đảng viên “Ngô Thị Kín”" in page
    assert "079123456789" not in page
