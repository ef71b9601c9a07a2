"""Attendance machine exports → punches (machine user id, local date, seconds after midnight), every bad line named.

Three shapes, told apart by content, never by file name (an operator renames files freely):
- XLSX: the bytes start with the zip magic "PK\\x03\\x04"; read with the people import's reader (same zip-bomb limits,
  same fallback to openpyxl), then handled as a table like CSV.
- attlog: ZKTeco's text export (attlog.dat, 1_attlog.dat, "GLog"): one punch a line, `PIN <tab> YYYY-MM-DD HH:MM:SS
  <tab> verify <tab> state <tab> workcode <tab> reserved`; the trailing columns vary by firmware (0 to 4 of them)
  and some write spaces instead of tabs, so a line is split on any whitespace and only PIN, date and time are read.
  Detected when the first non-blank line has that shape.
- CSV: anything else that is text, with a header row: a user id column ("No. ID", "PIN", "User ID", "ID", ...) and
  either one timestamp column ("Waktu", "Tanggal/Jam", "DateTime", ...) or a date and a time column. `;`, `,` or tab
  delimited (the most frequent in the header wins); dates as dd/mm/yyyy, dd-mm-yyyy or yyyy-mm-dd.

Machines write local wall-clock time (models.py): nothing here converts time zones. The machine's state column
(check-in / check-out) is ignored: machines are set up inconsistently, the recap uses first and last punch of a day.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pamong.people.io.table import FileUnreadable, open_table

ZIP_MAGIC = b"PK\x03\x04"
MAX_USER_ID = 20  # DeviceUser.machine_user_id / Punch.machine_user_id
MIN_YEAR, MAX_YEAR = 2000, 2100  # a machine whose clock was never set reports 2000 or earlier; refused either way


@dataclass(frozen=True)
class BadRow:
    line: int  # line (text) or row (sheet) number, 1-based as an editor shows it
    value: str  # the offending text, shortened
    message: str  # why, in Indonesian


@dataclass
class ParsedFile:
    """Columns of the good rows (same length), the line of each, and every bad row."""

    fmt: str  # attlog | csv | xlsx
    user_ids: list[str] = field(default_factory=list)
    dates: list[dt.date] = field(default_factory=list)
    seconds: list[int] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    errors: list[BadRow] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.user_ids)

    def add(self, line: int, user_id: str, date: dt.date, seconds: int) -> None:
        self.user_ids.append(user_id)
        self.dates.append(date)
        self.seconds.append(seconds)
        self.lines.append(line)

    def bad(self, line: int, value: Any, message: str) -> None:
        text = "" if value is None else str(value)
        self.errors.append(BadRow(line, text if len(text) <= 80 else text[:77] + "...", message))


class UnreadableFile(Exception):
    """The file as a whole cannot be read (not a table, no header, broken zip); `message` in Indonesian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def detect_format(data: bytes) -> str:
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    first = next((ln for ln in _decode(data).splitlines() if ln.strip()), "")
    return "attlog" if _ATTLOG_LINE.match(first) else "csv"


def parse_punch_file(data: bytes) -> ParsedFile:
    """Every row of an export, good or bad. Raises UnreadableFile only when no row can be read at all."""
    fmt = detect_format(data)
    if fmt == "attlog":
        return _parse_attlog(_decode(data))
    if fmt == "xlsx":
        try:
            table = open_table("punches.xlsx", data)
        except FileUnreadable as exc:
            raise UnreadableFile(exc.message) from None
        try:
            return _parse_table("xlsx", list(table.columns), table.rows)
        except FileUnreadable as exc:
            raise UnreadableFile(exc.message) from None
        finally:
            table.close()
    return _parse_csv(_decode(data))


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); machine software on Windows writes ANSI (cp1252), whose names are read as such."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# --- values -----------------------------------------------------------------------------------------------------

_ATTLOG_LINE = re.compile(r"\s*\S+\s+\d{4}-\d{1,2}-\d{1,2}[ T]+\d{1,2}:\d{2}(:\d{2})?(\s|$)")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATE_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?$")


class ValueRefused(Exception):
    pass


def parse_date(text: str, cache: dict[str, dt.date] | None = None) -> dt.date:
    if cache is not None and text in cache:
        return cache[text]
    m = _DATE_ISO.match(text)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _DATE_DMY.match(text)
        if not m:
            raise ValueRefused("tanggal tidak dikenali (gunakan dd/mm/yyyy atau yyyy-mm-dd)")
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    try:
        value = dt.date(y, mo, d)
    except ValueError:
        raise ValueRefused("tanggal tidak ada di kalender") from None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueRefused(f"tahun {value.year} tidak wajar: periksa jam dan tanggal mesin presensi")
    if cache is not None:
        cache[text] = value
    return value


