"""Tasks in a document's chunks: the sentences that give a party something to do, with that
party (from the sentence, or inherited from a lead-in such as "Các chi bộ:" or the clause's
heading), the deadline the sentence sets, and the chunk it cites."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipelines.summarise.deadlines import parse_deadline
from pipelines.summarise.models import DocumentChunk, DocumentInput, PartyKind, Task

__all__ = ["extract_tasks", "find_parties", "split_sentences"]

_TABLE = Path(__file__).with_name("parties.tsv")

# A list item's marker: "-", "+", "•", "a)", "1.", "2)".
_MARKER = re.compile(r"^\s*(?:[-+•*–]|[a-zđ]\)|\d{1,2}[.)](?!\d))\s*", re.IGNORECASE)
# Words that put a party in object position: "báo cáo về Văn phòng", "phối hợp với UBND".
_OBJECT_BEFORE = re.compile(
    r"(?:với|cho|về|đến|tới|gửi|của|từ|tại|giúp|và|hoặc|đối với|trong|thuộc|các|toàn|giữa)\s*$"
)
# A sentence that opens by naming who acts: "Giao Ban Tổ chức chủ trì…", "Đề nghị UBND…".
_AGENT_START = re.compile(r"^(?:giao(?:\s+cho)?|đề nghị|yêu cầu|đối với)\s*$")
# The agent of a passive: "phải được chi bộ tổ chức học bù".
_PASSIVE_BEFORE = re.compile(r"(?<!\w)(?:được|do)\s*$")
# Modal words that come before the real verb ("phải được chi bộ tổ chức").
_MODAL = re.compile(r"^(?:có trách nhiệm|chịu trách nhiệm|phải|cần)$")
# An opening subordinate clause ("Khi có vụ việc…, bí thư chi bộ phải báo cáo ngay").
_CONDITION = re.compile(r"^(?:khi|nếu|trường hợp|trong trường hợp|sau khi|trước khi)\s[^,]*,\s*")
# Verbs and modals of a task ("có trách nhiệm", "tổ chức", "báo cáo"…).
_ACTION = re.compile(
    r"(?<!\w)(?:có trách nhiệm|chịu trách nhiệm|phải|cần|chủ trì|phối hợp|tham mưu|chỉ đạo|"
    r"lãnh đạo|tổ chức|triển khai|thực hiện|báo cáo|gửi|nộp|hoàn thành|hoàn thiện|xây dựng|"
    r"rà soát|tổng hợp|chuẩn bị|phổ biến|quán triệt|kiểm tra|giám sát|theo dõi|đôn đốc|"
    r"hướng dẫn|cập nhật|lập|đăng ký|thu|nộp|học tập|tham gia|bảo đảm|đảm bảo|sơ kết|"
    r"tổng kết|đánh giá|kiện toàn|bổ sung|đề xuất|ban hành|trình|cử|phân công|vận động|"
    r"tuyên truyền|nắm|giải quyết|xử lý|công khai|viết|đóng|lựa chọn|giới thiệu|bồi dưỡng|"
    r"chấn chỉnh|khắc phục|tiếp nhận|ghi|lưu|duy trì|nâng cao|tăng cường|đẩy mạnh|"
    r"tập trung|nghiên cứu|sinh hoạt|gương mẫu|quản lý|thăm|tặng|rà|chốt|biên soạn|in|"
    r"phát hành|cung cấp|bố trí|dự|thông báo|ký|cam kết|tự kiểm điểm|kiểm điểm|thẩm định|"
    r"xét|đề nghị|chọn|liên hệ|giữ|nhận|phát động|chăm lo|bảo quản|ứng dụng|kết nạp|"
    r"phấn đấu|phản ánh|góp ý|cho ý kiến|bầu|đóng góp|động viên|hỗ trợ|rút kinh nghiệm|"
    r"chấp hành|tuân thủ|nghiêm túc|kịp thời|giữ gìn|mở|chỉnh sửa|khen thưởng|tiến hành)(?!\w)"
)
# Sentences that state a target, a purpose or a past fact rather than give a task.
_NOT_TASK = re.compile(
    r"^(?:phấn đấu|mục tiêu|chỉ tiêu|mục đích|yêu cầu\s*:|kết quả|tuy nhiên|tuy vậy|"
    r"nhìn chung|song|nhưng|bên cạnh|nguyên nhân|hạn chế|đạt|một số|"
    r"(?:trong\s+)?(?:thời gian|năm|tháng|quý|kỳ|nhiệm kỳ) (?:qua|vừa qua)|qua\s|"
    r"chỉ thị này|nghị quyết này|kế hoạch này|hướng dẫn này|thông báo này|quy định này|"
    r"văn bản này|điều\s+\d)",
)
# Before the verb, these make the sentence a past fact or a purpose, not a task.
_PAST = re.compile(r"(?<!\w)(?:đã|vừa|từng|nhằm|chưa)(?!\w)")
# A sentence that only gives the time of the task before it: "Thời gian hoàn thành: …".
_TIME_ONLY = re.compile(r"^(?:thời gian(?: hoàn thành| thực hiện)?|thời hạn|hạn|hạn chót)\b")
# Headings of what was done or is asked of others, not of tasks: "Điều 2. Hạn chế".
_NOT_TASK_HEADING = re.compile(
    r"^(?:(?:chương|mục|phần|điều)\s+[\w.]+\.?\s*|[ivx]+\.\s*|\d+\.\s*)?"
    r"(?:kết quả|ưu điểm|khuyết điểm|hạn chế|nguyên nhân|kiến nghị|đề xuất|tình hình|"
    r"bài học|phạm vi|đối tượng áp dụng|giải thích)"
)
# The innermost heading of a purpose ("Điều 1. Mục đích") heads no task either.
_PURPOSE_HEADING = re.compile(r"^(?:điều\s+\d+\.\s*|[ivx]+\.\s*|\d+\.\s*)?mục đích(?!\s*,)")
# Recipients and signatures end the text.
_END = re.compile(r"^(?:nơi nhận|t/m|t/l|k/t|tm\.|kt\.)", re.IGNORECASE)
_LEAD_STRIP = re.compile(
    r"^(?:giao(?:\s+cho)?|đề nghị|yêu cầu|đối với)\s+|^\s*(?:có trách nhiệm|chịu trách nhiệm)\s*"
)
# A proper name after a party: capitalised words or a number ("Bến Đò", "Khu phố 3").
_NAME = re.compile(r"(?:\s+(?:[A-ZĐÀ-Ỹ]\w*|\d+)(?:\s+(?:phố|[A-ZĐÀ-Ỹ]\w*|\d+))*)")
_SUBJECT_WINDOW = 60  # characters: a subject stands near the start, before its verb


@dataclass(frozen=True)
class Party:
    start: int
    end: int
    kind: PartyKind
    text: str


@cache
def _party_patterns() -> tuple[tuple[PartyKind, re.Pattern[str]], ...]:
    rows: list[tuple[PartyKind, re.Pattern[str]]] = []
    for line in _TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, pattern = line.split("\t", 1)
        rows.append((PartyKind(kind), re.compile(rf"(?<!\w)(?:{pattern.strip()})(?!\w)")))
    return tuple(rows)


def _lower(text: str) -> str:
    # Lower-casing keeps every character's offset: Vietnamese letters are one code point in NFC.
    return unicodedata.normalize("NFC", text).lower()


def find_parties(text: str) -> list[Party]:
    """Parties named in the text, leftmost-longest, not overlapping."""
    low = _lower(text)
    found: list[tuple[int, int, PartyKind]] = []
    for kind, pattern in _party_patterns():
        for m in pattern.finditer(low):
            if m.group(0).strip():
                found.append((m.start(), m.end(), kind))
    out: list[Party] = []
    until = -1
    for start, end, kind in sorted(found, key=lambda f: (f[0], f[0] - f[1])):
        if start >= until:
            if name := _NAME.match(text, end):
                end = name.end()
            lead = len(text[start:end]) - len(text[start:end].lstrip())
            out.append(Party(start + lead, end, kind, text[start + lead : end].strip(" ,")))
            until = end
    return out


def _subject(sentence: str) -> Party | None:
    """The party a sentence gives the task to: named as the agent ("Giao X", "được X"), else
    the first party near the start that stands before the verb and not as an object."""
    low = _lower(sentence)
    parties = find_parties(sentence)
    verbs = [m for m in _ACTION.finditer(low) if not _MODAL.match(m.group(0))]
    first_verb = verbs[0].start() if verbs else len(low)
    for p in parties:
        before = low[: p.start]
        if _AGENT_START.match(before) or (p.start < first_verb and _PASSIVE_BEFORE.search(before)):
            return p
    opening = _CONDITION.match(low)
    offset = opening.end() if opening else 0
    verb = _ACTION.search(low, offset)
    limit = offset + min(_SUBJECT_WINDOW, verb.start() - offset if verb else _SUBJECT_WINDOW)
    for p in parties:
        if p.start < offset:
            continue
        if p.start > limit:
            break
        if p.start == offset or not _OBJECT_BEFORE.search(low[offset : p.start]):
            return p
    return None


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph (underthesea, which knows Vietnamese abbreviations); a part
    after ";" that names its own party first is a sentence of its own."""
    from underthesea import sent_tokenize

    out: list[str] = []
    for sentence in sent_tokenize(text):
        parts = re.split(r";\s+", sentence)
        current = parts[0]
        for part in parts[1:]:
            subject = _subject(part)
            verb = _ACTION.search(_lower(part))
            if (subject is not None and subject.start < 12) or (verb and verb.start() < 25):
                out.append(current)
                current = part
            else:
                current = f"{current}; {part}"
        out.append(current)
    return [s.strip() for s in out if s.strip()]


