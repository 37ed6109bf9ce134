"""Hook implementations of dev_candidate: permissions, the stage declaration, the phone
screens and the messages of people entering a step where they must act."""
from core.sdk import hookimpl
from plugins.dev_candidate import MANIFEST  # noqa: F401  (read by the plugin manager)


@hookimpl
def xf_permissions():
    from plugins.dev_candidate.permissions import PERMISSIONS

    return PERMISSIONS


@hookimpl
def xf_stages():
    from plugins.dev_candidate.stage import STAGE

    return [STAGE]


@hookimpl
def xf_mobile_screens():
    from plugins.dev_candidate.screens import SCREENS

    return SCREENS


@hookimpl
async def xf_step_entered(session, transition):
    from plugins.dev_candidate.notices import step_entered

    await step_entered(session, transition)
