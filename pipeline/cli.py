"""The command line: ``muniplan <stage>`` (also ``python -m pipeline <stage>``, what dvc.yaml runs),
``muniplan run`` (every stage in order) and ``muniplan warm-templates`` (run by ``make setup``).

In: command-line options and params.yaml. Out: the stage's files under extracted/, one summary
line per stage on stderr, a final line stating the findings and where to look, and an exit status:
0 when all is well, 1 when a document could not be read or a critical expectation failed, 2 for a
usage error (an unknown stage, option or document is named, with what is known).
"""
from __future__ import annotations

import argparse
import atexit
import gc
import os
import sys
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

# No network anywhere: DVC and Great Expectations must not phone home.
os.environ.setdefault("DVC_NO_ANALYTICS", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
# No stage multiplies matrices, but numpy (imported by pyarrow, pandas, GX) starts OpenBLAS's pool of
# one thread per core when imported: ~50 ms of a tidy process's start-up, and threads that spin on the
# other core meanwhile. One thread unless the user says otherwise.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

STAGES = ("extract", "tidy", "grade", "validate", "report", "check")
# Garbage-collector thresholds while a stage after extract runs (see ``fewer_collections``).
FEWER_COLLECTIONS = (50_000, 20, 20)

# One help text per command (what it reads and writes); the options each command takes.
HELP = {
    "extract": ("read every PDF listed in raw/sources.yaml",
                "Read every PDF listed in RAW/sources.yaml into OUT/cells/<document>.json (an unchanged PDF "
                "comes from the cache) and list the documents that could not be read in OUT/problems.csv."),
    "tidy": ("extracted cells -> the tidy dataset",
             "Turn OUT/cells/ into the tidy dataset: observations.csv (one row per printed value) and its "
             "typed copy observations.parquet, indicators.csv, printed_counts.csv, summary_printed.csv and "
             "cell_problems.csv (cells not understood)."),
    "grade": ("recompute every grade, cross-check the 総括表",
              "Recompute every indicator's grade from the observations (exact arithmetic, the printed legend "
              "or params.yaml's) into grades.csv and grades.parquet, describe both tables in datapackage.json, "
              "count the grades in grade_summary.json, and compare each printed 総括表 count in "
              "summary_check.csv."),
    "validate": ("check the outputs with the Great Expectations suites",
                 "Run the Great Expectations suites of EXPECTATIONS on the outputs; results and Data Docs go "
                 "to OUT/validation/. Always succeeds: the check stage decides."),
    "report": ("write the audit report OUT/audit.html",
               "Write OUT/audit.html: every finding first, then each document with its indicators, the "
               "evidence rows cut from the PDF, the 総括表 check and a published-vs-recomputed grade table."),
    "check": ("list the findings; fail on unread documents or critical expectations",
              "State the findings (grade disagreements, 総括表 differences, corrected and unparsed cells, "
              "documents not read) and exit 1 when a document could not be read or a critical expectation "
              "failed."),
    "run": ("every stage in order (extract .. check)", "Run extract, tidy, grade, validate, report and check in order."),
    "warm-templates": ("compile the Data Docs' and the audit page's templates ahead (make setup runs it)",
                       "Compile the Jinja templates of the Great Expectations Data Docs and of the audit page into "
                       "the template cache (~/.cache/muniplan; MUNIPLAN_TEMPLATE_CACHE moves it), so that the "
                       "first validate and report on a machine do not compile them."),
}
OPTIONS = {
    "extract": ("raw", "out", "params", "docs", "jobs", "executor", "scheduler"),
    "tidy": ("out",),
    "grade": ("out", "params"),
    "validate": ("out", "params", "expectations"),
    "report": ("out", "raw", "params"),
    "check": ("out", "params"),
    "run": ("raw", "out", "params", "expectations", "docs", "jobs", "executor", "scheduler"),
    "warm-templates": (),
}


class UsageError(Exception):
    """A command line that cannot be run as asked (exit status 2), with what is known."""


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _add_option(parser: argparse.ArgumentParser, name: str) -> None:
    if name == "raw":
        parser.add_argument("--raw", type=Path, default=Path("raw"), help="folder with the PDFs and sources.yaml")
    elif name == "out":
        parser.add_argument("--out", type=Path, default=Path("extracted"), help="output folder (default: extracted)")
    elif name == "params":
        parser.add_argument("--params", type=Path, default=Path("params.yaml"), help="settings file")
    elif name == "expectations":
        parser.add_argument("--expectations", type=Path, default=Path("expectations"), help="GX suites folder")
    elif name == "docs":
        parser.add_argument("--docs", default="", help="comma-separated documents to read, as listed in "
                                                       "sources.yaml, with or without .pdf (default: all)")
    elif name == "jobs":
        parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: params, 0 = cores)")
    elif name == "executor":
        parser.add_argument("--executor", choices=("process", "dask"), default=None, help="how documents are mapped")
    elif name == "scheduler":
        parser.add_argument("--scheduler", default=None, help="Dask scheduler address (default: a LocalCluster)")


