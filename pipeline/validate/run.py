"""Run the JSON expectation suites on the extracted CSVs with Great Expectations (GX Core 1.x).

In:  ``extracted_dir`` (observations.csv, grades.csv, indicators.csv, printed_counts.csv),
     ``expectations_dir`` (the committed suites, see ``suites.py``), the grading legend.
Out: ``ValidationOutcome`` (failed critical / warning expectations as one-line messages), and in
     ``out_dir``: ``outcome.json`` (stable: no ids or timestamps), ``results/<suite>.json`` (GX's
     validation results) and ``data_docs/index.html`` (GX Data Docs).

The suites are loaded into an *ephemeral* GX context, so the committed JSON is never rewritten
with generated ids. GX is kept offline: analytics off, no usage statistics, no version check.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from pipeline.grade.legend import Legend
from pipeline.validate import tables
from pipeline.validate.suites import SuiteError, SuiteFile, load_suites

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
    suites_skipped: list[str] = field(default_factory=list)   # per-document suites with no rows
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
    data_docs: bool = True,
) -> ValidationOutcome:
    """Run every suite in ``expectations_dir`` on the CSVs of ``extracted_dir``.

    ``legend_thresholds`` is the legend grades are checked against; ``document_legends`` the
    legend a document prints itself, by document name, where it differs (same forms).
    Writes the results and (unless ``data_docs`` is false) the Data Docs into ``out_dir``;
    never raises for bad input: an unreadable file or suite becomes a critical failure.
    """
    extracted_dir, expectations_dir, out_dir = Path(extracted_dir), Path(expectations_dir), Path(out_dir)
    legend = as_legend(legend_thresholds)
    own_legends = {d: as_legend(l) for d, l in (document_legends or {}).items()}
    outcome = ValidationOutcome()
    try:
        suite_files = load_suites(expectations_dir)
    except SuiteError as exc:
        outcome.critical.append(Failure("critical", "expectations", "input", None, str(exc)))
        suite_files = []

    frames, problems = build_frames(extracted_dir, legend, own_legends)
    for table, message in problems.items():
        names = ", ".join(s.name for s in suite_files if s.table == table) or "none"
        outcome.critical.append(Failure("critical", table, "input", None, f"{message}; suites not run: {names}"))

    _reset_dir(out_dir / "results")
    if data_docs:
        _reset_dir(out_dir / "data_docs")
    context = make_context(out_dir / "data_docs" if data_docs else None)
    letters = []
    for one in [legend, *own_legends.values()]:
        letters += [g for g in [*one.letters(), one.no_actual] if g not in letters]
    parameters = {"grade_letters": letters}

    for suite_file in suite_files:
        frame = frames.get(suite_file.table)
        if frame is None:
            continue
        if suite_file.document is not None:
            if "document" not in frame:
                continue
            frame = frame[frame["document"] == suite_file.document].reset_index(drop=True)
            if frame.empty:
                outcome.suites_skipped.append(suite_file.name)
                continue
        try:
            result = run_suite(context, suite_file, frame, parameters)
        except Exception as exc:   # a suite GX cannot use must not stop the other suites
            outcome.critical.append(Failure("critical", suite_file.name, "input", None,
                                            f"{suite_file.path}: suite could not run: {exc}"))
            continue
        outcome.suites_run.append(suite_file.name)
        outcome.expectations_run += len(result.results)
        (out_dir / "results" / f"{suite_file.name}.json").write_text(
            json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        for failure in failures_of(suite_file, frame, result):
            (outcome.critical if failure.severity == "critical" else outcome.warnings).append(failure)

    if data_docs and outcome.suites_run:
        context.build_data_docs()
        index = out_dir / "data_docs" / "index.html"
        outcome.data_docs = index if index.exists() else None
    outcome.results_dir = out_dir / "results"
    (out_dir / "outcome.json").write_text(
        json.dumps(outcome.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    return outcome


def build_frames(extracted_dir: Path, legend: Legend, document_legends: Mapping[str, Legend] | None = None,
                 ) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """The frames the suites check, by table name, and a message per table that could not be built."""
    frames: dict[str, pd.DataFrame] = {}
    problems: dict[str, str] = {}
    loaded: dict[str, pd.DataFrame] = {}
    for table, name in tables.FILES.items():
        try:
            loaded[table] = tables.read_table(extracted_dir / name, table)
        except tables.TableError as exc:
            problems[table] = str(exc)
    if "observations" in loaded:
        frames["observations"] = tables.derive_observations(loaded["observations"])
    if "grades" in loaded:
        raw = tables.text_frame(pd.read_csv(extracted_dir / tables.FILES["grades"], dtype=str,
                                            keep_default_na=False, encoding="utf-8"))
        frames["grades"] = tables.derive_grades(raw, loaded["grades"], legend, document_legends)
    if "indicators" in loaded and "printed_counts" in loaded:
        try:
            frames["indicator_counts"] = tables.indicator_counts(loaded["indicators"], loaded["printed_counts"])
        except tables.TableError as exc:
            problems["indicator_counts"] = str(exc)
    else:
        missing = [problems.pop(t) for t in ("indicators", "printed_counts") if t in problems]
        problems["indicator_counts"] = "; ".join(missing)
    return frames, problems


def make_context(docs_dir: Path | None):
    """An in-memory GX context, offline and quiet, with a Data Docs site in ``docs_dir``."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    sites = {}
    if docs_dir is not None:
        sites["local_site"] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        progress_bars=ProgressBarsConfig(globally=False),
        analytics_enabled=False,
        data_docs_sites=sites,
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    context.data_sources.add_pandas("extracted")
    return context


