"""Run the JSON expectation suites on the extracted CSVs with Great Expectations (GX Core 1.x).

In:  ``extracted_dir`` (observations.csv, grades.csv, indicators.csv, printed_counts.csv),
     ``expectations_dir`` (the committed suites, see ``suites.py``), the layout of each document,
     the grading legends (for an old grades.csv without ``legend``).
Out: ``ValidationOutcome`` (failed critical / warning expectations as one-line messages, and what
     could not be checked), and ``out_dir`` replaced as a whole: ``outcome.json``,
     ``results/<table>.json`` (GX's validation results) and ``data_docs/index.html`` (GX Data Docs),
     the same bytes for the same inputs (one fixed run name and time, no ids or load times).

One *ephemeral* GX context, configured once (the committed JSON is never rewritten with generated
ids; analytics off, no network; expectations read their arguments once, ``expectation_kwargs``;
Data Docs without throwaway work, ``docs_rendering``); one suite and one batch per table,
evaluated in one pass for success only, then the failed expectations again on the same batch for
their examples; row conditions become derived columns first (``conditions``); suites and results
are filed in GX's stores once, for the Data Docs only.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from pipeline.grade.legend import Legend
from pipeline.validate import conditions, tables
from pipeline.validate import docs, docs_rendering, expectation_kwargs
from pipeline.validate.suites import LAYOUTS_FOLDER, SuiteError, SuiteFile, TableSuite, combine, load_suites

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

EXAMPLES = 3            # rows quoted in a failure message
PARTIAL_COUNT = 20      # unexpected rows kept in the results JSON


@dataclass(frozen=True)
class Failure:
    """One failed expectation (or a problem that kept a suite from running)."""

    severity: str        # critical | warning
    suite: str
    expectation: str     # GX expectation type, or 'input' for an unreadable file
    column: str | None
    message: str         # one line, readable

    def __str__(self) -> str:
        return f"{self.severity.upper()} {self.suite}: {self.message}"


@dataclass
class ValidationOutcome:
    critical: list[Failure] = field(default_factory=list)
    warnings: list[Failure] = field(default_factory=list)
    suites_run: list[str] = field(default_factory=list)
    suites_skipped: list[str] = field(default_factory=list)   # kept for outcome.json readers; always empty now
    expectations_run: int = 0
    results_dir: Path | None = None
    data_docs: Path | None = None

    @property
    def passed(self) -> bool:
        """No critical expectation failed."""
        return not self.critical

    def failed_expectations(self) -> list[Failure]:
        return self.critical + self.warnings

    def summary(self) -> str:
        """A readable multi-line report: counts, then one line per failure."""
        head = (f"validation: {len(self.suites_run)} suites, {self.expectations_run} expectations; "
                f"{len(self.critical)} critical and {len(self.warnings)} warning failures")
        lines = [head] + [f"  {f}" for f in self.critical + self.warnings]
        if self.data_docs:
            lines.append(f"  Data Docs: {self.data_docs}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "suites_run": self.suites_run,
            "suites_skipped": self.suites_skipped,
            "expectations_run": self.expectations_run,
            "critical": [asdict(f) for f in self.critical],
            "warnings": [asdict(f) for f in self.warnings],
        }


def as_legend(legend_thresholds: Mapping[str, Any] | Legend | None) -> Legend:
    """A ``Legend`` from ``{"A": "1.00", "B": "0.80", "C": "0.50"}``, a ``grading`` block
    (``{"thresholds": {...}, "below": "D"}``) or a ``Legend``; ``None`` gives the default."""
    if isinstance(legend_thresholds, Legend):
        return legend_thresholds
    params = dict(legend_thresholds or {})
    if params and not ({"grading", "thresholds"} & set(params)):
        params = {"thresholds": params}
    return Legend.from_params(params)


def validate(
    extracted_dir: Path,
    expectations_dir: Path,
    out_dir: Path,
    legend_thresholds: Mapping[str, Any] | Legend | None = None,
    *,
    document_legends: Mapping[str, Mapping[str, Any] | Legend] | None = None,
    layouts: Mapping[str, str] | None = None,
    direction_overrides: list[Mapping[str, Any]] | None = None,
    data_docs: bool = True,
) -> ValidationOutcome:
    """Run every suite in ``expectations_dir`` on the CSVs of ``extracted_dir``.

    ``legend_thresholds`` is the configured legend and ``document_legends`` the legend each
    document prints (used only for an old ``grades.csv`` without ``rate_exact``/``legend``);
    ``layouts`` the layout each document was read with (document -> layout name), which decides
    the layout suites that apply to its rows. Writes ``out_dir`` as a whole: everything is built
    in a folder beside it, which then replaces it. Never raises for bad input: an unreadable file
    or suite becomes a critical failure.
    """
    extracted_dir, expectations_dir, out_dir = Path(extracted_dir), Path(expectations_dir), Path(out_dir).absolute()
    legend = as_legend(legend_thresholds)
    own_legends = {d: as_legend(l) for d, l in (document_legends or {}).items()}
    layouts = dict(layouts or {})
    outcome = ValidationOutcome()
    try:
        suite_files = load_suites(expectations_dir)
    except SuiteError as exc:
        outcome.critical.append(Failure("critical", "expectations", "input", None, str(exc)))
        suite_files = []
    frames, problems, letters = build_frames(extracted_dir, legend, own_legends, layouts, direction_overrides)
    present = {table: set(frame["layout"].dropna()) for table, frame in frames.items() if "layout" in frame}
    table_suites = combine(suite_files, present)
    for table, message in problems.items():
        names = ", ".join(s.name for s in suite_files if s.table == table) or "none"
        outcome.critical.append(Failure("critical", table, "input", None, f"{message}; suites not run: {names}"))
    outcome.warnings += coverage_notes(frames, suite_files, layouts)

    staging = _staging_dir(out_dir)
    try:
        context = make_context(staging / "data_docs" if data_docs else None)
        results_dir = staging / "results"
        results_dir.mkdir()
        warning_suites = []
        for suite in table_suites:
            frame = frames.get(suite.table)
            if frame is None:
                continue
            try:
                result, key, frame, built = run_suite(context, suite, frame, {"grade_letters": letters})
            except Exception as exc:   # a suite GX cannot use must not stop the other suites
                outcome.critical.append(Failure("critical", suite.name, "input", None,
                                                f"{suite.name} suite could not run: {exc}"))
                continue
            outcome.suites_run.append(suite.name)
            outcome.expectations_run += len(result.results)
            found = failures_of(suite, frame, result)
            for failure in found:
                (outcome.critical if failure.severity == "critical" else outcome.warnings).append(failure)
            (results_dir / f"{suite.name}.json").write_text(
                json.dumps(stable(result.to_json_dict()), ensure_ascii=False, indent=2, default=str) + "\n",
                encoding="utf-8")
            if data_docs:
                critical = any(f.severity == "critical" for f in found)
                if found and not critical:
                    warning_suites.append(suite.name)
                _store_for_docs(context, built, result, key, critical)
        if data_docs and outcome.suites_run:
            context.build_data_docs()
            outcome.warnings += [Failure("warning", "data_docs", "data_docs", None, p)
                                 for p in docs.finish(staging / "data_docs", warning_suites)]
        (staging / "outcome.json").write_text(
            json.dumps(outcome.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        _replace_dir(staging, out_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    outcome.results_dir = out_dir / "results"
    index = out_dir / "data_docs" / "index.html"
    outcome.data_docs = index if data_docs and index.exists() else None
    return outcome


def coverage_notes(frames: Mapping[str, pd.DataFrame], suite_files: list[SuiteFile],
                   layouts: Mapping[str, str]) -> list[Failure]:
    """What the suites cannot check, said instead of passing silently: documents that print no
    indicator count, and layouts with no suite of their own (they get the table suites only)."""
    notes = []

    def documents_of(frame: pd.DataFrame | None) -> set[str]:
        if frame is None or "document" not in frame:
            return set()
        return {d for d in frame["document"].dropna().unique() if isinstance(d, str)}

    observed = documents_of(frames.get("observations"))
    documents = sorted(observed | documents_of(frames.get("grades")))
    if "indicator_counts" in frames:
        counted = documents_of(frames["indicator_counts"])
        for document in sorted(observed - counted):
            notes.append(Failure("warning", "indicator_counts", "printed_count", None,
                                 f"{document} prints no indicator count that was read: the number of "
                                 "indicators extracted is not checked against the document"))
    with_suite = {s.layout for s in suite_files if s.layout}
    for layout in sorted(set(layouts.values()) - with_suite):
        notes.append(Failure("warning", "layouts", "layout_suite", None,
                             f"layout {layout} has no suite of its own (expectations/{LAYOUTS_FOLDER}/): "
                             "its documents get the table checks only"))
    unknown = sorted(d for d in documents if d not in layouts)
    if unknown and layouts:
        notes.append(Failure("warning", "layouts", "layout_suite", None,
                             f"layout unknown for {', '.join(unknown)}: layout checks not run on them"))
    return notes


def stable(value: Any) -> Any:
    """GX's result JSON without what changes from run to run for the same input (times, ids)."""
    if isinstance(value, Mapping):
        return {k: stable(v) for k, v in value.items() if k not in _UNSTABLE_KEYS}
    if isinstance(value, list):
        return [stable(v) for v in value]
    return value


