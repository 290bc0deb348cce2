"""Vietnamese text helpers."""

from __future__ import annotations

import unicodedata

import pytest
from pydantic import BaseModel

from app.core.text import NameStr, fold, nfc


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Nguyễn Văn A", "nguyen van a"),
        ("ĐẶNG THỊ Ánh", "dang thi anh"),
        ("  Trần   Quốc  Tuấn ", "tran quoc tuan"),
        (unicodedata.normalize("NFD", "Huỳnh Đức Phước"), "huynh duc phuoc"),
    ],
)
def test_fold_removes_accents_and_d_stroke(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_nfc_composes_decomposed_input() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    assert decomposed != "Nguyễn"
    assert nfc(decomposed) == "Nguyễn"


def test_pydantic_name_type_normalises() -> None:
    class M(BaseModel):
        name: NameStr

    assert M(name=unicodedata.normalize("NFD", " Lê   Thị  Hoa ")).name == "Lê Thị Hoa"
