"""Customer import files, the pure part: read CSV/XLSX bytes, validate rows, group them by customer. No I/O.

Every row is checked with the API's own models (`records.schemas.CustomerCreate`), so a bad cell reads like the
API's 422: {row, field, message}. Several rows with the same customer key (the `number` column, else the folded
name) are one customer with several contacts. `import_key` is a hash of that natural key plus, without a number,
the first phone or email, so the same file imported twice finds the same customers.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from customer.records.schemas import CustomerCreate
from customer.search.rules import search_key
from servicekit.spreadsheets import unquote_cell

CUSTOMER_COLUMNS = (
    "number",
    "name",
    "industry",
    "size",
    "address",
    "source",
    "key_needs",
    "pain_points",
    "service_preferences",
    "service_type",
    "time_zone",
    "language",
    "customer_type",
    "stage",
    "tier",
    "service_level",
    "owner",
    "team",
    "tags",
)
CONTACT_COLUMNS = ("contact_name", "position", "phone", "email", "birthday")
COLUMNS = CUSTOMER_COLUMNS + CONTACT_COLUMNS
# headers Chinese spreadsheets commonly use
ALIASES = {
    "客户编号": "number",
    "客户名称": "name",
    "公司名称": "name",
    "名称": "name",
    "行业": "industry",
    "规模": "size",
    "地址": "address",
    "来源": "source",
    "客户类型": "customer_type",
    "阶段": "stage",
    "价值等级": "tier",
    "服务等级": "service_level",
    "负责人": "owner",
    "团队": "team",
    "标签": "tags",
    "联系人": "contact_name",
    "职位": "position",
    "电话": "phone",
    "手机": "phone",
    "邮箱": "email",
    "生日": "birthday",
}
TAG_SEPARATORS = re.compile(r"[,;，；、|]")
MAX_ROWS = 200_000


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not a table, wrong encoding, unknown columns)."""


def detect_format(file_name: str, data: bytes) -> str:
    if data[:4] == b"PK\x03\x04" or file_name.lower().endswith(".xlsx"):
        return "xlsx"
    return "csv"


def decode_csv(data: bytes) -> str:
    """UTF-8 with or without BOM; otherwise GB18030 (what Excel writes for Chinese CSVs on Windows)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFileError("file: neither UTF-8 nor GB18030 text") from None


def read_table(data: bytes, file_format: str) -> list[tuple[int, dict[str, str]]]:
    """(row number as a spreadsheet shows it, {column: text}) for every non-empty data row."""
    raw = _xlsx_rows(data) if file_format == "xlsx" else list(csv.reader(io.StringIO(decode_csv(data))))
    if not raw:
        raise ImportFileError("file: empty")
    header = [_column(cell) for cell in raw[0]]
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        raise ImportFileError(f"file: unknown column(s) {', '.join(unknown)}; known: {', '.join(COLUMNS)}")
    if "name" not in header and "number" not in header:
        raise ImportFileError("file: a name (or number) column is required")
    rows = []
    for index, cells in enumerate(raw[1:], start=2):
        values = {
            name: unquote_cell(cell.strip()).strip()
            for name, cell in zip(header, cells, strict=False)
            if name and cell and cell.strip()
        }
        if values:
            rows.append((index, values))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(f"file: more than {MAX_ROWS} rows; split it")
    return rows


def _column(header: str) -> str:
    name = (header or "").strip().lstrip("\ufeff")
    return ALIASES.get(name, name.lower().replace(" ", "_"))


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook  # only XLSX imports pay for it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ImportFileError(f"file: not a readable XLSX workbook ({type(exc).__name__})") from None
    try:
        return [[_cell_text(cell) for cell in row] for row in book.active.iter_rows(values_only=True)]
    finally:
        book.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone typed as a number
    return str(value)


@dataclass
class Group:
    """One customer of the file: its profile fields (only those given), contacts and source rows."""

    key: str
    import_key: str
    number: str | None
    first_row: int
    fields: dict[str, Any] = field(default_factory=dict)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)


@dataclass
class Plan:
    groups: list[Group]
    errors: list[dict[str, Any]]
    total_rows: int

    @property
    def bad_rows(self) -> int:
        return len({error["row"] for error in self.errors})


def validate(rows: list[tuple[int, dict[str, str]]]) -> Plan:
    groups: dict[str, Group] = {}
    errors: list[dict[str, Any]] = []
    for row_number, values in rows:
        key = _customer_key(values)
        if key is None:
            errors.append({"row": row_number, "field": "name", "message": "Field required"})
            continue
        group = groups.get(key)
        payload = _payload(values, group)
        try:
            model = CustomerCreate.model_validate(payload)
        except ValidationError as exc:
            errors.extend({"row": row_number, "field": _field(e["loc"]), "message": e["msg"]} for e in exc.errors())
            continue
        given = model.model_dump(mode="json", include=model.model_fields_set - {"contacts"})
        if "name" not in values:
            given.pop("name", None)  # a follow-up row that names the customer by number only
        contacts = model.model_dump(mode="json", include={"contacts"}).get("contacts", [])
        if group is None:
            first = next((c["phones"][0]["number"] for c in contacts if c["phones"]), None) or next(
                (c["emails"][0]["address"] for c in contacts if c["emails"]), ""
            )
            natural = f"number:{values['number']}" if values.get("number") else f"name:{key}|{first}"
            group = groups[key] = Group(
                key=key,
                import_key=hashlib.sha256(natural.encode()).hexdigest(),
                number=values.get("number"),
                first_row=row_number,
            )
        for name, value in given.items():
            group.fields.setdefault(name, value)
        group.contacts.extend(contacts)
        group.rows.append(row_number)
    return Plan(groups=list(groups.values()), errors=errors, total_rows=len(rows))


def _customer_key(values: dict[str, str]) -> str | None:
    if values.get("number"):
        return "#" + values["number"]
    name = search_key(values.get("name", ""))
    return name or None


def _payload(values: dict[str, str], group: Group | None) -> dict[str, Any]:
    payload: dict[str, Any] = {
        column: values[column] for column in CUSTOMER_COLUMNS if column in values and column != "number"
    }
    if "name" not in payload:  # rows that refer to their customer by number only
        payload["name"] = (group.fields.get("name") if group else None) or values.get("number", "")
    if "tags" in payload:
        payload["tags"] = [tag for tag in TAG_SEPARATORS.split(payload["tags"]) if tag.strip()]
    if any(column in values for column in CONTACT_COLUMNS):
        contact: dict[str, Any] = {"name": values.get("contact_name")}
        if "position" in values:
            contact["position"] = values["position"]
        if "birthday" in values:
            contact["birthday"] = values["birthday"]
        contact["phones"] = [values["phone"]] if "phone" in values else []
        contact["emails"] = [values["email"]] if "email" in values else []
        payload["contacts"] = [contact]
    return payload


_CONTACT_FIELDS = {"phones": "phone", "emails": "email", "name": "contact_name"}


def _field(loc: tuple[Any, ...]) -> str:
    """A pydantic error location -> the file's column name."""
    if loc and loc[0] == "contacts" and len(loc) > 2:
        return _CONTACT_FIELDS.get(str(loc[2]), str(loc[2]))
    return str(loc[0]) if loc else "row"
