"""Checking an uploaded recording before anything is kept: the type from its first bytes, then a
full decode and a voice-activity pass, so a file that cannot be transcribed is refused at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import audio.stt as stt
from app.core.config import Settings
from app.core.errors import AppError, Invalid
from app.core.i18n import N_
from app.documents.service_storage import LocalStorage, Staged, TooLarge

_MB = 1024 * 1024


class UnsupportedAudio(AppError):
    status_code = 415
    code = "not_audio"


class BadAudio(AppError):
    status_code = 422
    code = "bad_audio"


class RecordingStorage(LocalStorage):
    """The documents' content-addressed local store, rooted at `<files_dir>/recordings`.

    The decoder reads a file by path, so this store also says where a blob lies."""

    def path(self, sha256: str) -> Path:
        return self._path(sha256)


def get_storage(settings: Settings) -> RecordingStorage:
    return RecordingStorage(settings.files_dir / "recordings")


@dataclass(frozen=True)
class AudioType:
    kind: str  # wav, mp3, m4a, ogg, webm
    mime: str


WAV = AudioType("wav", "audio/wav")
MP3 = AudioType("mp3", "audio/mpeg")
M4A = AudioType("m4a", "audio/mp4")
OGG = AudioType("ogg", "audio/ogg")
WEBM = AudioType("webm", "audio/webm")
ACCEPTED = (MP3, M4A, WAV, OGG, WEBM)
ACCEPT_ATTR = ".mp3,.m4a,.wav,.ogg,.oga,.opus,.webm,audio/*"
NOT_AUDIO = N_("Tệp không phải là bản ghi âm thanh. Chỉ nhận MP3, M4A, WAV, OGG hoặc WebM.")


def sniff(head: bytes) -> AudioType | None:
    """The container from the first bytes; the name and the Content-Type are never trusted."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head[:4] == b"OggS":
        return OGG
    if head[:4] == b"\x1a\x45\xdf\xa3":  # EBML: WebM (Matroska)
        return WEBM
    if head[4:8] == b"ftyp":  # ISO base media: M4A / MP4 audio
        return M4A
    if head[:3] == b"ID3":
        return MP3
    # A bare MPEG audio frame: 11 sync bits, layer bits not "reserved".
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06:
        return MP3
    return None


@dataclass(frozen=True)
class CheckedAudio:
    type: AudioType
    duration: float
    pieces: int


def audio_error(exc: stt.AudioError, config: stt.SttConfig) -> AppError:
    """The Vietnamese 4xx for a typed decoding error of the speech-to-text layer."""
    if isinstance(exc, stt.NotAudio):
        return UnsupportedAudio(NOT_AUDIO)
    if isinstance(exc, stt.TruncatedAudio):
        return BadAudio(N_("Tệp âm thanh bị cắt cụt hoặc hỏng; hãy tải lên lại bản đầy đủ"))
    if isinstance(exc, stt.AudioTooLarge):
        return TooLarge(
            N_("Tệp quá lớn (tối đa {limit} MB)"), limit=max(1, config.max_bytes // _MB)
        )
    if isinstance(exc, stt.AudioTooLong):
        return BadAudio(
            N_("Bản ghi dài quá giới hạn (tối đa {limit} phút)"),
            limit=max(1, int(config.max_seconds // 60)),
        )
    if isinstance(exc, stt.NoSpeech):
        return BadAudio(N_("Không nghe thấy tiếng nói nào trong bản ghi (chỉ có khoảng lặng)"))
    return BadAudio(N_("Không đọc được tệp âm thanh"))


def check_audio(staged: Staged, config: stt.SttConfig) -> CheckedAudio:
    """The file's type, length and speech pieces; a clear 4xx for anything that would fail later."""
    if staged.size == 0:
        raise Invalid("Tệp rỗng (0 byte)")
    with staged.path.open("rb") as f:
        kind = sniff(f.read(16))
    if kind is None:
        raise UnsupportedAudio(NOT_AUDIO)
    try:
        samples = stt.load_audio(
            staged.path, max_bytes=config.max_bytes, max_seconds=config.max_seconds
        )
        pieces = stt.speech_pieces(samples, config)
    except stt.AudioError as exc:
        raise audio_error(exc, config) from exc
    return CheckedAudio(kind, samples.size / stt.SAMPLE_RATE, len(pieces))
