"""Plugins never import each other's internals (docs/architecture.md, the plugin contract): a
plugin's modules may import its own modules, the core (``core.sdk`` and the core behind it)
and the ``models`` module of a plugin it depends on (directly or through another dependency),
and nothing else of another plugin. The test
reads every module of every built-in plugin with ``ast`` (no plugin is imported), so a
lazy import inside a function counts as much as one at the top."""
import ast
from pathlib import Path

import pytest

PLUGINS = Path(__file__).resolve().parent.parent / "plugins"


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """Every module an ``import`` or ``from … import`` names, with its line; for a
    ``from plugins.x import y`` the names imported are modules too (``plugins.x.y``)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            if node.module.count(".") == 1 and node.module.startswith("plugins."):
                found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def manifest(package: Path) -> dict:
    """A plugin's MANIFEST, read from its ``__init__.py`` as a literal."""
    for node in ast.parse((package / "__init__.py").read_text("utf-8")).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets] == ["MANIFEST"]:
            return ast.literal_eval(node.value)
    return {}


def dependencies(name: str, root: Path) -> set[str]:
    """The plugins ``name`` depends on, directly or through another dependency."""
    found: set[str] = set()
    todo = list(manifest(root / name).get("depends", []))
    while todo:
        dep = todo.pop()
        if dep not in found and (root / dep / "__init__.py").exists():
            found.add(dep)
            todo += manifest(root / dep).get("depends", [])
    return found


def foreign_internals(path: Path, root: Path = PLUGINS) -> list[str]:
    """The imports of ``path`` that reach into another plugin: past its ``models``, or into the
    models of a plugin that is not a dependency."""
    own = path.relative_to(root).parts[0]
    deps = dependencies(own, root)
    bad = []
    for line, module in imported_modules(ast.parse(path.read_text("utf-8"), str(path))):
        parts = module.split(".")
        if parts[0] != "plugins" or len(parts) < 3 or parts[1] == own or (parts[2] == "models" and parts[1] in deps):
            continue
        bad.append(f"{path.relative_to(root.parent).as_posix()}:{line} imports {module}")
    return bad


def plugin_modules() -> list[Path]:
    return sorted(p for p in PLUGINS.rglob("*.py") if p.parent != PLUGINS and "tests" not in p.relative_to(PLUGINS).parts)


def test_every_plugin_module_is_read():
    names = {p.relative_to(PLUGINS).parts[0] for p in plugin_modules()}
    assert {"org_mgmt", "user_mgmt", "dev_activist", "dev_candidate", "dev_probation", "evaluation"} <= names


@pytest.mark.parametrize("path", plugin_modules(), ids=lambda p: str(p.relative_to(PLUGINS)))
def test_plugin_imports_only_core_and_dependency_models(path):
    assert foreign_internals(path) == []


def test_an_import_of_another_plugins_internals_is_found(tmp_path):
    """The check itself can fail: a module of a fake plugin reaching into dev_activist."""
    root = tmp_path / "plugins"
    for name, depends in (("fake_stage", ["dev_activist"]), ("dev_activist", ["org_mgmt"]), ("org_mgmt", []),
                          ("messaging", [])):
        (root / name).mkdir(parents=True)
        (root / name / "__init__.py").write_text(f"MANIFEST = {{'name': {name!r}, 'depends': {depends!r}}}\n", "utf-8")
    module = root / "fake_stage" / "stage.py"
    module.write_text("from plugins.dev_activist.stage import branch_names\n"
                      "from plugins.dev_activist import notices, models\n"
                      "from plugins.org_mgmt.models import Organisation\n"
                      "from plugins.fake_stage.shared import x\n"
                      "from core.sdk import Stage\n"
                      "from plugins.messaging.models import Message\n"
                      "def f():\n    import plugins.user_mgmt.users\n", "utf-8")
    assert foreign_internals(module, root) == [
        "plugins/fake_stage/stage.py:1 imports plugins.dev_activist.stage",
        "plugins/fake_stage/stage.py:2 imports plugins.dev_activist.notices",
        "plugins/fake_stage/stage.py:6 imports plugins.messaging.models",
        "plugins/fake_stage/stage.py:8 imports plugins.user_mgmt.users",
    ]
