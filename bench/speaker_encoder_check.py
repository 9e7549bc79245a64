"""The numpy speaker encoder against Resemblyzer's own (torch, librosa) on a demo call: mel frames and voice prints.

Needs a Python with torch, librosa and resemblyzer installed in full (Kalibra's own venv has none of
them on purpose); the experiment venv of issue 13 was one:
    /work/venv13/bin/python bench/speaker_encoder_check.py [--call resources/demo/calls/ru01_booking_cardiology.flac]
Prints the largest differences; a pass is mel frames within 1e-4 relative and voice prints within 1e-5.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transcription import voice_embedding  # noqa: E402
from transcription.audio import decode  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--call", type=Path, default=ROOT / "resources/demo/calls/ru01_booking_cardiology.flac")
    parser.add_argument("--hop", type=int, default=80, help="frames between window starts")
    args = parser.parse_args()
    import torch
    from resemblyzer import VoiceEncoder
    from resemblyzer.audio import wav_to_mel_spectrogram

    mono = decode(args.call).mean(axis=0)  # 16 kHz, through the app's decoder
    mono = mono * voice_embedding.level_gain(mono)

    ours_mel = voice_embedding.mel_frames(mono)
    theirs_mel = wav_to_mel_spectrogram(mono)
    n = min(len(ours_mel), len(theirs_mel))
    rel = np.abs(ours_mel[:n] - theirs_mel[:n]).max() / np.abs(theirs_mel[:n]).max()
    print(f"mel frames: ours {ours_mel.shape}, librosa {theirs_mel.shape}, largest difference {rel:.2e} of the largest value")

    windows = [(s, s + voice_embedding.WINDOW_FRAMES) for s in range(0, n - voice_embedding.WINDOW_FRAMES, args.hop)]
    windows.append((n - 100, n))  # a short window, repeated to 1.6 s the same way on both sides
    inputs = np.stack([np.resize(theirs_mel[a:b], (voice_embedding.WINDOW_FRAMES, 40)) for a, b in windows])

    t0 = time.perf_counter()
    ours = voice_embedding.embed_windows(theirs_mel, windows)  # the same mel input on both sides
    t_ours = time.perf_counter() - t0
    encoder = VoiceEncoder("cpu", verbose=False)
    t0 = time.perf_counter()
    with torch.inference_mode():
        theirs = encoder(torch.from_numpy(inputs)).numpy()
    t_theirs = time.perf_counter() - t0
    diff = np.abs(ours - theirs).max()
    cos = (ours * theirs).sum(1).min()
    print(f"voice prints: {len(windows)} windows, largest difference {diff:.2e}, lowest cosine {cos:.7f};"
          f" numpy {t_ours:.2f} s, torch {t_theirs:.2f} s ({torch.get_num_threads()} threads)")
    ours_own_mel = voice_embedding.embed_windows(ours_mel, windows)
    print(f"voice prints from our own mel frames: largest difference {np.abs(ours_own_mel - theirs).max():.2e}")
    print("PASS" if rel < 1e-4 and diff < 1e-5 else "FAIL")


if __name__ == "__main__":
    main()
