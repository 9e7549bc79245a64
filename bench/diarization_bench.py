"""Who-spoke-when on mono downmixes of stereo calls, where the channel tells the truth; its cost beside whisper's.

Corpora: the demo calls (resources/demo, operator left) and ../shared/realcalls (real phone calls,
operator channel per truth file). Each stereo call is mixed to one channel and written to a temporary
WAV, decoded by the app's decoder, transcribed by the pipeline as a mono call (call by call, as
one mono call runs), then diarized (transcription.diarization.diarize).
Printed per call and per corpus:
  words   share of the mono transcript's words put on the right party; the truth of a word is the
          louder channel of the stereo original over the word's time
  time    share of the reference speech time (demo scripts' and truth files' turns, where one party
          speaks) that the diarization's turns give to the right party; missed speech counts as wrong
  overlap words marked as overlapped, and how many of them fall where two reference turns overlap
  op      whether the operator label is on the operator (words right with the labels as given
          rather than swapped)
  voices  speakers found; conf / op conf: the diarization's own confidence figures
  cost    diarization seconds against the mono transcription's seconds of the same call
Baseline in the same run: the pipeline's transcription of the same mono call (the cost is a share of it).
Once per run: the speaker model's start-up (read the weights into numpy) and the memory it adds.

Usage: python bench/diarization_bench.py [--corpora demo real] [--threads 2] [--limit N]
"""

from __future__ import annotations

import argparse
import csv
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
from transcription.diarization import diarize  # noqa: E402
from transcription.operator_side import CallFacts  # noqa: E402
from transcription.pipeline import TranscriptionOptions, load_whisper, transcribe_samples  # noqa: E402

REAL = ROOT.parent / "shared" / "realcalls"
DEMO = ROOT / "resources" / "demo"
# What a clinic would enter in settings as its name on the phone (the real calls are a bank's).
ORGANISATIONS = {"demo": ("Семейный доктор", "Family Doctor"), "real": ("Harper Valley National Bank",)}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def demo_calls() -> list[dict]:
    meta = {r["file"]: r for r in csv.DictReader(open(DEMO / "calls" / "metadata.csv", encoding="utf-8"))}
    calls = []
    for script in sorted((DEMO / "scripts").glob("*.yaml")):
        data = yaml.safe_load(script.read_text(encoding="utf-8"))
        row = meta[Path(data["audio"]).name]
        turns = [(t["speaker"], t["start"], t["end"]) for t in data["turns"]]
        calls.append(dict(corpus="demo", name=data["id"], path=DEMO / data["audio"], operator_channel=0,
                          turns=turns, language=data["language"],
                          facts=CallFacts(row["direction"], row["operator"], ORGANISATIONS["demo"])))
    return calls


