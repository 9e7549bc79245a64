"""Maintain the Russian translation of the interface.

    python resources/i18n/translations.py update     # collect strings from app/ into kalibra_ru.ts
    python resources/i18n/translations.py missing    # list strings that still lack a translation
    python resources/i18n/translations.py fill F.json  # add translations from {"source": "перевод"};
                                                       # a key "Context|source" applies to one context only
    python resources/i18n/translations.py build      # compile kalibra_ru.qm (what the app loads)
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TS = HERE / "kalibra_ru.ts"
QM = HERE / "kalibra_ru.qm"


def _tool(name: str) -> str:
    found = Path(sys.executable).with_name(name)
    return str(found) if found.exists() else (shutil.which(name) or name)


def update(ts: Path = TS) -> None:
    sources = sorted(str(p) for p in (REPO / "app").rglob("*.py"))
    subprocess.run([_tool("pyside6-lupdate"), *sources, "-no-obsolete", "-ts", str(ts)], check=True,
                   capture_output=True)


def missing(ts: Path = TS) -> list[tuple[str, str]]:
    root = ET.parse(ts).getroot()
    gaps = []
    for context in root.iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            numerus = translation.findall("numerusform") if translation is not None else []
            empty = translation is None or (not (translation.text or "").strip() and not any(
                (n.text or "").strip() for n in numerus))
            if empty or (translation is not None and translation.get("type") == "unfinished"):
                gaps.append((name, message.findtext("source")))
    return gaps


def fill(mapping_file: Path, ts: Path = TS) -> int:
    mapping: dict[str, str | list[str]] = json.loads(mapping_file.read_text(encoding="utf-8"))
    tree = ET.parse(ts)
    filled = 0
    for context in tree.getroot().iter("context"):
        filled += _fill_context(context, mapping)
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return filled


def _fill_context(context: ET.Element, mapping: dict) -> int:
    filled = 0
    name = context.findtext("name")
    for message in context.iter("message"):
        source = message.findtext("source")
        value = mapping.get(f"{name}|{source}", mapping.get(source))
        if value is None:
            continue
        translation = message.find("translation")
        for child in list(translation):
            translation.remove(child)
        if message.get("numerus") == "yes":
            forms = value if isinstance(value, list) else [value] * 3
            translation.text = None
            for form in forms:
                ET.SubElement(translation, "numerusform").text = form
        else:
            translation.text = value if isinstance(value, str) else value[0]
        translation.attrib.pop("type", None)
        filled += 1
    return filled


def build(ts: Path = TS, qm: Path = QM) -> None:
    subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True)


if __name__ == "__main__":
    import signal

    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `… | head` ends quietly
    command = sys.argv[1] if len(sys.argv) > 1 else "missing"
    if command == "update":
        update()
    elif command == "fill":
        print(f"filled {fill(Path(sys.argv[2]))}")
    elif command == "build":
        build()
    gaps = missing()
    for context, source in gaps:
        print(f"{context}: {source}")
    print(f"{len(gaps)} string(s) without a Russian translation")