_UNSTABLE_KEYS = {"validation_time", "ge_load_time", "run_id", "id", "validation_id", "checkpoint_id", "batch_parameters",
                  "result_url"}
# One run identity for every validation: no timestamps in file names or content (the outputs are
# the same bytes when the inputs are).
RUN_NAME = "validate"
RUN_TIME = "1970-01-01T00:00:00+00:00"


def _staging_dir(out_dir: Path) -> Path:
    """A fresh folder beside ``out_dir`` (same file system, so that it can be renamed over it);
    leftovers of an interrupted run are removed first."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    for old in out_dir.parent.glob(f".{out_dir.name}.*"):
        shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))


def _replace_dir(new: Path, out_dir: Path) -> None:
    """Put ``new`` in the place of ``out_dir``: the old folder is renamed away first, then removed."""
    if out_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
        os.replace(out_dir, old / "dir")
        os.replace(new, out_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new, out_dir)


def build_frames(extracted_dir: Path, legend: Legend, document_legends: Mapping[str, Legend] | None = None,
                 layouts: Mapping[str, str] | None = None,
                 direction_overrides: list[Mapping[str, Any]] | None = None,
                 ) -> tuple[dict[str, pd.DataFrame], dict[str, str], list[str]]:
    """The frames the suites check by table name, a message per table that could not be built,
    and the grade labels the legends in use allow."""
    frames: dict[str, pd.DataFrame] = {}
    problems: dict[str, str] = {}
    loaded: dict[str, pd.DataFrame] = {}
    raw: dict[str, pd.DataFrame] = {}
    document_legends = document_legends or {}
    layouts = layouts or {}
    for table, name in tables.FILES.items():
        try:
            raw[table], loaded[table] = tables.read_table(extracted_dir / name, table)
        except tables.TableError as exc:
            problems[table] = str(exc)
    if "observations" in loaded:
        frames["observations"] = tables.add_layout(tables.derive_observations(loaded["observations"]), layouts)
    letters: list[str] = []
    for one in [legend, *document_legends.values()]:
        letters += [g for g in [*one.letters(), one.no_actual] if g not in letters]
    if "grades" in loaded:
        grades_raw = raw["grades"]
        recomputed = None
        if not {"rate_exact", "legend"} <= set(grades_raw.columns) and {"observations", "indicators"} <= set(raw):
            recomputed = tables.exact_rates(raw["observations"].to_dict("records"), raw["indicators"].to_dict("records"),
                                            document_legends, legend, direction_overrides)
        frames["grades"] = tables.add_layout(
            tables.derive_grades(tables.text_frame(grades_raw), loaded["grades"], legend, document_legends, recomputed),
            layouts)
        letters += [g for g in tables.grade_labels(grades_raw) if g not in letters]
    if "indicators" in loaded and "printed_counts" in loaded:
        try:
            frames["indicator_counts"] = tables.indicator_counts(loaded["indicators"], loaded["printed_counts"])
        except tables.TableError as exc:
            problems["indicator_counts"] = str(exc)
    else:
        missing = [problems.pop(t) for t in ("indicators", "printed_counts") if t in problems]
        problems["indicator_counts"] = "; ".join(missing)
    return frames, problems, letters


def make_context(docs_dir: Path | None):
    """An in-memory GX context, offline and quiet, with a Data Docs site in ``docs_dir``."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    expectation_kwargs.read_arguments_once()
    sites = {}
    if docs_dir is not None:
        docs_rendering.share_compiled_templates()
        sites["local_site"] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder", "show_cta_footer": False},
            "site_section_builders": {"profiling": "0"},   # no profiling results: nothing to look for
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        progress_bars=ProgressBarsConfig(globally=False),
        analytics_enabled=False,
        data_docs_sites=sites,
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    docs_rendering.keep_results_in_store(context)
    context.data_sources.add_pandas("extracted")
    return context