def run_suite(context, suite_file: SuiteFile, frame: pd.DataFrame, parameters: dict):
    """Validate one frame against one suite (a fresh copy of the committed JSON)."""
    import great_expectations as gx
    from great_expectations.core.expectation_suite import ExpectationSuite

    config = json.loads(json.dumps(suite_file.config))   # GX mutates what it is given
    suite = ExpectationSuite(**config)
    if len(suite.expectations) != len(config["expectations"]):
        # GX logs and drops an expectation it cannot build; a typo must not silently skip a check
        kept = {e.expectation_type for e in suite.expectations}
        dropped = [e.get("type") for e in config["expectations"] if e.get("type") not in kept]
        raise ValueError(f"invalid expectation(s) {', '.join(map(str, dropped)) or '(see kwargs)'}")
    suite = context.suites.add(suite)
    asset = context.data_sources.get("extracted").add_dataframe_asset(suite_file.name)
    batch = asset.add_batch_definition_whole_dataframe("whole")
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=suite_file.name, data=batch, suite=suite))
    id_columns = [c for c in suite_file.id_columns if c in frame.columns]
    result_format: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": PARTIAL_COUNT}
    if id_columns:
        result_format["unexpected_index_column_names"] = id_columns
    return definition.run(batch_parameters={"dataframe": frame}, expectation_parameters=parameters,
                          result_format=result_format)


# ----- readable messages -----

def failures_of(suite_file: SuiteFile, frame: pd.DataFrame, result) -> list[Failure]:
    """One ``Failure`` per failed expectation; an expectation that failed only because its column
    is missing is left out when the suite's own ``expect_column_to_exist`` already says so."""
    failures = []
    missing_reported = {
        item.expectation_config.kwargs.get("column") for item in result.results
        if not item.success and item.expectation_config.type == "expect_column_to_exist"
        and item.expectation_config.kwargs.get("column") not in frame.columns
    }
    for item in result.results:
        if item.success:
            continue
        config = item.expectation_config
        kwargs = config.kwargs
        columns = _columns(kwargs)
        if config.type != "expect_column_to_exist" and any(
                c in missing_reported for c in columns if c not in frame.columns):
            continue
        severity = getattr(config.severity, "value", str(config.severity))
        column = kwargs.get("column") or kwargs.get("column_A")
        text = f"{config.description or describe(config.type, kwargs)} — {detail(item, kwargs, frame, suite_file.id_columns)}"
        failures.append(Failure(severity, suite_file.name, config.type, column, " ".join(text.split())))
    return failures


def _columns(kwargs: Mapping[str, Any]) -> list[str]:
    columns = [kwargs[k] for k in ("column", "column_A", "column_B") if kwargs.get(k)]
    return columns + list(kwargs.get("column_list") or [])


def describe(expectation_type: str, kwargs: Mapping[str, Any]) -> str:
    """A short text for an expectation that has no ``description`` in its JSON."""
    return f"{expectation_type}({', '.join(map(str, _columns(kwargs)))})"


def detail(item, kwargs: Mapping[str, Any], frame: pd.DataFrame, id_columns: tuple[str, ...] = ()) -> str:
    """What went wrong: the missing column, the exception, or the count and a few examples."""
    absent = [c for c in _columns(kwargs) if c not in frame.columns]
    if absent:
        return f"column(s) {', '.join(map(str, absent))} missing"
    error = _exception_message(item.exception_info)
    if error:
        return f"could not be evaluated: {error}"
    result = item.result or {}
    if "unexpected_count" in result:
        pair = (kwargs["column_A"], kwargs["column_B"]) if kwargs.get("column_B") else None
        examples = _examples(result, id_columns, pair)
        where = f" where {condition_text(kwargs['row_condition'])}" if kwargs.get("row_condition") else ""
        text = f"{result['unexpected_count']} of {result.get('element_count')} rows{where}"
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
