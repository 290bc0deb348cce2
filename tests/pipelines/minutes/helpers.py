"""Assertions the minutes tests share: provenance that resolves and holds the sentence's words,
and the record's figures written exactly."""

from __future__ import annotations

import re

from pipelines.minutes import (
    AttendanceState,
    MinutesDraft,
    MinutesInput,
    RecordSource,
    source_text,
)
from pipelines.minutes.vi import fold, syllables

ATTRIBUTION = re.compile(r"^(?:Đồng chí [^:]+ (?:phát biểu|kết luận)|Có ý kiến): ")


def assert_provenance(draft: MinutesDraft, data: MinutesInput) -> None:
    """Every sentence has sources; each resolves; a record value is written in the sentence,
    and a sentence drawn from a note, comment or transcript uses only words of its sources."""
    for section in draft.sections:
        for s in section.sentences:
            assert s.sources, s.text
            texts = [source_text(src, data) for src in s.sources]
            assert all(t is not None for t in texts), (s.text, s.sources)
            spoken: list[str] = []
            for src, t in zip(s.sources, texts, strict=True):
                assert t is not None
                if isinstance(src, RecordSource):
                    value = fold(t.strip().rstrip("."))
                    assert value in fold(s.text), (s.text, src, t)
                else:
                    spoken.append(t)
            if spoken:
                words = set(syllables(ATTRIBUTION.sub("", s.text)))
                pool = {w for t in spoken for w in syllables(t)}
                assert words <= pool, (s.text, words - pool)


def assert_figures(draft: MinutesDraft, data: MinutesInput) -> None:
    """The counts, absent names and vote figures of the record, written exactly."""
    r = data.record
    att = draft.section("attendance").text()
    assert f"Tổng số đảng viên của chi bộ: {len(r.attendance)} đồng chí." in att
    assert f"Có mặt: {r.present_count} đồng chí." in att
    for state, label in (
        (AttendanceState.absent_with_leave, "Vắng có phép"),
        (AttendanceState.absent_without_leave, "Vắng không phép"),
        (AttendanceState.exempt, "Miễn sinh hoạt"),
    ):
        names = r.names_in(state)
        line = next((x for x in att.splitlines() if x.startswith(label)), "")
        if names or state is not AttendanceState.exempt:
            assert line.startswith(f"{label}: {len(names)} đồng chí"), (label, line)
        for name in names:
            assert f"đồng chí {name}" in line
        others = [a.name for a in r.attendance if a.state is not state]
        for name in others:
            assert not re.search(rf"đồng chí {re.escape(name)}(?![\w])", line), (name, line)
    if not r.votes:
        assert all(s.key != "votes" for s in draft.sections)
        return
    votes = draft.section("votes").text()
    for v in r.votes:
        unit = "đồng chí" if v.kind == "open" else "phiếu"
        for label, n in (
            ("tán thành", v.agree),
            ("không tán thành", v.disagree),
            ("ý kiến khác", v.abstain),
        ):
            assert f"{label} {n} {unit}" in votes