def run_suite(context, suite: TableSuite, frame: pd.DataFrame, parameters: dict):
    """Validate one table's frame against its combined suite, in one pass; the expectations that
    failed are then evaluated again, on the same batch, for their details (values, rows), which a
    correct dataset never needs: the first pass asks GX for success only (``BOOLEAN_ONLY``), the
    cheapest form. Returns the result, the key GX files it under, the frame as validated (with
    the derived columns of ``conditions``) and the GX suite."""
    from great_expectations.core.run_identifier import RunIdentifier

    config, frame = conditions.unconditioned(suite.config, frame, condition_text)   # suite.config is left as it is
    run_id = RunIdentifier(run_name=RUN_NAME, run_time=RUN_TIME)
    built = gx_suite(config, suite)
    validator = batch_validator(context, suite.name, frame)
    result, key = _validate(validator, built, parameters, {"result_format": "BOOLEAN_ONLY"}, run_id)
    failed = [item.expectation_config.meta.get("position") for item in result.results if not item.success]
    if not failed:
        return result, key, frame, built
    details_config = {**config, "name": f"{suite.name}.details",
                      "expectations": [config["expectations"][p] for p in failed if isinstance(p, int)]}
    id_columns = [c for c in suite.id_columns if c in frame.columns]
    result_format: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": PARTIAL_COUNT}
    if id_columns:
        result_format["unexpected_index_column_names"] = id_columns
    details, _ = _validate(validator, gx_suite(details_config, suite), parameters, result_format, run_id)
    by_position = {item.expectation_config.meta.get("position"): item for item in details.results}
    result.results = [by_position.get(item.expectation_config.meta.get("position"), item) for item in result.results]
    return result, key, frame, built


