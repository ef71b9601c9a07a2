"""A streaming reader for the first worksheet of an .xlsx file: values only, constant memory, ~3x faster than
openpyxl's read-only iteration.

Why: openpyxl's read-only mode spends ~13 µs per cell in Python. Measured on the 2-core machine, an employee
sheet of 100,000 rows × 32 columns: openpyxl 43 s, this reader 14 s (20,000 rows: 7.5 s vs 2.6 s) — a third of
the two-minute budget for a 100,000-row import saved. It parses the sheet XML with expat and yields the same
values openpyxl's `iter_rows(values_only=True)` with `data_only=True` does: shared and inline strings (rich text
flattened, phonetic hints dropped), numbers as int or float, booleans, error codes as text, cached formula
results, and numbers in a date style as `datetime` (openpyxl's own `is_date_format` and `from_excel`, 1900 and
1904 date systems). tests/people/test_import_xlsx_reader.py holds it against openpyxl.

Anything it does not understand before the first row is read raises `Unsupported`, and the caller falls back
to openpyxl (table.py), so an odd file is slower, never misread.
"""

from __future__ import annotations

import io
import posixpath
import xml.parsers.expat
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree as ET

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

_REL_TYPE_STYLES = "/styles"
_REL_TYPE_STRINGS = "/sharedStrings"
_REL_TYPE_DOC = "/officeDocument"


class Unsupported(Exception):
    """The fast reader cannot read this file; use openpyxl."""


class Broken(Exception):
    """The worksheet XML is malformed."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _attr(el: ET.Element, name: str) -> str | None:
    for key, value in el.attrib.items():
        if _local(key) == name:
            return value
    return None


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part path) for a part ("xl/workbook.xml")."""
    folder, name = posixpath.split(part)
    path = posixpath.join(folder, "_rels", name + ".rels")
    try:
        root = ET.fromstring(zf.read(path))
    except KeyError:
        return {}
    out = {}
    for rel in root:
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        full = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id", "")] = (rel.get("Type", ""), full)
    return out


def _shared_strings(zf: zipfile.ZipFile, path: str | None) -> list[str]:
    if path is None:
        return []
    strings: list[str] = []
    parts: list[str] = []
    skip = 0  # inside <rPh> (phonetic hints), whose text is not part of the value
    root: ET.Element | None = None
    with zf.open(path) as fh:
        for event, el in ET.iterparse(fh, events=("start", "end")):
            tag = _local(el.tag)
            if event == "start":
                if root is None:
                    root = el
                if tag == "rPh":
                    skip += 1
                elif tag == "si":
                    parts = []
                continue
            if tag == "t" and not skip:
                parts.append(el.text or "")
            elif tag == "rPh":
                skip -= 1
            elif tag == "si":
                strings.append("".join(parts))
                if root is not None:
                    root.clear()  # keep memory flat: the strings are copied out
    return strings


def _date_styles(zf: zipfile.ZipFile, path: str | None) -> tuple[set[int], set[int]]:
    """Indices of cellXfs whose number format is a date (and a duration), as openpyxl decides."""
    if path is None:
        return set(), set()
    root = ET.fromstring(zf.read(path))
    custom: dict[int, str] = {}
    dates: set[int] = set()
    durations: set[int] = set()
    for child in root:
        if _local(child.tag) == "numFmts":
            for fmt in child:
                custom[int(fmt.get("numFmtId", "0"))] = fmt.get("formatCode", "")
    for child in root:
        if _local(child.tag) == "cellXfs":
            for idx, xf in enumerate(child):
                fmt_id = int(xf.get("numFmtId", "0"))
                code = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id)
                if code and is_date_format(code):
                    dates.add(idx)
                if code and is_timedelta_format(code):
                    durations.add(idx)
    return dates, durations


def _column_index(ref: str) -> int:
    """'AB12' -> 27 (0-based)."""
    n = 0
    for ch in ref:
        o = ord(ch)
        if 65 <= o <= 90:
            n = n * 26 + o - 64
        elif 97 <= o <= 122:
            n = n * 26 + o - 96
        else:
            break
    return n - 1


