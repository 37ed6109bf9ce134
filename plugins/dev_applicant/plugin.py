"""Hook implementations of dev_applicant: its permissions and its stage declaration."""
from core.sdk import hookimpl
from plugins.dev_applicant import MANIFEST  # noqa: F401  (read by the plugin manager)


@hookimpl
def xf_permissions():
    from plugins.dev_applicant.permissions import PERMISSIONS

    return PERMISSIONS


@hookimpl
def xf_stages():
    from plugins.dev_applicant.stage import STAGE

    return [STAGE]