def gx_suite(config: dict, suite: TableSuite):
    """The GX ``ExpectationSuite`` of ``config`` (not filed in any store; ``config`` is left as it
    is); an expectation GX cannot build is an error naming its suite file, never a check silently
    skipped."""
    from great_expectations.core.expectation_suite import ExpectationSuite

    built = ExpectationSuite(**json.loads(json.dumps(config)))   # GX keeps and changes what it is given
    if len(built.expectations) != len(config["expectations"]):
        # GX logs and drops an expectation it cannot build; a typo must not silently skip a check
        kept = {e.expectation_type for e in built.expectations}
        dropped = sorted({f"{o.path.name}: {e.get('type')}" for e, o in zip(config["expectations"], suite.origins)
                          if e.get("type") not in kept})
        raise ValueError(f"invalid expectation(s) {', '.join(dropped) or '(see kwargs)'}")
    return built


def batch_validator(context, name: str, frame: pd.DataFrame):
    """A GX validator on ``frame`` as one whole-frame batch, built once per table (the details
    pass reuses it)."""
    from great_expectations.validator.v1_validator import Validator

    asset = context.data_sources.get("extracted").add_dataframe_asset(name)
    batch = asset.add_batch_definition_whole_dataframe("whole")
    return Validator(batch_definition=batch, batch_parameters={"dataframe": frame})


def _validate(validator, built, parameters: dict, result_format: dict, run_id):
    """Evaluate ``built`` with ``validator``; the result and the key GX would file it under.
    Nothing is stored: GX's ``ValidationDefinition.run`` serialises every result into its store,
    which only the Data Docs read (``_store_for_docs`` files the final result once)."""
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    validator.result_format = result_format
    result = validator.validate_expectation_suite(built, parameters)
    result.meta["run_id"] = run_id.to_json_dict()   # as GX files it (the Data Docs format it from this)
    key = ValidationResultIdentifier(batch_identifier=validator.active_batch_id,
                                     expectation_suite_identifier=ExpectationSuiteIdentifier(name=built.name),
                                     run_id=run_id)
    return result, key


