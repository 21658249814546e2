"""Stage outputs + raw PDFs -> extracted/audit.html, one self-contained page for auditors.

In: the ``out`` folder (see ``pipeline.report.inputs``), the ``raw`` folder (PDFs located through
raw/sources.yaml) and the settings (optional ``report.evidence_scale``: pixels per PDF point of
the evidence images). Out: ``out/audit.html`` — no script, no external file: evidence images are
PNG data URIs, the charts inline SVG — written atomically. A missing input or PDF is said on the
page; it never stops the report.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..io import write_text
from ..records import CellRecord
from ..sources import load_sources
from ..stages.extract import file_hash
from .evidence import DEFAULT_SCALE, Crop, Missing, Picture, render_crops
from ..normalise.text import nfkc
from .inputs import AuditInputs, DocumentAudit, Indicator, load_inputs
from .page import render_page

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


def row_crops(cells: list[CellRecord], mark: CellRecord | None = None) -> list[Crop]:
    """The table row(s) holding ``cells``: one crop per page and printed row, as tall as the value
    cells (a merged cell beside the row does not stretch it), as wide as the row; each value
    cell's column labelled with its measure and header year."""
    rows: dict[tuple, list[CellRecord]] = {}
    for cell in cells:
        row = cell.row_bbox or cell.bbox
        if row:
            rows.setdefault((cell.page, tuple(round(v, 1) for v in row)), []).append(cell)
    crops = []
    for (page, _), group in sorted(rows.items()):
        if mark is not None and mark not in group:
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
        crops.append(Crop(page, box, mark.bbox if mark is not None and mark.bbox else None,
                          tuple((x0, x1, label) for (x0, x1), label in sorted(columns.items()))))
    return crops


def evidence_for(doc: DocumentAudit, number: int) -> list[Evidence]:
    """The evidence items of a document (disagreements, then corrected / not-understood cells)."""
    items: list[Evidence] = []
    for ind in doc.ordered():
        if ind.disagrees:
            cells = doc.cells_of(ind)
            item = Evidence(f"ev-{number}-{len(items) + 1}", "disagreement", ind, ind.grade.get("reason", ""),
                            row_crops(cells))
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
                item.crops = row_crops([c for c in doc.cells_of(ind) if c.page == cell.page] + [cell], mark=cell)
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


def pdf_paths(raw: Path) -> tuple[dict[str, Path], dict[str, str]]:
    """document -> PDF path (from raw/sources.yaml), and document -> why it has none."""
    listing = load_sources(raw)
    paths = {s.document: s.path for s in listing.sources}
    why = {Path(p.file).stem: f"{p.file}: {p.message}" for p in listing.problems}
    return paths, why


def build_audit(out: Path, raw: Path, settings: dict | None = None) -> str:
    """The audit page's HTML."""
    scale = float(((settings or {}).get("report") or {}).get("evidence_scale") or DEFAULT_SCALE)
    inputs: AuditInputs = load_inputs(out)
    paths, why = pdf_paths(raw)
    evidence: dict[str, list[Evidence]] = {}
    for number, doc in enumerate(inputs.documents, 1):
        items = evidence_for(doc, number)
        reason = why.get(doc.document) or f"{doc.document}.pdf is not listed in {Path(raw) / 'sources.yaml'}"
        pdf = paths.get(doc.document)
        if pdf and items and doc.stamp.get("pdf_sha256") and doc.stamp["pdf_sha256"] != file_hash(pdf):
            inputs.notes.append(f"{pdf.name} has changed since it was extracted: its evidence images may not "
                                "match the values (run the extract stage again)")
        attach_pictures(items, pdf, reason, scale)
        evidence[doc.document] = items
    return render_page(inputs, evidence)


def write_audit(out: Path, raw: Path, settings: dict) -> Path:
    """The stage: write ``out/audit.html`` and return its path."""
    out = Path(out)
    path = out / AUDIT_FILE
    write_text(path, build_audit(out, Path(raw), settings))
    return path
