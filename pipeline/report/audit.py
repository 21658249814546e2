"""Stage outputs + raw PDFs -> extracted/audit.html, one self-contained page for auditors.

In: the ``out`` folder (see ``pipeline.report.inputs``), the ``raw`` folder (PDFs and their title,
URL and date through raw/sources.yaml), the settings (the grading legend; optional
``report.evidence_scale``: pixels per PDF point of the evidence images) and the project folder
(its commit, see ``pipeline.report.provenance``). Out: ``out/audit.html`` — no script, no external
file: evidence images are PNG data URIs — written atomically. A missing input or PDF is said on
the page; it never stops the report.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..grade import Legend, printed_legend
from ..grouping import group_by
from ..io import file_sha256, write_text
from ..normalise.text import nfkc
from ..records import CellRecord
from ..sources import load_sources
from .evidence import DEFAULT_SCALE, Crop, Missing, Picture, render_crops
from .findings import collect, document_rank
from .inputs import AuditInputs, DocumentAudit, Indicator, load_inputs
from .page import render_page
from .provenance import provenance

AUDIT_FILE = "audit.html"


@dataclass
class Evidence:
    """What an auditor must look at on the page of the PDF, with the row(s) it was read from."""

    anchor: str
    kind: str                     # 'disagreement', 'corrected', 'unparsed'
    indicator: Indicator
    what: str                     # the reason / the printed text
    crops: list[Crop] = field(default_factory=list)
    pictures: list[Picture | Missing] = field(default_factory=list)
    observation: dict[str, str] | None = None     # the observation row, for a corrected / unparsed cell


MEASURE_LABELS = {"baseline": "baseline", "actual": "actual", "interim_target": "interim", "target": "target"}


def row_crops(cells: list[CellRecord], marked: list[CellRecord]) -> list[CellRecord | Crop]:
    """The printed table rows holding ``marked`` (one crop per page and row), each exactly as tall
    as the row's value cells (a merged cell beside the row does not stretch it) and as wide as the
    row, with the ``marked`` cells outlined and each value column labelled with its measure and year."""
    rows = group_by((c for c in cells + [m for m in marked if m not in cells] if c.row_bbox or c.bbox),
                    lambda c: (c.page, tuple(round(v, 1) for v in c.row_bbox or c.bbox)))
    crops = []
    for (page, _), group in sorted(rows.items()):
        marks = tuple(c.bbox for c in group if c in marked and c.bbox)
        if not marks:
            continue
        spans = [c.row_bbox or c.bbox for c in group]
        boxes = [c.bbox or c.row_bbox for c in group]
        box = (min(r[0] for r in spans), min(b[1] for b in boxes), max(r[2] for r in spans), max(b[3] for b in boxes))
        columns: dict[tuple, str] = {}
        for cell in group:
            if cell.bbox:
                key = (round(cell.bbox[0], 1), round(cell.bbox[2], 1))
                label = " ".join(x for x in (MEASURE_LABELS.get(cell.measure, cell.measure),
                                             " ".join(nfkc(cell.year_text).split())) if x)
                columns.setdefault(key, label)
        crops.append(Crop(page, box, marks, tuple((x0, x1, label) for (x0, x1), label in sorted(columns.items()))))
    return crops


def graded_observations(ind: Indicator) -> list[dict[str, str]]:
    """The observations a recomputed grade rests on: the actuals of its basis year and the targets
    (of that year when there are several), and the baseline when no target has a number (a target
    printed as a direction is measured against the baseline)."""
    basis = (ind.grade or {}).get("basis_year", "")
    actuals = [o for o in ind.observations if o.get("measure") == "actual" and basis and o.get("fiscal_year") == basis]
    targets = [o for o in ind.observations if o.get("measure") == "target"]
    same_year = [o for o in targets if basis and o.get("fiscal_year") == basis]
    targets = same_year or targets
    used = actuals + targets
    if not any(o.get("value") for o in targets):
        used += [o for o in ind.observations if o.get("measure") == "baseline"]
    return used


def evidence_for(doc: DocumentAudit, number: int) -> list[Evidence]:
    """The evidence items of a document (disagreements, then corrected / not-understood cells)."""
    items: list[Evidence] = []
    for ind in doc.ordered():
        if ind.disagrees:
            cells = doc.cells_of(ind)
            used = [c for c in (doc.cell_of(o) for o in graded_observations(ind)) if c is not None]
            item = Evidence(f"ev-{number}-{len(items) + 1}", "disagreement", ind, ind.grade.get("reason", ""),
                            row_crops(cells, used or cells))
            if not item.crops:
                item.pictures.append(Missing("the extraction gives no position for this indicator's row"
                                             if cells else "no extracted cell found for this indicator"))
            items.append(item)
    for ind in doc.ordered():
        for obs in ind.needs_evidence:
            cell = doc.cell_of(obs)
            item = Evidence(f"ev-{number}-{len(items) + 1}", obs.get("status", ""), ind, obs.get("text", ""),
                            observation=obs)
            if cell is not None:
                item.crops = row_crops([c for c in doc.cells_of(ind) if c.page == cell.page], [cell])
            if not item.crops:
                item.pictures.append(Missing("no extracted cell with a position found for this value",
                                             int(obs.get("page") or 0)))
            items.append(item)
    return items


def attach_pictures(items: list[Evidence], pdf: Path | None, why_none: str, scale: float) -> None:
    """Render every crop of ``items`` from ``pdf`` (each page once) and attach the results."""
    crops = [c for item in items for c in item.crops]
    if not crops:
        return
    pictures = render_crops(pdf, crops, scale) if pdf else [Missing(why_none, c.page) for c in crops]
    it = iter(pictures)
    for item in items:
        item.pictures = [next(it) for _ in item.crops] + item.pictures


def describe_sources(inputs: AuditInputs, raw: Path) -> tuple[dict[str, Path], dict[str, str]]:
    """Fill each document's title, URL and date from raw/sources.yaml; return document -> PDF path
    and document -> why it has none."""
    listing = load_sources(raw)
    by_name = {s.document: s for s in listing.sources}
    for doc in inputs.documents:
        source = by_name.get(doc.document)
        if source is not None:
            doc.title, doc.url, doc.published = source.title, source.url, str(source.published or "")
            doc.municipality = doc.municipality or source.municipality
    why = {Path(p.file).stem: f"{p.file}: {p.message}" for p in listing.problems}
    return {name: s.path for name, s in by_name.items()}, why


def describe_legends(inputs: AuditInputs, settings: dict) -> str:
    """Set each document's legend (its printed one when ``use_printed_legend``); return the default's."""
    grading = settings.get("grading") or {}
    default = Legend.from_params(grading)
    for doc in inputs.documents:
        printed = printed_legend(doc.extraction.legend, grading, default) if doc.extraction is not None else None
        doc.legend = (f"printed in the report: {printed.describe()}" if printed
                      else f"default (params.yaml): {default.describe()}")
    return default.describe()


def build_audit(out: Path, raw: Path, settings: dict | None = None, project: Path | None = None) -> str:
    """The audit page's HTML."""
    settings = settings or {}
    scale = float((settings.get("report") or {}).get("evidence_scale") or DEFAULT_SCALE)
    inputs: AuditInputs = load_inputs(out)
    paths, why = describe_sources(inputs, raw)
    legend = describe_legends(inputs, settings)
    evidence: dict[str, list[Evidence]] = {}
    numbers = {doc.document: n for n, doc in enumerate(inputs.documents, 1)}
    for doc in inputs.documents:
        items = evidence_for(doc, numbers[doc.document])
        reason = why.get(doc.document) or f"{doc.document}.pdf is not listed in {Path(raw) / 'sources.yaml'}"
        pdf = paths.get(doc.document)
        if pdf and items and pdf.is_file() and doc.stamp.get("pdf_sha256") and doc.stamp["pdf_sha256"] != file_sha256(pdf):
            inputs.notes.append(f"{pdf.name} has changed since it was extracted: its evidence images may not "
                                "match the values (run the extract stage again)")
        attach_pictures(items, pdf, reason, scale)
        evidence[doc.document] = items
    rank = document_rank(collect(inputs, evidence, numbers))
    order = sorted(inputs.documents, key=lambda d: (rank.get(d.document, (99, 0)), d.document))
    numbers = {doc.document: n for n, doc in enumerate(order, 1)}     # sections numbered as shown
    for document, items in evidence.items():
        for i, item in enumerate(items, 1):
            item.anchor = f"ev-{numbers[document]}-{i}"
    findings = collect(inputs, evidence, numbers)
    made = provenance(project if project is not None else Path.cwd())
    return render_page(inputs, order, numbers, evidence, findings, made, legend)


def write_audit(out: Path, raw: Path, settings: dict, project: Path | None = None) -> Path:
    """The stage: write ``out/audit.html`` and return its path."""
    out = Path(out)
    path = out / AUDIT_FILE
    write_text(path, build_audit(out, Path(raw), settings, project))
    return path
