"""`sotay bulletin speak` through typer's runner, with the real espeak-ng on a short text."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="no espeak-ng")


@needs_espeak
def test_speak_writes_an_mp3_and_prints_chapters(tmp_path: Path) -> None:
    text = tmp_path / "tin.txt"
    text.write_text("# Thông báo\nHọp chi bộ ngày 5/12.\n\n# Nhiệm vụ\nNộp đảng phí.\n")
    out = tmp_path / "tin.mp3"
    result = CliRunner().invoke(
        app, ["bulletin", "speak", str(text), "-o", str(out), "--voice", "vi"]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:3] == b"ID3" or out.read_bytes()[0] == 0xFF
    assert "voice espeak-ng:vi@150" in result.stdout
    assert "Thông báo" in result.stdout and "Nhiệm vụ" in result.stdout


def test_speak_empty_file_is_a_clear_error(tmp_path: Path) -> None:
    text = tmp_path / "empty.txt"
    text.write_text("  \n")
    result = CliRunner().invoke(app, ["bulletin", "speak", str(text), "-o", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "empty_text" in result.output
    assert not (tmp_path / "x").exists()


def test_speak_rejects_an_unknown_provider_or_voice(tmp_path: Path) -> None:
    text = tmp_path / "t.txt"
    text.write_text("Xin chào.")
    for extra in (["--provider", "nope"], ["--voice", "vi; rm -rf /"]):
        result = CliRunner().invoke(
            app, ["bulletin", "speak", str(text), "-o", str(tmp_path / "x.mp3"), *extra]
        )
        assert result.exit_code == 2, result.output


def test_help_does_not_import_the_engines() -> None:
    code = (
        "import sys\nfrom typer.testing import CliRunner\nfrom app.cli import app\n"
        "r = CliRunner().invoke(app, ['bulletin', 'speak', '--help'])\n"
        "assert r.exit_code == 0 and '--voice' in r.output, r.output\n"
        "heavy = {'numpy', 'lameenc', 'g2p_hamster', 'edge_tts', 'av', 'audio.tts.normalise'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