def program_name(argv0: str | None = None) -> str:
    """'muniplan' for the installed command, 'python -m pipeline' when run as a module.

    >>> program_name("/usr/bin/muniplan"), program_name("/x/pipeline/__main__.py")
    ('muniplan', 'python -m pipeline')
    """
    argv0 = sys.argv[0] if argv0 is None else argv0
    return "python -m pipeline" if Path(argv0).name == "__main__.py" else "muniplan"


def version() -> str:
    from importlib.metadata import PackageNotFoundError, version as installed
    try:
        return installed("muniplan-data")
    except PackageNotFoundError:        # run from a source tree that was never installed
        return "unknown (not installed)"


class VersionAction(argparse.Action):
    """``--version``: the installed version, looked up only when asked (``importlib.metadata`` is a
    noticeable share of a small stage's start-up)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0,
                         help=help or "show the program's version and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"{parser.prog} {version()}")
        parser.exit()


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    prog = prog or program_name()
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Japanese municipal plan reports (PDF) -> a tidy dataset, recomputed grades and an audit.",
        epilog=f"Each command has its own help: {prog} COMMAND --help.")
    parser.add_argument("--version", action=VersionAction)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                     title="commands (the pipeline's stages, in order, run, and set-up)")
    parser.stages = {}
    for name in STAGES + ("run", "warm-templates"):
        short, long = HELP[name]
        sub = commands.add_parser(name, help=short, description=long)
        for option in OPTIONS[name]:
            _add_option(sub, option)
        parser.stages[name] = sub
    return parser


def parse_args(argv: list[str] | None, parser: argparse.ArgumentParser | None = None) -> argparse.Namespace:
    """The command line read; an option the command does not take is an error (exit 2) that names
    the options it does take."""
    parser = parser or build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        known = ", ".join(f"--{o}" for o in OPTIONS[args.command])
        parser.stages[args.command].error(f"{args.command} does not take {' '.join(extra)}; it takes: {known} "
                                          f"(see {parser.prog} {args.command} --help)")
    return args


def selected_documents(docs: str, known: list[str]) -> set[str] | None:
    """The documents asked for by ``--docs`` (a name may end in .pdf); None for all.

    >>> sorted(selected_documents("a.pdf, b", ["a", "b", "c"]))
    ['a', 'b']
    >>> selected_documents("", ["a"]) is None
    True
    >>> selected_documents("zz", ["a", "b"])
    Traceback (most recent call last):
    ...
    pipeline.cli.UsageError: --docs: no document 'zz' in sources.yaml; known: a, b
    """
    names = [d.strip() for d in docs.split(",") if d.strip()]
    if not names:
        return None
    wanted = {n[:-4] if n.lower().endswith(".pdf") else n for n in names}
    unknown = sorted(wanted - set(known))
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        raise UsageError(f"--docs: no document{plural} {', '.join(map(repr, unknown))} in sources.yaml; "
                         f"known: {', '.join(known) or '(none)'}")
    return wanted


def skip_collection_at_exit() -> None:
    """At exit, take every object still alive out of the garbage collector's reach (``gc.freeze``,
    registered with ``atexit``, so it runs after the handlers the stage's libraries register and
    before the interpreter's teardown). The teardown otherwise runs full collections over every
    object the libraries made (half a second after a validation, a tenth of the stage), only for
    the memory to go back to the system with the process; every output is written and closed by
    then, and the atexit handlers still run. Only for the program itself (``main()`` reading
    ``sys.argv``: ``muniplan``, ``python -m pipeline``): a caller that passes ``argv`` (the tests)
    keeps its own exit, where frozen objects of other libraries could be reported as leaked."""
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)


@contextmanager
def fewer_collections(thresholds: tuple[int, int, int] = FEWER_COLLECTIONS):
    """Run the block with the garbage collector's ``thresholds``, then put the caller's back.
    Python's default (a young collection every 700 new objects) suits a long-running program; a
    later stage's process imports large libraries (GX alone ~2 s of imports, which allocate much
    and free little) and ends: collecting that often found nothing to free and cost about a tenth
    of a validate process. Memory is the same (a young collection every 50,000 new objects still
    frees the cycles a stage drops). The extract stage keeps the default (pages of many objects).

    >>> before = gc.get_threshold()
    >>> with fewer_collections((10_000, 10, 10)):
    ...     gc.get_threshold()
    (10000, 10, 10)
    >>> gc.get_threshold() == before
    True
    """
    before = gc.get_threshold()
    gc.set_threshold(*thresholds)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        skip_collection_at_exit()
    parser = build_parser()
    args = parse_args(argv, parser)
    if args.command == "warm-templates":
        return warm_templates()
    from .settings import load_settings

    settings = load_settings(args.params) if hasattr(args, "params") else {}
    for option in ("jobs", "executor", "scheduler"):
        if getattr(args, option, None) is not None:
            settings["extract"][option] = getattr(args, option)
    try:
        only = None
        if getattr(args, "docs", ""):
            from .sources import load_sources
            only = selected_documents(args.docs, [s.document for s in load_sources(args.raw).sources])
    except UsageError as err:
        parser.error(str(err))      # exit status 2, with the usage line
    commands = STAGES if args.command == "run" else (args.command,)
    status = 0
    for command in commands:
        with nullcontext() if command == "extract" else fewer_collections():
            status = max(status, run_stage(command, args, settings, only))
        if status >= 2:             # a setting to fix: the later stages would only repeat it
            break
    return status


def warm_templates() -> int:
    """Compile the Data Docs' and the audit page's templates into the template cache; one line each on stdout."""
    from .report.page import TEMPLATE_CACHE_TAG, warm_template_cache as warm_report
    from .templates import template_cache_dir
    from .validate.docs_rendering import template_cache_dir as data_docs_cache_dir, warm_template_cache as warm_data_docs

    memory = "memory only (MUNIPLAN_TEMPLATE_CACHE is empty)"
    print(f"{warm_data_docs()} Data Docs templates compiled into {data_docs_cache_dir() or memory}")
    print(f"{warm_report()} audit page templates compiled into {template_cache_dir(TEMPLATE_CACHE_TAG) or memory}")
    return 0


def run_stage(command: str, args: argparse.Namespace, settings: dict, only: set[str] | None = None) -> int:
    out: Path = args.out
    if command == "extract":
        from .executors import ExecutorError
        from .stages import extract
        stats: dict = {}
        try:
            problems = extract.run(args.raw, out, settings, only, stats)
        except ExecutorError as err:     # a setting to fix, not a document problem: say it and stop
            _say(f"extract: {err}")
            return 2
        for problem in problems:
            _say(f"  {problem}")
        warnings = sum(p.severity != "error" for p in problems)
        _say(f"extract: {stats.get('read', 0)} document(s) read, {stats.get('cached', 0)} from cache, "
             f"{stats.get('failed', 0)} failed; {warnings} warning(s); {out / 'cells'}")
        # The extract stage itself succeeds so that DVC goes on with the good documents; the `check`
        # stage, last, fails the run when a document could not be read.
        return 0
    if command == "tidy":
        from .stages import tidy
        counts, cell_problems = tidy.run(out)
        for problem in cell_problems:
            _say(f"  {problem}")
        _say(f"tidy: {counts['observations']} observation(s) from {counts['documents']} document(s) written; "
             f"{len(cell_problems)} cell(s) not understood (kept as text, see {out / 'cell_problems.csv'})")
        return 0
    if command == "grade":
        from .stages import grade
        differences = grade.run(out, settings)
        disagree = _count_disagreements(out)
        _say(f"grade: {disagree['graded']} indicator(s) graded, {disagree['differ']} differ from the published "
             f"grade; 総括表: {len(differences)} count(s) differ ({out / 'grades.csv'}, {out / 'summary_check.csv'})")
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
        lines = findings(out)
        for line in lines:
            _say(f"  {line}")
        failures = verdict(out, settings)
        for message in failures:
            _say(f"  FAILED: {message}")
        _say(conclusion(Findings.from_outputs(out), failures, out))
        return 1 if failures else 0
    if command == "report":
        from .stages import report
        path = report.run(out, args.raw, settings)
        _say(f"report: {path}")
        return 0
    raise AssertionError(command)


def _count_disagreements(out: Path) -> dict[str, int]:
    from .io import read_csv
    path = out / "grades.csv"
    rows = read_csv(path) if path.exists() else []
    return {"graded": sum(bool(r.get("recomputed_grade")) for r in rows),
            "differ": sum(r.get("agrees") == "false" for r in rows)}


@dataclass(frozen=True)
class Findings:
    """What an auditor should look at after a run, counted from the outputs."""

    grades_differ: int = 0
    summary_differ: int = 0
    corrected: int = 0
    unparsed: int = 0
    not_read: int = 0

    @classmethod
    def from_outputs(cls, out: Path) -> "Findings":
        from .io import read_csv

        def rows(name: str) -> list[dict[str, str]]:
            path = out / name
            return read_csv(path) if path.exists() else []
        observations = rows("observations.csv")
        return cls(grades_differ=sum(r.get("agrees") == "false" for r in rows("grades.csv")),
                   summary_differ=sum(r.get("status") not in ("ok", "") for r in rows("summary_check.csv")),
                   corrected=sum(r.get("status") == "corrected" for r in observations),
                   unparsed=sum(r.get("status") == "unparsed" for r in observations),
                   not_read=sum(r.get("severity") == "error" for r in rows("problems.csv")))

    @property
    def total(self) -> int:
        return self.grades_differ + self.summary_differ + self.corrected + self.unparsed + self.not_read

    def describe(self) -> str:
        """
        >>> Findings(grades_differ=3, summary_differ=13, corrected=1).describe()
        '3 grade(s) differ from the published ones, 13 総括表 count(s) differ, 1 value(s) corrected'
        >>> Findings().describe()
        'no findings'
        """
        parts = [(self.not_read, "document(s) not read"), (self.grades_differ, "grade(s) differ from the published ones"),
                 (self.summary_differ, "総括表 count(s) differ"), (self.corrected, "value(s) corrected"),
                 (self.unparsed, "cell(s) not understood")]
        return ", ".join(f"{n} {what}" for n, what in parts if n) or "no findings"


def conclusion(found: Findings, failures: list[str], out: Path) -> str:
    """The run's last line: the verdict, the findings and where to look; it agrees with the exit status
    (1 exactly when there are failures).

    >>> conclusion(Findings(grades_differ=3), [], Path("extracted"))
    'check: passed (exit 0) with findings to review: 3 grade(s) differ from the published ones; see extracted/audit.html'
    >>> conclusion(Findings(not_read=1), ["document not read: x.pdf"], Path("out"))
    'check: FAILED (exit 1): 1 failure(s); 1 document(s) not read; see out/problems.csv and out/audit.html'
    >>> conclusion(Findings(), [], Path("extracted"))
    'check: passed (exit 0), no findings; the audit report is extracted/audit.html'
    """
    report = out / "audit.html"
    if failures:
        return (f"check: FAILED (exit 1): {len(failures)} failure(s); {found.describe()}; "
                f"see {out / 'problems.csv'} and {report}")
    if found.total:
        return f"check: passed (exit 0) with findings to review: {found.describe()}; see {report}"
    return f"check: passed (exit 0), no findings; the audit report is {report}"
