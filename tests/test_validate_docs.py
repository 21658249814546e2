"""Data Docs and the validation folder: offline and styled in a real browser, hostile text escaped,
the folder replaced atomically and byte-for-byte stable, and ``check`` clear on a bad outcome.json.

The dataset is the answer keys (``test_validate.valid_dataset``) with hostile strings planted where
text from PDFs and ``sources.yaml`` reaches the Data Docs: an unexpected value, an indicator name and
a document name quoted in failure examples. The browser is Debian's chromium driven through Playwright
with the network switched off.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.stages.validate import outcome_failures, verdict
from pipeline.validate import validate
from pipeline.validate.docs import _FAILED_STATUS, NODE_MODULES
from test_validate import EXPECTATIONS, KPI, LAYOUTS, LEGEND, valid_dataset, write

SCRIPT = '<script>window.__pwned = "script"</script>'
IMAGE = '<img src="x" onerror="window.__pwned = \'img\'">'
CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(),
                                    reason="chromium not installed (bash .ci/install-browser.sh)")
needs_assets = pytest.mark.skipif(not NODE_MODULES.is_dir(), reason="Data Docs assets not installed (make setup)")


def hostile_dataset():
    data = valid_dataset()
    obs = data["observations"]
    row = obs.index[(obs["document"] == KPI) & (obs["measure"] == "actual")][0]
    obs.loc[row, ["measure", "indicator"]] = [SCRIPT, IMAGE]         # a warning-free critical failure quoting both
    grades = data["grades"]
    row = grades.index[grades["document"] == KPI][0]
    grades.loc[row, "published_grade"] = IMAGE                       # a grade letter that is markup
    return data


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    base = tmp_path_factory.mktemp("docs")
    outcome = validate(write(hostile_dataset(), base / "extracted"), EXPECTATIONS, base / "validation", LEGEND,
                       layouts=LAYOUTS)
    return outcome, base / "validation"


@pytest.fixture(scope="module")
def warnings_only(tmp_path_factory):
    """Correct data whose only failures are warnings (the shipped disagreements)."""
    base = tmp_path_factory.mktemp("warnings")
    outcome = validate(write(valid_dataset(), base / "extracted"), EXPECTATIONS, base / "validation", LEGEND,
                       layouts=LAYOUTS)
    return outcome, base / "validation"


def browse(page: Path, probe: str) -> tuple[dict, list[str]]:
    """Load ``page`` offline in headless chromium (Playwright, Debian's binary); the probe's value and every
    non-file request."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            context = browser.new_context(offline=True)
            tab = context.new_page()
            remote: list[str] = []
            tab.on("request", lambda request: remote.append(request.url)
                   if not request.url.startswith(("file:", "data:")) else None)
            tab.goto(page.resolve().as_uri())
            tab.wait_for_load_state("load")
            return tab.evaluate(probe), remote
        finally:
            browser.close()


PROBE = r"""
(async () => {
  await new Promise(r => setTimeout(r, 300));
  const nav = document.querySelector('nav.navbar');
  const icon = document.querySelector('.fas');
  return {
    pwned: window.__pwned || null,
    navbar_display: nav ? getComputedStyle(nav).display : null,
    icon_font: icon ? getComputedStyle(icon).fontFamily : null,
    jquery: typeof window.jQuery, bootstrap_table: !!(window.jQuery && jQuery.fn.bootstrapTable),
    rows: [...document.querySelectorAll('table tbody tr')].map(r => r.innerText),
    text: document.body.innerText,
  };
})()
"""


@needs_chromium
@needs_assets
def test_index_renders_offline_styled_with_the_suites(warnings_only):
    _, out = warnings_only
    seen, remote = browse(out / "data_docs" / "index.html", PROBE)
    assert remote == []
    assert seen["jquery"] == "function" and seen["bootstrap_table"]
    assert seen["navbar_display"] == "flex", "Bootstrap's CSS is not applied"
    assert "Font Awesome" in (seen["icon_font"] or "")
    listed = "\n".join(seen["rows"])
    for suite in ("observations", "grades", "indicator_counts"):
        assert suite in listed, seen["rows"]


@needs_chromium
@needs_assets
def test_hostile_text_does_not_run_in_any_page(docs):
    outcome, out = docs
    assert not outcome.passed
    pages = sorted((out / "data_docs").rglob("*.html"))
    quoted = 0
    for page in pages:
        seen, remote = browse(page, PROBE)
        assert seen["pwned"] is None, f"{page}: script ran ({seen['pwned']})"
        assert remote == [], f"{page}: {remote}"
        quoted += SCRIPT in seen["text"] or IMAGE in seen["text"]
    assert quoted, "the hostile strings are not shown as text anywhere"


def test_hostile_text_is_escaped_in_the_html(docs):
    _, out = docs
    for page in (out / "data_docs").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "window.__pwned" not in html.replace("window.__pwned = &quot;", "").replace(
            "window.__pwned = &#x27;", ""), page


def test_warnings_only_is_not_failed(warnings_only):
    outcome, out = warnings_only
    assert outcome.passed and outcome.warnings
    grades = next((out / "data_docs" / "validations" / "grades").rglob("*.html")).read_text(encoding="utf-8")
    assert "Passed with warnings" in grades and _FAILED_STATUS not in grades
    assert "[warning] published and recomputed grades agree" in grades
    index = (out / "data_docs" / "index.html").read_text(encoding="utf-8")
    warned = {f.suite.split(".")[0] if f.suite in ("observations", "grades", "indicator_counts") else
              next(t for t in ("observations", "grades", "indicator_counts") if f.suite.endswith(t))
              for f in outcome.warnings if f.expectation.startswith("expect_")}
    assert "grades" in warned
    for suite in ("observations", "grades", "indicator_counts"):
        status = "Passed with warnings" if suite in warned else "Success"
        assert f"'_validation_success_text': '{status}', 'asset_name': '{suite}'" in index, suite
    assert "'_validation_success_text': 'Failed'" not in index


def test_a_critical_failure_is_failed(docs):
    outcome, out = docs
    assert outcome.critical
    index = (out / "data_docs" / "index.html").read_text(encoding="utf-8")
    assert "'_validation_success_text': 'Failed'" in index


def test_no_page_loads_anything_from_the_network(warnings_only):
    from pipeline.validate.docs import external_assets
    _, out = warnings_only
    for page in (out / "data_docs").rglob("*.html"):
        assert external_assets(page.read_text(encoding="utf-8")) == [], page


def test_same_inputs_give_the_same_bytes(tmp_path):
    folder = write(valid_dataset(), tmp_path / "extracted")
    runs = []
    for n in (1, 2):
        validate(folder, EXPECTATIONS, tmp_path / "validation", LEGEND, layouts=LAYOUTS)
        runs.append({p.relative_to(tmp_path / "validation"): p.read_bytes()
                     for p in sorted((tmp_path / "validation").rglob("*")) if p.is_file()})
    assert runs[0].keys() == runs[1].keys()
    changed = [p for p in runs[0] if runs[0][p] != runs[1][p]]
    assert changed == []
    assert not any(ch.isdigit() for p in runs[0] for ch in p.name if "T" in p.name and "Z" in p.name)


def test_the_folder_is_replaced_whole(tmp_path, monkeypatch):
    """A run that dies half way leaves the previous folder as it was, and no staging folder."""
    folder = write(valid_dataset(), tmp_path / "extracted")
    out = tmp_path / "validation"
    validate(folder, EXPECTATIONS, out, LEGEND, layouts=LAYOUTS, data_docs=False)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (out / "stale-marker").write_text("old", encoding="utf-8")

    from pipeline.validate import run as run_module

    def die(*args, **kwargs):
        raise KeyboardInterrupt("killed during validation")
    monkeypatch.setattr(run_module, "run_suite", die)
    with pytest.raises(KeyboardInterrupt):
        validate(folder, EXPECTATIONS, out, LEGEND, layouts=LAYOUTS, data_docs=False)
    assert (out / "stale-marker").exists()
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != "stale-marker"} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".validation")] == []
    monkeypatch.undo()
    validate(folder, EXPECTATIONS, out, LEGEND, layouts=LAYOUTS, data_docs=False)
    assert not (out / "stale-marker").exists()


