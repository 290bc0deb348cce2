"""A ward's directive for the summary pages, published, indexed and summarised without the
jobs (`tests.factories.summaries`: the indexer's own chunks, the offline pipeline's summary,
stored as the jobs store them), with tasks worded for these pages: two for the cells (one
monthly, one by a date two months ahead), one for each member, one for the ward's office."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from app.accounts.models import Account
from app.core.config import Settings
from app.core.localtime import local_today
from app.documents.models import Document
from app.units.models import Unit
from tests.factories.documents import make_document
from tests.factories.summaries import index_chunks, store_summary

TITLE = "Chỉ thị về tăng cường sinh hoạt chi bộ"


def due_day() -> date:
    """The report's deadline: two months ahead, so a secretary may still adopt it."""
    return local_today() + timedelta(days=60)


def directive_text(due: date | None = None) -> str:
    """Two tasks for the cells, one for each member, one for the ward's office."""
    day = (due or due_day()).strftime("%d/%m/%Y")
    return (
        "CHỈ THỊ\nVề tăng cường sinh hoạt chi bộ\n"
        "Điều 1. Mục đích, yêu cầu\n"
        "Nâng cao chất lượng sinh hoạt chi bộ, phát huy vai trò tiên phong, gương mẫu của "
        "đảng viên ở khu dân cư.\n"
        "Điều 2. Nhiệm vụ của các chi bộ\n"
        "1. Các chi bộ tổ chức sinh hoạt thường kỳ vào ngày 5 hằng tháng.\n"
        "2. Các chi bộ gửi báo cáo kết quả thực hiện Chỉ thị về Đảng ủy phường trước ngày "
        f"{day}.\n"
        "Điều 3. Trách nhiệm của đảng viên\n"
        "Đảng viên tham gia đầy đủ các buổi sinh hoạt chi bộ và đóng đảng phí hằng tháng.\n"
        "Điều 4. Tổ chức thực hiện\n"
        "Văn phòng Đảng ủy tổng hợp kết quả, báo cáo Ban Thường vụ Đảng ủy trước ngày "
        f"{day}.\n"
    )


def summarised_directive(
    session: Session, settings: Settings, *, by: Account, unit: Unit, audience: list[Unit]
) -> Document:
    """A published directive of `unit` for `audience`, indexed and summarised."""
    text = directive_text()
    doc = make_document(
        session,
        settings,
        by=by,
        unit=unit,
        audience=audience,
        publish=True,
        title=TITLE,
        content=text.encode(),
    )
    index_chunks(session, settings, doc)
    store_summary(session, doc)
    return doc
