"""Hook implementations of dev_applicant, made by the kit from its declarations: its
permissions and its stage (it has no phone screens or step messages of its own)."""
from core.sdk import stage_hooks
from plugins.dev_applicant import MANIFEST  # noqa: F401  (read by the plugin manager)

_hooks = stage_hooks(__package__)
xf_permissions, xf_stages = _hooks.xf_permissions, _hooks.xf_stages
