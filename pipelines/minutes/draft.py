"""The offline drafter: the record fills the official "Biên bản sinh hoạt chi bộ" layout (every
figure from the record), and each agenda item's discussion is picked from the comments, notes
and transcript. Deterministic: the same input gives the same draft."""

from __future__ import annotations

from pipelines.minutes.assign import Embedder
from pipelines.minutes.discussion import MAX_PER_ITEM, select
from pipelines.minutes.models import (
    AgendaItem,
    AttendanceState,
    MeetingKind,
    MeetingRecord,
    MinutesDraft,
    MinutesInput,
    RecordSource,
    Section,
    Sentence,
    Signature,
    Source,
    Vote,
)
from pipelines.minutes.vi import date_short, date_words, percent, time_words

KIND_TITLE = {
    MeetingKind.regular: "THƯỜNG KỲ",
    MeetingKind.thematic: "CHUYÊN ĐỀ",
    MeetingKind.extraordinary: "BẤT THƯỜNG",
}
STATE_LABEL = {
    AttendanceState.present: "Có mặt",
    AttendanceState.absent_with_leave: "Vắng có phép",
    AttendanceState.absent_without_leave: "Vắng không phép",
    AttendanceState.exempt: "Miễn sinh hoạt",
}
ADOPTED = {True: "được thông qua", False: "không được thông qua"}
PASSED = (
    "Biên bản đã được thông qua trước chi bộ sau khi đồng chí thư ký {secretary} đọc lại; "
    "các đồng chí dự họp nhất trí với nội dung biên bản."
)


def meeting(field: str) -> RecordSource:
    return RecordSource(table="meeting", id=None, field=field)


def _s(text: str, *sources: Source, part: str = "text") -> Sentence:
    return Sentence.model_validate({"text": text, "sources": list(sources), "part": part})


