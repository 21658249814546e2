"""raw/sources.yaml -> the checked list of documents to read.

In: the raw folder. Out: ``Source`` entries for the PDFs that may be read, and one problem line per
entry (or file) that may not. A document's identity is its path inside raw/ (``a/report.pdf``),
unique without regard to case: two entries naming one file (``x.pdf``, ``./x.pdf``) or two names
that differ only in case (``x.pdf``, ``x.PDF``) are errors naming both entries, and the later one is
not read. Its name in the outputs (``Source.document``) is that path without ``.pdf``, so files
directly in raw/ keep their plain stem and ``a/report.pdf`` is ``a/report``.

Refused with a clear message: a listing that is missing, empty, too large, not UTF-8 / CP932 /
UTF-16, malformed YAML, full of aliases (an alias bomb); an entry without ``file``, with a NUL or
control character, an over-long name or an over-long field, a path that leaves raw/ (``../``,
absolute, a symlink pointing outside), a symlink loop, a missing file. Warnings: an unknown key
in an entry (``layuot:``), a PDF in raw/ that is not listed. Nothing outside raw/ is ever opened.
A listing-level problem (``listing_failed``) means no document list is known: the extract stage
then leaves its cache alone.
"""
from __future__ import annotations

import codecs
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from .problems import Problem

FIELDS = ("file", "municipality", "title", "published", "url", "layout")
MAX_LISTING_BYTES = 1 << 20     # a sources.yaml over 1 MB is refused before parsing
MAX_ALIASES = 100               # YAML aliases (*name) allowed: an alias bomb is refused, not expanded
MAX_NAME = 255                  # bytes of one path component (the usual file system limit)
MAX_PATH = 1024                 # characters of a whole path inside raw/
MAX_FIELD = 2000                # characters of any other field (municipality, title, url …)


@dataclass(frozen=True)
class Source:
    file: str                       # name inside raw/, as listed
    path: Path                      # resolved path inside raw/
    municipality: str = ""
    title: str = ""
    published: str = ""
    url: str = ""
    layout: str = ""                # optional hint

    @property
    def document(self) -> str:
        return document_name(self.file)


@dataclass
class SourceList:
    sources: list[Source] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    listing_failed: bool = False    # the listing itself could not be used (no document list)


def document_name(file: str) -> str:
    """The document's name in the outputs: its path inside raw/, normalised, without ``.pdf``.

    >>> [document_name(f) for f in ("x.pdf", "./x.PDF", "a/report.pdf", "a//b/../c.pdf", "notes")]
    ['x', 'x', 'a/report', 'a/c', 'notes']
    """
    path = os.path.normpath(file.replace("\\", "/")).replace("\\", "/")
    return path[:-4] if path.lower().endswith(".pdf") else path


def identity(file: str) -> str:
    """The key two entries collide on: the document name without regard to case or Unicode form.

    >>> identity("./Ａ/Report.PDF") == identity("A/report.pdf")
    True
    """
    return unicodedata.normalize("NFKC", document_name(file)).casefold()


def cache_name(document: str) -> str:
    """A file name for ``document`` (which may hold ``/``): ``%`` and ``/`` escaped, so names never collide.

    >>> [cache_name(d) for d in ("isehara_kpi", "a/report", "a%2Freport")]
    ['isehara_kpi', 'a%2Freport', 'a%252Freport']
    """
    return document.replace("%", "%25").replace("/", "%2F")