def _run(context, name: str, config: dict, suite: TableSuite, frame: pd.DataFrame, parameters: dict,
         result_format: dict, run_id):
    """Evaluate ``config`` on ``frame`` in one pass with ``result_format``: the result and its key."""
    return _validate(batch_validator(context, name, frame), gx_suite(config, suite), parameters, result_format,
                     run_id)


def _store_for_docs(context, built, result, key, critical_failed: bool) -> None:
    """File the suite and its result in GX's stores (the only place the Data Docs read), once;
    the result escaped and with its success set by severity (``docs.prepare_for_docs``), so that
    the Data Docs render that."""
    docs.prepare_for_docs(result, critical_failed)
    suites = context.expectations_store
    suites.add(suites.get_key(name=built.name), built)
    context.validation_results_store.set(key, result)


# ----- readable messages -----

# Expectations about which columns the table has: a failure names each missing column on its own.
COLUMN_CHECKS = frozenset({"expect_column_to_exist", "expect_table_columns_to_match_set",
                           "expect_table_columns_to_match_ordered_list"})


def failures_of(suite: TableSuite, frame: pd.DataFrame, result) -> list[Failure]:
    """One ``Failure`` per failed expectation, named by the suite file it comes from, and one per
    missing column for a failed column check (``COLUMN_CHECKS``); an expectation that failed
    only because its column is missing is left out when a column check already says so."""
    failures = []
    missing_reported = {column for item in result.results
                        if not item.success and item.expectation_config.type in COLUMN_CHECKS
                        for column in missing_columns(item.expectation_config.kwargs, frame)}
    for item in result.results:
        if item.success:
            continue
        config = item.expectation_config
        kwargs = config.kwargs
        derived = (config.meta or {}).get("columns") or {}
        absent = missing_columns(kwargs, frame) if config.type in COLUMN_CHECKS else []
        if config.type not in COLUMN_CHECKS and any(
                derived.get(c, c) in missing_reported for c in _columns(kwargs) if c not in frame.columns):
            continue
        severity = getattr(config.severity, "value", str(config.severity))
        column = kwargs.get("column") or kwargs.get("column_A")
        column = derived.get(column, column)
        position = (config.meta or {}).get("position")
        origin = suite.origins[position] if isinstance(position, int) and position < len(suite.origins) else None
        written = origin.config["expectations"][_index_in(origin, suite, position)] if origin else {}
        described = written.get("description") or describe(config.type, kwargs)
        where = f" ({origin.layout} documents)" if origin is not None and origin.layout else ""
        name = origin.name if origin else suite.name
        if absent:
            failures += [Failure(severity, name, config.type, missing,
                                 " ".join(f"{described}{where} — column `{missing}` missing".split()))
                         for missing in absent]
            continue
        text = f"{described}{where} — {detail(item, kwargs, frame, origin.id_columns if origin else suite.id_columns, config.meta)}"
        failures.append(Failure(severity, name, config.type, column, " ".join(text.split())))
    return failures


def missing_columns(kwargs: Mapping[str, Any], frame: pd.DataFrame) -> list[str]:
    """The columns a column check names (``column``, ``column_set``, ``column_list``) that the
    frame does not have, in the check's order.

    >>> missing_columns({"column_set": ["a", "b", "c"], "exact_match": False}, pd.DataFrame(columns=["b"]))
    ['a', 'c']
    """
    named = [kwargs["column"]] if kwargs.get("column") else list(kwargs.get("column_set") or kwargs.get("column_list") or [])
    return [c for c in named if c not in frame.columns]


def _index_in(origin: SuiteFile, suite: TableSuite, position: int) -> int:
    """Where expectation ``position`` of the combined suite sits in its own suite file."""
    return sum(1 for o in suite.origins[:position] if o is origin)


def _columns(kwargs: Mapping[str, Any]) -> list[str]:
    columns = [kwargs[k] for k in ("column", "column_A", "column_B") if kwargs.get(k)]
    return columns + list(kwargs.get("column_list") or [])


def describe(expectation_type: str, kwargs: Mapping[str, Any]) -> str:
    """A short text for an expectation that has no ``description`` in its JSON."""
    return f"{expectation_type}({', '.join(map(str, _columns(kwargs)))})"


