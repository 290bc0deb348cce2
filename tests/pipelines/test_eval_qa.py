"""Scoring of `sotay eval qa`, and the party-domain dev set's own consistency."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pipelines.eval_qa import QuestionSpec, coverage, fold, judge, load_dataset, phrase_in

DEV = Path(__file__).parents[1] / "data" / "qa" / "party" / "dataset.json"


def q(**kw: object) -> QuestionSpec:
    base: dict[str, object] = {"id": "q", "ask_as": "m", "question": "?"}
    return QuestionSpec.model_validate(base | kw)


def test_phrases_match_whole_words_without_accents_or_case() -> None:
    assert phrase_in("ngày 15 tháng 12", "Hạn nộp là NGAY 15 THANG 12 năm nay.")
    assert phrase_in("Đảng phí", "dang phi")
    assert phrase_in("0,5%", "đóng 0,5% mức lương hưu")
    assert not phrase_in("5 năm", "giá trị trong 15 năm")
    assert not phrase_in("12 tháng", "sau 112 tháng")


def test_coverage_counts_words_lost_not_headings_repeated() -> None:
    doc = "Mục 1. Mức đóng: đóng 1% tiền lương.\nMục 2. Miễn: tuổi cao."
    assert coverage(doc, ["Mục 1. Mức đóng", "Mục 2. Miễn"]) == round(7 / 13, 4)  # 7 of 13 words
    whole = ["Mục 1. Mức đóng\nMục 1. Mức đóng: đóng 1% tiền lương.", "Mục 2. Miễn: tuổi cao."]
    assert coverage(doc, whole) == 1.0


def test_verdicts() -> None:
    gold = q(answers=["90 phút", "chuyên đề"], document="03-QĐ/TU", section="Điều 3")
    answer = "Theo các văn bản bạn được xem:\n03-QĐ/TU, Điều 3: “không ít hơn 90 phút.” [1]"
    right = judge(gold, True, answer, ["03-qđ/tu"], ["Điều 3. Thời gian"], 5.0)
    assert (right.verdict, right.phrase, right.document, right.section) == (
        "correct", True, True, True,
    )  # fmt: skip
    other_doc = judge(gold, True, answer, ["05-HD/TU"], ["Mục 1"], 5.0)
    assert other_doc.verdict == "wrong" and other_doc.phrase and not other_doc.document
    missed = judge(gold, False, "Không tìm thấy trong các văn bản bạn được xem.", [], [], 5.0)
    assert missed.verdict == "declined_wrongly"
    both = gold.model_copy(update={"match": "all"})
    assert judge(both, True, answer, ["03-QĐ/TU"], [], 5.0).verdict == "wrong"
    # A label may not supply the phrase: the article title "Điều 5. Thời hạn 90 phút" is cut.
    label_only = judge(gold, True, "03-QĐ/TU, Điều 5. Thời hạn 90 phút: “…”", ["03-QĐ/TU"],
                       ["Điều 5. Thời hạn 90 phút"], 5.0)  # fmt: skip
    assert label_only.verdict == "wrong"


def test_an_unanswerable_question_is_right_only_when_declined() -> None:
    none = q(kind="unanswerable", expect="decline")
    assert judge(none, False, "Không tìm thấy…", [], [], 1.0).verdict == "declined_correctly"
    assert judge(none, True, "Theo … “…” [1]", ["05-HD/TU"], [], 1.0).verdict == "wrong"


def test_the_dev_set_is_consistent() -> None:
    data = load_dataset(DEV)
    assert len(data.documents) >= 10 and len(data.questions) >= 80
    texts = {d.number: fold(d.text or "") for d in data.documents}
    for question in data.questions:
        for phrase in question.answers:
            assert question.document is not None
            assert phrase_in(phrase, texts[question.document]), (question.id, phrase)
    kinds = Counter(x.kind for x in data.questions)
    assert kinds["unanswerable"] >= 10 and kinds["not_visible"] >= 3
    assert {d.type for d in data.documents} >= {
        "quy định", "hướng dẫn", "kế hoạch", "thông báo", "nghị quyết", "báo cáo", "quy chế",
    }  # fmt: skip
    # Questions are paraphrased: none repeats a sentence of its gold document.
    for question in data.questions:
        if question.document:
            assert fold(question.question.rstrip("?")) not in texts[question.document]
