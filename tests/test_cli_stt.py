"""`sotay transcribe` and `sotay eval stt` through typer's runner, on the committed clips."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from app.cli import app

CLIPS = Path(__file__).parent / "data" / "stt"


def test_transcribe_prints_times_and_text() -> None:
    result = CliRunner().invoke(
        app, ["transcribe", "--provider", "viet-asr", str(CLIPS / "vi_nghi_quyet.wav")]
    )
    assert result.exit_code == 0, result.output
    line = result.stdout.strip().splitlines()[0]
    assert line.startswith("[00:00:0") and "→" in line and line.endswith(".")


def test_transcribe_bad_audio_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "x.wav").write_text("not audio")
    result = CliRunner().invoke(app, ["transcribe", str(tmp_path / "x.wav")])
    assert result.exit_code == 2
    assert "not_audio" in result.output


def test_eval_stt_json(tmp_path: Path) -> None:
    for name in ("vi_nghi_quyet.wav", "vi_nghi_quyet.txt"):
        shutil.copy(CLIPS / name, tmp_path / name)
    result = CliRunner().invoke(
        app, ["eval", "stt", "--dataset", str(tmp_path), "--provider", "viet-asr", "--json"]
    )
    assert result.exit_code == 0, result.output
    [scores] = json.loads(result.stdout)
    assert scores["provider"] == "viet-asr" and scores["files"] == 1
    assert 0 <= scores["cer"] <= scores["wer"] + 1 and scores["rtf"] > 0
    assert scores["clips"][0]["hypothesis"]


def test_eval_stt_rejects_unknown_provider() -> None:
    result = CliRunner().invoke(app, ["eval", "stt", "--dataset", str(CLIPS), "--provider", "nope"])
    assert result.exit_code != 0


def test_transcribe_with_openai_whisper_and_no_checkpoint_says_what_to_set() -> None:
    result = CliRunner().invoke(
        app, ["transcribe", "--provider", "openai-whisper", str(CLIPS / "vi_nghi_quyet.wav")]
    )
    assert result.exit_code == 2
    assert "error (engine)" in result.output and "SOTAY_STT__PT_PATH" in result.output
