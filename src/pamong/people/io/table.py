"""Reading an uploaded sheet (CSV or XLSX) into a header and rows, and parsing its cells.

CSV: UTF-8 with or without BOM; the delimiter (comma or semicolon) is detected from the header line.
XLSX: the first worksheet, streamed by xlsx.py (values as openpyxl's read-only mode gives them, ~3x faster);
openpyxl's read-only mode itself when that reader does not understand the package.
Rows keep their spreadsheet number (header = row 1), blank rows are skipped but still counted in numbering.

A cell parser takes the raw value — `str` from CSV; `str | int | float | datetime | bool | None` from openpyxl —
and returns a typed value or raises CellError with an Indonesian message. Identifiers (NIP, NIK, account and
phone numbers) must arrive as text: an Excel number cell has at most 15 significant digits, so an 18-digit NIP
stored as a number has already lost digits (reference/stack.md §5.4). Such cells are refused, never converted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .report import RowError
from .xlsx import Broken, TooLarge, Unsupported, check_shared_strings, read_first_sheet


class FileUnreadable(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


Parser = Callable[[Any], Any]


@dataclass
class Table:
    columns: list[str]  # normalised header names, "" where the header cell is empty
    rows: Iterator[tuple[int, Sequence[Any]]]  # (spreadsheet row number, raw values)
    _close: Callable[[], None] = field(default=lambda: None)

    def close(self) -> None:
        self._close()


def normalise_header(name: Any) -> str:
    """'Tanggal lahir ' -> 'TANGGAL_LAHIR' (case-insensitive, spaces to underscores)."""
    text = "" if name is None else str(name)
    return re.sub(r"\s+", "_", text.replace("\ufeff", "").strip()).upper()


def open_table(filename: str, content: bytes) -> Table:
    name = (filename or "").lower()
    if name.endswith(".csv"):
        return _open_csv(content)
    if name.endswith(".xlsx"):
        return _open_xlsx(content)
    if name.endswith(".xls"):
        raise FileUnreadable("format .xls (Excel 97-2003) tidak didukung; simpan ulang sebagai .xlsx atau .csv")
    raise FileUnreadable("jenis berkas tidak dikenal; gunakan .xlsx atau .csv (UTF-8)")


def _open_csv(content: bytes) -> Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileUnreadable(
            f"berkas CSV bukan UTF-8 (byte tidak dikenal di posisi {exc.start}); "
            "di Excel pilih Simpan Sebagai → 'CSV UTF-8 (Comma delimited)'"
        ) from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        while header is not None and not any(c.strip() for c in header):
            header = next(reader, None)  # leading blank lines: the header is the first non-blank line
    except csv.Error as exc:
        raise FileUnreadable(f"CSV tidak dapat dibaca: {exc}") from None
    if header is None:
        raise FileUnreadable("berkas kosong: tidak ada baris judul kolom")
    skipped = reader.line_num - 1

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        try:
            yield from enumerate(reader, start=2 + skipped)
        except csv.Error as exc:
            raise FileUnreadable(f"CSV tidak dapat dibaca di baris {reader.line_num}: {exc}") from None

    return Table([normalise_header(h) for h in header], rows())


def _open_xlsx(content: bytes) -> Table:
    try:
        rows = read_first_sheet(content)
    except Unsupported:
        return _open_xlsx_openpyxl(content)
    except TooLarge as exc:
        raise FileUnreadable(exc.message) from None

    def guarded() -> Iterator[tuple[int, Sequence[Any]]]:
        try:
            yield from rows
        except Broken as exc:
            raise FileUnreadable(f"isi lembar kerja XLSX rusak: {exc}") from None

    it = guarded()
    for _, header in it:
        if any(not is_blank(v) for v in header):
            return Table([normalise_header(h) for h in header], it)
    raise FileUnreadable("berkas kosong: tidak ada baris judul kolom")


def _open_xlsx_openpyxl(content: bytes) -> Table:
    """The reference reader, used when the fast one (xlsx.py) does not understand the package."""
    import zipfile

    from openpyxl import load_workbook

    try:
        check_shared_strings(content)  # openpyxl would load the whole table, unbounded
    except TooLarge as exc:
        raise FileUnreadable(exc.message) from None
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileUnreadable(
            f"berkas XLSX tidak dapat dibuka ({exc.__class__.__name__}); pastikan formatnya .xlsx"
        ) from None
    if not wb.worksheets:
        wb.close()
        raise FileUnreadable("berkas XLSX tidak berisi lembar kerja")
    ws = wb.worksheets[0]
    ws.reset_dimensions()  # some writers store a wrong <dimension>; read what is there
    it = enumerate(ws.iter_rows(values_only=True), start=1)
    for _, header in it:
        if any(not is_blank(v) for v in header):
            return Table([normalise_header(h) for h in header], (pair for pair in it), wb.close)
    wb.close()
    raise FileUnreadable("berkas kosong: tidak ada baris judul kolom")


# --- header -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser
    required: bool = False  # the column must be present (its cells may still be optional)


def check_header(columns: list[str], spec: Sequence[Column]) -> list[RowError]:
    """Unknown columns → one error; missing required columns → one error naming them; duplicates → one each."""
    known = {c.name for c in spec}
    errors = []
    unknown = [c for c in columns if c and c not in known]
    if unknown:
        errors.append(
            RowError(
                1,
                ", ".join(unknown),
                "",
                f"kolom tidak dikenal: {', '.join(unknown)}. Kolom yang dikenal: {', '.join(c.name for c in spec)}",
            )
        )
    missing = [c.name for c in spec if c.required and c.name not in columns]
    if missing:
        errors.append(RowError(1, ", ".join(missing), "", f"kolom wajib tidak ada: {', '.join(missing)}"))
    seen = set()
    for c in columns:
        if c and c in seen:
            errors.append(RowError(1, c, "", "kolom ini muncul lebih dari sekali"))
        seen.add(c)
    return errors


def extra_cells_error(n: int, values: Sequence[Any], columns: list[str]) -> RowError | None:
    """Data in a column without a header (or beyond the last header) would be lost: report it."""
    for i, v in enumerate(values):
        if (i >= len(columns) or not columns[i]) and not is_blank(v):
            return RowError(n, f"kolom ke-{i + 1} (tanpa judul)", display(v), "ada nilai di kolom tanpa judul")
    return None


def parse_rows(
    table: Table, spec: Sequence[Column], errors: list[RowError]
) -> Iterator[tuple[int, dict[str, Any], bool]]:
    """Parse every non-blank row: (row number, {column: value} for the columns present, whether all parsed).
    Cell errors are appended to `errors`; a row with errors still yields its good cells (for cross-checks)."""
    by_name = {c.name: c for c in spec}
    columns = table.columns
    present = [(i, by_name[name]) for i, name in enumerate(columns) if name in by_name]
    width = len(columns)
    loose = "" in columns
    for n, values in table.rows:
        if not any(v is not None and v != "" for v in values) or all(is_blank(v) for v in values):
            continue
        ok = True
        if len(values) > width or loose:
            extra = extra_cells_error(n, values, columns)
            if extra is not None:
                errors.append(extra)
                ok = False
        parsed: dict[str, Any] = {}
        for i, col in present:
            raw = values[i] if i < len(values) else None
            try:
                parsed[col.name] = col.parse(raw)
            except CellError as e:
                errors.append(RowError(n, col.name, display(raw), e.message))
                ok = False
        yield n, parsed, ok


def is_blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def display(v: Any) -> str:
    """A raw cell as shown back in an error. Floats as Excel holds them (15 significant digits), so a NIP stored
    as a number shows as 1.98609262015051e+17: the user sees the digits that were lost."""
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.15g}"
    if isinstance(v, dt.datetime):
        return f"{v:%d-%m-%Y}" if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return f"{v:%d-%m-%Y}"
    text = str(v).strip()
    return text if len(text) <= 120 else text[:117] + "..."


# --- cell parsers -------------------------------------------------------------------------------------------

_AS_DATE_HINT = "terbaca sebagai tanggal oleh Excel; format kolom ini sebagai Teks (Text)"


def as_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, bool):
        raise CellError("nilai benar/salah (TRUE/FALSE) tidak diharapkan di kolom ini")
    if isinstance(v, (dt.date, dt.datetime)):
        raise CellError(_AS_DATE_HINT)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def text(max_length: int, *, required: bool = False, lower: bool = False) -> Parser:
    def parse(v: Any) -> str:
        s = as_text(v)
        if not s:
            if required:
                raise CellError("wajib diisi")
            return ""
        if len(s) > max_length:
            raise CellError(f"terlalu panjang: {len(s)} karakter, paling banyak {max_length}")
        return s.lower() if lower else s

    return parse


_SCIENTIFIC = re.compile(r"^\d+([.,]\d+)?[eE]\+?\d+$")


def text_number(label: str, max_length: int, *, required: bool = False) -> Parser:
    """An identifier made of digits (NIP, NIK, account number, phone): must be a text cell."""
    hint = (
        f"{label} tersimpan sebagai angka di Excel sehingga digit bisa hilang atau berubah; "
        f"format kolom ini sebagai Teks (Text) lalu isi ulang {label} apa adanya"
    )

    def parse(v: Any) -> str:
        if isinstance(v, (bool, int, float)):
            raise CellError(hint)
        s = as_text(v)
        if s.startswith("'"):  # Excel's "store as text" prefix, when it leaks into a CSV
            s = s[1:].strip()
        if _SCIENTIFIC.match(s):
            raise CellError(hint)
        if not s:
            if required:
                raise CellError("wajib diisi")
            return ""
        if len(s) > max_length:
            raise CellError(f"terlalu panjang: {len(s)} karakter, paling banyak {max_length}")
        return s

    return parse


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})([-/])(\d{1,2})\2(\d{4})$")
_DATE_FORMATS = "YYYY-MM-DD, DD-MM-YYYY atau DD/MM/YYYY"


def _to_date(v: Any) -> dt.date | None:
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        raise CellError(f"bukan tanggal; isi sebagai sel tanggal Excel atau teks {_DATE_FORMATS}")
    return _date_from_text(str(v).strip())


@lru_cache(maxsize=8192)  # many rows share the same dates
def _date_from_text(s: str) -> dt.date | None:
    if not s:
        return None
    m = _ISO.match(s)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _DMY.match(s)
        if not m:
            raise CellError(f"format tanggal tidak dikenal; gunakan {_DATE_FORMATS}")
        d, mo, y = int(m[1]), int(m[3]), int(m[4])
    if not 1900 <= y <= 2100:
        raise CellError("tahun di luar rentang 1900–2100")
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise CellError("tanggal tidak ada di kalender") from None


def date(*, required: bool = False) -> Parser:
    def parse(v: Any) -> dt.date | None:
        d = _to_date(v)
        if d is None and required:
            raise CellError("wajib diisi")
        return d

    return parse


_INT = re.compile(r"^[-+]?\d+$")
_WHOLE_DECIMAL = re.compile(r"^[-+]?\d+[.,]0+$")


def integer(*, lo: int, hi: int, required: bool = False, default: int | None = None) -> Parser:
    def parse(v: Any) -> int | None:
        if isinstance(v, bool):
            raise CellError("harus bilangan bulat")
        if isinstance(v, int):
            n = v
        elif isinstance(v, float):
            if not v.is_integer():
                raise CellError("harus bilangan bulat")
            n = int(v)
        else:
            s = as_text(v)
            if not s:
                if required:
                    raise CellError("wajib diisi")
                return default
            if _INT.match(s):
                n = int(s)
            elif _WHOLE_DECIMAL.match(s):  # "3.0" or "3,0" from a spreadsheet
                n = int(re.split(r"[.,]", s)[0])
            else:
                raise CellError("harus bilangan bulat")
        if not lo <= n <= hi:
            raise CellError(f"harus antara {lo} dan {hi}")
        return n

    return parse


def choice_key(s: str) -> str:
    return re.sub(r"[\s\-_./]+", "", s.strip().lower())


def choice(mapping: dict[str, str], what: str, *, required: bool = False, allowed: str = "") -> Parser:
    """Case-insensitive choice; keys in `mapping` are compared without spaces, hyphens, dots or underscores."""
    table = {choice_key(k): v for k, v in mapping.items()}
    shown = allowed or ", ".join(dict.fromkeys(mapping.values()))

    def parse(v: Any) -> str:
        s = as_text(v)
        if not s:
            if required:
                raise CellError("wajib diisi")
            return ""
        found = table.get(choice_key(s))
        if found is None:
            raise CellError(f"{what} tidak dikenal; gunakan salah satu dari: {shown}")
        return found

    return parse


def choices_of(text_choices: Any) -> dict[str, str]:
    """A TextChoices class → {value: value, label: value} so both the code and its label are accepted."""
    out: dict[str, str] = {}
    for value, label in text_choices.choices:
        out[str(value)] = value
        out[str(label)] = value
    return out
