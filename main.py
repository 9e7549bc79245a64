"""Kalibra: the desktop app by default; `kalibra <command>` for headless work (see `kalibra --help`)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from review.cli import build_parser, run_command

    args = build_parser().parse_args(argv)
    if args.command is None:
        from app.application import run_gui
        from rubrics.word_forms import preload

        preload()  # the suggestions' dictionaries, while the window opens
        return run_gui(args)
    return run_command(args)


if __name__ == "__main__":
    sys.exit(main())
