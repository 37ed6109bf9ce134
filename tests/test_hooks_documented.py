"""Every hook spec has a section in docs/hooks.md and a test named test_hook_<name>."""
import re
from pathlib import Path

from core import hookspecs

ROOT = Path(__file__).resolve().parent.parent


def _hooks() -> list[str]:
    return sorted(n for n in dir(hookspecs) if n.startswith("xf_") and callable(getattr(hookspecs, n)))


def _test_sources() -> str:
    files = list((ROOT / "tests").rglob("test_*.py")) + list((ROOT / "plugins").rglob("test_*.py"))
    return "\n".join(f.read_text("utf-8") for f in files)


def test_every_hook_has_a_doc_section():
    doc = (ROOT / "docs" / "hooks.md").read_text("utf-8")
    sections = set(re.findall(r"^## (xf_\w+)", doc, re.M))
    missing = [h for h in _hooks() if h not in sections]
    assert not missing, f"hooks without a section in docs/hooks.md: {missing}"


def test_every_hook_has_a_test():
    sources = _test_sources()
    missing = [h for h in _hooks() if not re.search(rf"def test_hook_{h}\b", sources)]
    assert not missing, f"hooks without a test_hook_<name> test: {missing}"


def test_the_checks_see_hooks():
    assert "xf_models" in _hooks() and len(_hooks()) >= 10
