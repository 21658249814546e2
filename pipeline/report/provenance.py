"""When, from which commit: the facts the audit report states about its own making.

In: the project folder (a git work tree, or not) and the environment. Out: ``Provenance``. The
commit is the last one that changed the pipeline's inputs (``INPUTS``: the PDFs, the code, the
suites, the settings), and "uncommitted changes" means changes to those: not ``dvc.lock`` or
``extracted/``, which every run rewrites. So committing the lock after a run does not change the
page, and a fresh clone rebuilds the same page byte for byte (``dvc.lock`` stays as committed).
The time is reproducible, never the wall clock: ``SOURCE_DATE_EPOCH`` when set (the
reproducible-builds convention), else that commit's time.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path


@dataclass(frozen=True)
class Provenance:
    commit: str = ""          # full hash, '' outside a git work tree
    changed: bool = False     # the work tree had uncommitted changes
    when: str = ""            # ISO 8601, UTC
    when_from: str = ""       # 'SOURCE_DATE_EPOCH' or 'commit time'

    def describe(self) -> str:
        """
        >>> Provenance("0123456789abcdef", False, "2026-12-06T12:00:00Z", "commit time").describe()
        'made 2026-12-06T12:00:00Z (commit time) from commit 0123456789ab'
        >>> Provenance().describe()
        'made at an unknown time (no SOURCE_DATE_EPOCH, not a git work tree) from an unknown commit'
        """
        when = f"made {self.when} ({self.when_from})" if self.when else \
            "made at an unknown time (no SOURCE_DATE_EPOCH, not a git work tree)"
        commit = f"from commit {self.commit[:12]}" if self.commit else "from an unknown commit"
        return f"{when} {commit}{' with uncommitted changes' if self.changed else ''}"


def iso(epoch: int) -> str:
    """
    >>> iso(0)
    '1970-01-01T00:00:00Z'
    """
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _git(folder: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


# What the pipeline's outputs are made from (paths relative to the project folder).
INPUTS = ("raw", "pipeline", "expectations", "vendor", "params.yaml", "dvc.yaml", "pyproject.toml", "constraints.txt")


def provenance(folder: Path | str = ".", environ: dict | None = None) -> Provenance:
    environ = os.environ if environ is None else environ
    folder = Path(folder)
    commit = (_git(folder, "log", "-1", "--format=%H", "--", *INPUTS) or _git(folder, "rev-parse", "HEAD")
              if _git(folder, "rev-parse", "HEAD") else "") or ""
    changed = bool(commit) and bool(_git(folder, "status", "--porcelain", "--untracked-files=no", "--", *INPUTS))
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return Provenance(commit, changed, iso(int(epoch)), "SOURCE_DATE_EPOCH")
    stamp = _git(folder, "log", "-1", "--format=%ct", commit) if commit else None
    if stamp and stamp.isdigit():
        return Provenance(commit, changed, iso(int(stamp)), "commit time")
    return Provenance(commit, changed)
