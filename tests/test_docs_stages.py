"""docs/stages.md shows files of the repo verbatim (the example step and its test, the
applicant stage): a block marked with its path must equal the file, so the docs cannot drift."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_marked_code_blocks_equal_their_files():
    doc = (ROOT / "docs" / "stages.md").read_text("utf-8")
    blocks = re.findall(r"<!-- file: (\S+) -->\n```python\n(.*?)\n```", doc, re.S)
    assert len(blocks) == 3
    for path, code in blocks:
        assert code == (ROOT / path).read_text("utf-8").rstrip("\n"), f"docs/stages.md shows an old {path}"


def test_the_example_is_at_most_80_lines():
    lines = [len((ROOT / p).read_text("utf-8").splitlines())
             for p in ("tests/plugins/interview_step/__init__.py", "tests/test_example_interview_step.py")]
    assert sum(lines) <= 80, lines