def parse_time(text: str) -> int:
    m = _TIME.match(text)
    if not m:
        raise ValueRefused("jam tidak dikenali (gunakan JJ:MM atau JJ:MM:DD)")
    h, mi, s = int(m[1]), int(m[2]), int(m[3] or 0)
    if h > 23 or mi > 59 or s > 59:
        raise ValueRefused("jam di luar 00:00:00–23:59:59")
    return h * 3600 + mi * 60 + s


def parse_user_id(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a PIN typed into Excel as a number: small integers are exact
    text = "" if value is None else str(value).strip()
    if not text:
        raise ValueRefused("ID pengguna mesin kosong")
    if len(text) > MAX_USER_ID:
        raise ValueRefused(f"ID pengguna mesin lebih dari {MAX_USER_ID} karakter")
    if any(c.isspace() for c in text):
        raise ValueRefused("ID pengguna mesin berisi spasi")
    if "\\" in text or not text.isprintable():
        raise ValueRefused("ID pengguna mesin berisi karakter yang tidak sah")
    return text


# --- attlog -------------------------------------------------------------------------------------------------------


# A well-formed line, matched over the whole text at once (in C): the fast path of a clean export.
_ATTLOG_CLEAN = re.compile(
    r"^[ \t]*([^\s\\]{1,20})[ \t]+(\d{4}-\d\d-\d\d)[ T]([01]\d|2[0-3]):([0-5]\d):([0-5]\d)"
    r"(?:[ \t][^\r\n]*)?\r?$",
    re.MULTILINE,
)


def _parse_attlog(text: str) -> ParsedFile:
    """A clean file (every line well formed, no blank line) is read by one regex pass; anything else line by line,
    which names each bad line."""
    lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    found = _ATTLOG_CLEAN.findall(text)
    if len(found) == lines:
        fast = _attlog_fast(found)
        if fast is not None:
            return fast
    return _parse_attlog_lines(text)


def _attlog_fast(found: list[tuple[str, str, str, str, str]]) -> ParsedFile | None:
    dates: dict[str, dt.date] = {}
    try:
        for day in {f[1] for f in found}:
            dates[day] = parse_date(day)
    except ValueRefused:
        return None  # a bad date somewhere: the line-by-line reader names it
    out = ParsedFile("attlog")
    out.user_ids = [f[0] for f in found]
    out.dates = [dates[f[1]] for f in found]
    out.seconds = [int(h) * 3600 + int(m) * 60 + int(s) for _u, _d, h, m, s in found]
    out.lines = list(range(1, len(found) + 1))
    return out


def _parse_attlog_lines(text: str) -> ParsedFile:
    out = ParsedFile("attlog")
    dates: dict[str, dt.date] = {}
    add, bad = out.add, out.bad
    for n, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) < 3:
            bad(n, line.strip(), "baris tidak lengkap: harus berisi ID pengguna, tanggal dan jam")
            continue
        pin, day, clock = parts[0], parts[1], parts[2]
        if "T" in day:  # "2026-03-02T07:01:02" (some exporters): the time is glued to the date
            day, clock = day.split("T", 1)
        try:
            # the hot path: a well-formed "HH:MM:SS" is read without the regex (6 million lines in the bench)
            if (
                len(clock) == 8
                and clock[2] == ":"
                and clock[5] == ":"
                and clock[:2].isdigit()
                and clock[3:5].isdigit()
                and clock[6:].isdigit()
                and clock < "24"
                and clock[3] < "6"
                and clock[6] < "6"
            ):
                secs = int(clock[:2]) * 3600 + int(clock[3:5]) * 60 + int(clock[6:])
            else:
                secs = parse_time(clock)
            date = parse_date(day, dates)
            if len(pin) > MAX_USER_ID or "\\" in pin or not pin.isprintable():
                pin = parse_user_id(pin)
        except ValueRefused as exc:
            bad(n, line.strip(), str(exc))
            continue
        add(n, pin, date, secs)
    return out


# --- tables (CSV, XLSX) -------------------------------------------------------------------------------------------

_USER_HEADERS = ("NO._ID", "NO_ID", "NOID", "NO.ID", "PIN", "USER_ID", "USERID", "ID", "ID_PENGGUNA", "AC-NO.",
                 "AC-NO", "AC_NO", "ENROLL_NUMBER", "ENROLLNUMBER", "BADGENUMBER", "ID_MESIN")  # fmt: skip