def read_first_sheet(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    """(spreadsheet row number, values) for every row element of the first worksheet, in order.

    Raises Unsupported (before yielding anything) when the package layout is not understood; Broken when the
    worksheet XML turns out to be malformed while streaming."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(content))
        root_rels = _rels(zf, "")
        doc = next((t for typ, t in root_rels.values() if typ.endswith(_REL_TYPE_DOC)), "xl/workbook.xml")
        wb = ET.fromstring(zf.read(doc))
        sheets = next((el for el in wb if _local(el.tag) == "sheets"), None)
        first = next(iter(sheets), None) if sheets is not None else None
        if first is None:
            raise Unsupported("no sheets")
        pr = next((el for el in wb if _local(el.tag) == "workbookPr"), None)
        epoch = MAC_EPOCH if pr is not None and pr.get("date1904") in ("1", "true") else WINDOWS_EPOCH
        rels = _rels(zf, doc)
        rid = _attr(first, "id")
        if rid not in rels:
            raise Unsupported("sheet relationship not found")
        sheet_path = rels[rid][1]
        strings_path = next((t for typ, t in rels.values() if typ.endswith(_REL_TYPE_STRINGS)), None)
        styles_path = next((t for typ, t in rels.values() if typ.endswith(_REL_TYPE_STYLES)), None)
        shared = _shared_strings(zf, strings_path)
        dates, durations = _date_styles(zf, styles_path)
        stream = zf.open(sheet_path)
    except (KeyError, ValueError, ET.ParseError, zipfile.BadZipFile, StopIteration) as exc:
        raise Unsupported(str(exc)) from None
    return _stream(stream, shared, dates, durations, epoch)


def _stream(
    stream: Any, shared: list[str], dates: set[int], durations: set[int], epoch: Any
) -> Iterator[tuple[int, list[Any]]]:
    # Hot loop: ~5 expat callbacks per cell, so plain closures over local state, most frequent tags first.
    out: list[tuple[int, list[Any]]] = []
    buf: list[str] = []
    date_styles = {str(i) for i in dates}
    columns: dict[str, int] = {}
    row = 0
    values: list[Any] = []
    col = -1
    typ = "n"
    style = ""
    mode = 0  # 0 = ignore text, 1 = inside <v>, 2 = inside <t> of an inline string, 3 = inside <rPh>
    has_text = False

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal row, values, col, typ, style, mode, has_text
        if tag == "c":
            ref = attrs.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                c = columns.get(letters)
                col = c if c is not None else columns.setdefault(letters, _column_index(letters))
            else:
                col += 1
            typ = attrs.get("t", "n")
            style = attrs.get("s", "")
            has_text = False
            buf.clear()
        elif tag == "v":
            mode = 1
            buf.clear()
        elif tag == "t":
            if typ == "inlineStr" and mode != 3:
                mode = 2
        elif tag == "row":
            r = attrs.get("r")
            row = int(r) if r else row + 1
            values = []
            col = -1
        elif tag == "rPh":
            mode = 3
        elif ":" in tag:  # a prefixed document (<x:c>): same handling
            start(tag.rpartition(":")[2], attrs)

    def end(tag: str) -> None:
        nonlocal mode, has_text
        if tag == "c":
            if not has_text:
                return
            text = "".join(buf)
            if typ == "n":
                if not text:
                    return
                number: int | float = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
                if style in date_styles:
                    try:
                        value: Any = from_excel(number, epoch, timedelta=int(style) in durations)
                    except (OverflowError, ValueError):
                        value = "#VALUE!"
                else:
                    value = number
            elif typ == "s":
                value = shared[int(text)]
            elif typ == "b":
                value = bool(int(text))
            elif typ == "d":
                value = from_ISO8601(text)
            else:  # inlineStr, str (formula result), e (error code)
                value = text
            n = len(values)
            if col >= n:
                values.extend([None] * (col - n + 1))
            values[col] = value
        elif tag == "v" or (tag == "t" and mode == 2):
            mode = 0
            has_text = True
        elif tag == "row":
            out.append((row, values))
        elif tag == "rPh":
            mode = 0
        elif ":" in tag:
            end(tag.rpartition(":")[2])

    def chars(data: str) -> None:
        if mode == 1 or mode == 2:
            buf.append(data)

    parser = xml.parsers.expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        with stream:
            while True:
                block = stream.read(1 << 16)
                parser.Parse(block, not block)
                if out:
                    yield from out
                    out.clear()
                if not block:
                    break
    except (xml.parsers.expat.ExpatError, ValueError, IndexError) as exc:
        raise Broken(str(exc)) from None
