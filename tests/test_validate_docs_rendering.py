"""``pipeline.validate.docs_rendering``: the Data Docs are rendered without work thrown away and are
the same bytes as GX's own way gives: templates compiled once per machine (a damaged or unwritable
cache only costs the compilation), results handed to the renderer without a JSON round trip."""
from __future__ import annotations

import pytest
from jinja2 import Environment, PackageLoader

from pipeline.validate import docs_rendering, validate
from pipeline.templates import TemplateCache
from test_validate import EXPECTATIONS, LAYOUTS, LEGEND, PLANTS, WARNING_PLANTS, valid_dataset, write
from test_validate_docs import hostile_dataset

TEMPLATE = "page.j2"   # GX's page template (it includes the others)


def gx_environment(cache: TemplateCache, compiled: list[str]) -> Environment:
    """A Jinja environment on GX's templates, as GX's views build it, counting what it compiles."""
    env = Environment(loader=PackageLoader("great_expectations", "render/view/templates"),
                      extensions=["jinja2.ext.do"], bytecode_cache=cache)
    compile_ = env.compile

    def counted(source, name=None, filename=None, *args, **kwargs):
        compiled.append(name)
        return compile_(source, name, filename, *args, **kwargs)
    env.compile = counted
    return env


def test_templates_compiled_once_are_read_back_in_a_new_process(tmp_path):
    first: list[str] = []
    gx_environment(TemplateCache(tmp_path / "cache"), first).get_template(TEMPLATE)
    assert first == [TEMPLATE] and list((tmp_path / "cache").iterdir())
    again: list[str] = []   # a new cache object on the same folder: what the next run sees
    template = gx_environment(TemplateCache(tmp_path / "cache"), again).get_template(TEMPLATE)
    assert again == [] and template.name == TEMPLATE


def test_a_damaged_cache_entry_is_compiled_again(tmp_path):
    gx_environment(TemplateCache(tmp_path), []).get_template(TEMPLATE)
    for entry in tmp_path.iterdir():
        entry.write_bytes(entry.read_bytes()[:40])   # a truncated file, as a full disk leaves it
    compiled: list[str] = []
    template = gx_environment(TemplateCache(tmp_path), compiled).get_template(TEMPLATE)
    assert compiled == [TEMPLATE] and template.name == TEMPLATE


def test_a_folder_that_cannot_be_made_keeps_templates_in_memory(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    cache = TemplateCache(blocked / "cache")
    compiled: list[str] = []
    gx_environment(cache, compiled).get_template(TEMPLATE)
    gx_environment(cache, compiled).get_template(TEMPLATE)   # the next page of the same run
    assert compiled == [TEMPLATE]


def every_plant():
    """The correct dataset with as many of the planted errors and warnings of ``test_validate`` as
    can be planted together (failures of every expectation type, with their examples)."""
    data = valid_dataset()
    planted = 0
    for plant in PLANTS + WARNING_PLANTS:
        table, change = plant[1], plant[2]
        try:
            data[table] = change(data[table].copy())
            planted += 1
        except (AssertionError, KeyError, IndexError):
            continue   # an earlier plant took the rows this one needs
    assert planted > len(PLANTS)
    return data


@pytest.mark.parametrize("dataset", [valid_dataset, hostile_dataset, every_plant], ids=["warnings", "hostile", "planted"])
def test_pages_are_the_bytes_gx_own_store_gives(tmp_path, monkeypatch, dataset):
    folder = write(dataset(), tmp_path / "extracted")
    ours = validate(folder, EXPECTATIONS, tmp_path / "ours", LEGEND, layouts=LAYOUTS)
    monkeypatch.setattr(docs_rendering, "keep_results_in_store", lambda context: None)
    theirs = validate(folder, EXPECTATIONS, tmp_path / "gx", LEGEND, layouts=LAYOUTS)
    assert ours.to_dict() == theirs.to_dict()
    pages = sorted(p.relative_to(tmp_path / "ours") for p in (tmp_path / "ours").rglob("*.html"))
    assert len(pages) >= 7   # the index, a suite page and a validation page per table
    assert pages == sorted(p.relative_to(tmp_path / "gx") for p in (tmp_path / "gx").rglob("*.html"))
    for page in pages:
        assert (tmp_path / "ours" / page).read_bytes() == (tmp_path / "gx" / page).read_bytes(), page


def test_templates_warmed_at_set_up_are_not_compiled_by_the_first_run(tmp_path, monkeypatch):
    """``python -m pipeline warm-templates`` (real process, as ``make setup`` runs it) leaves nothing for a run to compile."""
    import os
    import subprocess
    import sys

    from conftest import ROOT
    from pipeline.validate.docs_rendering import template_cache_dir

    env = {**os.environ, "GX_ANALYTICS_ENABLED": "false", "MUNIPLAN_TEMPLATE_CACHE": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "pipeline", "warm-templates"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=True)
    assert "Data Docs templates compiled into" in done.stdout and not done.stderr.strip()
    monkeypatch.setenv("MUNIPLAN_TEMPLATE_CACHE", str(tmp_path))
    compiled: list[str] = []
    env_ = gx_environment(TemplateCache(template_cache_dir()), compiled)
    for name in (TEMPLATE, "index_page.j2", "table.j2", "string_template.j2"):
        env_.get_template(name)
    assert compiled == []
