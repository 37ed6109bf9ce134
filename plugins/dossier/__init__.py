"""一人一档 (one dossier PDF per person, regulation step ㉕ 材料归档) and 历史数据导入 (bringing in
the people already in the process) — issue 16, part B.

A plugin rather than core modules: both only read the engine's tables through ``core.sdk`` and
add routes, pages, a worker job, permissions and one table of their own, which the hooks
already carry; nothing in the core has to know about them, and an installation that does not
want them disables the plugin."""

MANIFEST = {"name": "dossier", "version": "0.1.0", "depends": ["org_mgmt"], "title": "一人一档与历史数据导入"}
