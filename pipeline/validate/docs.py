"""Great Expectations Data Docs that are safe, stable and readable offline.

In:  GX validation results (before they are rendered) and the Data Docs folder GX wrote; the CSS/JS
     GX loads from CDNs, installed at pinned versions from the npm registry into
     ``vendor/datadocs/node_modules`` by ``make setup`` (``vendor/datadocs/package.json``).
Out: results whose text from PDFs and ``sources.yaml`` is HTML-escaped and whose ``success`` is
     "no critical failure" (a suite with only warning failures is not "Failed"); after GX has
     rendered: the assets copied to ``static/vendor/`` and every CDN link rewritten to a relative
     path, random element ids replaced by numbered ones, and the status of a suite whose failures
     are all warnings shown as such. ``finish`` returns the CDN links it could not serve locally.
"""
from __future__ import annotations

import html
import os
import shutil
from pathlib import Path
from typing import Any, Iterable, Mapping

import regex

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "vendor" / "datadocs" / "node_modules"
VENDOR = "static/vendor"

# CDN address GX writes (prefix up to the file) -> file in node_modules (same version; see package.json).
# GX 1.24 asks for the filter-control CSS of bootstrap-table 1.19.0 and the rest of 1.19.1: both are served
# from 1.19.1. vega@5 / vega-lite@5 / vega-embed@6 are served at the versions pinned in package.json.
ASSETS: dict[str, str] = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap/dist/css/bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap/dist/js/bootstrap.min.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.js/dist/umd/popper.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "@fortawesome/fontawesome-free/css/all.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css":
        "bootstrap-datepicker/dist/css/bootstrap-datepicker.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js":
        "bootstrap-datepicker/dist/js/bootstrap-datepicker.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "bootstrap-table/dist/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table/dist/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js":
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.css":
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css":
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css":
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css":
        "@forevolve/bootstrap-dark/dist/css/bootstrap-prefers-dark.css",
    "https://cdn.jsdelivr.net/npm/vega@5": "vega/build/vega.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "vega-lite/build/vega-lite.min.js",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "vega-embed/build/vega-embed.min.js",
}
# Folders an asset refers to by relative URL (Font Awesome's CSS loads ../webfonts/*).
ASSET_FOLDERS = ("@fortawesome/fontawesome-free/webfonts",)

_EXTERNAL = regex.compile(r'<(?:script|link|img)\b[^>]*?(?:src|href)="(https?://[^"]+)"')
# GX's logo, loaded from the network with the render time as a query: the copy GX ships instead.
_REMOTE_LOGO = regex.compile(r'src="https://great-expectations-web-assets\.[^"]*/logo-long\.png\?d=[^"]*"')
_UUID = regex.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_FAILED_STATUS = '<i class="fas fa-times text-danger" aria-hidden="true"></i> Failed'
_PASSED_STATUS = '<i class="fas fa-check-circle text-success" aria-hidden="true"></i> Succeeded'


# ----- before rendering: the results GX will render -----

