"""Peak memory of long recordings: import checks and transcription of a 10-hour call, decoding of one hour.

Each step runs in its own process and reports its peak RSS beside a baseline measured in the same run
(libsndfile reading the whole file at once, as decoding did before it worked block by block).
`--quick` leaves out the transcription. Target: peak RSS under 1.5 GB for any input.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RATE, CHANNELS = 8000, 2

STEPS = {
    "import checks (probe + levels + SHA-256)": (
        "from transcription.audio import probe, levels; from review.library.importing import file_sha256; "
        "from pathlib import Path; p = Path(PATH); probe(p); levels(p); file_sha256(p)"),
    "decode to 16 kHz (whisper's input)": "from transcription.audio import decode; decode(PATH)",
    "baseline: soundfile.read of the whole file": (
        "import soundfile; soundfile.read(PATH, dtype='float32', always_2d=True)"),
    "transcription in 20-minute pieces (the worker's path)": (
        "import tempfile; from transcription.model import prepare_packaged_model\n"
        "from transcription.pipeline import TranscriptionOptions, load_whisper\n"
        "from transcription.long_calls import transcribe_in_pieces\n"
        "o = TranscriptionOptions(language='ru', beam_size=1, model_folder=str(prepare_packaged_model(tempfile.mkdtemp())))\n"
        "transcribe_in_pieces(PATH, o, load_whisper(o))"),
}


def write_long_wav(path: Path, hours: float) -> None:
    """A tone recording of `hours`, written a minute at a time."""
    import numpy as np

    frames = int(hours * 3600 * RATE)
    minute = (np.sin(np.arange(60 * RATE) / 3) * 6000).astype("<i2")
    block = np.repeat(minute, CHANNELS).tobytes()
    data_bytes = frames * CHANNELS * 2
    with path.open("wb") as out:
        out.write(b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVEfmt " + struct.pack(
            "<IHHIIHH", 16, 1, CHANNELS, RATE, RATE * CHANNELS * 2, CHANNELS * 2, 16))
        out.write(b"data" + struct.pack("<I", data_bytes))
        for _ in range(frames // (60 * RATE)):
            out.write(block)


def peak_rss_mb(code: str, path: Path) -> float:
    script = (f"import resource, json; PATH = {str(path)!r}\n{code}\n"
              "print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO,
                            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    if result.returncode:
        raise RuntimeError(result.stderr[-2000:])
    return json.loads(result.stdout.splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        plan = [(10.0, [list(STEPS)[0], list(STEPS)[3]]), (1.0, list(STEPS)[1:3])]
        if "--quick" in sys.argv:  # no transcription: a minute instead of a quarter of an hour on 2 cores
            plan[0][1].pop()
        for hours, steps in plan:
            path = Path(folder) / f"{hours:g}h.wav"
            write_long_wav(path, hours)
            size_mb = path.stat().st_size / 1024**2
            for name in steps:
                print(f"{hours:g} h, {CHANNELS} ch, {RATE} Hz ({size_mb:,.0f} MB): {name}: "
                      f"peak RSS {peak_rss_mb(STEPS[name], path):,.0f} MB")
            path.unlink()


if __name__ == "__main__":
    main()
