"""Maintain the Russian translation of the interface.

    python resources/i18n/translations.py update     # collect strings from app/ into kalibra_ru.ts, the
                                                     # domain's error templates (review/) into context "Errors"
                                                     # and rubric problem templates (rubrics/) into "RubricErrors"
    python resources/i18n/translations.py missing    # list strings that still lack a translation
    python resources/i18n/translations.py fill F.json  # add translations from {"source": "перевод"};
                                                       # a key "Context|source" applies to one context only
    python resources/i18n/translations.py build      # compile kalibra_ru.qm (what the app loads)
"""

from __future__ import annotations

import ast
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
ERRORS = "Errors"  # the context app.i18n.error_text looks domain error templates up in
RUBRIC_ERRORS = "RubricErrors"  # the context app.i18n.rubric_problem_text looks rubric problem templates up in
# Calls whose first string-literal argument is a rubric problem template (see rubrics.errors.Phrase).
RUBRIC_TEMPLATE_CALLS = {"Phrase", "rubric_problem", "RubricRuleError"}


def _tool(name: str) -> str:
    found = Path(sys.executable).with_name(name)
    return str(found) if found.exists() else (shutil.which(name) or name)


def update(ts: Path = TS) -> None:
    # lupdate -no-obsolete drops the "Errors" and "RubricErrors" contexts (no source in app/ names them):
    # keep their translations first.
    collected = {ERRORS: lambda: {**error_templates(), **decode_templates()}, RUBRIC_ERRORS: rubric_templates}
    known = {name: _context_translations(ts, name) if ts.exists() else {} for name in collected}
    sources = sorted(str(p) for p in (REPO / "app").rglob("*.py"))
    subprocess.run([_tool("pyside6-lupdate"), *sources, "-no-obsolete", "-ts", str(ts)], check=True,
                   capture_output=True)
    for name, templates in collected.items():
        _write_context(ts, name, templates(), known[name])


Places = dict[str, list[tuple[Path, int]]]  # template -> where it occurs (file, line)


def _found(places: Places, template: str, path: Path, line: int) -> None:
    where = (path, line)
    if where not in places.setdefault(template, []):
        places[template].append(where)


def rubric_templates(root: Path = REPO / "rubrics") -> Places:
    """Each rubric problem template under `root`, with where it occurs: the first string-literal argument of
    a call to one of RUBRIC_TEMPLATE_CALLS (`Phrase("...")`, `rubric_problem(line, "...")`,
    `RubricRuleError("...")`). An f-string or a name is not a template and stays English."""
    found: Places = {}
    for path in sorted(root.rglob("*.py")):
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(call, ast.Call) or _name(call.func) not in RUBRIC_TEMPLATE_CALLS:
                continue
            first = next((a for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)), None)
            if first is not None and first.value.strip():
                _found(found, first.value, path, call.lineno)
    return found


def error_templates(root: Path = REPO / "review") -> Places:
    """Each literal template given to a KalibraError (or a subclass) under `root`, with where it occurs.

    Found by the ast: `SomeError("template", **params)` for every class deriving from KalibraError in these
    files, and `super().__init__("template", ...)` inside such a class. A message built at runtime (an
    f-string, str(exc)) is not a template and stays English.
    """
    trees = {path: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in sorted(root.rglob("*.py"))}
    classes = {node: {_name(base) for base in node.bases}
               for tree in trees.values() for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}
    errors = {"KalibraError"}
    while grown := {c.name for c, bases in classes.items() if bases & errors and c.name not in errors}:
        errors |= grown
    found: Places = {}
    for path, tree in trees.items():
        for node in ast.walk(tree):
            owner = node.name if isinstance(node, ast.ClassDef) and node.name in errors else None
            for call in ast.walk(node) if owner else [node]:
                if not isinstance(call, ast.Call) or not call.args:
                    continue
                first = call.args[0]
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value.strip()):
                    continue
                func = call.func
                if _name(func) in errors or (owner and isinstance(func, ast.Attribute) and func.attr == "__init__"
                                             and isinstance(func.value, ast.Call) and _name(func.value.func) == "super"):
                    _found(found, first.value, path, call.lineno)
    return found


DECODE_ERRORS = {"AudioDecodeError": 1, "UnsupportedCodecError": None}  # where the template is: after the path


def decode_templates(root: Path = REPO / "transcription") -> Places:
    """The transcription package's literal reasons a recording cannot be read (`AudioDecodeError(path,
    "template", **params)`): the import list and the library show them in the interface's language."""
    found: Places = {}
    for path in sorted(root.rglob("*.py")):
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(call, ast.Call) or DECODE_ERRORS.get(_name(call.func)) is None:
                continue
            position = DECODE_ERRORS[_name(call.func)]
            template = call.args[position] if len(call.args) > position else None
            if isinstance(template, ast.Constant) and isinstance(template.value, str) and template.value.strip():
                _found(found, template.value, path, call.lineno)
    _found(found, "codec not supported: {codec}", root / "errors.py", 0)  # UnsupportedCodecError's own
    return found


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def _context_translations(ts: Path, context_name: str) -> dict[str, str]:
    known = {}
    for context in ET.parse(ts).getroot().iter("context"):
        if context.findtext("name") == context_name:
            for message in context.iter("message"):
                translation = message.find("translation")
                if translation is not None and translation.text and translation.get("type") != "unfinished":
                    known[message.findtext("source")] = translation.text
    return known


def _write_context(ts: Path, name: str, templates: Places, known: dict[str, str]) -> None:
    """Replace the context `name` with `templates`, keeping the translations in `known`."""
    tree = ET.parse(ts)
    root = tree.getroot()
    for context in [c for c in root.findall("context") if c.findtext("name") == name]:
        root.remove(context)
    if templates:
        context = ET.SubElement(root, "context")
        ET.SubElement(context, "name").text = name
        for template, places in templates.items():
            message = ET.SubElement(context, "message")
            for path, line in places:
                ET.SubElement(message, "location", filename=f"../../{path.relative_to(REPO).as_posix()}",
                              line=str(line))
            ET.SubElement(message, "source").text = template
            translation = ET.SubElement(message, "translation")
            if template in known:
                translation.text = known[template]
            else:
                translation.set("type", "unfinished")
        ET.indent(context, space="    ")  # lupdate's layout: <context> at the margin, its children 4 in
        context.tail = "\n"
    tree.write(ts, encoding="utf-8", xml_declaration=True)


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
