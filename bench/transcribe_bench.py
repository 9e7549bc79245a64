"""Kalibra's transcription against faster-whisper's own `transcribe`, per corpus, in one process.

Both use the same loaded model (whisper base, int8, CPU):
  faster-whisper  WhisperModel.transcribe(beam_size=5, vad_filter=True, the corpus's true language),
                  per channel for a stereo corpus (each channel is one speaker), once for a mono or
                  dual-mono one (its first channel: the same audio as the other)
  kalibra         transcription.pipeline.transcribe_many as the queue worker runs it (calls gathered
                  by batch_is_full), the expected language left at the default "ru" (detected per
                  call), the channel layout detected per file
Corpora: the demo calls (resources/demo), ../shared/realcalls (real phone calls), and a dual-mono
(both channels the mix) and a mono (one channel, the mix) version of each, written to a temporary
folder at run time. Audio is decoded once before timing, so the figures compare recognition.
Printed per corpus and variant: wall time, real-time factor, WER (errors summed over the corpus),
words on the right speaker (stereo only), repeated-phrase loops (transcription.repetition), peak
resident memory (VmHWM, reset before each run), speed ratio against faster-whisper; and the CPU time
of the process (all threads) with its ratio, which a machine shared with other work disturbs far less
than the wall time.

Usage: python bench/transcribe_bench.py [--corpora demo real demo-dualmono ...] [--threads 2]
       [--variants kalibra kalibra-bychannel kalibra-b5]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transcription.audio import decode  # noqa: E402
from transcription.model import load_model, resolve_model  # noqa: E402
from transcription.pipeline import TranscriptionOptions, batch_is_full, transcribe_many  # noqa: E402
from transcription.repetition import find_loops  # noqa: E402
from transcription.wer import edit_distance, normalize_words  # noqa: E402

REAL = ROOT.parent / "shared" / "realcalls"
if not REAL.exists():
    REAL = Path("/work/shared/realcalls")
KALIBRA_VARIANTS = {
    "kalibra": {},
    "kalibra-bychannel": {"pack_by_channel": True},
    "kalibra-b2": {"beam_size": 2},
    "kalibra-b3": {"beam_size": 3},
    "kalibra-b4": {"beam_size": 4},
    "kalibra-b5": {"beam_size": 5},
    "kalibra-noguard": {"loop_guard": False},
}


def reset_peak_rss() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # Linux: resets VmHWM to the current RSS
        return True
    except OSError:
        return False


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ------------------------------------------------------------------------------------------ corpora


def demo_calls() -> list[dict]:
    folder = ROOT / "resources/demo/calls"
    calls = []
    for audio in sorted(folder.glob("*.flac")):
        script = folder.parent / "scripts" / (audio.stem + ".yaml")
        if script.exists():
            data = yaml.safe_load(script.read_text(encoding="utf-8"))
            turns = [{"speaker": t["speaker"], "start": t["start"], "end": t["end"], "text": t["text"]}
                     for t in data["turns"]]
            calls.append({"id": audio.stem, "path": audio, "turns": turns, "operator_channel": 0,
                          "language": data.get("language", "ru")})
    return calls


def real_calls() -> list[dict]:
    calls = []
    for truth_path in sorted(REAL.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        turns = [{"speaker": t["speaker"], "start": t["start_s"], "end": t["end_s"], "text": t["text"]}
                 for t in truth["turns"]]
        calls.append({"id": truth_path.name.removesuffix(".truth.json"), "path": REAL / truth["file"],
                      "turns": turns, "operator_channel": 1 if truth["operator_channel"] == "right" else 0,
                      "language": truth["language"]})
    return calls


def derived(calls: list[dict], kind: str, folder: Path) -> list[dict]:
    """Each call rewritten at its own rate: 'dualmono' (the mix on both channels) or 'mono' (the mix)."""
    out = []
    for call in calls:
        data, rate = sf.read(str(call["path"]), dtype="float32", always_2d=True)
        mix = data[:, :2].mean(axis=1)
        samples = np.stack([mix, mix], axis=1) if kind == "dualmono" else mix
        path = folder / f"{call['id']}.{kind}.wav"
        sf.write(str(path), samples, rate, subtype="PCM_16")
        out.append({**call, "id": f"{call['id']}.{kind}", "path": path})
    return out


def load_corpora(names: list[str], folder: Path, limit: int = 0) -> dict[str, list[dict]]:
    base = {"demo": demo_calls(), "real": real_calls() if REAL.exists() else []}
    base = {name: calls[:limit] if limit else calls for name, calls in base.items()}
    corpora = {}
    for name in names:
        source, _, kind = name.partition("-")
        calls = derived(base[source], kind, folder) if kind else base[source]
        for call in calls:
            call["samples"] = decode(call["path"])
        if calls:
            corpora[name] = calls
    return corpora


# ---------------------------------------------------------------------------------------- variants


def faster_whisper_call(model, call) -> list[dict]:
    """Segments as {speaker, start, text, words}, per channel for a stereo recording."""
    samples = call["samples"]
    stereo = samples.shape[0] == 2 and not call["id"].endswith(".dualmono")
    names = {call["operator_channel"]: "operator", 1 - call["operator_channel"]: "customer"} if stereo else {}
    segments = []
    for channel in range(samples.shape[0] if stereo else 1):
        found, _info = model.transcribe(samples[channel], language=call["language"], beam_size=5, vad_filter=True)
        for s in found:
            segments.append({"speaker": names.get(channel, "unknown"), "start": s.start, "end": s.end,
                             "text": s.text.strip(), "words": None})
    return sorted(segments, key=lambda s: s["start"])


def kalibra_group(model, group, threads: int, overrides: dict) -> list[list[dict]]:
    items = [(c["samples"], TranscriptionOptions(cpu_threads=threads, operator_channel=c["operator_channel"],
                                                 **overrides)) for c in group]
    out = [None] * len(group)
    for index, transcript in transcribe_many(items, model):
        out[index] = [{"speaker": s.speaker, "start": s.start, "end": s.end, "text": s.text,
                       "words": [((w.start + w.end) / 2, w.text) for w in s.words]} for s in transcript.segments]
        # first item: how the call was heard, read by figures()
        out[index].insert(0, {"layout": transcript.channel_layout, "language": transcript.language,
                              "redecoded": transcript.redecoded_windows})
    return out


def worker_groups(calls: list[dict]) -> list[list[dict]]:
    options = TranscriptionOptions()
    groups, group, audio_s = [], [], 0.0
    for call in calls:
        group.append(call)
        audio_s += call["samples"].shape[1] / 16000
        if batch_is_full(len(group), audio_s, options):
            groups.append(group)
            group, audio_s = [], 0.0
    return groups + ([group] if group else [])


# ----------------------------------------------------------------------------------------- figures


def reference(call) -> str:
    return " ".join(t["text"] for t in sorted(call["turns"], key=lambda t: t["start"]))


def speaker_hits(call, segments) -> tuple[int, int]:
    """Words (at a segment's word times, or spread over a segment without them) inside exactly one
    speaker's turn: (on that speaker, all such words)."""
    right = total = 0
    for seg in segments:
        words = seg["words"]
        if words is None:
            texts = seg["text"].split()
            step = (seg["end"] - seg["start"]) / max(1, len(texts))
            words = [(seg["start"] + step * (i + 0.5), t) for i, t in enumerate(texts)]
        for mid, _text in words:
            owners = {t["speaker"] for t in call["turns"] if t["start"] - 0.3 <= mid <= t["end"] + 0.3}
            if len(owners) == 1:
                total += 1
                right += seg["speaker"] in owners
    return right, total


def reference_of(call, speaker: str) -> str:
    return " ".join(t["text"] for t in sorted(call["turns"], key=lambda t: t["start"]) if t["speaker"] == speaker)


def figures(calls, outputs) -> dict:
    """WER over the whole text in time order, and for stereo also per speaker (each side's words against
    what that side said, errors summed): merging two channels' segments by start time interleaves long
    segments wrongly, which the whole-text WER counts as errors though every word is right."""
    errors = words = right = total = loops = side_errors = 0
    layouts, languages, redecoded = {}, {}, 0
    for call, segments in zip(calls, outputs, strict=True):
        if segments and "layout" in segments[0]:
            info, segments = segments[0], segments[1:]
            layouts[info["layout"]] = layouts.get(info["layout"], 0) + 1
            languages[info["language"]] = languages.get(info["language"], 0) + 1
            redecoded += info["redecoded"]
        ref = normalize_words(reference(call))
        hyp = normalize_words(" ".join(s["text"] for s in segments))
        errors += edit_distance(ref, hyp)
        words += len(ref)
        for side in ("operator", "customer"):
            said = " ".join(s["text"] for s in segments if s["speaker"] == side)
            side_errors += edit_distance(normalize_words(reference_of(call, side)), normalize_words(said))
        r, t = speaker_hits(call, segments)
        right, total = right + r, total + t
        for speaker in {s["speaker"] for s in segments}:
            loops += len(find_loops(" ".join(s["text"] for s in segments if s["speaker"] == speaker).split()))
    return {"wer": errors / max(1, words), "side_wer": side_errors / max(1, words), "speaker": right / total if total else None, "loops": loops,
            "layouts": layouts, "languages": languages, "redecoded": redecoded}


def run_corpus(model, name, calls, variants, threads, baseline: bool = True) -> None:
    audio_s = sum(c["samples"].shape[1] / 16000 for c in calls)
    groups = worker_groups(calls)
    runners = {"faster-whisper": lambda group: [faster_whisper_call(model, c) for c in group]} if baseline else {}
    for variant in variants:
        if KALIBRA_VARIANTS[variant].get("pack_by_channel") and "mono" in name:
            continue  # one channel: the same as "kalibra"
        runners[variant] = lambda group, o=KALIBRA_VARIANTS[variant]: kalibra_group(model, group, threads, o)
    results = {n: {"wall": 0.0, "cpu": 0.0, "outputs": [], "peak": 0.0} for n in runners}
    for group in groups:  # each group through every variant in turn: load from elsewhere hits all alike
        for n, run in runners.items():
            reset_peak_rss()
            start, cpu = time.perf_counter(), time.process_time()
            results[n]["outputs"] += run(group)
            results[n]["wall"] += time.perf_counter() - start
            results[n]["cpu"] += time.process_time() - cpu
            results[n]["peak"] = max(results[n]["peak"], peak_rss_mb())
    base = results["faster-whisper"]["wall"] if baseline else None
    base_cpu = results["faster-whisper"]["cpu"] if baseline else None
    print(f"\n== {name}: {len(calls)} calls, {audio_s:.0f} s of audio")
    stereo = "mono" not in name
    print(f"{'variant':18} {'wall s':>8} {'RTF':>6} {'WER':>6} {'spkWER':>6} {'spk ok':>7} {'loops':>5} "
          f"{'peak MB':>7} {'speed':>6} {'cpu s':>7} {'cpu x':>6}  layouts / languages / re-decoded windows")
    for n, r in results.items():
        f = figures(calls, r["outputs"])
        spk = f"{f['speaker']:.1%}" if f["speaker"] is not None and stereo else "—"
        side = f"{f['side_wer']:.3f}" if stereo else "—"
        extra = f"  {f['layouts']} {f['languages']} {f['redecoded']}" if f["layouts"] else ""
        speed = f"{base / r['wall']:5.2f}x" if base else "     —"
        cpu_speed = f"{base_cpu / r['cpu']:5.2f}x" if base_cpu else "     —"
        print(f"{n:18} {r['wall']:8.1f} {r['wall'] / audio_s:6.3f} {f['wer']:6.3f} {side:>6} {spk:>7} {f['loops']:5d} "
              f"{r['peak']:7.0f} {speed} {r['cpu']:7.1f} {cpu_speed}{extra}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", nargs="+",
                        default=["demo", "real", "demo-dualmono", "real-dualmono", "demo-mono", "real-mono"])
    parser.add_argument("--variants", nargs="+", default=["kalibra"], choices=list(KALIBRA_VARIANTS))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-baseline", action="store_true", help="Kalibra variants only (compare designs)")
    parser.add_argument("--limit", type=int, default=0, help="at most this many calls per corpus (a quick look)")
    parser.add_argument("--model-cache", type=Path, default=Path.home() / ".cache/kalibra-bench")
    args = parser.parse_args()

    model = load_model(resolve_model(args.model_cache), cpu_threads=args.threads)
    warm = np.zeros(16000, dtype=np.float32)
    warm[4000:12000] = 0.1 * np.sin(np.arange(8000) / 5)
    list(model.transcribe(warm, language="ru")[0])  # first call pays one-off allocations
    # Kalibra's one-off costs too (its imports, the speaker model's weights): the queue worker is a
    # long-lived process that pays them once, not per call.
    first = demo_calls()[0]
    clip = decode(first["path"])[:, : 20 * 16000]
    list(transcribe_many([(clip, TranscriptionOptions(cpu_threads=args.threads)),
                          (clip[:1], TranscriptionOptions(cpu_threads=args.threads))], model))
    print(f"whisper base int8, {args.threads} CPU threads; faster-whisper: beam 5, VAD, true language; "
          f"Kalibra: defaults, expected language ru")
    with tempfile.TemporaryDirectory(prefix="kalibra-bench-") as folder:
        corpora = load_corpora(args.corpora, Path(folder), args.limit)
        for name, calls in corpora.items():
            run_corpus(model, name, calls, args.variants, args.threads, baseline=not args.no_baseline)
    return 0


if __name__ == "__main__":
    sys.exit(main())
