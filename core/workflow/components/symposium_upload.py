"""Matching a batch of scanned record forms to the people of a symposium by file name
(批量上传记录, DEV-11). Pure functions over bytes and names, tested without a database.

The rules (docs/stages.md, "Symposium"):

- A file's name without its extension must be the person's 姓名 followed by their 学号
  (``张三20230001.pdf``); a separator between them is allowed (space, ``_``, ``-``, ``+``),
  full-width letters, digits and spaces count as their half-width forms, and letters of a
  学号 match in any case. Nothing else is guessed: ``张三.pdf``, ``20230001张三.pdf`` or
  ``张三20230001(1).pdf`` are not recognised.
- The person must be on the symposium's list and among those ticked (勾选) for the upload.
- A zip archive counts as the files inside it (folders ignored; names written by Windows
  tools in GBK are read as such).
- Reported by name, with the reason: a file that matches nobody, a name that matches two
  people (ambiguous), two files for the same person (duplicate: both), a person not ticked,
  a file that is not a picture or PDF, empty or too large. If any file is reported nothing
  is stored; otherwise every file is stored against its person (a new scan replaces the old).
"""
from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import PurePosixPath

from core.files import sniff_type

SEPARATORS = re.compile(r"[\s_\-+\u3000]+")
MAX_MEMBERS = 1000
ZIP_FACTOR = 20  # a zip of scans may be this many times the size limit of one file
SKIPPED = ("__MACOSX/", ".DS_Store", "Thumbs.db")


@dataclass
class Incoming:
    """One file of the upload (a zip member carries its own name)."""

    name: str
    data: bytes
    kind: str | None = None  # jpg | png | pdf, by content


@dataclass
class Person:
    record_id: int
    name: str
    student_no: str


@dataclass
class Problem:
    file: str
    reason: str


@dataclass
class Matching:
    matched: list[tuple[Incoming, Person]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def normalise(text: str) -> str:
    """What two spellings of 姓名+学号 share: NFKC (full-width → half-width), no separators, lower case."""
    return SEPARATORS.sub("", unicodedata.normalize("NFKC", text or "")).lower()


def stem(file_name: str) -> str:
    base = PurePosixPath(file_name.replace("\\", "/")).name
    return base.rsplit(".", 1)[0] if "." in base else base


def member_name(info: zipfile.ZipInfo) -> str:
    """A zip member's name as its author wrote it: UTF-8 when flagged, else GBK (Windows'
    built-in zip and most Chinese tools), else the cp437 that zipfile assumed."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def is_zip(name: str) -> bool:
    return name.lower().endswith(".zip")


def expand(files: list[tuple[str, bytes]], *, max_bytes: int) -> tuple[list[Incoming], list[Problem]]:
    """Uploaded (name, bytes) → the files to match: zip archives (up to ``ZIP_FACTOR`` times the
    size limit of one file) are opened; each file's type is read from its content. Files that
    cannot be used are problems, named."""
    out: list[Incoming] = []
    problems: list[Problem] = []
    for name, data in files:
        if is_zip(name):
            if len(data) > max_bytes * ZIP_FACTOR:
                problems.append(Problem(name, "压缩包超过大小限制"))
                continue
            try:
                archive = zipfile.ZipFile(BytesIO(data))
                members = [i for i in archive.infolist() if not i.is_dir()]
            except (zipfile.BadZipFile, OSError):
                problems.append(Problem(name, "压缩包已损坏，无法打开"))
                continue
            members = [i for i in members if not any(s in i.filename for s in SKIPPED)
                       and not PurePosixPath(i.filename).name.startswith(".")]
            if len(members) > MAX_MEMBERS:
                problems.append(Problem(name, f"压缩包内文件超过{MAX_MEMBERS}个"))
                continue
            for info in members:
                inner = f"{name}/{PurePosixPath(member_name(info)).name}"
                if info.file_size > max_bytes:
                    problems.append(Problem(inner, "文件超过大小限制"))
                    continue
                try:
                    with archive.open(info) as f:
                        content = f.read(max_bytes + 1)
                except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError):
                    problems.append(Problem(inner, "无法从压缩包中读取（可能已加密或损坏）"))
                    continue
                out.append(Incoming(inner, content))
            continue
        out.append(Incoming(name, data))
    usable = []
    for f in out:
        if not f.data:
            problems.append(Problem(f.name, "文件为空"))
        elif len(f.data) > max_bytes:
            problems.append(Problem(f.name, "文件超过大小限制"))
        else:
            f.kind = sniff_type(f.data[:16])
            if f.kind not in ("jpg", "png", "pdf"):
                problems.append(Problem(f.name, "文件类型不支持，只能上传 JPG、PNG 图片或 PDF 文件"))
            else:
                usable.append(f)
    return usable, problems


def match(files: list[Incoming], people: list[Person], ticked: set[int]) -> Matching:
    """Each file to one person of the symposium by 姓名+学号 (rules in the module's docstring)."""
    by_key: dict[str, list[Person]] = {}
    by_no: dict[str, Person] = {}
    for p in people:
        by_key.setdefault(normalise(p.name) + normalise(p.student_no), []).append(p)
        if p.student_no:
            by_no[normalise(p.student_no)] = p
    result = Matching()
    claimed: dict[int, list[Incoming]] = {}
    for f in files:
        key = normalise(stem(f.name))
        found = by_key.get(key, [])
        if len(found) > 1:
            result.problems.append(Problem(f.name, "文件名对应多名人员，无法确定是谁的记录表，请单个上传"))
            continue
        if not found:
            result.problems.append(Problem(f.name, _why_unmatched(key, by_no)))
            continue
        person = found[0]
        if person.record_id not in ticked:
            result.problems.append(Problem(f.name, f"未勾选{person.name}（{person.student_no}），请勾选后再上传"))
            continue
        claimed.setdefault(person.record_id, []).append(f)
        result.matched.append((f, person))
    twice = {rid for rid, fs in claimed.items() if len(fs) > 1}
    if twice:
        for rid in twice:
            names = [f.name for f in claimed[rid]]
            for f in claimed[rid]:
                others = "、".join(n for n in names if n != f.name)
                result.problems.append(Problem(f.name, f"与“{others}”对应同一人员，每人只能上传一个文件"))
        result.matched = [(f, p) for f, p in result.matched if p.record_id not in twice]
    return result


def _why_unmatched(key: str, by_no: dict[str, Person]) -> str:
    for no, p in by_no.items():
        if no and key.endswith(no):
            return f"学号{p.student_no}对应的是{p.name}，姓名与学号不一致"
    return "未找到对应人员：文件名应为“姓名+学号”，且该人员在本次座谈会名单中"