def escaped(value: Any) -> Any:
    """``value`` with every string HTML-escaped (dicts, lists and tuples walked; keys kept).

    >>> escaped({"partial_unexpected_list": ["<script>alert(1)</script>", 3]})
    {'partial_unexpected_list': ['&lt;script&gt;alert(1)&lt;/script&gt;', 3]}
    """
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, Mapping):
        return {k: escaped(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(escaped(v) for v in value)
    return value


def prepare_for_docs(result, critical_failed: bool) -> None:
    """Make a GX validation result safe to render: escape what came from the data (observed and
    unexpected values, id columns, expectation arguments such as legend labels), and mark the
    suite successful unless a critical expectation failed. The values become what they are in
    GX's JSON (a pair of values a list, a numpy number a Python one), as GX's own store would
    hand them to the renderer."""
    from great_expectations.util import convert_to_json_serializable

    for item in result.results:
        if item.result:
            item.result = escaped(convert_to_json_serializable(item.result))
        config = item.expectation_config
        for key, value in list(config.kwargs.items()):
            if isinstance(value, (str, list, tuple, dict)) and key not in ("row_condition",):
                config.kwargs[key] = escaped(value)
    markers = (result.meta or {}).get("batch_markers")
    if isinstance(markers, dict):
        markers.pop("ge_load_time", None)   # the time the frame was loaded: would differ every run
    result.success = not critical_failed


# ----- after rendering: the files GX wrote -----

def relative(target: str, page: Path, docs_dir: Path) -> str:
    """``target`` (a path under ``docs_dir``) as a link from ``page``.

    >>> relative("static/vendor/x.css", Path("/d/validations/s/r/t/b.html"), Path("/d"))
    '../../../../static/vendor/x.css'
    """
    return Path(os.path.relpath(docs_dir / target, page.parent)).as_posix()


def copy_assets(docs_dir: Path, node_modules: Path = NODE_MODULES) -> list[str]:
    """Copy the vendored files into ``docs_dir/static/vendor``; the ones missing, by package path."""
    missing = []
    for source in sorted(set(ASSETS.values())):
        path = node_modules / source
        if not path.is_file():
            missing.append(source)
            continue
        target = docs_dir / VENDOR / source
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    for folder in ASSET_FOLDERS:
        if (node_modules / folder).is_dir():
            shutil.copytree(node_modules / folder, docs_dir / VENDOR / folder, dirs_exist_ok=True)
        else:
            missing.append(folder)
    return missing


def rewrite_page(text: str, page: Path, docs_dir: Path, warnings_only: bool) -> str:
    """One page: CDN links to the local copies, numbered ids instead of random ones, and the
    status of a suite whose failures are only warnings."""
    for url, source in ASSETS.items():
        text = text.replace(f'"{url}"', f'"{relative(f"{VENDOR}/{source}", page, docs_dir)}"')
    logo = relative("static/images/logo-long.png", page, docs_dir)
    text = _REMOTE_LOGO.sub(lambda m: f'src="{logo}"', text)
    numbers: dict[str, str] = {}
    text = _UUID.sub(lambda m: numbers.setdefault(m.group(0), f"id{len(numbers) + 1:04d}"), text)
    if warnings_only:
        text = text.replace(_PASSED_STATUS, '<i class="fas fa-exclamation-triangle text-warning" '
                                            'aria-hidden="true"></i> Passed with warnings')
    return text


def mark_index_warnings(text: str, warning_suites: Iterable[str]) -> str:
    """The index rows of suites whose failures are all warnings: a warning icon and the status text
    "Passed with warnings" instead of GX's plain success.

    >>> row = "{'validation_success': '<i class=\\"fas fa-check-circle text-success ge-success-icon\\" ></i>', 'x': 1, '_validation_success_text': 'Success', 'asset_name': 'grades'}"
    >>> marked = mark_index_warnings(row, ["grades"])
    >>> "fa-exclamation-triangle text-warning" in marked, "'Passed with warnings'" in marked
    (True, True)
    """
    for suite in warning_suites:
        row = regex.compile(r"\{'validation_success': '(?P<cell>[^']*)'(?P<rest>(?:(?!\{'validation_success').)*?)"
                            r"'_validation_success_text': 'Success', 'asset_name': '" + regex.escape(suite) + r"'\}",
                            regex.DOTALL)
        text = row.sub(lambda m: "{'validation_success': '"
                       + m["cell"].replace("fa-check-circle text-success", "fa-exclamation-triangle text-warning")
                       + "'" + m["rest"] + "'_validation_success_text': 'Passed with warnings', 'asset_name': '"
                       + suite + "'}", text)
    return text


def external_assets(text: str) -> list[str]:
    """Script and style addresses a page still loads from the network.

    >>> external_assets('<link href="https://x/y.css"> <a href="https://ok">')
    ['https://x/y.css']
    """
    return _EXTERNAL.findall(text)


def finish(docs_dir: Path, warning_suites: Iterable[str], node_modules: Path = NODE_MODULES) -> list[str]:
    """Make the Data Docs in ``docs_dir`` offline and stable; return one line per problem
    (an asset not installed, a link still pointing to the network)."""
    problems = [f"Data Docs asset not installed: {m} (run `make setup`)" for m in copy_assets(docs_dir, node_modules)]
    warning_suites = set(warning_suites)
    remote: set[str] = set()
    for page in sorted(docs_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        suite = _suite_of(page, docs_dir)
        text = rewrite_page(text, page, docs_dir, warnings_only=suite in warning_suites)
        if page == docs_dir / "index.html":
            text = mark_index_warnings(text, warning_suites)
        remote.update(external_assets(text))
        page.write_text(text, encoding="utf-8")
    problems += [f"Data Docs page still loads {url} from the network" for url in sorted(remote)]
    return problems


def _suite_of(page: Path, docs_dir: Path) -> str | None:
    """The suite a validation page belongs to (``validations/<suite>/...``)."""
    parts = page.relative_to(docs_dir).parts
    return parts[1] if len(parts) > 2 and parts[0] == "validations" else None
