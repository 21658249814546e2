"""dvc.yaml and the extraction cache know exactly what each stage depends on (issue 16, item 2).

The import graph (``pipeline.dependencies``, read from the source with ``ast``) is the one truth:
each stage's module deps in dvc.yaml are the modules its entry point imports, the cache key is the
digest of the modules that read a document, and a change to a normalisation module (which the
layouts call while reading) changes that key, so cached documents are read again. Real files,
real ``dvc``.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from pipeline import dependencies
from pipeline.dependencies import code_version, expand, imported_modules, stage_modules

DVC_YAML = yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("stage", sorted(dependencies.STAGES))
def test_dvc_yaml_lists_exactly_the_modules_each_stage_imports(stage):
    listed = set().union(*(expand(d) for d in DVC_YAML["stages"][stage]["deps"] if d.startswith("pipeline")))
    imported = set(stage_modules(stage))
    assert not imported - listed, (f"dvc.yaml's '{stage}' misses {sorted(imported - listed)}; "
                                   "run: python -m pipeline.dependencies --write")
    assert not listed - imported, f"dvc.yaml's '{stage}' lists modules it never imports: {sorted(listed - imported)}"


def test_the_graph_follows_imports_inside_functions_and_discovered_layouts():
    reader = imported_modules(dependencies.READER)
    assert "pipeline.normalise.eras" in reader          # layouts call normalisation while reading
    assert "pipeline.layouts.kpi_report" in reader      # found by the registry, not imported by name
    assert "pipeline.layouts.reading" in imported_modules("pipeline.stages.extract")   # a function-level import
    assert "pipeline.sources" not in imported_modules("pipeline.layouts.base")          # TYPE_CHECKING only


def test_a_missing_dep_is_caught(tmp_path):
    """The check above can fail: a dvc.yaml without the era reader (listed alone or in its folder) misses it."""
    broken = [d for d in DVC_YAML["stages"]["extract"]["deps"]
              if d not in ("pipeline/normalise", "pipeline/normalise/eras.py")]
    listed = set().union(*(expand(d) for d in broken if d.startswith("pipeline")))
    assert "pipeline/normalise/eras.py" in set(stage_modules("extract")) - listed


def copy_package(target: Path) -> Path:
    shutil.copytree(ROOT / "pipeline", target / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_changing_a_normalisation_module_changes_the_cache_key(tmp_path):
    project = copy_package(tmp_path)
    before = code_version(project)
    assert before == code_version(ROOT)
    with open(project / "pipeline" / "normalise" / "eras.py", "a", encoding="utf-8") as f:
        f.write("# a fix to the era reader\n")
    assert code_version(project) != before
    # the report's code is not the reader's: changing it keeps the cache
    other = copy_package(tmp_path / "other")
    with open(other / "pipeline" / "report" / "page.py", "a", encoding="utf-8") as f:
        f.write("# a change to the audit page\n")
    assert code_version(other) == before


def test_a_changed_normalisation_module_rereads_cached_documents(tmp_path):
    """The real stage in a copy of the package: a comment appended to normalise/eras.py re-reads."""
    project = copy_package(tmp_path / "project")
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    shutil.copy(ROOT / "raw" / "isehara_kikaku_declaration_h28.pdf", raw)
    (raw / "sources.yaml").write_text("- file: isehara_kikaku_declaration_h28.pdf\n  municipality: 伊勢原市\n",
                                      encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(project)}
    command = [sys.executable, "-m", "pipeline", "extract", "--raw", str(raw), "--out", str(out), "--jobs", "1"]
    cached = out / "cells" / "isehara_kikaku_declaration_h28.json"

    def extract() -> int:
        result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        return cached.stat().st_mtime_ns

    first = extract()
    assert extract() == first                           # unchanged code: from the cache
    with open(project / "pipeline" / "normalise" / "eras.py", "a", encoding="utf-8") as f:
        f.write("# a fix to the era reader\n")
    assert extract() != first                           # read again


def test_extract_params_are_only_what_changes_its_result():
    params = DVC_YAML["stages"]["extract"]["params"]
    assert sorted(params) == ["extract.max_memory", "extract.max_pages", "extract.time_limit"]


@pytest.fixture(scope="module")
def dvc_project(tmp_path_factory):
    """A copy of the project with one small document, after a real ``dvc repro`` of the extract stage."""
    project = tmp_path_factory.mktemp("dvc")
    for name in ("pipeline", "params.yaml", "dvc.yaml", ".dvc/config", ".dvcignore"):
        source, target = ROOT / name, project / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (project / "raw").mkdir()
    shutil.copy(ROOT / "raw" / "isehara_kikaku_declaration_h28.pdf", project / "raw")
    (project / "raw" / "sources.yaml").write_text(
        "- file: isehara_kikaku_declaration_h28.pdf\n  municipality: 伊勢原市\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    result = dvc(project, "repro", "extract")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return project


def dvc(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DVC_NO_ANALYTICS": "1", "PYTHONPATH": str(project),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([str(Path(sys.executable).with_name("dvc")), *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)


def test_dvc_reruns_extract_for_a_normalisation_change_but_not_for_jobs(dvc_project):
    params = dvc_project / "params.yaml"
    text = params.read_text(encoding="utf-8")
    params.write_text(text.replace("jobs: 0", "jobs: 3").replace("executor: process", "executor: dask"),
                      encoding="utf-8")
    status = dvc(dvc_project, "status", "extract")
    assert status.returncode == 0 and "changed" not in status.stdout, status.stdout
    with open(dvc_project / "pipeline" / "normalise" / "eras.py", "a", encoding="utf-8") as f:
        f.write("# a fix to the era reader\n")
    status = dvc(dvc_project, "status", "extract")
    assert "pipeline/normalise" in status.stdout, status.stdout
