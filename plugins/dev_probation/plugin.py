"""Hook implementations of dev_probation, made by the kit from its declarations: permissions,
the two stages (reception, then conversion), the phone screens and the messages of people
entering a step where they must act."""
from core.sdk import stage_hooks
from plugins.dev_probation import MANIFEST  # noqa: F401  (read by the plugin manager)

xf_permissions, xf_stages, xf_mobile_screens, xf_step_entered = stage_hooks(__package__, ("reception", "conversion"))
