"""Form errors are sentences in the reader's language, beside their field; never pydantic's."""

from __future__ import annotations

from fastapi.testclient import TestClient
from pydantic import BaseModel, Field, ValidationError, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.i18n import current_locale
from app.meetings import service
from app.meetings.models import Meeting
from app.web import form_errors
from tests.factories.documents import make_document
from tests.factories.org import Org
from tests.factories.transfers import web_login

ENGLISH = (
    "Input should be",
    "Field required",
    "Value error",
    "value is not a valid",
    "String should",
    "Method Not Allowed",
    "Not Found",
    "Internal Server Error",
)


def assert_no_english(text: str) -> None:
    leaked = [p for p in ENGLISH if p in text]
    assert not leaked, f"English or developer text on a Vietnamese page: {leaked}"


class _Sample(BaseModel):
    count: int = Field(gt=0)
    name: str = Field(min_length=2, max_length=5)
    link: str = Field(default="", pattern=r"^https?://")

    @model_validator(mode="after")
    def _check(self) -> _Sample:
        if self.name == "xx":
            raise ValueError("Cần địa điểm hoặc đường dẫn họp trực tuyến")
        return self


def _errors(data: dict[str, object]) -> list[dict[str, str]]:
    try:
        _Sample.model_validate(data)
    except ValidationError as exc:
        return form_errors.details(exc, {"count": "Tiêu đề"}, {"Cần địa điểm": "name"})
    raise AssertionError("valid")


def test_pydantic_messages_become_sentences() -> None:
    lines = _errors({"count": "abc", "name": "x" * 9, "link": "ftp"})
    assert lines == [
        {"field": "Tiêu đề", "key": "count", "message": "Phải là số"},
        {"field": "Tên", "key": "name", "message": "Quá dài"},
        {"field": "", "key": "link", "message": "Không đúng định dạng"},
    ]
    assert _errors({"count": 0, "name": "ab"})[0]["message"] == "Phải lớn hơn 0"
    assert _errors({"name": "ab"})[0]["message"] == "Chưa nhập"
    # A schema's own check: its msgid, without pydantic's "Value error, " in front.
    check = _errors({"count": 1, "name": "xx"})
    assert check == [
        {"field": "", "key": "", "message": "Cần địa điểm hoặc đường dẫn họp trực tuyến"}
    ]
    token = current_locale.set("en")
    try:
        english = _errors({"count": "abc", "name": "xx"})
    finally:
        current_locale.reset(token)
    assert english[0] == {"field": "Title", "key": "count", "message": "Must be a number"}


def _new_meeting(**fields: object) -> dict[str, object]:
    return {
        "kind": "regular",
        "title": "Sinh hoạt tháng 12",
        "starts_at": "2030-12-05T19:30",
        "place": "Nhà văn hóa",
        **fields,
    }


def test_meeting_form_marks_required_and_puts_messages_beside_fields(
    client: TestClient, session: Session, org: Org
) -> None:
    csrf = web_login(client, session, org.accounts["sec_a"])
    page = client.get("/meetings/new").text
    assert 'class="required"' in page and "Mục có dấu * là bắt buộc." in page
    unit = str(org.units["A"].id)
    resp = client.post("/meetings", headers=csrf, data=_new_meeting(unit_id=unit, place=""))
    assert resp.status_code == 422
    assert_no_english(resp.text)
    assert 'id="place-error-1">Cần địa điểm hoặc đường dẫn họp trực tuyến</p>' in resp.text
    assert 'aria-invalid="true" aria-describedby="place-hint place-error-1"' in resp.text
    bad_time = client.post(
        "/meetings", headers=csrf, data=_new_meeting(unit_id=unit, starts_at="x")
    )
    assert 'id="starts_at-error-1">Ngày giờ không hợp lệ</p>' in bad_time.text
    assert_no_english(bad_time.text)


def test_pre_reading_is_picked_by_number_and_title(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    doc = make_document(
        session, settings, by=org.accounts["sec_a"], unit=org.units["A"], title="Kế hoạch tháng"
    )
    doc.number = "08-KH/ĐU"
    other = make_document(
        session, settings, by=org.accounts["sec_b"], unit=org.units["B"], title="Của chi bộ B"
    )
    other.number = "09-KH/ĐU"
    session.flush()
    csrf = web_login(client, session, org.accounts["sec_a"])
    page = client.get("/meetings/new").text
    assert '<option value="08-KH/ĐU — Kế hoạch tháng">' in page
    assert "09-KH/ĐU" not in page  # another cell's draft is not offered
    unit = str(org.units["A"].id)

    # Another cell's document and an unknown number: a message on the field, nothing saved.
    for ref in ("09-KH/ĐU", "99-KH/ĐU"):
        resp = client.post(
            "/meetings", headers=csrf, data=_new_meeting(unit_id=unit, document_ids=[ref])
        )
        assert resp.status_code == 422
        assert (
            f"Không tìm thấy văn bản “{ref}”" in resp.text
            and 'id="document_ids-error-1"' in resp.text
        )
        assert f'value="{ref}"' in resp.text  # what was typed is kept
        assert_no_english(resp.text)

    # Typed by hand (any case), or picked from the list: both find the document.
    resp = client.post(
        "/meetings",
        headers=csrf,
        data=_new_meeting(unit_id=unit, document_ids=["08-kh/đu", "Kế hoạch tháng", ""]),
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    meeting = session.scalars(select(Meeting).where(Meeting.title == "Sinh hoạt tháng 12")).one()
    assert [d.document_id for d in service.documents(session, meeting.id)] == [doc.id]

    edit = client.post(
        f"/meetings/{meeting.id}/edit",
        headers=csrf,
        data={
            **_new_meeting(),
            "keep_doc": [str(doc.id)],
            "document_ids": ["08-KH/ĐU — Kế hoạch tháng", "không có"],
        },
    )
    assert edit.status_code == 422 and "Không tìm thấy văn bản “không có”" in edit.text
    assert_no_english(edit.text)


def test_meeting_edit_with_the_start_emptied_says_so_beside_it(
    client: TestClient, session: Session, org: Org
) -> None:
    csrf = web_login(client, session, org.accounts["sec_a"])
    client.post("/meetings", headers=csrf, data=_new_meeting(unit_id=str(org.units["A"].id)))
    meeting = session.scalars(select(Meeting).where(Meeting.title == "Sinh hoạt tháng 12")).one()
    resp = client.post(
        f"/meetings/{meeting.id}/edit", headers=csrf, data=_new_meeting(starts_at="")
    )
    assert resp.status_code == 422
    assert 'id="starts_at-error-1">Chưa nhập</p>' in resp.text
    assert "starts_at không" not in resp.text
    assert_no_english(resp.text)
