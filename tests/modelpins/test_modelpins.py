"""modelpins: a model file is loaded only with the pinned hash, from the pinned package version."""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path

import pytest

import modelpins


class Refused(RuntimeError):
    pass


def test_a_file_with_the_pinned_hash_passes_and_any_other_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.bin"
    path.write_bytes(b"weights" * 1000)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert modelpins.sha256_file(path) == modelpins.file_hash(path) == digest
    modelpins.check_file(path, digest, "pkg==1.0", Refused)
    with pytest.raises(Refused, match=r"sha256 .*pkg==1\.0"):
        modelpins.check_file(path, "0" * 64, "pkg==1.0", Refused)
    with pytest.raises(Refused, match="missing"):
        modelpins.check_file(tmp_path / "absent.bin", digest, "pkg==1.0", Refused)


def test_a_changed_file_is_hashed_again(tmp_path: Path) -> None:
    path = tmp_path / "model.bin"
    path.write_bytes(b"one")
    first = modelpins.file_hash(path)
    path.write_bytes(b"two, longer")
    assert modelpins.file_hash(path) != first


def test_the_package_must_be_installed_at_the_pinned_version() -> None:
    with pytest.raises(Refused, match=r"not installed: pip install x"):
        modelpins.package_dir("sotay-no-such-package", "no_such", "1.0", Refused, "pip install x")
    with pytest.raises(Refused, match="is pinned"):
        modelpins.package_dir("pydantic", "pydantic", "0.0.1", Refused, "pip install x")
    folder = modelpins.package_dir("pydantic", "pydantic", version("pydantic"), Refused, "-")
    assert (folder / "__init__.py").is_file()
