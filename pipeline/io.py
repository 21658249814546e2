"""Atomic file output, and CSVs that are safe to open in a spreadsheet and always readable back.

In: rows / text / JSON / a folder's files and a target path. Out: the file (or folder), written to a
temporary sibling first and then moved into place with ``os.replace`` (atomic on one file system),
so a run that fails never leaves a half-written file behind.

CSV text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return, and not a plain number such as ``-36``) are written with a leading ``'``
(``neutralise``); ``read_csv`` removes it again, so the stages see the text as printed. Fields of any
size are read back (the ``csv`` module's field size limit is lifted where outputs are read).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Sequence

# A cell starting with one of these is taken as a formula by spreadsheets (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?")


class OutputError(OSError):
    """An output that cannot be written (read-only folder, full disk …): one line naming the file."""


def _output_error(path: Path, err: OSError) -> OutputError:
    return OutputError(err.errno, f"cannot write {path}: {err.strerror or err}")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically; ``OutputError`` (naming the file) when the disk refuses."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OutputError:
        raise
    except OSError as err:
        raise _output_error(path, err) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())   # mkstemp makes it owner-only; give it the usual mode
        os.replace(tmp, path)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError) and not isinstance(err, OutputError):
            raise _output_error(path, err) from None
        raise


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes (read in blocks), as hex: what names a PDF's version."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def json_text(data, flat_below: int | None = None) -> str:
    """``data`` as JSON indented by one space per level; with ``flat_below``, a value nested that
    deep is written on one line (a list of records: one record per line, and encoded by the C encoder,
    which ``indent`` turns off: the cache files of a large corpus are written several times faster).

    >>> print(json_text({"a": 1, "rows": [{"x": [1, 2]}, {"x": []}]}, flat_below=2))
    {
     "a": 1,
     "rows": [
      {"x": [1, 2]},
      {"x": []}
     ]
    }
    >>> json_text({"a": [1]}) == json.dumps({"a": [1]}, ensure_ascii=False, indent=1)
    True
    """
    if flat_below is None:
        return json.dumps(data, ensure_ascii=False, indent=1)

    def text(value, depth: int) -> str:
        if depth >= flat_below or not isinstance(value, (dict, list)) or not value:
            return _ENCODE(value)
        pad = " " * (depth + 1)
        if isinstance(value, dict):
            items = [f"{pad}{_ENCODE(key)}: {text(item, depth + 1)}" for key, item in value.items()]
            return "{\n" + ",\n".join(items) + "\n" + " " * depth + "}"
        items = [pad + text(item, depth + 1) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + " " * depth + "]"

    return text(data, 0)


def write_json(path: Path, data, flat_below: int | None = None) -> None:
    """``data`` as JSON (``json_text``) to ``path``, atomically."""
    write_text(path, json_text(data, flat_below) + "\n")


@contextmanager
def replaced_folder(path: Path) -> Iterator[Path]:
    """A fresh temporary sibling folder to fill; on success it replaces ``path`` whole, on failure it
    is removed and ``path`` is left as it was. A reader sees the old folder or the new one (or, for the
    instant between two renames, none), never a mix.

    >>> import tempfile; root = Path(tempfile.mkdtemp())
    >>> with replaced_folder(root / "out") as tmp: _ = (tmp / "a.txt").write_text("1")
    >>> sorted(p.name for p in (root / "out").iterdir())
    ['a.txt']
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())
        if path.is_dir() and not path.is_symlink():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=path.parent))
            os.replace(path, old / path.name)   # two renames: a directory cannot replace a full one
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _formula_like(text: str) -> bool:
    return len(text) > 1 and text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text)


def _quoted(text: str) -> bool:
    """``text`` is a neutralised cell: a ``'`` before a formula-like or an already quoted text."""
    return text.startswith("'") and (_formula_like(text[1:]) or _quoted(text[1:]))


def neutralise(value):
    """A text cell a spreadsheet would run as a formula, with a leading ``'``; numbers and other text unchanged.

    >>> [neutralise(v) for v in ("=HYPERLINK(A1)", "@SUM(A1)", "-36", "+1,200", "-", "△36", "'=x", 7)]
    ["'=HYPERLINK(A1)", "'@SUM(A1)", '-36', '+1,200', '-', '△36', "''=x", 7]
    """
    if isinstance(value, str) and (_formula_like(value) or _quoted(value)):
        return "'" + value
    return value


def restore(text: str) -> str:
    """The cell as it was before ``neutralise``.

    >>> [restore(neutralise(v)) for v in ("=1+2", "'=x", "''@y", "'plain", "-5")]
    ['=1+2', "'=x", "''@y", "'plain", '-5']
    """
    return text[1:] if _quoted(text) else text


def csv_text(rows: Iterable[dict], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: neutralise(value) for key, value in row.items()})
    return buffer.getvalue()


def write_csv(path: Path, rows: Iterable[dict], columns: Sequence[str]) -> None:
    write_text(path, csv_text(rows, columns))


def lift_field_size_limit() -> None:
    """Let ``csv`` read a field of any size (its default limit is 131,072 characters)."""
    csv.field_size_limit(sys.maxsize if sys.maxsize < 2**63 else 2**63 - 1)


def read_csv(path: Path) -> list[dict[str, str]]:
    lift_field_size_limit()
    with open(path, newline="", encoding="utf-8-sig") as f:
        return [{key: restore(value) if isinstance(value, str) else value for key, value in row.items()}
                for row in csv.DictReader(f)]
