"""Shared fixtures: real audio made at test time, the real model joined once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import need_tool
from tests.transcription.synth import DIALOGUE, make_call

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"



@pytest.fixture(scope="session")
def model_dir(tmp_path_factory) -> Path:
    from transcription.model import prepare_packaged_model

    return prepare_packaged_model(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="session")
def whisper(model_dir):
    from transcription.model import ResolvedModel, load_model

    return load_model(ResolvedModel("installed package", str(model_dir)), cpu_threads=2)


@pytest.fixture(scope="session")
def dialogue_call(tmp_path_factory):
    need_tool("text2wave", "festival festvox-ru")
    path = tmp_path_factory.mktemp("calls") / "dialogue.flac"
    return path, make_call(DIALOGUE, path)


@pytest.fixture(scope="session")
def echo_call(tmp_path_factory):
    need_tool("text2wave", "festival festvox-ru")
    path = tmp_path_factory.mktemp("calls") / "echo.flac"
    return path, make_call(DIALOGUE[:4], path, echo_db=-24.0, seed=1)
