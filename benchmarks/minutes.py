"""Minutes drafting on a synthetic 60-minute meeting: about 9,000 words of Vietnamese transcript
in 5 agenda items, 40 members, notes and comments; offline mode, time and memory peak, with
the lexical fallback as the baseline in the same process.

    .venv/bin/python -m benchmarks.minutes [--words 9000] [--repeat 3]

Rows: lexical similarity + MMR (no model); the packaged embeddings (e5-fast) + MMR with the
model already loaded (as in a worker that keeps it); the same including the model's load.
"item accuracy" is the share of transcript sentences assigned to the item they were generated
for. "py peak MB" is tracemalloc's peak of Python allocations during one draft (a separate
run: tracing slows it); "RSS peak MB" is the process's high-water mark after the row. Runs
pinned to 2 cores where the machine has more.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import time
import tracemalloc
from pathlib import Path
from typing import Any

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
    draft_minutes,
)
from pipelines.minutes.assign import Embedder
from pipelines.minutes.discussion import assign, collect, unique

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


def accuracy(data: MinutesInput, truth: list[int], embedder: Embedder | None) -> float:
    candidates = unique(collect(data))
    assign(data, candidates, embedder)
    spoken = [c for c in candidates if c.origin == "transcript"]
    hits = 0
    for c in spoken:
        seg = getattr(c.source, "first_segment", 0)
        hits += data.record.agenda[c.item].id == truth[seg]
    return hits / max(len(spoken), 1)


def rss_peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(
    name: str, data: MinutesInput, truth: list[int], embedder: Any, repeat: int, load: float = 0.0
) -> dict[str, Any]:
    walls, cpus = [], []
    for _ in range(repeat):
        c, t = time.process_time(), time.perf_counter()
        draft = draft_minutes(data, embedder=embedder)
        walls.append(time.perf_counter() - t + load)
        cpus.append(time.process_time() - c)
    tracemalloc.start()
    draft_minutes(data, embedder=embedder)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    kept = sum(
        1
        for s in draft.sections
        if s.key.startswith("item-")
        for x in s.sentences
        if x.part == "discussion"
    )
    return {
        "mode": name,
        "draft s (median)": sorted(walls)[len(walls) // 2],
        "CPU s": sorted(cpus)[len(cpus) // 2],
        "py peak MB": peak / 2**20,
        "RSS peak MB": rss_peak_mb(),
        "item accuracy": accuracy(data, truth, embedder),
        "kept": kept,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--words", type=int, default=9000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) > 2:
        os.sched_setaffinity(0, set(cores[:2]))
    data, truth = meeting(args.words)
    words = sum(len(s.text.split()) for s in data.transcript)
    rows = [measure("lexical + MMR (baseline)", data, truth, None, args.repeat)]

    from vectorstore.config import EmbeddingSettings
    from vectorstore.embeddings import make_embeddings

    t = time.perf_counter()
    embedder = make_embeddings(EmbeddingSettings())
    embedder.embed_passages(["khởi động"])
    load = time.perf_counter() - t
    rows.append(measure("e5-fast + MMR, model loaded", data, truth, embedder, args.repeat))
    rows.append(measure("e5-fast + MMR, with model load", data, truth, embedder, 1, load))

    print(
        f"synthetic meeting: {words} words in {len(data.transcript)} transcript segments, "
        f"{len(data.record.agenda)} agenda items, {len(data.record.attendance)} members, "
        f"{len(data.notes)} note lines, {len(data.record.comments)} comments; "
        f"{len(os.sched_getaffinity(0))} cores; model load {load:.2f} s; target < 10 s"
    )
    cols = list(rows[0])
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        cells = [
            r[c]
            if isinstance(r[c], str)
            else (str(r[c]) if isinstance(r[c], int) else f"{r[c]:.2f}")
            for c in cols
        ]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
