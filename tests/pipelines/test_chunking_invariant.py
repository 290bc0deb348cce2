"""Property: every word of a generated document's body is in exactly one chunk's text."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.chunking import chunk_text

# Syllables that start no label ("Phần", "Mục", "Điều", Roman numerals): a word of the body
# can never be mistaken for structure, so the expected body is known by construction.
WORDS = re.compile(r"\w+")
POOL = WORDS.findall(
    "đảng viên chi bộ sinh hoạt nghị quyết thực hiện kế hoạch báo cáo hằng tháng đóng phí mức "
    "lương cấp ủy nhiệm vụ học tập kết quả phường xã ấp năm quý hồ sơ đơn thời hạn trước ngày "
    "miễn công tác kiểm tra giám sát khen thưởng kỷ luật tổ chức đoàn thể nhân dân văn hóa "
    "nộp gửi xét duyệt bầu cử đại hội hội nghị tuyên truyền vận động"
)

word = st.sampled_from(POOL)


def _words(n_min: int, n_max: int) -> st.SearchStrategy[list[str]]:
    return st.lists(word, min_size=n_min, max_size=n_max)


@st.composite
def sentence(draw: st.DrawFn, end: str = ".") -> str:
    ws = draw(_words(4, 14))
    return " ".join([ws[0].capitalize(), *ws[1:]]) + end


@st.composite
def title(draw: st.DrawFn) -> str:
    ws = draw(_words(1, 5))
    if draw(st.booleans()):
        return " ".join(ws).upper()
    return " ".join([ws[0].capitalize(), *ws[1:]])


@dataclass
class Doc:
    lines: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)  # the text that must reach chunk texts
    titles: list[str] = field(default_factory=list)  # heading words (context only)

    def heading(self, line: str, title: str = "") -> None:
        self.lines.append(line)
        if title:
            self.titles.append(title)

    def content(self, line: str, body: str | None = None) -> None:
        self.lines.append(line)
        self.body.append(line if body is None else body)


@st.composite
def heading(draw: st.DrawFn, doc: Doc, label: str) -> None:
    """One of the ways a label meets its title or its content."""
    form = draw(st.sampled_from(["title", "colon", "sentence", "next-title", "next-sentence"]))
    if form == "title":
        t = draw(title())
        doc.heading(f"{label}. {t}", t)
    elif form == "colon":
        t, s = draw(title()), draw(sentence())
        doc.lines.append(f"{label}. {t}: {s.lower()}")
        doc.titles.append(t)
        doc.body.append(s.lower())
    elif form == "sentence":
        s = draw(sentence())
        doc.content(f"{label}. {s}", s)
    elif form == "next-title":
        t = draw(title())
        doc.heading(label)
        doc.heading(t, t)
    else:
        doc.heading(label)
        doc.content(draw(sentence()))


@st.composite
def paragraphs(draw: st.DrawFn, doc: Doc, lists: str) -> None:
    """At least one paragraph of content: sentences, bullets, or list items."""
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["plain", "bullet", "list"]))
        if kind == "plain":
            doc.content(" ".join(draw(st.lists(sentence(), min_size=1, max_size=3))))
        elif kind == "bullet":
            for _ in range(draw(st.integers(1, 3))):
                doc.content(f"{draw(st.sampled_from('-+'))} {draw(sentence(';'))}")
        else:
            for i in range(draw(st.integers(1, 3))):
                doc.content(
                    f"{i + 1 if lists == '1' else 'abc'[i]}{'.' if lists == '1' else ')'}"
                    f" {draw(sentence())}"
                )


@st.composite
def legal_document(draw: st.DrawFn) -> Doc:
    """Phần › Chương › Mục › Điều, articles with khoản "1." and điểm "a)"."""
    doc = Doc()
    n = 0
    for p in range(draw(st.integers(0, 2))):
        draw(heading(doc, f"Phần {'I' * (p + 1)}"))
        for c in range(draw(st.integers(1, 2))):
            draw(heading(doc, f"Chương {'I' * (c + 1)}"))
            if draw(st.booleans()):
                draw(heading(doc, f"Mục {c + 1}"))
            for _ in range(draw(st.integers(1, 3))):
                n += 1
                draw(heading(doc, f"Điều {n}"))
                if draw(st.booleans()):
                    for k in range(draw(st.integers(1, 3))):
                        doc.content(f"{k + 1}. {draw(sentence(':'))}")
                        for d in "ab"[: draw(st.integers(0, 2))]:
                            doc.content(f"{d}) {draw(sentence(';'))}")
                else:
                    draw(paragraphs(doc, "1"))
    if n == 0:
        draw(heading(doc, "Điều 1"))
        draw(paragraphs(doc, "1"))
    return doc


@st.composite
def outline_document(draw: st.DrawFn) -> Doc:
    """Guidance, plans and reports: "Phần I", "Mục 1", "I.", "1.", "a)", bullets."""
    doc = Doc()
    if draw(st.booleans()):
        doc.content(draw(sentence()))
    for p in range(draw(st.integers(1, 3))):
        top = draw(st.sampled_from(["Phần", "Mục", "roman"]))
        if top == "roman":
            t = draw(title()).upper()
            doc.heading(f"{'I' * (p + 1)}. {t}", t)
        else:
            draw(heading(doc, f"{top} {p + 1}"))
        if draw(st.booleans()):
            draw(paragraphs(doc, "a"))
            continue
        for i in range(draw(st.integers(1, 3))):
            t = draw(title())
            doc.heading(f"{i + 1}. {t}", t)
            if draw(st.booleans()):
                for j in range(draw(st.integers(1, 2))):
                    t = draw(title())
                    doc.heading(f"{'abc'[j]}) {t}", t)
                    for _ in range(draw(st.integers(1, 2))):
                        doc.content(f"- {draw(sentence(';'))}")
            else:
                draw(paragraphs(doc, "a"))
    return doc


def _counts(texts: list[str]) -> Counter[str]:
    return Counter(w for t in texts for w in WORDS.findall(t))


@settings(derandomize=True, max_examples=120, deadline=None)
@given(st.one_of(legal_document(), outline_document()), st.sampled_from([200, 1500]))
def test_every_body_word_is_in_exactly_one_chunk(doc: Doc, max_chars: int) -> None:
    chunks = chunk_text("\n".join(doc.lines), max_chars=max_chars)
    assert _counts([c.text for c in chunks]) == _counts(doc.body)
    # Titles are context: each is in the heading path of some chunk.
    paths = {w for c in chunks for h in c.headings for w in WORDS.findall(h)}
    assert {w for t in doc.titles for w in WORDS.findall(t)} <= paths


LINE_FORMS = st.one_of(
    st.builds(lambda s: s, sentence()),
    st.builds(lambda t: t, title()),
    st.builds(
        lambda k, t: f"{k} {t}",
        st.sampled_from(
            [
                "Phần I.",
                "Chương II",
                "Mục 3.",
                "Điều 4.",
                "I.",
                "2.",
                "1.1.",
                "b)",
                "-",
                "+",
                "PHẦN THỨ HAI",
            ]
        ),
        st.one_of(title(), sentence(), sentence(":")),
    ),
    st.sampled_from(["Phần I", "Chương II", "Mục 3", "Điều 4.", "PHẦN THỨ NHẤT", "I."]),
    st.builds(lambda t, s: f"Mục 2. {t}: {s}", title(), sentence()),
)


@settings(derandomize=True, max_examples=150, deadline=None)
@given(st.lists(LINE_FORMS, min_size=1, max_size=14))
def test_any_mix_of_lines_loses_and_repeats_no_word(lines: list[str]) -> None:
    """Whatever the order, no word is dropped (body or heading context) and no chunk text
    repeats a word the document has fewer times."""
    document = "\n".join(lines)
    chunks = chunk_text(document)
    doc_words = _counts([document])
    assert not _counts([c.text for c in chunks]) - doc_words
    kept = {w for c in chunks for w in WORDS.findall(" ".join([c.text, *c.headings]))}
    assert {w for w in doc_words if w.lower() in POOL} <= kept
