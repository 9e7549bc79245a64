"""The clinic vocabulary's effect: Kalibra with and without a list of the corpus's own names, in one run.

Per corpus: WER (and per speaker), and how many times a word of the list that was said is heard as it
is said (a word matched on its first five letters, so "Соколовой" counts for "Соколова"). The lists are
what a clinic would enter: its name, its doctors, and for the real calls (a bank and a travel desk) the
bank's name and the towns named.

Usage: python bench/vocabulary_bench.py [--corpora demo-ru real]
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import transcribe_bench as tb  # noqa: E402

from transcription.model import load_model, resolve_model  # noqa: E402
from transcription.wer import normalize_words  # noqa: E402

LISTS = {
    "demo-ru": "Семейный Доктор, доктор Соколова, доктор Морозов, доктор Белова, Елена Павловна, Марина Викторовна, "
               "Сергей Николаевич, чек-ап",
    "real": "Harper Valley National Bank, Cambridge, Leicester, Smart Electric",
}


def _stem(word: str) -> str:
    return word[:5]


def list_words_heard(calls, outputs, vocabulary: str) -> tuple[int, int]:
    terms = {_stem(w) for w in normalize_words(vocabulary)}
    said = heard = 0
    for call, segments in zip(calls, outputs, strict=True):
        ref = collections.Counter(_stem(w) for w in normalize_words(tb.reference(call)) if _stem(w) in terms)
        text = " ".join(s["text"] for s in segments if "text" in s)
        hyp = collections.Counter(_stem(w) for w in normalize_words(text) if _stem(w) in terms)
        said += sum(ref.values())
        heard += sum(min(n, hyp[k]) for k, n in ref.items())
    return heard, said


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", nargs="+", default=list(LISTS), choices=list(LISTS))
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    model = load_model(resolve_model(Path.home() / ".cache/kalibra-bench"), cpu_threads=args.threads)
    with tempfile.TemporaryDirectory(prefix="kalibra-bench-") as folder:
        for name in args.corpora:
            source = name.split("-")[0]
            calls = tb.load_corpora([source], Path(folder))[source]
            if name == "demo-ru":
                calls = [c for c in calls if c["language"] == "ru"]
            print(f"\n== {name}: {len(calls)} calls; list: {LISTS[name]}")
            print(f"{'variant':16} {'WER':>6} {'spkWER':>6}  list words heard")
            for label, hotwords in (("no list", None), ("with the list", LISTS[name])):
                outputs = []
                for group in tb.worker_groups(calls):
                    outputs += tb.kalibra_group(model, group, args.threads, {"hotwords": hotwords})
                figures = tb.figures(calls, outputs)
                heard, said = list_words_heard(calls, outputs, LISTS[name])
                print(f"{label:16} {figures['wer']:6.3f} {figures['side_wer']:6.3f}  {heard} of {said}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
