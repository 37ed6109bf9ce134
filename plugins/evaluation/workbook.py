"""The uploaded workbook (EV-2): is it really an .xlsx, and which sheet holds the data.

The type is decided by the content, never the name: an .xls renamed .xlsx is still refused, and
the message says what the file is and how to save it as .xlsx. Secretaries keep notes, pivot tables
and old copies on other sheets and do not always put the data first, so every worksheet is scanned
for the header row: the one sheet that has it is imported; several candidates are refused with
their names (guessing could import last year's copy).
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from io import BytesIO
from typing import Any, Callable

from core.files import sniff_type
from core.sdk import fail

HEADER_SCAN_ROWS = 15  # the header row is looked for among the first rows of each sheet (title rows above it)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAVE_AS = "请在 Excel 中选择“文件 › 另存为”，保存类型选“Excel 工作簿（*.xlsx）”，再上传另存的文件"


def _refuse(status: int, msg: str):
    return fail(status, msg, field="file", label="文件")


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut by the sample's end
                return True
    return False


def check_xlsx(data: bytes) -> None:
    """Refuse anything but an .xlsx workbook, saying what it is and how to make an .xlsx of it."""
    if not data:
        raise _refuse(400, "文件为空，请选择填好数据的 Excel 文件（.xlsx）")
    if sniff_type(data[:16], data) == "xlsx":
        return
    if data.startswith(_OLE2):
        raise _refuse(415, "只能上传 Excel 文件（.xlsx）。该文件是旧版 Excel 97-2003 工作簿（.xls）或设置了打开密码的文件："
                           + _SAVE_AS + "（有打开密码的请先取消密码）")
    if _looks_like_text(data[:4096]):
        raise _refuse(415, "只能上传 Excel 文件（.xlsx）。该文件是文本文件（如 .csv）：请用 Excel 打开它，" + _SAVE_AS[3:])
    raise _refuse(415, "只能上传 Excel 文件（.xlsx）。该文件不是 Excel 工作簿：" + _SAVE_AS)


@dataclass
class Sheet:
    name: str
    header_index: int  # 0-based index of the header row in ``rows``
    rows: list[list[Any]]
    several: bool  # the workbook has more than one worksheet (messages then name the sheet)


def read_data_sheet(data: bytes, find_header: Callable[[list[list[Any]]], int | None], header_text: str) -> Sheet:
    """The worksheet whose first rows hold the header row (``find_header``), read in full.
    ``header_text`` describes the header for the message when no sheet has one."""
    import python_calamine as calamine
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    damaged = (calamine.CalamineError, calamine.PasswordError, calamine.XmlError, calamine.ZipError,
               zipfile.BadZipFile, ValueError, KeyError, OSError)

    try:
        wb = CalamineWorkbook.from_filelike(BytesIO(data))
        sheets = [m for m in wb.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        found = []
        for meta in sheets:  # each sheet is parsed once; only its first rows become Python values here
            sheet = wb.get_sheet_by_name(meta.name)
            h = find_header(sheet.to_python(skip_empty_area=False, nrows=HEADER_SCAN_ROWS))
            if h is not None:
                found.append((meta, h, sheet))
        if len(found) > 1:  # a hidden copy next to the visible data sheet is not a real choice
            visible = [f for f in found if f[0].visible == SheetVisibleEnum.Visible]
            found = visible if visible else found
        if len(found) == 1:
            meta, h, sheet = found[0]
            rows = sheet.to_python(skip_empty_area=False)
    except damaged as exc:  # a damaged or unusual file is the uploader's to fix, never a 500
        raise fail(422, "无法读取该 Excel 文件，文件可能已损坏：" + _SAVE_AS, field="file", label="文件") from exc
    names = "、".join(f"“{m.name}”" for m in sheets)
    if not found:
        where = f"所有工作表（{names}）" if len(sheets) > 1 else f"工作表{names}"
        raise fail(422, f"找不到表头行：{where}的前 {HEADER_SCAN_ROWS} 行都没有{header_text}。请使用下载的导入模板",
                   field="file", label="文件")
    if len(found) > 1:
        several = "、".join(f"“{m.name}”" for m, _, _ in found)
        raise fail(422, f"工作表 {several} 都有表头行，无法确定导入哪一个：请删除不需要导入的工作表（或其表头行）后再上传",
                   field="file", label="文件")
    return Sheet(name=meta.name, header_index=h, rows=rows, several=len(sheets) > 1)
