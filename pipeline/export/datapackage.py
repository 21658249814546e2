"""The tables' schema -> a Frictionless Data Package descriptor (``datapackage.json``).

In: ``TABLES`` (``pipeline.export.schema``). Out: the descriptor as a dict: one CSV resource per
table with its fields (type, description, allowed values), its primary key, and the Parquet copy
named in its description. Written next to the CSVs, so ``frictionless validate datapackage.json``
checks every row of them.
"""
from __future__ import annotations

from pathlib import Path

from ..io import write_json
from .schema import TABLES, Column, Table

FILE = "datapackage.json"


def field_descriptor(name: str, column: Column | None) -> dict:
    """One field: type, description, allowed values; '' is missing except in a primary-key column.

    >>> field_descriptor("measure", Column("string", "what", ("a", "b")))
    {'name': 'measure', 'type': 'string', 'description': 'what', 'constraints': {'enum': ['a', 'b']}}
    >>> field_descriptor("calendar_year", Column("boolean", "cy"))["trueValues"]
    ['true']
    """
    column = column or Column("string", "")
    out: dict = {"name": name, "type": column.type, "description": column.description}
    if column.type == "boolean":
        out.update(trueValues=["true"], falseValues=["false"])
    if column.type == "number":
        out["bareNumber"] = True
    if column.allowed:
        out["constraints"] = {"enum": list(column.allowed)}
    if column.key_part:
        out["missingValues"] = []
    return out


def resource(table: Table) -> dict:
    return {
        "name": table.name, "path": table.path, "profile": "tabular-data-resource",
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "description": table.description,
        "schema": {"fields": [field_descriptor(n, table.fields.get(n)) for n in table.columns],
                   "primaryKey": list(table.primary_key), "missingValues": [""]},
    }


def descriptor() -> dict:
    return {
        "name": "muniplan-data",
        "title": "Indicators of Japanese municipal plan reports, with recomputed grades",
        "description": "Read from the reports' PDFs (see sources.yaml): every printed indicator value "
                       "(observations) and every graded indicator's published and recomputed grade (grades). "
                       "Each CSV has a typed Parquet copy of the same name.",
        "profile": "tabular-data-package",
        "resources": [resource(t) for t in TABLES.values()],
    }


def write_datapackage(out: Path) -> Path:
    path = Path(out) / FILE
    write_json(path, descriptor())
    return path
