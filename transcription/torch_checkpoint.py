"""Reads the tensors of a legacy (pre-1.6, non-zip) PyTorch checkpoint into numpy arrays without torch.

Layout of such a file: five pickles in a row (a magic number, the format version, system info, the
saved object whose tensors refer to storages by key, the list of storage keys), then each storage's
raw bytes after its element count (int64). Only the few globals a plain state dict uses are allowed,
so a checkpoint cannot run code the way an unrestricted unpickler would let it.
"""

from __future__ import annotations

import collections
import pickle
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_MAGIC = 0x1950A86A20F9469CFC6C
_STORAGE_DTYPES = {
    "FloatStorage": np.float32,
    "DoubleStorage": np.float64,
    "HalfStorage": np.float16,
    "LongStorage": np.int64,
    "IntStorage": np.int32,
    "ShortStorage": np.int16,
    "CharStorage": np.int8,
    "ByteStorage": np.uint8,
    "BoolStorage": np.bool_,
}


class CheckpointError(ValueError):
    """The file is not a legacy torch checkpoint, or it is damaged."""


@dataclass(frozen=True)
class _TensorRef:
    key: str
    offset: int
    size: tuple[int, ...]
    stride: tuple[int, ...]


def _rebuild_tensor(storage_key, offset, size, stride, *_grad_and_hooks):
    return _TensorRef(storage_key, offset, tuple(size), tuple(stride))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, dtypes: dict[str, type]):
        super().__init__(file)
        self.dtypes = dtypes

    def find_class(self, module, name):
        if (module, name) == ("collections", "OrderedDict"):
            return collections.OrderedDict
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return _rebuild_tensor
        if module == "torch" and name in _STORAGE_DTYPES:
            return _STORAGE_DTYPES[name]
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a checkpoint")

    def persistent_load(self, pid):
        # ("storage", storage type, key, device, element count, view metadata)
        if not (isinstance(pid, tuple) and len(pid) == 6 and pid[0] == "storage" and pid[5] is None):
            raise pickle.UnpicklingError(f"unexpected storage reference {pid!r}")
        self.dtypes[pid[2]] = pid[1]
        return pid[2]


def load(path: str | Path) -> object:
    """The saved object (usually nested dicts) with every tensor turned into a numpy array."""
    dtypes: dict[str, type] = {}
    try:
        with open(path, "rb") as f:
            if _Unpickler(f, dtypes).load() != _MAGIC:
                raise CheckpointError("not a legacy torch checkpoint")
            _Unpickler(f, dtypes).load()  # the format version
            if not _Unpickler(f, dtypes).load().get("little_endian", False):
                raise CheckpointError("saved on a big-endian machine")
            saved = _Unpickler(f, dtypes).load()
            storages = {}
            for key in _Unpickler(f, dtypes).load():
                dtype = np.dtype(dtypes[key])
                (count,) = struct.unpack("<q", f.read(8))
                data = f.read(count * dtype.itemsize)
                if count < 0 or len(data) != count * dtype.itemsize:
                    raise CheckpointError("truncated")
                storages[key] = np.frombuffer(data, dtype)
        return _resolve(saved, storages)
    except CheckpointError:
        raise
    except (pickle.UnpicklingError, EOFError, struct.error, KeyError, AttributeError, TypeError, ValueError) as exc:
        raise CheckpointError(str(exc) or type(exc).__name__) from exc


def _resolve(obj, storages: dict[str, np.ndarray]):
    if isinstance(obj, _TensorRef):
        flat = storages.get(obj.key)
        if flat is None:
            raise CheckpointError(f"storage {obj.key} is missing")
        if 0 not in obj.size:  # as_strided checks no bounds, so check the last element is inside
            last = obj.offset + sum((n - 1) * s for n, s in zip(obj.size, obj.stride, strict=True))
            if obj.offset < 0 or min(obj.stride, default=0) < 0 or last >= len(flat):
                raise CheckpointError(f"tensor outside its storage {obj.key}")
        strides = [s * flat.itemsize for s in obj.stride]
        return np.lib.stride_tricks.as_strided(flat[obj.offset :], obj.size, strides).copy()
    if isinstance(obj, dict):
        return type(obj)((k, _resolve(v, storages)) for k, v in obj.items())
    if isinstance(obj, list | tuple):
        return type(obj)(_resolve(v, storages) for v in obj)
    return obj
