"""The stage outputs under extracted/ -> what the audit report shows, grouped per document.

In: the ``out`` folder (observations.csv, indicators.csv, grades.csv, summary_check.csv,
problems.csv, cell_problems.csv if present, validation/outcome.json, cells/<document>.json). Out: ``AuditInputs``: one
``DocumentAudit`` per document (its indicators with their observations and grade, its
総括表 check rows, the cells that locate each printed value on its PDF page, found by the
``cell_id`` observations.csv carries) plus the
validation outcome and a note for every input that is missing or unreadable. Nothing here
fails on a missing or damaged input: it is recorded in ``AuditInputs.notes`` and left out.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..grouping import group_by
from ..io import read_csv
from ..records import CellRecord, DocumentExtraction

CSV_INPUTS = ("observations.csv", "indicators.csv", "grades.csv", "summary_check.csv", "problems.csv")
EVIDENCE_STATUSES = ("corrected", "unparsed")   # observation statuses an auditor must see the print of


@dataclass
class Indicator:
    """One indicator of a document: what indicators.csv, grades.csv and observations.csv say of it."""

    document: str
    indicator_no: str
    indicator: str
    info: dict[str, str] = field(default_factory=dict)        # indicators.csv row ({} if absent)
    grade: dict[str, str] | None = None                       # grades.csv row, None if not graded
    observations: list[dict[str, str]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (self.indicator_no, self.indicator)

    @property
    def disagrees(self) -> bool:
        return bool(self.grade) and self.grade.get("agrees") == "false"

    @property
    def published(self) -> str:
        if self.grade and self.grade.get("published_grade"):
            return self.grade["published_grade"]
        return self.info.get("published_grade", "")

    @property
    def recomputed(self) -> str:
        return (self.grade or {}).get("recomputed_grade", "")

    @property
    def needs_evidence(self) -> list[dict[str, str]]:
        """Its observations whose print an auditor must see (corrected or not understood)."""
        return [o for o in self.observations if o.get("status") in EVIDENCE_STATUSES]


@dataclass
class DocumentAudit:
    document: str
    municipality: str = ""
    layout: str = ""
    pages: int = 0
    indicators: list[Indicator] = field(default_factory=list)
    summary_checks: list[dict[str, str]] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)
    extraction: DocumentExtraction | None = None
    stamp: dict = field(default_factory=dict)     # the extract stage's stamp (pdf_sha256, code version)
    title: str = ""                               # from sources.yaml (filled by the report)
    url: str = ""
    published: str = ""
    legend: str = ""                              # the legend the grades were computed with
    _by_id: dict | None = field(default=None, repr=False, compare=False)

    @property
    def grades(self) -> list[dict[str, str]]:
        return [i.grade for i in self.indicators if i.grade]

    def ordered(self) -> list[Indicator]:
        """Disagreements first, then indicators with cells to check, then the rest; each in print order."""
        def rank(item: tuple[int, Indicator]) -> tuple[int, int]:
            i, ind = item
            return (0 if ind.disagrees else 1 if ind.needs_evidence else 2, i)
        return [ind for _, ind in sorted(enumerate(self.indicators), key=rank)]

    def cell(self, cell_id: str) -> CellRecord | None:
        """The extracted cell with this ``cell_id`` (observations.csv names it), None if unknown."""
        if self.extraction is None or not cell_id:
            return None
        if self._by_id is None:
            self._by_id = {c.cell_id: c for c in self.extraction.cells}
        return self._by_id.get(cell_id)

    def cells_of(self, indicator: Indicator) -> list[CellRecord]:
        """The extracted cells the indicator's observations were read from, in print order."""
        found = [self.cell(o.get("cell_id", "")) for o in indicator.observations]
        return list({id(c): c for c in found if c is not None}.values())

    def cell_of(self, observation: dict[str, str]) -> CellRecord | None:
        """The extracted cell an observation row was read from."""
        return self.cell(observation.get("cell_id", ""))


