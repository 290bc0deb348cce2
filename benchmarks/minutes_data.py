"""The synthetic meeting benchmarks/minutes.py drafts: 40 members, 5 agenda items and a
transcript of templated Vietnamese sentences (fillers, stutters and greetings included), each
segment tagged with the item it was spoken for. Deterministic (fixed seeds)."""

from __future__ import annotations

import datetime as dt
import random

from pipelines.minutes import (
    AgendaDocument,
    AgendaItem,
    AttendanceState,
    Comment,
    MeetingRecord,
    MemberAttendance,
    MinutesInput,
    NoteLine,
    TranscriptSegment,
    Vote,
)

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Ngô",
    "Dương",
    "Lý",
    "Mai",
    "Võ",
    "Phan",
    "Trịnh",
    "Đinh",
    "Tạ",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Quang", "Ngọc", "Đức"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Em",
    "Giang",
    "Hải",
    "Hoa",
    "Khánh",
    "Lan",
    "Minh",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Uyên",
    "Vinh",
    "Yến",
]

ITEMS = [
    (
        "Báo cáo kết quả công tác tháng và phương hướng tháng tới",
        "Báo cáo công tác tháng 11",
        "12-BC/CB",
        [
            "vệ sinh môi trường",
            "an ninh trật tự",
            "hẻm nhỏ",
            "camera an ninh",
            "đèn đường",
            "tổ dân phố",
            "rác thải",
            "phòng cháy chữa cháy",
            "quà Tết cho hộ nghèo",
            "hộ khó khăn",
        ],
    ),
    (
        "Học tập Nghị quyết về đột phá khoa học, công nghệ và chuyển đổi số",
        "Nghị quyết về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
        "57-NQ/TW",
        [
            "chuyển đổi số",
            "ứng dụng trên điện thoại",
            "dịch vụ công trực tuyến",
            "chữ ký số",
            "kỹ năng số",
            "đảng viên lớn tuổi",
            "thanh toán không dùng tiền mặt",
            "định danh điện tử",
            "mạng xã hội",
            "bảo mật thông tin",
        ],
    ),
    (
        "Xét đề nghị kết nạp quần chúng ưu tú vào Đảng",
        "Hồ sơ đề nghị kết nạp đảng viên",
        "",
        [
            "quần chúng ưu tú",
            "lý lịch",
            "lớp cảm tình Đảng",
            "thẩm tra",
            "đoàn viên thanh niên",
            "người giới thiệu",
            "phẩm chất đạo đức",
            "gia đình chấp hành tốt",
            "nhận xét của đoàn thể",
            "hồ sơ kết nạp",
        ],
    ),
    (
        "Kiểm điểm, đánh giá và xếp loại đảng viên cuối năm",
        "Hướng dẫn kiểm điểm, đánh giá, xếp loại chất lượng đảng viên",
        "25-HD/ĐU",
        [
            "tự phê bình",
            "hoàn thành tốt nhiệm vụ",
            "bản kiểm điểm",
            "xếp loại chất lượng",
            "khuyết điểm",
            "hạn chế",
            "sinh hoạt đều đặn",
            "gương mẫu",
            "đóng đảng phí đúng hạn",
            "nêu gương",
        ],
    ),
    (
        "Thu chi tài chính, đảng phí và quỹ khuyến học",
        "Báo cáo tài chính chi bộ",
        "",
        [
            "đảng phí",
            "quỹ khuyến học",
            "sổ sách thu chi",
            "công khai tài chính",
            "học bổng",
            "học sinh nghèo vượt khó",
            "kinh phí hoạt động",
            "chứng từ",
            "tiền mặt tồn quỹ",
            "vận động đóng góp",
        ],
    ),
]
VERBS = [
    "đề nghị",
    "cần",
    "phải",
    "tiếp tục",
    "chú ý",
    "tăng cường",
    "rà soát",
    "làm rõ",
    "bổ sung",
    "thống nhất",
    "kiến nghị",
    "quan tâm đến",
]
SUBJECTS = [
    "chi bộ",
    "khu phố",
    "các đồng chí",
    "ban công tác mặt trận",
    "tổ dân phố",
    "chi ủy",
    "đoàn thanh niên",
    "hội phụ nữ",
    "các hộ gia đình",
    "tôi",
]
TAILS = [
    "trong thời gian tới",
    "ngay trong tháng này",
    "một cách thường xuyên",
    "cho hiệu quả",
    "theo đúng hướng dẫn",
    "trước kỳ sinh hoạt sau",
    "để bà con yên tâm",
    "nhất là ở các hẻm",
]
FILLERS = ["ừ thì là", "à", "ờ", "cái này thì", "nói chung là", "thực ra là"]
GREETINGS = ["Kính thưa các đồng chí.", "Cảm ơn đồng chí.", "Xin cảm ơn chi bộ.", "Vâng ạ."]


