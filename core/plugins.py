"""Plugin manager: built-in and third-party plugins from the `xianfeng` entry-point group.

A plugin module exposes ``MANIFEST = {"name", "version", "depends", "title"}`` and hook
implementations. Plugins are registered in reverse dependency order because pluggy calls
the last registered implementation first: the result is that every hook runs a plugin's
implementation after those of the plugins it depends on.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from types import ModuleType

import pluggy

from core import hookspecs
from core.settings import Settings

ENTRY_POINT_GROUP = "xianfeng"


class PluginError(RuntimeError):
    """A plugin set that cannot start; the message names the plugin(s) at fault."""


@dataclass
class PluginInfo:
    name: str
    version: str
    title: str
    depends: list[str]
    module: ModuleType
    hooks: list[str] = field(default_factory=list)


def _manifest(module: ModuleType, origin: str) -> PluginInfo:
    manifest = getattr(module, "MANIFEST", None)
    if not isinstance(manifest, dict) or "name" not in manifest:
        raise PluginError(f"plugin {origin!r} has no MANIFEST with a name")
    hooks = sorted(n for n in dir(module) if n.startswith("xf_") and callable(getattr(module, n)))
    return PluginInfo(
        name=manifest["name"],
        version=str(manifest.get("version", "0")),
        title=manifest.get("title", manifest["name"]),
        depends=list(manifest.get("depends", [])),
        module=module,
        hooks=hooks,
    )


def discover(settings: Settings) -> list[PluginInfo]:
    found: dict[str, PluginInfo] = {}
    sources = [(ep.value, ep.load) for ep in entry_points(group=ENTRY_POINT_GROUP)]
    sources += [(path, lambda p=path: importlib.import_module(p)) for path in settings.plugins.extra]
    for origin, load in sources:
        try:
            module = load()
        except Exception as exc:
            raise PluginError(f"plugin {origin!r} failed to import: {exc}") from exc
        info = _manifest(module, origin)
        if info.name in found and found[info.name].module is not module:
            raise PluginError(f"two plugins are named {info.name!r}: {found[info.name].module.__name__} and {origin}")
        found[info.name] = info
    return [p for p in found.values() if p.name not in settings.plugins.disabled]


def order_by_depends(plugins: list[PluginInfo]) -> list[PluginInfo]:
    """Topological order (dependencies first); clear errors for a missing dependency or a cycle."""
    by_name = {p.name: p for p in plugins}
    for p in plugins:
        for dep in p.depends:
            if dep not in by_name:
                raise PluginError(f"plugin {p.name!r} depends on {dep!r}, which is not installed or is disabled")
    ordered: list[PluginInfo] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(p: PluginInfo, path: list[str]) -> None:
        if state.get(p.name) == 2:
            return
        if state.get(p.name) == 1:
            cycle = path[path.index(p.name):] + [p.name]
            raise PluginError(f"plugin dependency cycle: {' -> '.join(cycle)}")
        state[p.name] = 1
        for dep in p.depends:
            visit(by_name[dep], path + [p.name])
        state[p.name] = 2
        ordered.append(p)

    for p in sorted(plugins, key=lambda p: p.name):
        visit(p, [])
    return ordered


class Plugins:
    """The loaded plugin set: the pluggy manager plus the ordered manifests."""

    def __init__(self, settings: Settings):
        self.pm = pluggy.PluginManager(ENTRY_POINT_GROUP)
        self.pm.add_hookspecs(hookspecs)
        self.pm.hook.xf_addhooks.call_historic(kwargs={"pm": self.pm})
        self.ordered = order_by_depends(discover(settings))
        from core import dashboard_jobs
        from core.workflow import guards, permissions  # the core's own hook implementations

        self.pm.register(guards, name="core")
        self.pm.register(permissions, name="core_permissions")
        self.pm.register(dashboard_jobs, name="core_dashboard")
        for info in reversed(self.ordered):
            self.pm.register(info.module, name=info.name)
        self.pm.check_pending()

    @property
    def hook(self):
        return self.pm.hook

    def models(self) -> list:
        """Import every table class (the core's and the plugins') so the schema knows them."""
        import core.outbox  # noqa: F401  (outbox, timers and development tables belong to the core)
        import core.timers  # noqa: F401
        import core.workflow.components.application_form  # noqa: F401
        import core.workflow.components.general_meeting  # noqa: F401
        import core.workflow.components.publicity  # noqa: F401
        import core.workflow.components.review  # noqa: F401
        import core.workflow.components.talk  # noqa: F401
        import core.workflow.components.training_models  # noqa: F401
        import core.workflow.models  # noqa: F401

        return self.collect("xf_models")

    def names(self) -> list[str]:
        return [p.name for p in self.ordered]

    def collect(self, hook_name: str, **kwargs) -> list:
        """Flatten the list results of a registration hook, in dependency order."""
        items: list = []
        for result in getattr(self.hook, hook_name)(**kwargs):
            items.extend(result or [])
        return items

    async def run(self, hook_name: str, **kwargs) -> None:
        """Await an async hook's implementations one after the other, in dependency order."""
        for coro in getattr(self.hook, hook_name)(**kwargs):
            if coro is not None:
                await coro
