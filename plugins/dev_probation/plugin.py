"""Hook implementations of dev_probation: permissions, the two stage declarations, the phone
screens and the messages of people entering a step where they must act."""
from core.sdk import hookimpl
from plugins.dev_probation import MANIFEST  # noqa: F401  (read by the plugin manager)


@hookimpl
def xf_permissions():
    from plugins.dev_probation.permissions import PERMISSIONS

    return PERMISSIONS


@hookimpl
def xf_stages():
    from plugins.dev_probation.conversion import STAGE as CONVERSION
    from plugins.dev_probation.reception import STAGE as RECEPTION

    return [RECEPTION, CONVERSION]


@hookimpl
def xf_mobile_screens():
    from plugins.dev_probation.screens import SCREENS

    return SCREENS


@hookimpl
async def xf_step_entered(session, transition):
    from plugins.dev_probation.notices import step_entered

    await step_entered(session, transition)
