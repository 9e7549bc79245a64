"""The command line's metadata mapping: --map, --mapping and --save-mapping, remembered per folder."""

from __future__ import annotations

from pathlib import Path

from review.storage.db import Database
from review.library.metadata_mapping import parse_overrides
from review.library.metadata_sidecar import MetadataChoice
from review.library.metadata_table import MetadataError
from review.library.telephony_presets import PRESETS
from review.desktop.user_settings import SavedMapping, UserSettings, save_settings
from review.library.vocabularies import unknown_values


def source_folder(paths: list[str]) -> Path:
    """The folder a mapping is remembered for: the first folder imported (or the first file's folder)."""
    first = Path(paths[0])
    return first if first.is_dir() else first.parent


def chosen_mapping(settings: UserSettings, args) -> tuple[SavedMapping | None, MetadataChoice]:
    """The mapping named on the command line, else the one remembered for the folder, with --map on top."""
    overrides = parse_overrides(args.map)
    if args.mapping:
        saved = settings.named_mappings.get(args.mapping)
        if saved is None and args.mapping.lower() in PRESETS:
            saved = SavedMapping(preset=args.mapping.lower())
        if saved is None:
            raise MetadataError("There is no preset or saved mapping {name}; the presets are: {presets}.",
                                name=repr(args.mapping), presets=", ".join(PRESETS))
    else:
        saved = settings.mapping_for_folder(source_folder(args.paths))
    choice = MetadataChoice(preset=saved.preset if saved else None,
                            remembered=list(saved.columns) if saved else [], overrides=overrides)
    return saved, choice


def remember_mapping(settings: UserSettings, args, saved: SavedMapping | None) -> None:
    """Keep what was chosen on the command line for the folder (and under --save-mapping's name)."""
    if not (args.map or args.mapping or args.save_mapping):
        return
    columns = [*(saved.columns if saved else []), *parse_overrides(args.map).items()]
    mapping = SavedMapping(preset=saved.preset if saved else None, columns=columns)
    settings.remember_mapping(source_folder(args.paths), mapping)
    if args.save_mapping:
        settings.named_mappings[args.save_mapping] = mapping
    save_settings(settings)


def print_new_terms(db: Database, call_ids: list[int]) -> None:
    if not call_ids:
        return
    with db.sessions() as session:
        found = {name: unknown_values(session, name, call_ids) for name in ("call_kind", "outcome")}
    titles = {"call_kind": "new call kinds", "outcome": "new outcomes"}
    for name, counts in found.items():
        if counts:
            listed = ", ".join(f"{code} ({count})" for code, count in sorted(counts.items()))
            print(f"{titles[name]} (kept on the calls; add them to the workspace's list or map them "
                  f"in the import dialog): {listed}")