def _heading_party(chunk: DocumentChunk) -> Party | None:
    """The party a heading names ("Điều 7. Trách nhiệm của các chi bộ"), innermost first."""
    for heading in reversed(chunk.headings):
        parties = find_parties(heading)
        if parties:
            return parties[0]
    return None


def _lines(chunk: DocumentChunk) -> Iterator[tuple[str, bool]]:
    """The chunk's paragraphs without their list markers, and whether each was a list item."""
    for raw in chunk.text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        marker = _MARKER.match(line)
        yield (line[marker.end() :].strip() if marker else line), marker is not None


def _action(sentence: str, subject: Party | None) -> str:
    text = sentence
    if subject is not None and subject.start <= _SUBJECT_WINDOW:
        text = sentence[subject.end :]
    text = _LEAD_STRIP.sub("", text.strip(" ,:;")).strip(" ,:;")
    return text[:1].upper() + text[1:] if text else sentence


def _tasks_of_chunk(
    chunk: DocumentChunk, doc: DocumentInput, article_party: Party | None
) -> list[Task]:
    tasks: list[Task] = []
    if any(_NOT_TASK_HEADING.match(_lower(h)) for h in chunk.headings) or (
        chunk.headings and _PURPOSE_HEADING.match(_lower(chunk.headings[-1]))
    ):
        return tasks
    heading = _heading_party(chunk) or article_party
    lead: Party | None = None  # from a line ending with ":" ("Các chi bộ:")
    for line, is_item in _lines(chunk):
        if _END.match(line):
            break
        if not any(ch.islower() for ch in line):
            continue  # a header or title in capitals
        if not is_item:
            lead = None
        previous: Party | None = None  # the party of the sentence before, same paragraph
        for sentence in split_sentences(line):
            low = _lower(sentence)
            subject = _subject(sentence)
            if sentence.endswith(":"):
                if subject is not None:
                    lead = subject
                continue
            if _TIME_ONLY.match(low) and tasks and tasks[-1].chunk_id == chunk.id:
                # "Thời gian hoàn thành: …" gives the time of the task before it.
                deadline = parse_deadline(sentence, doc.issued)
                if deadline is not None:
                    tasks[-1] = tasks[-1].model_copy(update={"deadline": deadline})
                continue
            if _NOT_TASK.match(low) or _narrative(low, doc):
                continue
            # A list item under a lead-in ("Các chi bộ:") is a task without a verb we know.
            if not _ACTION.search(low) and not (is_item and lead is not None):
                continue
            inherited = subject is None
            party = subject or previous or lead or heading
            if party is None:
                continue
            verb = _ACTION.search(low)
            if verb is not None and _PAST.search(low[: verb.start()]):
                continue
            previous = party
            tasks.append(
                Task(
                    text=sentence,
                    action=_action(sentence, subject),
                    responsible=party.text,
                    responsible_kind=party.kind,
                    inherited=inherited,
                    deadline=parse_deadline(sentence, doc.issued),
                    chunk_id=chunk.id,
                    article=chunk.article,
                )
            )
    return tasks


def _narrative(low: str, doc: DocumentInput) -> bool:
    """A sentence opening on a day before the document was issued tells what happened ("Ngày
    3 tháng 11 năm 2025, Ban Thường vụ nghe…")."""
    opening = re.match(r"(?:ngày|hôm)\s+[^,]{3,30},", low)
    if opening is None:
        return False
    day = parse_deadline(opening.group(0), doc.issued)
    return day is not None and day.due is not None and day.due <= doc.issued


def extract_tasks(doc: DocumentInput) -> list[Task]:
    """Every task of the document, in reading order. A clause that names no party continues
    the party of the article's clause before it ("Điều 4 … 2. Báo cáo sơ kết gửi trước…")."""
    tasks: list[Task] = []
    article = ""
    party: Party | None = None
    for chunk in doc.chunks:
        this_article = chunk.article.split(",")[0]
        if this_article != article:
            article, party = this_article, None
        found = _tasks_of_chunk(chunk, doc, party if article else None)
        if found and (kind := found[-1].responsible_kind) is not None:
            party = Party(0, 0, kind, found[-1].responsible)
        tasks.extend(found)
    return tasks
