"""Everything an auditor must look at, across all documents, most serious first.

In: ``AuditInputs`` and each document's evidence items (``pipeline.report.audit.Evidence``).
Out: ``Finding``s sorted by severity — documents not read, grades that differ from the published
ones, 総括表 counts that differ, cells not understood, values corrected — each with the anchor of
its evidence on the page; and ``document_rank`` to put the documents with the worst findings first.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .inputs import AuditInputs

# kind -> (severity: lower is more serious, label)
KINDS = {
    "not_read": (0, "document not read"),
    "disagreement": (1, "grade differs"),
    "summary": (2, "総括表 count differs"),
    "unparsed": (3, "value not understood"),
    "corrected": (4, "value corrected"),
}


@dataclass(frozen=True)
class Finding:
    kind: str            # a key of KINDS
    document: str
    subject: str         # the indicator, the 総括表 group, or the file
    what: str            # the reason, the note, the printed text
    link: str            # the anchor of the evidence on the page (without '#')

    @property
    def severity(self) -> int:
        return KINDS[self.kind][0]

    @property
    def label(self) -> str:
        return KINDS[self.kind][1]


def document_anchor(number: int) -> str:
    return f"doc-{number}"


def problem_anchor(number: int) -> str:
    return f"problem-{number}"


def collect(inputs: AuditInputs, evidence: dict[str, list], numbers: dict[str, int]) -> list[Finding]:
    """Every finding, most serious first (then by document and print order).

    ``evidence``: document -> its Evidence items; ``numbers``: document -> its section number.
    """
    found: list[Finding] = []
    for index, problem in enumerate(inputs.problems, 1):
        if problem.get("severity") == "error":
            found.append(Finding("not_read", Path(problem.get("file", "")).stem, problem.get("file", ""),
                                 problem.get("message", ""), problem_anchor(index)))
    for doc in inputs.documents:
        for item in evidence.get(doc.document, []):
            ind = item.indicator
            subject = " ".join(x for x in (ind.indicator_no, ind.indicator) if x)
            what = item.what if item.kind == "disagreement" else (
                f"printed {item.what!r} ({(item.observation or {}).get('measure', '')})")
            found.append(Finding(item.kind, doc.document, subject, what, item.anchor))
        for row in doc.summary_checks:
            if row.get("status") not in ("ok", ""):
                subject = f"{row.get('group') or 'whole document'} · {row.get('kind', '')} · {row.get('column', '')}"
                found.append(Finding("summary", doc.document, subject, row.get("note", ""),
                                     f"{document_anchor(numbers[doc.document])}-summary"))
    return sorted(found, key=lambda f: f.severity)    # stable: documents and print order kept within a kind


def document_rank(findings: list[Finding]) -> dict[str, tuple[int, int]]:
    """document -> (its most serious finding's severity, minus its number of findings): sorts the
    documents with the worst and most findings first.

    >>> document_rank([Finding("corrected", "b", "", "", ""), Finding("disagreement", "a", "", "", "")])
    {'b': (4, -1), 'a': (1, -1)}
    """
    rank: dict[str, tuple[int, int]] = {}
    for f in findings:
        severity, count = rank.get(f.document, (len(KINDS), 0))
        rank[f.document] = (min(severity, f.severity), count - 1)
    return rank