def real_calls() -> list[dict]:
    meta = {r["file"]: r for r in csv.DictReader(open(REAL / "metadata.csv", encoding="utf-8"))}
    calls = []
    for truth_path in sorted(REAL.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        row = meta[truth["file"]]
        turns = [(t["speaker"], t["start_s"], t["end_s"]) for t in truth["turns"]]
        organisation = ORGANISATIONS["real"] if truth["source"] == "HarperValleyBank" else ()
        calls.append(dict(corpus="real", name=truth_path.name.removesuffix(".truth.json"), path=REAL / truth["file"],
                          operator_channel=0 if truth["operator_channel"] == "left" else 1, turns=turns,
                          language=truth["language"], facts=CallFacts(row["direction"], row["operator"], organisation)))
    return calls


def word_truth(stereo: np.ndarray, operator_channel: int, word) -> str:
    a, b = int(word.start * 16000), max(int(word.start * 16000) + 160, int(word.end * 16000))
    energy = (stereo[:, a:b].astype(np.float64) ** 2).mean(axis=1)
    return "operator" if energy.argmax() == operator_channel else "customer"


def in_reference_overlap(turns_ref, word) -> bool:
    middle = (word.start + word.end) / 2
    return sum(s <= middle < e for _speaker, s, e in turns_ref) > 1


def time_share(turns_ref, turns_hyp, duration: float) -> float:
    n = int(duration * 100) + 1
    ref, count, hyp = np.full(n, -1), np.zeros(n, int), np.full(n, -1)
    for speaker, s, e in turns_ref:
        ref[int(s * 100) : int(e * 100)] = 0 if speaker == "operator" else 1
        count[int(s * 100) : int(e * 100)] += 1
    for t in turns_hyp:
        hyp[int(t.start * 100) : int(t.end * 100)] = {"operator": 0, "customer": 1}.get(t.speaker, 2)
    one = (count == 1) & (ref >= 0)
    return float((hyp[one] == ref[one]).mean()) if one.any() else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpora", nargs="+", default=["demo", "real"], choices=["demo", "real"])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="calls per corpus (0: all)")
    args = parser.parse_args()
    calls = [c for corpus in args.corpora for c in (demo_calls() if corpus == "demo" else real_calls())
             [: args.limit or None]]

    before = rss_mb()
    t0 = time.perf_counter()
    from transcription.voice_embedding import _encoder  # numpy's BLAS uses its own threads (all cores)

    _encoder()
    print(f"speaker model start-up: {time.perf_counter() - t0:.2f} s, +{rss_mb() - before:.0f} MB resident")
    options = {lang: TranscriptionOptions(language=lang, cpu_threads=args.threads, diarize=False) for lang in ("ru", "en")}
    model = load_whisper(options["ru"])

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for call in calls:
            stereo = decode(call["path"])
            mono_path = Path(tmp) / (call["name"] + ".wav")
            sf.write(mono_path, stereo.mean(axis=0), 16000, subtype="PCM_16")
            mono = decode(mono_path)  # (1, n), through the app's one decoder
            t0 = time.perf_counter()
            transcript = transcribe_samples(mono, options[call["language"]], model)
            t_asr = time.perf_counter() - t0
            words = [w for s in transcript.segments for w in s.words]
            t0 = time.perf_counter()
            result = diarize(mono[0], 16000, words, call["facts"])
            t_dia = time.perf_counter() - t0
            truth = [word_truth(stereo, call["operator_channel"], w) for w in words]
            right = sum(h == t for h, t in zip(result.speakers, truth, strict=True))
            swap = {"operator": "customer", "customer": "operator"}
            swapped = sum(swap.get(h, h) == t for h, t in zip(result.speakers, truth, strict=True))
            ref_overlap = [in_reference_overlap(call["turns"], w) for w in words]
            marked_right = sum(m and r for m, r in zip(result.overlaps, ref_overlap, strict=True))
            share = time_share(call["turns"], result.turns, stereo.shape[1] / 16000)
            row = dict(corpus=call["corpus"], name=call["name"], words=len(words), right=right,
                       op=right > swapped, time=share, voices=result.speaker_count, conf=result.confidence,
                       op_conf=result.operator_confidence, asr=t_asr, dia=t_dia,
                       overlaps=sum(result.overlaps), overlaps_right=marked_right, overlaps_ref=sum(ref_overlap),
                       audio=stereo.shape[1] / 16000)
            rows.append(row)
            print(f"{row['corpus']:4} {row['name']:34} words {right / max(1, len(words)):6.1%} of {len(words):3}"
                  f"  time {share:6.1%}  op {'right' if row['op'] else 'WRONG'} ({result.operator_confidence:.2f})"
                  f"  voices {result.speaker_count} conf {result.confidence:.2f}  overlap words {row['overlaps']:2} ({marked_right} in the"
                  f" reference's {sum(ref_overlap)})"
                  f"  diarization {t_dia:5.2f} s vs transcription {t_asr:5.2f} s ({t_dia / t_asr:+.0%})", flush=True)
            if not row["op"] or right / max(1, len(words)) < 0.9:
                print("      evidence:", "; ".join(result.operator_evidence))
    for corpus in args.corpora:
        rs = [r for r in rows if r["corpus"] == corpus]
        if not rs:
            continue
        words = sum(r["words"] for r in rs)
        print(f"== {corpus}: {len(rs)} calls, {sum(r['audio'] for r in rs):.0f} s of audio: words right "
              f"{sum(r['right'] for r in rs) / words:.1%} (worst call {min(r['right'] / max(1, r['words']) for r in rs):.1%}),"
              f" overlap marks {sum(r['overlaps'] for r in rs)} ({sum(r['overlaps_right'] for r in rs)} of the reference's"
              f" {sum(r['overlaps_ref'] for r in rs)} overlapped words),"
              f" time right {np.nanmean([r['time'] for r in rs]):.1%}, operator right on "
              f"{sum(r['op'] for r in rs)}/{len(rs)} calls, two voices on {sum(r['voices'] == 2 for r in rs)}/{len(rs)};"
              f" diarization {sum(r['dia'] for r in rs):.1f} s = {sum(r['dia'] for r in rs) / sum(r['asr'] for r in rs):+.0%}"
              f" of transcription {sum(r['asr'] for r in rs):.1f} s (target: at most +30%)")


if __name__ == "__main__":
    main()
