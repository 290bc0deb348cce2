"""`sotay eval qa` end to end on a tiny dataset: publish, index, ask as members, score."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from app.cli import app

NOTICE = (
    "Điều 1. Phạm vi\nQuy định này áp dụng cho các chi bộ khu phố.\n"
    "Điều 2. Hạn báo cáo\n1. Hạn nộp báo cáo quý IV là ngày 15 tháng 12.\n"
    "2. Báo cáo gửi về văn phòng đảng ủy.\n"
)
PLAN = (
    "I. LỊCH SINH HOẠT\n1. Chi bộ Ấp Đông sinh hoạt vào tối thứ Sáu đầu tiên của tháng tại nhà"
    " văn hóa ấp.\n2. Đảng viên vắng mặt phải báo cáo bí thư chi bộ trước buổi sinh hoạt.\n"
)
TINY = {
    "name": "tiny",
    "units": [
        {"code": "C", "name": "Thành ủy Thử nghiệm", "kind": "city_committee"},
        {"code": "W", "name": "Đảng ủy phường Bến Nghé", "kind": "ward_committee", "parent": "C"},
        {"code": "W-1", "name": "Chi bộ Khu phố 1", "kind": "cell", "parent": "W"},
        {"code": "X", "name": "Đảng ủy xã Tân Phú", "kind": "commune_committee", "parent": "C"},
        {"code": "X-1", "name": "Chi bộ Ấp Đông", "kind": "cell", "parent": "X"},
    ],
    "members": [
        {"key": "w", "name": "Nguyễn Văn An", "unit": "W-1"},
        {"key": "x", "name": "Lê Thị Ba", "unit": "X-1", "role": "cell_secretary"},
    ],
    "documents": [
        {"number": "08-QĐ/ĐU", "title": "Quy định về báo cáo", "kind": "quy_dinh",
         "issuer": "W", "audience": [{"unit": "W"}], "text": NOTICE},
        {"number": "15-TB/ĐU", "title": "Thông báo lịch sinh hoạt", "kind": "thong_bao",
         "issuer": "X", "audience": [{"unit": "X"}], "text": PLAN},
    ],
    "questions": [
        {"id": "a1", "ask_as": "w", "question": "Hạn nộp báo cáo quý IV là ngày nào?",
         "answers": ["ngày 15 tháng 12"], "document": "08-QĐ/ĐU", "section": "Điều 2"},
        # The same answer, held to a phrase it does not contain: answered, so counted wrong.
        {"id": "a2", "ask_as": "w", "question": "Hạn nộp báo cáo quý IV là ngày nào?",
         "answers": ["ngày 20 tháng 12"], "document": "08-QĐ/ĐU"},
        {"id": "a3", "ask_as": "x", "question": "Chi bộ Ấp Đông sinh hoạt vào tối hôm nào?",
         "answers": ["tối thứ sáu đầu tiên"], "document": "15-TB/ĐU"},
        # Only in the commune's notice, which the ward member may not see.
        {"id": "d1", "ask_as": "w", "kind": "not_visible", "expect": "decline",
         "question": "Chi bộ Ấp Đông sinh hoạt vào tối hôm nào?", "document": "15-TB/ĐU"},
        {"id": "d2", "ask_as": "x", "kind": "unanswerable", "expect": "decline",
         "question": "Bí thư chi bộ được hưởng phụ cấp hằng tháng bao nhiêu tiền?"},
    ],
}  # fmt: skip
KEYS = {
    "questions",
    "answerable",
    "unanswerable",
    "answered_with_phrase",
    "right_document",
    "correct",
    "wrong",
    "wrong_on_unanswerable",
    "declined_correctly",
    "declined_wrongly",
    "correct_rate",
    "wrong_unanswerable_rate",
    "latency_ms_p50",
    "latency_ms_p95",
    "by_kind",
    "documents_indexed",
    "index_failures",
    "coverage",
    "config",
    "outcomes",
}


def test_eval_qa_publishes_asks_as_members_and_scores(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.core import config

    # The eval must not touch the app's data directory: point it somewhere that must stay empty.
    data_dir = tmp_path / "app-data"
    monkeypatch.setattr(config, "_settings", config.Settings(data_dir=data_dir))
    dataset = tmp_path / "tiny.json"
    dataset.write_text(json.dumps(TINY, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "qa", "--dataset", str(dataset), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout.strip())  # exactly one JSON document on stdout
    assert set(payload) >= KEYS
    assert payload["documents_indexed"] == 2 and payload["index_failures"] == {}
    assert set(payload["coverage"]) == {"08-QĐ/ĐU", "15-TB/ĐU"}
    assert all(0.5 < share <= 1.0 for share in payload["coverage"].values())
    verdicts = {o["id"]: o["verdict"] for o in payload["outcomes"]}
    assert verdicts == {
        "a1": "correct",
        "a2": "wrong",
        "a3": "correct",
        "d1": "declined_correctly",
        "d2": "declined_correctly",
    }
    assert (payload["answerable"], payload["unanswerable"]) == (3, 2)
    assert (payload["correct"], payload["wrong"], payload["declined_correctly"]) == (2, 1, 2)
    assert payload["wrong_on_unanswerable"] == 0 and payload["wrong_unanswerable_rate"] == 0.0
    assert payload["right_document"] == 3 and payload["answered_with_phrase"] == 2
    assert payload["by_kind"]["not_visible"] == {"questions": 1, "declined_correctly": 1}
    assert payload["latency_ms_p95"] >= payload["latency_ms_p50"] > 0
    assert not data_dir.exists()
