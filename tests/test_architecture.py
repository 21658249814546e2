"""The package follows the pipeline's stages: a module imports only from its own room and the rooms below.

The rooms, lowest first (README: Architecture). ``stages/`` are the I/O edges, one per DVC stage; a stage
imports the rooms below it but never another stage. The import graph is read from the source with ``ast``
(``pipeline.dependencies``, the same reader that writes ``dvc.yaml``'s deps), so a new backwards import
fails here, naming the module and what it imports.
"""
from __future__ import annotations

import pytest

from conftest import ROOT
from pipeline.dependencies import direct_imports, module_file

ROOMS = (
    # the shared core: records passed between stages, sources, problems, file I/O, settings, the cache
    ("core", ("pipeline", "pipeline.records", "pipeline.problems", "pipeline.sources", "pipeline.io",
              "pipeline.settings", "pipeline.cells_cache", "pipeline.executors", "pipeline.dependencies",
              "pipeline.dvc_repair")),
    ("normalise", ("pipeline.normalise",)),       # pure functions on text: numbers, eras, units, directions
    ("extract", ("pipeline.extract",)),           # PDF geometry: pages, characters, words, ruled tables
    ("layouts", ("pipeline.layouts",)),           # which table/box/prose means what; one module per layout
    ("tidy", ("pipeline.tidy",)),                 # cell records -> observations
    ("grade", ("pipeline.grade",)),               # legend, direction, exact rates, 総括表 check
    ("export", ("pipeline.export",)),             # Parquet and datapackage.json of the tidy tables
    ("validate", ("pipeline.validate",)),         # Great Expectations suites
    ("report", ("pipeline.report",)),             # the audit page
    ("stages", ("pipeline.stages",)),             # the DVC stages' I/O edges
    ("cli", ("pipeline.cli", "pipeline.__main__")),
)


def room(module: str) -> tuple[int, str]:
    """(height, name) of the room ``module`` belongs to: the longest matching prefix."""
    best = None
    for height, (name, prefixes) in enumerate(ROOMS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > best[0]:
                    best = (len(prefix), height, name)
    assert best is not None, f"{module} belongs to no room: add it to ROOMS (and the README's picture)"
    return best[1], best[2]


def modules() -> list[str]:
    found = []
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


def allowed(importer: str, imported: str) -> bool:
    (low, here), (high, there) = room(imported), room(importer)
    if here == "stages" and there == "stages":
        return imported == "pipeline.stages"               # the package, never another stage
    if here == there:
        return True
    return low < high


@pytest.mark.parametrize("module", modules())
def test_imports_only_from_its_room_and_below(module):
    assert module_file(ROOT, module) is not None
    wrong = sorted(m for m in direct_imports(ROOT, module)
                   if module_file(ROOT, m) is not None and not allowed(module, m))
    assert not wrong, f"{module} ({room(module)[1]}) imports {wrong} from rooms above or beside it"


def test_the_rule_can_fail():
    assert not allowed("pipeline.extract.grid", "pipeline.layouts.base")
    assert not allowed("pipeline.stages.grade", "pipeline.stages.tidy")
    assert not allowed("pipeline.export.schema", "pipeline.validate.run")
    assert not allowed("pipeline.tidy", "pipeline.grade.legend")
    assert allowed("pipeline.layouts.table_reader", "pipeline.extract.grid")
