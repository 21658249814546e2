"""Repair what a killed ``dvc repro`` can leave behind, before the next run (``make run`` calls it).

In: the project folder. Out: an empty or unreadable ``dvc.lock`` removed (DVC then runs every stage
again; unchanged documents still come from extracted/cells/, so no PDF is re-read), an empty or
unreadable ``.dvc/tmp/rwlock`` removed (DVC's record of which run holds which output: only
meaningful while a run is going, and one that is being written right now is left alone); one line
on stderr per repair. Exit status 0, or 1 with a one-line message when a file cannot be repaired.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import yaml

# A lock file younger than this may be being written by a run that is going on: left alone.
SETTLE_SECONDS = 5.0


def _broken_yaml(text: str) -> bool:
    try:
        return not isinstance(yaml.safe_load(text), dict)
    except yaml.YAMLError:
        return True


def _broken_json(text: str) -> bool:
    try:
        return not isinstance(json.loads(text), dict)
    except ValueError:
        return True


def repairs(project: Path, now: float | None = None) -> list[tuple[Path, str]]:
    """The files to remove and why (nothing is changed here)."""
    now = time.time() if now is None else now
    found = []
    for path, broken, what in ((project / "dvc.lock", _broken_yaml, "DVC will run every stage again; "
                                "unchanged documents come from extracted/cells/"),
                               (project / ".dvc" / "tmp" / "rwlock", _broken_json, "it only records a run "
                                "that is no longer going")):
        try:
            if not path.is_file() or now - path.stat().st_mtime < SETTLE_SECONDS:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if not text.strip() or broken(text):
            state = "empty" if not text.strip() else "unreadable"
            found.append((path, f"{path.relative_to(project)} was {state} (a run was killed?); removed: {what}"))
    return found


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    project = Path(argv[0]) if argv else Path.cwd()
    for path, message in repairs(project):
        try:
            path.unlink()
        except OSError as err:
            print(f"dvc_repair: {path} is broken and cannot be removed ({err.strerror}); "
                  f"remove it by hand, then run again", file=sys.stderr)
            return 1
        print(f"dvc_repair: {message}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
