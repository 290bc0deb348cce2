"""The scoring normalisation and the punctuation rules."""

from __future__ import annotations

import pytest

from audio.stt.evaluate import normalise, number_words
from audio.stt.punctuate import restore


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"),
        (10, "mười"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (105, "một trăm linh năm"),
        (2026, "hai nghìn không trăm hai mươi sáu"),
        (1_000_000, "một triệu"),
    ],
)
def test_vietnamese_numbers(n: int, words: str) -> None:
    assert number_words(n, "vi") == words


def test_english_numbers() -> None:
    assert number_words(9, "en") == "nine"
    assert number_words(342, "en") == "three hundred forty two"


def test_normalise_folds_case_punctuation_and_numbers() -> None:
    assert normalise("Ngày 15, Chi bộ HỌP; 1.234 người!", "vi") == (
        "ngày mười lăm chi bộ họp một nghìn hai trăm ba mươi bốn người"
    )
    assert normalise("At 9 o'clock.", "en") == normalise("at nine o clock", "en")


def test_restore_sentence_case_stop_and_names() -> None:
    assert restore("chi bộ họp ở hà nội") == "Chi bộ họp ở Hà Nội."
    assert restore("  đã  xong ") == "Đã xong."
    assert restore("Already fine?") == "Already fine?"
    assert restore("") == ""