def members(n: int) -> list[str]:
    rng = random.Random(7)
    names: list[str] = []
    while len(names) < n:
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        if name not in names:
            names.append(name)
    return names


def sentence(rng: random.Random, topic: list[str]) -> str:
    words = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(topic)]
    if rng.random() < 0.5:
        words += ["và", rng.choice(topic)]
    words.append(rng.choice(TAILS))
    if rng.random() < 0.3:
        words.insert(0, rng.choice(FILLERS))
    if rng.random() < 0.15:  # a stutter
        words.insert(1, words[0])
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def meeting(words: int, n_members: int = 40) -> tuple[MinutesInput, list[int]]:
    """The synthetic meeting and, per transcript segment, the agenda item it was spoken for."""
    rng = random.Random(2026)
    names = members(n_members)
    states = [AttendanceState.present] * 32 + [AttendanceState.absent_with_leave] * 4
    states += [AttendanceState.absent_without_leave] * 2 + [AttendanceState.exempt] * 2
    attendance = [
        MemberAttendance(
            member_id=i,
            name=n,
            state=states[i % len(states)],
            reason="ốm" if states[i % len(states)] is AttendanceState.absent_with_leave else "",
        )
        for i, n in enumerate(names)
    ]
    agenda = [
        AgendaItem(
            id=k + 1,
            title=t,
            presenter=names[k],
            documents=[AgendaDocument(id=10 * (k + 1), title=d, symbol=s)],
        )
        for k, (t, d, s, _) in enumerate(ITEMS)
    ]
    segments: list[TranscriptSegment] = []
    truth: list[int] = []
    total, per_item = 0, words // len(ITEMS)
    for k, (_, _, _, topic) in enumerate(ITEMS):
        spoken = 0
        while spoken < per_item:
            parts = [sentence(rng, topic) for _ in range(2)]
            if rng.random() < 0.1:
                parts.insert(0, rng.choice(GREETINGS))
            text = " ".join(parts)
            start = len(segments) * 14.0
            speaker = (
                names[rng.randrange(n_members)]
                if rng.random() < 0.7
                else f"SPEAKER_{rng.randrange(9):02d}"
            )
            segments.append(
                TranscriptSegment(
                    index=len(segments), start=start, end=start + 13.5, text=text, speaker=speaker
                )
            )
            truth.append(k + 1)
            spoken += len(text.split())
        total += spoken
    notes = [
        NoteLine(
            text=sentence(rng, ITEMS[k % 5][3]), agenda_item_id=(k % 5) + 1 if k % 3 == 0 else None
        )
        for k in range(30)
    ]
    comments = [
        Comment(id=k, author=names[k], text=sentence(rng, ITEMS[k % 5][3])) for k in range(15)
    ]
    record = MeetingRecord(
        meeting_id=1,
        superior_committee="Đảng ủy phường Bến Nghé",
        cell_name="Chi bộ Khu phố 3",
        month=12,
        year=2026,
        date=dt.date(2026, 12, 5),
        start=dt.time(14, 0),
        end=dt.time(15, 0),
        place="Hội trường khu phố 3",
        chair=names[0],
        secretary=names[1],
        attendance=attendance,
        agenda=agenda,
        comments=comments,
        votes=[
            Vote(
                id=1,
                kind="open",
                question="Thông qua phương hướng",
                agree=30,
                disagree=1,
                abstain=1,
                adopted=True,
            ),
            Vote(
                id=2,
                kind="secret",
                question="Kết nạp quần chúng ưu tú",
                agree=29,
                disagree=2,
                abstain=1,
                adopted=True,
            ),
        ],
    )
    return MinutesInput(record=record, notes=notes, transcript=segments), truth