@pytest.mark.parametrize("content,words", [
    (None, "is missing"),
    ('{"passed": false, "critical": [{"suite": "grades", "mess', "is unreadable (JSONDecodeError"),
    ("", "is unreadable"),
    ('["not", "an", "outcome"]', "is not a validation outcome"),
    (b"\xff\xfe\x00garbage", "is unreadable (UnicodeDecodeError"),
])
def test_check_is_clear_on_a_bad_outcome_file(tmp_path, content, words):
    path = tmp_path / "validation" / "outcome.json"
    path.parent.mkdir()
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    failures = verdict(tmp_path, {"run": {"fail_on_document_errors": True}})
    assert len(failures) == 1 and words in failures[0] and str(path) in failures[0], failures
    assert "\n" not in failures[0]
    assert outcome_failures(path) == failures


def _check_command(out: Path):
    import os
    import subprocess
    import sys
    return subprocess.run([sys.executable, "-m", "pipeline", "check", "--out", str(out)], capture_output=True,
                          text=True, timeout=300, cwd=Path(__file__).resolve().parents[1],
                          env={**os.environ, "GX_ANALYTICS_ENABLED": "false"})


def test_the_check_command_fails_naming_the_planted_expectation(tmp_path):
    """The real ``python -m pipeline check`` after a planted error: exit status 1, the expectation named."""
    from test_validate import grade_row, set_cell
    data = valid_dataset()
    data["grades"] = set_cell(grade_row, rate_exact="19999/25000", achievement_rate="0.8000",
                              recomputed_grade="B")(data["grades"])
    folder = write(data, tmp_path / "extracted")
    validate(folder, EXPECTATIONS, folder / "validation", LEGEND, layouts=LAYOUTS, data_docs=False)
    done = _check_command(folder)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "each recomputed grade is the grade its legend gives its exact rate" in done.stdout + done.stderr


def test_the_check_command_is_clear_on_a_truncated_outcome(tmp_path):
    folder = write(valid_dataset(), tmp_path / "extracted")
    validate(folder, EXPECTATIONS, folder / "validation", LEGEND, layouts=LAYOUTS, data_docs=False)
    outcome = folder / "validation" / "outcome.json"
    outcome.write_bytes(outcome.read_bytes()[:40])
    done = _check_command(folder)
    assert done.returncode == 1
    said = [line for line in (done.stdout + done.stderr).splitlines() if "outcome.json" in line]
    assert len(said) == 1 and "is unreadable" in said[0], done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