_STAMP_HEADERS = ("WAKTU", "TANGGAL/JAM", "TANGGAL_JAM", "TANGGAL_DAN_JAM", "DATETIME", "DATE_TIME", "DATE/TIME",
                  "TIMESTAMP", "CHECKTIME", "CHECK_TIME", "SCAN_TIME", "WAKTU_SCAN", "JAM/TANGGAL")  # fmt: skip
_DATE_HEADERS = ("TANGGAL", "TGL", "DATE", "TANGGAL_SCAN")
_TIME_HEADERS = ("JAM", "TIME", "JAM_SCAN", "PUKUL")


def _find(columns: Sequence[str], names: Iterable[str]) -> int | None:
    norm = [c.strip().upper() for c in columns]
    for name in names:
        if name in norm:
            return norm.index(name)
    return None


def _parse_csv(text: str) -> ParsedFile:
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        try:
            for row in reader:
                yield reader.line_num, row
        except csv.Error as exc:
            raise UnreadableFile(f"CSV tidak dapat dibaca di baris {reader.line_num}: {exc}") from None

    it = rows()
    for _line, header in it:
        if any(c.strip() for c in header):
            from pamong.people.io.table import normalise_header

            return _parse_table("csv", [normalise_header(h) for h in header], it)
    raise UnreadableFile("berkas kosong: tidak ada baris presensi")


def _parse_table(fmt: str, columns: list[str], rows: Iterator[tuple[int, Sequence[Any]]]) -> ParsedFile:
    user_col = _find(columns, _USER_HEADERS)
    stamp_col = _find(columns, _STAMP_HEADERS)
    date_col, time_col = _find(columns, _DATE_HEADERS), _find(columns, _TIME_HEADERS)
    if user_col is None or (stamp_col is None and (date_col is None or time_col is None)):
        raise UnreadableFile(
            "format berkas tidak dikenali: perlu kolom ID pengguna mesin (mis. 'No. ID', 'PIN', 'User ID') dan kolom "
            "waktu ('Waktu', 'Tanggal/Jam') atau kolom 'Tanggal' dan 'Jam' pada baris judul; atau berkas attlog mesin"
        )
    out = ParsedFile(fmt)
    dates: dict[str, dt.date] = {}
    for n, row in rows:
        if not any(v is not None and str(v).strip() for v in row):
            continue
        cells = list(row)
        cell = _cell_getter(cells)
        try:
            user_id = parse_user_id(cell(user_col))
            if date_col is not None and time_col is not None and stamp_col is None:
                date, secs = _date_of(cell(date_col), dates), _seconds_of(cell(time_col))
            else:
                date, secs = _stamp_of(cell(stamp_col), dates)
        except ValueRefused as exc:
            out.bad(n, delimiter_join(cells), str(exc))
            continue
        out.add(n, user_id, date, secs)
    return out


def _cell_getter(cells: list[Any]) -> Callable[[int | None], Any]:
    return lambda i: cells[i] if i is not None and i < len(cells) else None


def delimiter_join(cells: Sequence[Any]) -> str:
    return " | ".join("" if c is None else str(c) for c in cells)


def _text(v: Any) -> str:
    return "" if v is None else str(v).strip()


def _date_of(v: Any, cache: dict[str, dt.date]) -> dt.date:
    if isinstance(v, dt.datetime):
        v = v.date()
    if isinstance(v, dt.date):
        if not MIN_YEAR <= v.year <= MAX_YEAR:
            raise ValueRefused(f"tahun {v.year} tidak wajar: periksa jam dan tanggal mesin presensi")
        return v
    if not _text(v):
        raise ValueRefused("tanggal kosong")
    return parse_date(_text(v), cache)


def _seconds_of(v: Any) -> int:
    if isinstance(v, dt.datetime):
        return v.hour * 3600 + v.minute * 60 + v.second
    if isinstance(v, dt.time):
        return v.hour * 3600 + v.minute * 60 + v.second
    if isinstance(v, dt.timedelta):
        secs = int(v.total_seconds())
        if not 0 <= secs < 86400:
            raise ValueRefused("jam di luar 00:00:00–23:59:59")
        return secs
    if not _text(v):
        raise ValueRefused("jam kosong")
    return parse_time(_text(v))


def _stamp_of(v: Any, cache: dict[str, dt.date]) -> tuple[dt.date, int]:
    if isinstance(v, dt.datetime):
        return _date_of(v, cache), _seconds_of(v)
    text = _text(v)
    if not text:
        raise ValueRefused("waktu kosong")
    parts = text.replace("T", " ").split()
    if len(parts) != 2:
        raise ValueRefused("waktu tidak dikenali (gunakan 'dd/mm/yyyy JJ:MM:DD' atau 'yyyy-mm-dd JJ:MM:DD')")
    return parse_date(parts[0], cache), parse_time(parts[1])