def _end(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in ".!?…" else text + "."


def header(r: MeetingRecord) -> tuple[list[str], list[str], list[str]]:
    cell = r.cell_name.strip()
    cell = cell.upper() if cell.lower().startswith("chi bộ") else f"CHI BỘ {cell.upper()}"
    left = [r.superior_committee.strip().upper(), cell, "*"]
    place = r.header_place.strip() or r.place.strip()
    right = ["ĐẢNG CỘNG SẢN VIỆT NAM", f"{place}, {date_words(r.date)}"]
    title = ["BIÊN BẢN", f"SINH HOẠT CHI BỘ {KIND_TITLE[r.kind]} THÁNG {r.month} NĂM {r.year}"]
    return left, right, title


def time_place(r: MeetingRecord) -> Section:
    return Section(
        key="time_place",
        heading="Thời gian, địa điểm",
        sentences=[
            _s(
                f"Thời gian: bắt đầu lúc {time_words(r.start)}, {date_words(r.date)}.",
                meeting("start"),
                meeting("date"),
            ),
            _s(_end(f"Địa điểm: {r.place}"), meeting("place")),
        ],
    )


def _people(r: MeetingRecord, state: AttendanceState) -> tuple[str, list[Source]]:
    rows = [a for a in r.attendance if a.state is state]
    names = [
        f"đồng chí {a.name}" + (f" ({a.reason.strip()})" if a.reason.strip() else "") for a in rows
    ]
    sources: list[Source] = [meeting(f"attendance.{state.value}")]
    for a in rows:
        sources.append(RecordSource(table="attendance", id=a.member_id, field="name"))
        if a.reason.strip():
            sources.append(RecordSource(table="attendance", id=a.member_id, field="reason"))
    label = f"{STATE_LABEL[state]}: {len(rows)} đồng chí"
    return (f"{label}: {', '.join(names)}." if names else f"{label}."), sources


def attendance(r: MeetingRecord) -> Section:
    sentences = [
        _s(
            f"Tổng số đảng viên của chi bộ: {len(r.attendance)} đồng chí.",
            meeting("attendance.total"),
        ),
        _s(f"Có mặt: {r.present_count} đồng chí.", meeting("attendance.present")),
    ]
    for state in (AttendanceState.absent_with_leave, AttendanceState.absent_without_leave):
        text, sources = _people(r, state)
        sentences.append(_s(text, *sources))
    if r.names_in(AttendanceState.exempt):
        text, sources = _people(r, AttendanceState.exempt)
        sentences.append(_s(text, *sources))
    if r.guests:
        guests = ", ".join(
            f"đồng chí {g.name}" + (f", {g.title.strip()}" if g.title.strip() else "")
            for g in r.guests
        )
        gsrc: list[Source] = [RecordSource(table="guest", id=g.id, field="name") for g in r.guests]
        sentences.append(_s(f"Khách mời: {guests}.", *gsrc))
    else:
        sentences.append(_s("Khách mời: không có.", meeting("guests")))
    return Section(key="attendance", heading="Thành phần dự họp", sentences=sentences)


def presiding(r: MeetingRecord) -> Section:
    return Section(
        key="presiding",
        heading="Chủ trì, thư ký",
        sentences=[
            _s(f"Chủ trì: đồng chí {r.chair}.", meeting("chair")),
            _s(f"Thư ký: đồng chí {r.secretary}.", meeting("secretary")),
        ],
    )


def report(item: AgendaItem) -> list[Sentence]:
    title_src = RecordSource(table="agenda_item", id=item.id, field="title")
    docs = [f"“{d.title}”" + (f" ({d.symbol})" if d.symbol else "") for d in item.documents]
    dsrc: list[Source] = [
        RecordSource(table="document", id=d.id, field="title") for d in item.documents
    ]
    dsrc += [
        RecordSource(table="document", id=d.id, field="symbol") for d in item.documents if d.symbol
    ]
    out: list[Sentence] = []
    if item.presenter:
        who = RecordSource(table="agenda_item", id=item.id, field="presenter")
        out.append(
            _s(
                _end(f"Đồng chí {item.presenter} trình bày: {item.title}"),
                who,
                title_src,
                part="report",
            )
        )
    else:
        out.append(_s(_end(f"Nội dung: {item.title}"), title_src, part="report"))
    if docs:
        out.append(_s(f"Tài liệu: {'; '.join(docs)}.", *dsrc, part="report"))
    return out


def conclusion(r: MeetingRecord, item: AgendaItem) -> list[Sentence]:
    out: list[Sentence] = []
    if item.conclusion.strip():
        src = RecordSource(table="agenda_item", id=item.id, field="conclusion")
        text = _end(f"Đồng chí {r.chair} kết luận: {item.conclusion.strip()}")
        out.append(_s(text, meeting("chair"), src, part="conclusion"))
    for res in r.resolutions:
        if res.agenda_item_id == item.id:
            src = RecordSource(table="resolution", id=res.id, field="text")
            out.append(_s(_end(f"Chi bộ thống nhất: {res.text.strip()}"), src, part="conclusion"))
    return out


def vote_sentences(r: MeetingRecord, v: Vote) -> list[Sentence]:
    """Exact tallies and their share of those present; names only for an open vote."""
    present = r.present_count
    unit = "đồng chí" if v.kind == "open" else "phiếu"

    def share(n: int, verb: str) -> str:
        return f", {verb} {percent(n, present)}" if present else ""

    how = "Biểu quyết giơ tay" if v.kind == "open" else "Bỏ phiếu kín"
    question = v.question.strip().rstrip(".")
    text = (
        f"{how} (nội dung: {question}): có mặt {present} đồng chí; "
        f"tán thành {v.agree} {unit}{share(v.agree, 'đạt')}; "
        f"không tán thành {v.disagree} {unit}{share(v.disagree, 'chiếm')}; "
        f"ý kiến khác {v.abstain} {unit}{share(v.abstain, 'chiếm')}."
    )
    vid = v.id
    src = [
        RecordSource(table="vote", id=vid, field=f)
        for f in ("question", "agree", "disagree", "abstain")
    ]
    out = [_s(text, *src, meeting("attendance.present"))]
    out.append(
        _s(f"Kết quả: {ADOPTED[v.adopted]}.", RecordSource(table="vote", id=vid, field="adopted"))
    )
    if v.kind == "open":
        for names, label, f in (
            (v.disagree_names, "không tán thành", "disagree_names"),
            (v.abstain_names, "có ý kiến khác", "abstain_names"),
        ):
            if names:
                listed = ", ".join(f"đồng chí {n}" for n in names)
                out.append(
                    _s(
                        f"Các đồng chí {label}: {listed}.",
                        RecordSource(table="vote", id=vid, field=f),
                    )
                )
    return out


def tasks_section(r: MeetingRecord) -> Section:
    sentences = []
    for t in r.tasks:
        src: list[Source] = [
            RecordSource(table="task", id=t.id, field="assignee"),
            RecordSource(table="task", id=t.id, field="title"),
        ]
        text = f"Đồng chí {t.assignee}: {t.title.strip().rstrip('.')}"
        if t.due is not None:
            text += f"; thời hạn: {date_short(t.due)}"
            src.append(RecordSource(table="task", id=t.id, field="due"))
        sentences.append(_s(text + ".", *src))
    return Section(key="tasks", heading="Phân công nhiệm vụ", sentences=sentences)


def closing(r: MeetingRecord) -> Section:
    return Section(
        key="closing",
        heading="Kết thúc",
        sentences=[
            _s(f"Hội nghị kết thúc lúc {time_words(r.end)} cùng ngày.", meeting("end")),
            _s(PASSED.format(secretary=r.secretary), meeting("secretary")),
        ],
    )


def draft_minutes(
    data: MinutesInput, *, embedder: Embedder | None = None, max_per_item: int = MAX_PER_ITEM
) -> MinutesDraft:
    """The offline draft: the record fills the layout, the discussion is chosen from the
    comments, notes and transcript (embeddings when given, else lexical similarity)."""
    r = data.record
    left, right, title = header(r)
    sections = [time_place(r), attendance(r), presiding(r)]
    chosen = select(data, embedder, max_per_item) if r.agenda else {}
    for n, item in enumerate(r.agenda, start=1):
        said = [c.sentence() for c in chosen.get(item.id, [])]
        sentences = report(item) + [s for s in said if s.part == "discussion"]
        sentences += [s for s in said if s.part == "conclusion"] + conclusion(r, item)
        sections.append(
            Section(
                key=f"item-{item.id}", heading=f"Nội dung {n}: {item.title}", sentences=sentences
            )
        )
    if r.votes:
        sentences = [s for v in r.votes for s in vote_sentences(r, v)]
        sections.append(Section(key="votes", heading="Kết quả biểu quyết", sentences=sentences))
    loose = [x for x in r.resolutions if x.agenda_item_id not in {a.id for a in r.agenda}]
    if loose:
        sentences = [
            _s(
                _end(f"Chi bộ thống nhất: {x.text.strip()}"),
                RecordSource(table="resolution", id=x.id, field="text"),
            )
            for x in loose
        ]
        sections.append(Section(key="resolutions", heading="Kết luận chung", sentences=sentences))
    if r.tasks:
        sections.append(tasks_section(r))
    sections.append(closing(r))
    return MinutesDraft(
        header_left=left,
        header_right=right,
        title=title,
        sections=sections,
        signatures=[
            Signature(role="CHỦ TRÌ", name=r.chair),
            Signature(role="THƯ KÝ", name=r.secretary),
        ],
    )