def decode_listing(data: bytes) -> str:
    """The text of sources.yaml saved as UTF-8 (with or without BOM), UTF-16 (with BOM) or CP932.

    Raises ``ValueError`` naming the encodings tried.

    >>> decode_listing("- file: a.pdf  # 伊勢原".encode("cp932"))
    '- file: a.pdf  # 伊勢原'
    >>> decode_listing("\\ufeff- file: b.pdf".encode("utf-16"))
    '- file: b.pdf'
    >>> decode_listing(codecs.BOM_UTF8 + "市".encode())
    '市'
    """
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32"),
                          (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError as err:
                raise ValueError(f"starts with a {encoding.upper()} byte order mark but is not valid "
                                 f"{encoding.upper()} ({err.reason} at byte {err.start})") from None
    if b"\x00" in data[:4096]:
        try:      # UTF-16 saved without a byte order mark: every other byte of ASCII text is 0
            order = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
            return data.decode(order)
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("is neither UTF-8, UTF-16 nor CP932 (Shift_JIS); save it as UTF-8")


class _LimitedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses more than ``MAX_ALIASES`` aliases (a billion-laughs bomb)."""

    aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise yaml.YAMLError(f"more than {MAX_ALIASES} YAML aliases (*name); refused as a "
                                     "possible alias bomb")
        return super().compose_node(parent, index)


def parse_listing(text: str):
    """The YAML document in ``text``, with aliases limited (``yaml.YAMLError`` otherwise)."""
    loader = _LimitedLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def name_problem(file: str) -> str | None:
    """Why ``file`` cannot name a file in raw/, or None.

    >>> name_problem("a\\x00b.pdf"), name_problem("x" * 300 + ".pdf")[:28], name_problem("ok/b.pdf")
    ('its name holds a control character (U+0000)', 'a part of its name is 304 by', None)
    """
    for char in file:
        if unicodedata.category(char) == "Cc":
            return f"its name holds a control character (U+{ord(char):04X})"
    if len(file) > MAX_PATH:
        return f"its name is {len(file)} characters long, over the limit of {MAX_PATH}"
    for part in PurePosixPath(file.replace("\\", "/")).parts:
        size = len(part.encode("utf-8"))
        if size > MAX_NAME:
            return f"a part of its name is {size} bytes long, over the file system limit of {MAX_NAME}"
    return None


def _inside(raw: Path, file: str) -> Path | None:
    """The resolved path of ``file`` if it stays inside ``raw`` (symlinks followed), else None.

    A symlink loop raises ``OSError``/``RuntimeError`` (the caller names it)."""
    if not file or Path(file).is_absolute():
        return None
    resolved = (raw / file).resolve(strict=False)
    try:
        resolved.relative_to(raw.resolve())
    except ValueError:
        return None
    return resolved


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _read_listing(path: Path, listing: str) -> tuple[list | None, Problem | None]:
    """The entries of the listing file, or the problem that makes it unusable."""
    def refuse(message: str):
        return None, Problem(listing, "sources", "error", message)

    if not path.exists():
        return refuse(f"{path} does not exist")
    try:
        size = path.stat().st_size
        if size > MAX_LISTING_BYTES:
            return refuse(f"is {size} bytes, over the limit of {MAX_LISTING_BYTES}; is it the right file?")
        text = decode_listing(path.read_bytes())
    except ValueError as err:
        return refuse(str(err))
    except OSError as err:
        return refuse(f"cannot be read ({err.strerror or err})")
    try:
        entries = parse_listing(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        return refuse(f"malformed YAML{where}: {getattr(err, 'problem', None) or err}")
    except RecursionError:
        return refuse("malformed YAML: nested too deeply")
    if entries is None:
        return refuse("lists no documents (it is empty or holds only comments); add '- file: …' entries")
    if not isinstance(entries, list):
        return refuse("expected a list of entries (- file: ...)")
    if not entries:
        return refuse("lists no documents (an empty list); add '- file: …' entries")
    return entries, None


def _entry_problem(i: int, entry) -> str | None:
    if not isinstance(entry, dict) or not entry.get("file"):
        return f"entry {i} has no 'file'"
    for key, value in entry.items():
        if key in FIELDS and isinstance(value, (dict, list)):
            return f"entry {i}: '{key}' must be a single value, not a {type(value).__name__}"
        if key in FIELDS and len(str(value)) > (MAX_PATH if key == "file" else MAX_FIELD):
            return (f"entry {i}: '{key}' is {len(str(value))} characters long, over the limit of "
                    f"{MAX_PATH if key == 'file' else MAX_FIELD}")
    return None


def load_sources(raw: Path, listing: str = "sources.yaml") -> SourceList:
    raw = Path(raw)
    result = SourceList()
    entries, problem = _read_listing(raw / listing, listing)
    if problem is not None:
        result.problems.append(problem)
        result.listing_failed = True
        return result
    by_identity: dict[str, tuple[int, str]] = {}
    by_path: dict[Path, tuple[int, str]] = {}
    for i, entry in enumerate(entries, 1):
        problem = _entry_problem(i, entry)
        if problem:
            name = str(entry.get("file")) if isinstance(entry, dict) and entry.get("file") else listing
            result.problems.append(Problem(_short(name), "sources", "error", problem))
            continue
        file = str(entry["file"])
        unknown = sorted(str(k) for k in entry if k not in FIELDS)
        if unknown:
            result.problems.append(Problem(
                _short(file), "sources", "warning",
                f"entry {i} has unknown key(s) {', '.join(map(repr, unknown))}, ignored "
                f"(known: {', '.join(FIELDS)})"))
        bad_name = name_problem(file)
        if bad_name:
            result.problems.append(Problem(_short(repr(file)[1:-1]), "sources", "error", f"{bad_name}; not read"))
            continue
        try:
            resolved = _inside(raw, file)
        except (OSError, RuntimeError) as err:     # RuntimeError: a symlink loop (Python < 3.13)
            result.problems.append(Problem(file, "sources", "error",
                                           f"cannot be resolved (a symlink loop?): {err}; not read"))
            continue
        if resolved is None:
            result.problems.append(Problem(file, "sources", "error", "points outside raw/; refused, not read"))
            continue
        earlier = by_identity.get(identity(file)) or by_path.get(resolved)
        if earlier is not None:
            j, other = earlier
            same = "the same file" if by_path.get(resolved) else "names that differ only in case"
            result.problems.append(Problem(
                file, "sources", "error",
                f"entry {i} ({file!r}) and entry {j} ({other!r}) in {listing} are {same}; "
                f"a document must be listed once: entry {i} is not read"))
            continue
        try:
            is_file = resolved.is_file()
        except OSError as err:
            is_file, why = False, f"cannot be opened ({err.strerror or err})"
        else:
            why = f"listed in {listing} but not found in raw/"
        if not is_file:
            result.problems.append(Problem(file, "sources", "error", why))
            continue
        by_identity[identity(file)] = by_path[resolved] = (i, file)
        result.sources.append(Source(
            file=file, path=resolved,
            municipality=str(entry.get("municipality") or ""), title=str(entry.get("title") or ""),
            published=str(entry.get("published") or ""), url=str(entry.get("url") or ""),
            layout=str(entry.get("layout") or "")))
    listed = set(by_path)
    for pdf in sorted(raw.iterdir()):
        try:
            unlisted = pdf.suffix.lower() == ".pdf" and pdf.is_file() and pdf.resolve() not in listed
        except (OSError, RuntimeError):
            unlisted = False
        if unlisted:
            result.problems.append(Problem(pdf.name, "sources", "warning",
                                           f"in raw/ but not listed in {listing}; not read (add an entry to read it)"))
    return result
