"""The printable pack for a member without a phone: one PDF, in large type, with the meeting's
notice (title, time, place), its agenda, each pre-reading document's summary or first page,
and the approved minutes when there are some. Plain data in (the app reads the rows and the
documents' text); the templates beside this module, autoescaped."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from pipelines.minutes.models import MinutesDraft
from pipelines.minutes.pdf_export import html_to_pdf, render_html
from pipelines.minutes.vi import date_words

PACK_PT = 16  # large, readable type for older members
KIND_LABEL = {"summary": "Tóm tắt", "first_page": "Trang đầu của văn bản"}


class PackAgendaItem(BaseModel):
    title: str
    presenter: str = ""


class PackDocument(BaseModel):
    title: str
    symbol: str = ""  # "57-NQ/TW"
    kind: Literal["summary", "first_page"] = "summary"
    text: str  # the summary, or the first page's text


class MeetingPack(BaseModel):
    superior_committee: str  # "Đảng ủy phường Bến Nghé"
    cell_name: str  # "Chi bộ Khu phố 3"
    title: str  # "Sinh hoạt chi bộ thường kỳ tháng 12"
    date: dt.date
    start: dt.time
    end: dt.time | None = None
    place: str
    member_name: str = ""  # "Kính gửi: đồng chí …" when the pack is printed for one member
    note: str = ""  # anything else the notice says
    agenda: list[PackAgendaItem] = Field(default_factory=list)
    documents: list[PackDocument] = Field(default_factory=list)
    minutes: MinutesDraft | None = None  # the approved minutes, once there are some


def _clock(t: dt.time) -> str:
    return f"{t.hour} giờ {t.minute:02d}"


def when(pack: MeetingPack) -> str:
    """The notice's time line: "19 giờ 30 đến 21 giờ 00, ngày 05 tháng 12 năm 2026"."""
    span = _clock(pack.start) + (f" đến {_clock(pack.end)}" if pack.end else "")
    return f"{span}, {date_words(pack.date)}"


def pack_html(pack: MeetingPack) -> str:
    return render_html(
        "pack_pdf.html.j2", pack=pack, when=when(pack), kind_label=KIND_LABEL, body_pt=PACK_PT
    )


def render_pack(pack: MeetingPack) -> bytes:
    """The pack's PDF bytes: A4, 16 pt serif, each part on a new page, pages numbered."""
    return html_to_pdf(pack_html(pack))
