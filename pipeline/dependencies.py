"""Which ``pipeline`` modules each stage runs: the import graph, read from the source with ``ast``.

In: the folder that holds the ``pipeline`` package (the project root). Out: per stage, the set of
module files its entry point (``pipeline.stages.<stage>``) imports, transitively (imports inside
functions count; ``if TYPE_CHECKING:`` imports do not; a package that discovers its modules with
``pkgutil.iter_modules(__path__)`` imports all of them; importing ``a.b`` runs ``a/__init__.py``);
and ``code_version``, the digest of the modules that read one document (``pipeline.layouts.reading``
and everything it imports), which keys the extraction cache.

``dvc.yaml`` lists the same files as each stage's ``deps`` (``tests/test_stage_dependencies.py``
fails when they differ); ``python -m pipeline.dependencies`` prints them (``--write``: into dvc.yaml). ``pipeline/cli.py`` and
``__main__.py`` (the command line that starts every stage) are not part of any stage's ``deps``.
"""
from __future__ import annotations

import ast
import hashlib
import sys
from functools import lru_cache
from pathlib import Path

PACKAGE = "pipeline"
ROOT = Path(__file__).resolve().parents[1]
STAGES = {"extract": "pipeline.stages.extract", "tidy": "pipeline.stages.tidy",
          "grade": "pipeline.stages.grade", "validate": "pipeline.stages.validate",
          "report": "pipeline.stages.report", "check": "pipeline.stages.validate"}
# What reads one document (the worker's function); its modules key the extraction cache.
READER = "pipeline.layouts.reading"


def module_file(root: Path, module: str) -> Path | None:
    """The file of ``module`` under ``root`` (a package's ``__init__.py``), or None if not ours."""
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
           (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_nodes(tree: ast.AST):
    """Every import statement in ``tree`` except those under ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _discovers_submodules(tree: ast.AST) -> bool:
    """The package imports every module in its folder (``pkgutil.iter_modules(__path__)``)."""
    return any(isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "iter_modules"
               and any(isinstance(a, ast.Name) and a.id == "__path__" for a in node.args)
               for node in ast.walk(tree))


def direct_imports(root: Path, module: str) -> set[str]:
    """The ``pipeline`` modules that ``module``'s file imports directly."""
    path = module_file(root, module)
    if path is None:
        return set()
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in _import_nodes(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            if node.level:
                parts = module.split(".")
                anchor = parts if is_package else parts[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        for name in names:
            if name == PACKAGE or name.startswith(PACKAGE + "."):
                found.add(name)
    if is_package and _discovers_submodules(tree):
        found.update(f"{module}.{p.stem}" for p in path.parent.glob("*.py") if p.name != "__init__.py")
    return {name for name in found if module_file(root, name) is not None}


@lru_cache(maxsize=None)
def _closure(root: Path, entry: str) -> frozenset[str]:
    seen: set[str] = set()
    todo = [entry]
    while todo:
        module = todo.pop()
        if module in seen or module_file(root, module) is None:
            continue
        seen.add(module)
        parts = module.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))   # parent packages run first
        todo.extend(direct_imports(root, module))
    return frozenset(seen)


def imported_modules(entry: str, root: Path = ROOT) -> frozenset[str]:
    """``entry`` and every ``pipeline`` module it imports, transitively."""
    return _closure(Path(root).resolve(), entry)


def module_files(entry: str, root: Path = ROOT) -> list[str]:
    """The files of ``imported_modules(entry)``, relative to ``root``, sorted (as dvc.yaml lists them)."""
    root = Path(root).resolve()
    return sorted(module_file(root, m).relative_to(root).as_posix() for m in imported_modules(entry, root))


def stage_modules(stage: str, root: Path = ROOT) -> list[str]:
    return module_files(STAGES[stage], root)


def dvc_deps(stage: str, root: Path = ROOT) -> list[str]:
    """``stage_modules`` as dvc.yaml lists them: a folder whose modules are all imported is one entry."""
    root = Path(root).resolve()
    files = set(stage_modules(stage, root))
    folders = sorted({str(Path(f).parent.as_posix()) for f in files if f.count("/") > 1})
    entries = set(files)
    for folder in folders:
        members = {p.relative_to(root).as_posix() for p in (root / folder).glob("*.py")}
        if members <= files:
            entries = (entries - members) | {folder}
    return sorted(entries)


def expand(entry: str, root: Path = ROOT) -> set[str]:
    """The module files a dvc.yaml dep stands for (a folder: its ``.py`` files; other files: none)."""
    path = Path(root) / entry
    if path.is_dir():
        return {p.relative_to(root).as_posix() for p in path.rglob("*.py")}
    return {entry} if entry.endswith(".py") else set()


def rewrite_dvc_yaml(text: str, root: Path = ROOT) -> str:
    """dvc.yaml's text with each stage's ``pipeline/`` deps replaced by ``dvc_deps``, after its other
    deps (comments and everything else kept as they are)."""
    out: list[str] = []
    stage, pending = None, None       # pending: the stage whose module deps are still to be written

    def flush():
        nonlocal pending
        if pending:
            out.extend(f"      - {entry}\n" for entry in dvc_deps(pending, root))
        pending = None

    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        is_item = indent == 6 and stripped.startswith("- ")
        if pending and stripped and not is_item:
            flush()
        if indent == 2 and stripped.endswith(":"):
            stage = stripped[:-1] if stripped[:-1] in STAGES else None
        elif indent < 2 and stripped:
            stage = None
        if stage and indent == 4 and stripped == "deps:":
            pending = stage
        elif pending and is_item and stripped[2:].startswith(PACKAGE + "/"):
            continue
        out.append(line)
    flush()
    return "".join(out)


def code_version(root: Path = ROOT) -> str:
    """A digest of the modules that read a document (their paths and bytes): cached extractions
    made by other code are read again."""
    root = Path(root).resolve()
    digest = hashlib.sha256()
    for name in module_files(READER, root):
        digest.update(name.encode() + b"\0" + (root / name).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    """Print each stage's module deps as dvc.yaml should list them; ``--write`` puts them in dvc.yaml."""
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--write"]:
        path = ROOT / "dvc.yaml"
        path.write_text(rewrite_dvc_yaml(path.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"{path}: module deps rewritten from the import graph")
        return 0
    for stage in STAGES:
        print(f"{stage}:")
        for name in dvc_deps(stage):
            print(f"  - {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
