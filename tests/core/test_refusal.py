"""A pipeline's refusal becomes the app's error with the same msgid, parameters, code and status."""

from __future__ import annotations

from app.core.errors import AppError, Invalid, from_refusal
from pipelines.errors import Refused
from pipelines.sniff import UnsupportedType


def test_a_422_refusal_stays_invalid_and_keeps_its_params() -> None:
    error = from_refusal(Refused("Tệp {name} bị hỏng", details={"n": 1}, name="a.pdf"))
    assert isinstance(error, Invalid)
    assert (error.status_code, error.code, error.message) == (422, "invalid", "Tệp {name} bị hỏng")
    assert error.params == {"name": "a.pdf"} and error.details == {"n": 1}
    assert error.render() == "Tệp a.pdf bị hỏng"


def test_a_415_refusal_keeps_its_status_and_code() -> None:
    error = from_refusal(UnsupportedType("Định dạng tệp không được hỗ trợ"))
    assert isinstance(error, AppError) and not isinstance(error, Invalid)
    assert (error.status_code, error.code) == (415, "unsupported_type")
