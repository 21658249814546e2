"""The command line: ``python -m pipeline <stage>`` (what dvc.yaml runs) and ``run`` (all stages).

In: command-line options and params.yaml. Out: the stage's files under extracted/, a short
report on stderr (problems by file name, 総括表 disagreements, failed expectations) and an exit
status: 0 when all is well, 1 when a document could not be read or a critical expectation failed,
2 for a usage error.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

# No network anywhere: DVC and Great Expectations must not phone home.
os.environ.setdefault("DVC_NO_ANALYTICS", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

STAGES = ("extract", "tidy", "grade", "validate", "report", "check")


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _show_problems(problems) -> None:
    for problem in problems:
        _say(f"  {problem}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=STAGES + ("run",), help="a stage, or 'run' for all stages in order")
    parser.add_argument("--raw", type=Path, default=Path("raw"), help="folder with the PDFs and sources.yaml")
    parser.add_argument("--out", type=Path, default=Path("extracted"), help="output folder")
    parser.add_argument("--params", type=Path, default=Path("params.yaml"), help="settings file")
    parser.add_argument("--expectations", type=Path, default=Path("expectations"), help="GX suites folder")
    parser.add_argument("--docs", default="", help="comma-separated documents to read (default: all)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: params, 0 = cores)")
    parser.add_argument("--executor", choices=("process", "dask"), default=None, help="how documents are mapped")
    parser.add_argument("--scheduler", default=None, help="Dask scheduler address (default: a LocalCluster)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from .settings import load_settings

    settings = load_settings(args.params)
    for option in ("jobs", "executor", "scheduler"):
        if getattr(args, option) is not None:
            settings["extract"][option] = getattr(args, option)
    commands = STAGES if args.command == "run" else (args.command,)
    status = 0
    for command in commands:
        status = max(status, run_stage(command, args, settings))
    return status


def run_stage(command: str, args: argparse.Namespace, settings: dict) -> int:
    out: Path = args.out
    if command == "extract":
        from .stages import extract
        only = {d.strip() for d in args.docs.split(",") if d.strip()} or None
        from .executors import ExecutorError
        try:
            problems = extract.run(args.raw, out, settings, only)
        except ExecutorError as err:     # a setting to fix, not a document problem: say it and stop
            _say(f"extract: {err}")
            return 2
        read = len(list((out / "cells").glob("*.json")))
        _say(f"extract: {read} document(s) in {out / 'cells'}; {len(problems)} problem(s)")
        _show_problems(problems)
        # The extract stage itself succeeds so that DVC goes on with the good documents; the `check`
        # stage, last, fails the run when a document could not be read.
        return 0
    if command == "tidy":
        from .stages import tidy
        counts, cell_problems = tidy.run(out)
        _say(f"tidy: {counts['observations']} observations from {counts['documents']} document(s); "
             f"{len(cell_problems)} cell(s) not understood (kept as text, see {out / 'cell_problems.csv'})")
        _show_problems(cell_problems)
        return 0
    if command == "grade":
        from .stages import grade
        differences = grade.run(out, settings)
        _say(f"grade: {out / 'grades.csv'}; 総括表 cross-check: {len(differences)} disagreement(s)")
        for row in differences:
            _say(f"  {row['document']} | {row['group'] or 'total'} | {row['kind']} | {row['column']}: {row['note']}")
        return 0
    if command == "validate":
        from .stages import validate
        critical, warnings = validate.run(out, args.expectations, settings)
        for message in warnings:
            _say(f"  warning: {message}")
        for message in critical:
            _say(f"  critical: {message}")
        _say(f"validate: {len(critical)} critical failure(s), {len(warnings)} warning(s); "
             f"results in {out / 'validation'} (the check stage decides)")
        return 0
    if command == "check":
        from .stages.validate import findings, verdict
        for line in findings(out):
            _say(f"  {line}")
        failures = verdict(out, settings)
        for message in failures:
            _say(f"  FAILED: {message}")
        _say("check: " + (f"{len(failures)} failure(s); the run fails" if failures else "all good"))
        return 1 if failures else 0
    if command == "report":
        from .stages import report
        path = report.run(out, args.raw, settings)
        _say(f"report: {path}")
        return 0
    raise AssertionError(command)
