"""The file-name rules of the symposium's batch upload (core/workflow/components/symposium_upload.py),
without a database: what matches 姓名+学号, and every kind of file reported by name."""
import io
import zipfile

from core.workflow.components.symposium_upload import Incoming, Person, expand, match

PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
PEOPLE = [Person(1, "张三", "20230001"), Person(2, "李四", "20230002"), Person(3, "阿依古丽·买买提", "2023A003"),
          Person(4, "王五", "20230004")]
ALL = {1, 2, 3, 4}


def files(*names: str) -> list[Incoming]:
    return [Incoming(n, PDF, "pdf") for n in names]


def test_name_then_number_with_or_without_separators_full_width_and_case():
    got = match(files("张三20230001.pdf", "李四_20230002.PDF", "阿依古丽·买买提 2023a003.pdf", "王五－２０２３０００４.jpg"),
                PEOPLE, ALL)
    assert not got.problems
    assert sorted((f.name, p.record_id) for f, p in got.matched) == [
        ("张三20230001.pdf", 1), ("李四_20230002.PDF", 2), ("王五－２０２３０００４.jpg", 4), ("阿依古丽·买买提 2023a003.pdf", 3)]


def test_anything_else_is_reported_with_its_reason():
    got = match(files("张三.pdf", "20230001张三.pdf", "张三20230001(1).pdf", "李四20230001.pdf", "赵六20239999.pdf"),
                PEOPLE, ALL)
    reasons = {p.file: p.reason for p in got.problems}
    assert not got.matched
    assert set(reasons) == {"张三.pdf", "20230001张三.pdf", "张三20230001(1).pdf", "李四20230001.pdf", "赵六20239999.pdf"}
    assert reasons["李四20230001.pdf"] == "学号20230001对应的是张三，姓名与学号不一致"
    assert "文件名应为“姓名+学号”" in reasons["张三.pdf"] and "文件名应为“姓名+学号”" in reasons["赵六20239999.pdf"]


def test_two_files_for_one_person_are_both_reported_and_the_rest_still_matches():
    got = match(files("张三20230001.pdf", "张三_20230001.jpg", "李四20230002.pdf"), PEOPLE, ALL)
    assert [(f.name, p.record_id) for f, p in got.matched] == [("李四20230002.pdf", 2)]
    assert {p.file: p.reason for p in got.problems} == {
        "张三20230001.pdf": "与“张三_20230001.jpg”对应同一人员，每人只能上传一个文件",
        "张三_20230001.jpg": "与“张三20230001.pdf”对应同一人员，每人只能上传一个文件"}


def test_a_name_two_people_share_is_ambiguous():
    people = [Person(1, "李A", "12"), Person(2, "李", "A12")]
    got = match(files("李A12.pdf"), people, {1, 2})
    assert not got.matched and got.problems[0].reason.startswith("文件名对应多名人员")


def test_a_person_not_ticked_is_reported():
    got = match(files("张三20230001.pdf"), PEOPLE, {2})
    assert not got.matched and got.problems[0].reason == "未勾选张三（20230001），请勾选后再上传"


def test_zip_members_with_gbk_names_count_as_files_and_bad_files_are_named():
    gbk = "记录表/张三20230001.pdf".encode("gbk")
    placeholder = b"x" * len(gbk)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(placeholder.decode(), PDF)
        z.writestr("李四20230002.png", PNG)
        z.writestr("__MACOSX/._张三20230001.pdf", b"junk")
        z.writestr("说明.txt", b"hello")
    archive = buf.getvalue().replace(placeholder, gbk)  # as Windows' zip writes names: GBK bytes, no UTF-8 flag
    usable, problems = expand([("扫描件.zip", archive), ("空.pdf", b""), ("大.pdf", PDF + b"x" * 100),
                               ("坏.zip", b"PK\x03\x04broken")], max_bytes=64)
    assert sorted(f.name for f in usable) == ["扫描件.zip/张三20230001.pdf", "扫描件.zip/李四20230002.png"]
    assert {p.file: p.reason for p in problems} == {
        "扫描件.zip/说明.txt": "文件类型不支持，只能上传 JPG、PNG 图片或 PDF 文件", "空.pdf": "文件为空",
        "大.pdf": "文件超过大小限制", "坏.zip": "压缩包已损坏，无法打开"}
    got = match(usable, PEOPLE, ALL)
    assert sorted(p.record_id for _, p in got.matched) == [1, 2] and not got.problems