def detail(item, kwargs: Mapping[str, Any], frame: pd.DataFrame, id_columns: tuple[str, ...] = (),
           meta: Mapping[str, Any] | None = None) -> str:
    """What went wrong: the missing column, the exception, or the count and a few examples. For an
    expectation whose row condition became derived columns (``conditions``), ``meta`` gives the
    condition and the number of rows it selects."""
    meta = meta or {}
    absent = [c for c in _columns(kwargs) if c not in frame.columns]
    if absent:
        return f"column(s) {', '.join(map(str, absent))} missing"
    error = _exception_message(item.exception_info)
    if error:
        return f"could not be evaluated: {error}"
    result = item.result or {}
    if "unexpected_count" in result:
        original = meta.get("columns") or {}
        pair = (original.get(kwargs["column_A"], kwargs["column_A"]),
                original.get(kwargs["column_B"], kwargs["column_B"])) if kwargs.get("column_B") else None
        examples = _examples(result, id_columns, pair)
        condition = kwargs.get("row_condition") or meta.get("condition")
        where = f" where {condition_text(condition)}" if condition else ""
        rows = meta.get("rows", result.get("element_count"))
        text = f"{result['unexpected_count']} of {rows} rows{where}"
        return f"{text}: {examples}" if examples else text
    if "observed_value" in result:
        return f"observed {_short(result['observed_value'])}"
    return "failed"


def condition_text(condition: Any) -> str:
    """``status IN (ok, corrected)`` for a GX row condition (object, its JSON dict, or a string)."""
    if isinstance(condition, Mapping):
        kind = condition.get("type")
        if kind == "comparison":
            parameter = condition.get("parameter")
            if isinstance(parameter, (list, tuple)):
                parameter = "(" + ", ".join(map(str, parameter)) + ")"
            column = (condition.get("column") or {}).get("name")
            operator = str(condition.get("operator")).replace("_", " ")
            return f"{column} {operator} {parameter}"
        if kind == "nullity":
            column = (condition.get("column") or {}).get("name")
            return f"{column} IS {'NULL' if condition.get('is_null') else 'NOT NULL'}"
        if kind in ("and", "or"):
            return f" {kind.upper()} ".join(condition_text(c) for c in condition.get("conditions") or [])
    if hasattr(condition, "dict") and not isinstance(condition, str):
        return condition_text(condition.dict())
    return str(condition)


def _exception_message(info: Any) -> str | None:
    """The first exception message in GX's ``exception_info`` (flat, or keyed by metric)."""
    if not isinstance(info, Mapping):
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    for value in info.values():
        message = _exception_message(value)
        if message:
            return message
    return None


def _examples(result: Mapping[str, Any], id_columns: tuple[str, ...], pair: tuple[str, str] | None = None) -> str:
    """A few unexpected values, each with the row's identifying columns: ``'1900' (doc / indicator / …)``."""
    rows = result.get("partial_unexpected_index_list") or []
    values = result.get("partial_unexpected_list") or []
    total = max(len(rows), len(values))
    shown = []
    for number in range(min(EXAMPLES, total)):
        value = _short(values[number]) if number < len(values) else ""
        if number < len(values) and isinstance(values[number], dict) and isinstance(rows[number] if number < len(rows) else None, dict):
            value = ""   # a compound key: the row's identifying columns below already show it
        if pair and number < len(values) and isinstance(values[number], (list, tuple)) and len(values[number]) == 2:
            value = f"{pair[0]} {_short(values[number][0])} ≠ {pair[1]} {_short(values[number][1])}"
        row = rows[number] if number < len(rows) else None
        if isinstance(row, dict):
            where = " / ".join(str(row[c]) for c in id_columns if c in row and not _blank(row[c]))
            shown.append(f"{value} ({where})".strip())
        else:
            shown.append(value)
    more = int(result.get("unexpected_count") or total) - len(shown)
    return "; ".join(shown) + (f"; … {more} more" if more > 0 else "")


def _blank(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _short(value: Any, limit: int = 80) -> str:
    if _blank(value):
        return "empty"
    if hasattr(value, "item") and not isinstance(value, (str, list, dict)):
        value = value.item()   # numpy scalar -> Python number
    text = repr(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _reset_dir(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True, exist_ok=True)
