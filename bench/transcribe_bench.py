"""Kalibra's transcription pipeline against a naive faster-whisper run, on the demo calls.

Both run in this one process with the same loaded model (whisper base, int8, CPU):
  baseline  stereo downmixed to mono, WhisperModel.transcribe with its defaults
            (language detected, beam 5, no VAD, no word times, no speakers)
  kalibra   transcription.pipeline.transcribe_many: per-channel VAD, echo removal, one packed
            stream of speech per call, word times, speakers from channels; calls gathered as the
            queue worker gathers them (pipeline.batch_is_full) share whisper's batches
Audio is decoded once before timing, so the figures compare recognition, not file reading.
Printed per variant: wall time, real-time factor, peak resident memory (VmHWM, reset between
variants through /proc/self/clear_refs), word error rate against the demo scripts; for Kalibra also
per-speaker WER and the share of words attributed to the speaker whose script turn they fall in.

A last variant runs Kalibra's pipeline call by call (no shared batches), as one retried call runs.

Usage: python bench/transcribe_bench.py [--calls resources/demo/calls] [--threads 2] [--language auto|script|ru]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transcription.audio import decode  # noqa: E402
from transcription.model import load_model, resolve_model  # noqa: E402
from transcription.pipeline import TranscriptionOptions, batch_is_full, transcribe_many  # noqa: E402
from transcription.wer import normalize_words, word_error_rate  # noqa: E402


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


def load_calls(folder: Path) -> list[dict]:
    calls = []
    for audio in sorted(folder.glob("*.flac")):
        script_path = folder.parent / "scripts" / (audio.stem + ".yaml")
        if not script_path.exists():
            continue
        script = yaml.safe_load(script_path.read_text(encoding="utf-8"))
        calls.append({"id": audio.stem, "samples": decode(audio), "script": script})
    return calls


def reference_text(script: dict, speaker: str | None = None) -> str:
    return " ".join(t["text"] for t in script["turns"] if speaker is None or t["speaker"] == speaker)


def speaker_accuracy(transcript, script: dict) -> tuple[int, int]:
    """Words whose midpoint lies in a script turn: (attributed to that turn's speaker, all such words)."""
    right = total = 0
    for seg in transcript.segments:
        for w in seg.words:
            mid = (w.start + w.end) / 2
            owners = {t["speaker"] for t in script["turns"] if t["start"] - 0.3 <= mid <= t["end"] + 0.3}
            if len(owners) == 1:  # skip words inside overlapping turns: either speaker may be right
                total += 1
                right += seg.speaker in owners
    return right, total


def baseline_call(model, call) -> str:
    mono = call["samples"].mean(axis=0)
    segments, _info = model.transcribe(mono)
    return " ".join(s.text.strip() for s in segments)


def kalibra_options(call, language_of, args, beam_size) -> TranscriptionOptions:
    return TranscriptionOptions(
        language=language_of(call), cpu_threads=args.threads, beam_size=beam_size, batch_size=args.batch_size
    )


def worker_groups(calls: list[dict], options: TranscriptionOptions) -> list[list[dict]]:
    """The calls in queue order, gathered into groups as the queue worker gathers them."""
    groups, group, audio_s = [], [], 0.0
    for call in calls:
        group.append(call)
        audio_s += call["samples"].shape[1] / 16000
        if batch_is_full(len(group), audio_s, options):
            groups.append(group)
            group, audio_s = [], 0.0
    return groups + ([group] if group else [])


def kalibra_group(model, group, language_of, args, beam_size) -> list:
    items = [(c["samples"], kalibra_options(c, language_of, args, beam_size)) for c in group]
    transcripts = [None] * len(group)
    for index, transcript in transcribe_many(items, model):
        transcripts[index] = transcript
    return transcripts


def run_interleaved(variants: dict, groups: list[list[dict]]) -> dict:
    """Each group of calls through every variant in turn, so load from other processes hits all alike.

    A variant takes a list of calls and returns one output per call.
    """
    results = {name: {"wall": 0.0, "outputs": [], "peak_mb": 0.0, "peak_exact": True} for name in variants}
    for group in groups:
        for name, run in variants.items():
            results[name]["peak_exact"] &= reset_peak_rss()
            start = time.perf_counter()
            results[name]["outputs"] += run(group)
            results[name]["wall"] += time.perf_counter() - start
            results[name]["peak_mb"] = max(results[name]["peak_mb"], peak_rss_mb())
    return results


def corpus_wer(calls, hyps) -> float:
    """Errors summed over all calls / reference words summed (not a mean of per-call rates)."""
    from transcription.wer import edit_distance

    errors = words = 0
    for call, hyp in zip(calls, hyps, strict=True):
        ref = normalize_words(reference_text(call["script"]))
        errors += edit_distance(ref, normalize_words(hyp))
        words += len(ref)
    return errors / max(1, words)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=Path, default=ROOT / "resources/demo/calls")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--model-cache", type=Path, default=Path.home() / ".cache/kalibra-bench")
    parser.add_argument(
        "--language",
        default="script",
        help="Kalibra's language setting: 'script' (each call's language, as an import source sets it), "
        "'auto' (detect), or a code such as 'ru'",
    )
    parser.add_argument(
        "--beams", type=int, nargs="+", default=[2, 5], help="Kalibra beam sizes to run; the first is reported"
    )
    parser.add_argument("--only", default="", help="substring filter on call ids")
    parser.add_argument(
        "--batch-size", type=int, default=TranscriptionOptions().batch_size, help="windows decoded together"
    )
    args = parser.parse_args()

    calls = [c for c in load_calls(args.calls) if args.only in c["id"]]
    if not calls:
        print(f"No demo calls with scripts in {args.calls}", file=sys.stderr)
        return 1
    audio_s = sum(c["samples"].shape[1] / 16000 for c in calls)

    def language_of(call):
        if args.language == "script":
            return call["script"].get("language", "ru")
        return None if args.language == "auto" else args.language

    model = load_model(resolve_model(args.model_cache), cpu_threads=args.threads)
    warm = np.zeros((1, 16000), dtype=np.float32)
    warm[0, 4000:12000] = 0.1 * np.sin(np.arange(8000) / 5)
    list(model.transcribe(warm[0], language="ru")[0])  # first call pays one-off allocations

    print(f"{len(calls)} calls, {audio_s:.1f} s of audio, whisper base int8, {args.threads} CPU threads\n")
    groups = worker_groups(calls, kalibra_options(calls[0], language_of, args, args.beams[0]))
    print("groups as the worker gathers them:", " | ".join(", ".join(c["id"] for c in g) for g in groups), "\n")
    variants = {"baseline": lambda group: [baseline_call(model, call) for call in group]}
    for beam in args.beams:
        variants[f"kalibra b{beam}"] = lambda group, beam=beam: kalibra_group(
            model, group, language_of, args, beam
        )
    # The same pipeline one call at a time, as a single retried call runs: the share of the gain
    # that comes from calls sharing batches.
    variants[f"kalibra b{args.beams[0]} alone"] = lambda group: [
        kalibra_group(model, [call], language_of, args, args.beams[0])[0] for call in group
    ]
    results = run_interleaved(variants, groups)
    for r in results.values():
        r["hyps"] = [o if isinstance(o, str) else o.text for o in r["outputs"]]
        r["wer"] = corpus_wer(calls, r["hyps"])
    main_name = f"kalibra b{args.beams[0]}"
    results["kalibra"] = results[main_name]
    results["kalibra"]["transcripts"] = results[main_name]["outputs"]

    print(f"{'call':36} {'base WER':>8} {'kal WER':>8} {'op WER':>7} {'cu WER':>7} {'spk ok':>7}")
    right_all = total_all = 0
    for i, call in enumerate(calls):
        tr = results["kalibra"]["transcripts"][i]
        right, total = speaker_accuracy(tr, call["script"])
        right_all += right
        total_all += total
        print(
            f"{call['id']:36} "
            f"{word_error_rate(reference_text(call['script']), results['baseline']['hyps'][i]):8.3f} "
            f"{word_error_rate(reference_text(call['script']), tr.text):8.3f} "
            f"{word_error_rate(reference_text(call['script'], 'operator'), tr.text_of('operator')):7.3f} "
            f"{word_error_rate(reference_text(call['script'], 'customer'), tr.text_of('customer')):7.3f} "
            f"{right / max(1, total):7.1%}"
        )
    print()
    for name, r in results.items():
        if name == "kalibra":
            continue
        note = "" if r["peak_exact"] else " (process peak, not reset)"
        print(
            f"{name:16} wall {r['wall']:7.2f} s  RTF {r['wall'] / audio_s:.3f}  "
            f"peak RSS {r['peak_mb']:.0f} MB{note}  WER {r['wer']:.3f}  "
            f"{results['baseline']['wall'] / r['wall']:.2f}x baseline"
        )
    b, k = results["baseline"], results["kalibra"]
    print(
        f"\n{main_name}: speed-up {b['wall'] / k['wall']:.2f}x   WER {k['wer']:.3f} vs {b['wer']:.3f}   "
        f"speaker attribution {right_all / max(1, total_all):.1%} of {total_all} words"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
