"""Legacy torch checkpoints read without torch: tensors, shared storages and views, refused and damaged files."""

from __future__ import annotations

import collections
import pickle
import struct
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pytest

from transcription import torch_checkpoint, voice_embedding
from transcription.errors import DiarizationError

ROOT = Path(__file__).resolve().parents[2]


class _Storage:
    def __init__(self, key: str, array: np.ndarray):
        self.key, self.array = key, array


class _Tensor:
    def __init__(self, storage: _Storage, offset: int, size: tuple, stride: tuple):
        self.args = (storage, offset, size, stride, False, collections.OrderedDict())


@pytest.fixture
def fake_torch(monkeypatch):
    """Stand-ins for torch's globals, so that pickle writes the names torch itself writes."""
    torch, utils = types.ModuleType("torch"), types.ModuleType("torch._utils")
    for name in ("FloatStorage", "LongStorage"):
        setattr(torch, name, type(name, (), {"__module__": "torch"}))

    def _rebuild_tensor_v2(*args):
        raise AssertionError("only pickled, never called")

    _rebuild_tensor_v2.__module__, _rebuild_tensor_v2.__qualname__ = "torch._utils", "_rebuild_tensor_v2"
    utils._rebuild_tensor_v2 = _rebuild_tensor_v2
    monkeypatch.setitem(sys.modules, "torch", torch)
    monkeypatch.setitem(sys.modules, "torch._utils", utils)
    return torch, utils


def write_legacy(path: Path, obj, storages: list[_Storage], fake) -> None:
    """The layout torch.save used before 1.6 (_use_new_zipfile_serialization=False)."""
    torch, utils = fake

    class Pickler(pickle.Pickler):
        def persistent_id(self, o):
            if isinstance(o, _Storage):
                kind = torch.FloatStorage if o.array.dtype == np.float32 else torch.LongStorage
                return ("storage", kind, o.key, "cpu", o.array.size, None)
            return None

        def reducer_override(self, o):
            return (utils._rebuild_tensor_v2, o.args) if isinstance(o, _Tensor) else NotImplemented

    with open(path, "wb") as f:
        for header in (torch_checkpoint._MAGIC, 1001, {"protocol_version": 1001, "little_endian": True}):
            pickle.dump(header, f, protocol=2)
        Pickler(f, protocol=2).dump(obj)
        pickle.dump([s.key for s in storages], f, protocol=2)
        for s in storages:
            f.write(struct.pack("<q", s.array.size) + s.array.tobytes())


def test_tensors_come_back_with_offsets_strides_and_shared_storage(tmp_path, fake_torch):
    flat = np.arange(20, dtype=np.float32)
    counts = np.array([7, -1, 2**40], np.int64)
    a, b = _Storage("1", flat), _Storage("2", counts)
    saved = {"step": 3, "state": collections.OrderedDict(
        block=_Tensor(a, 2, (3, 4), (4, 1)),
        transposed=_Tensor(a, 0, (4, 3), (1, 4)),
        counts=_Tensor(b, 0, (3,), (1,)),
    )}
    write_legacy(tmp_path / "c.pt", saved, [a, b], fake_torch)

    loaded = torch_checkpoint.load(tmp_path / "c.pt")

    assert loaded["step"] == 3
    np.testing.assert_array_equal(loaded["state"]["block"], flat[2:14].reshape(3, 4))
    np.testing.assert_array_equal(loaded["state"]["transposed"], flat[:12].reshape(3, 4).T)
    assert loaded["state"]["counts"].dtype == np.int64
    np.testing.assert_array_equal(loaded["state"]["counts"], counts)


def test_tensor_reaching_past_its_storage_is_refused(tmp_path, fake_torch):
    a = _Storage("1", np.zeros(10, np.float32))
    write_legacy(tmp_path / "c.pt", {"w": _Tensor(a, 4, (2, 4), (4, 1))}, [a], fake_torch)
    with pytest.raises(torch_checkpoint.CheckpointError, match="outside"):
        torch_checkpoint.load(tmp_path / "c.pt")


def test_truncated_checkpoint_is_refused(tmp_path, fake_torch):
    a = _Storage("1", np.zeros(100, np.float32))
    write_legacy(tmp_path / "c.pt", {"w": _Tensor(a, 0, (100,), (1,))}, [a], fake_torch)
    data = (tmp_path / "c.pt").read_bytes()
    (tmp_path / "c.pt").write_bytes(data[:-40])
    with pytest.raises(torch_checkpoint.CheckpointError, match="truncated"):
        torch_checkpoint.load(tmp_path / "c.pt")


class _RunsCode:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (subprocess.call, (["touch", str(self.marker)],))


def test_checkpoint_that_would_run_code_is_refused(tmp_path):
    marker = tmp_path / "ran"
    with open(tmp_path / "evil.pt", "wb") as f:
        for header in (torch_checkpoint._MAGIC, 1001, {"little_endian": True}):
            pickle.dump(header, f, protocol=2)
        pickle.dump({"model_state": _RunsCode(marker)}, f, protocol=2)
    with pytest.raises(torch_checkpoint.CheckpointError, match="not allowed"):
        torch_checkpoint.load(tmp_path / "evil.pt")
    assert not marker.exists()


def test_resemblyzer_weights_load_as_the_encoder_expects():
    state = torch_checkpoint.load(voice_embedding._weights_path())["model_state"]
    assert state["lstm.weight_ih_l0"].shape == (1024, 40)
    for n in range(3):
        assert state[f"lstm.weight_hh_l{n}"].shape == (1024, 256)
        assert state[f"lstm.bias_ih_l{n}"].shape == state[f"lstm.bias_hh_l{n}"].shape == (1024,)
    assert state["linear.weight"].shape == (256, 256)
    # The six LSTM matrices share one storage: distinct offsets give distinct weights.
    assert not np.array_equal(state["lstm.weight_hh_l1"], state["lstm.weight_hh_l2"])
    assert all(v.dtype == np.float32 and np.isfinite(v).all() for v in state.values())


def test_damaged_speaker_model_gives_one_plain_sentence(tmp_path, monkeypatch):
    bad = tmp_path / "pretrained.pt"
    bad.write_bytes(b"PK\x03\x04 not a checkpoint")
    monkeypatch.setattr(voice_embedding, "_weights_path", lambda: bad)
    voice_embedding._encoder.cache_clear()
    try:
        with pytest.raises(DiarizationError, match="cannot be read"):
            voice_embedding.embed_windows(np.ones((200, 40), np.float32), [(0, 160)])
    finally:
        voice_embedding._encoder.cache_clear()


def test_voice_prints_need_no_torch():
    code = (
        "import sys, numpy as np\n"
        "from transcription import diarization, voice_embedding\n"
        "mels = voice_embedding.mel_frames(np.random.default_rng(0).normal(0, 0.1, 32000).astype(np.float32))\n"
        "prints = voice_embedding.embed_windows(mels, [(0, 160), (40, 120)])\n"
        "assert prints.shape == (2, 256) and np.allclose(np.linalg.norm(prints, axis=1), 1)\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('torch', 'resemblyzer', 'librosa')]\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