@dataclass
class AuditInputs:
    out: Path
    documents: list[DocumentAudit] = field(default_factory=list)
    validation: dict | None = None          # validation/outcome.json, None when missing
    problems: list[dict[str, str]] = field(default_factory=list)   # problems.csv, all of it
    notes: list[str] = field(default_factory=list)   # missing / unreadable inputs, said on the page


def _read_optional_csv(path: Path, notes: list[str]) -> list[dict[str, str]]:
    if not path.exists():
        notes.append(f"{path.name} is missing (its stage has not run); its part of the report is empty")
        return []
    try:
        return read_csv(path)
    except (OSError, UnicodeDecodeError, ValueError) as err:
        notes.append(f"{path.name} could not be read ({type(err).__name__}: {err})")
        return []


def _read_extractions(cells_dir: Path, notes: list[str]) -> dict[str, tuple[DocumentExtraction, dict]]:
    found: dict[str, tuple[DocumentExtraction, dict]] = {}
    if not cells_dir.is_dir():
        notes.append("cells/ is missing (the extract stage has not run); no evidence images can be cut")
        return found
    for path in sorted(cells_dir.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            doc = DocumentExtraction.from_dict(data["extraction"])
        except (OSError, ValueError, KeyError, TypeError) as err:
            notes.append(f"cells/{path.name} could not be read ({type(err).__name__}: {err})")
            continue
        found[doc.document] = (doc, data.get("stamp") or {})
    return found


def _read_validation(out: Path, notes: list[str]) -> dict | None:
    path = out / "validation" / "outcome.json"
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        notes.append(f"validation/outcome.json could not be read ({type(err).__name__}: {err})")
        return None
    return data if isinstance(data, dict) else None


def document_of(row: dict[str, str]) -> str:
    return row.get("document", "")


def load_inputs(out: Path) -> AuditInputs:
    out = Path(out)
    inputs = AuditInputs(out)
    notes = inputs.notes
    observations, indicators, grades, checks, problems = (
        _read_optional_csv(out / name, notes) for name in CSV_INPUTS)
    extractions = _read_extractions(out / "cells", notes)
    inputs.validation = _read_validation(out, notes)
    if (out / "cell_problems.csv").exists():      # tidy's cells not understood (also shown as evidence)
        problems = problems + _read_optional_csv(out / "cell_problems.csv", notes)
    inputs.problems = problems

    names = set(extractions)
    for rows in (observations, indicators, grades, checks):
        names |= {r.get("document", "") for r in rows}
    names.discard("")
    indicators_of, observations_of, grades_of, checks_of = (
        group_by(rows, document_of) for rows in (indicators, observations, grades, checks))
    problems_of = group_by(problems, lambda p: Path(p.get("file", "")).stem)
    for name in sorted(names):
        extraction, stamp = extractions.get(name, (None, {}))
        doc = DocumentAudit(name, extraction=extraction, stamp=stamp)
        if doc.extraction:
            doc.municipality, doc.layout, doc.pages = (doc.extraction.municipality, doc.extraction.layout,
                                                       doc.extraction.pages)
        by_key: dict[tuple[str, str], Indicator] = {}

        def indicator(row: dict[str, str]) -> Indicator:
            key = (row.get("indicator_no", ""), row.get("indicator", ""))
            if key not in by_key:
                by_key[key] = Indicator(name, *key)
                doc.indicators.append(by_key[key])
            return by_key[key]

        for row in indicators_of.get(name, []):
            indicator(row).info = row
        for row in observations_of.get(name, []):
            indicator(row).observations.append(row)
            doc.municipality = doc.municipality or row.get("municipality", "")
        for row in grades_of.get(name, []):
            indicator(row).grade = row
        doc.summary_checks = checks_of.get(name, [])
        doc.problems = problems_of.get(name, [])
        inputs.documents.append(doc)
    return inputs
