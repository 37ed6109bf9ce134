"""Hook implementations of messaging; the work lives in the modules they name."""
from core.sdk import hookimpl
from plugins.messaging import MANIFEST  # noqa: F401  (read by the plugin manager)


@hookimpl
def xf_models():
    from core.outbox import DeliveryAttempt, OutboxMessage, UrgeLog
    from core.timers import Timer
    from plugins.messaging.models import Message

    return [Message, OutboxMessage, DeliveryAttempt, UrgeLog, Timer]


@hookimpl
def xf_migrations():
    from pathlib import Path

    return [Path(__file__).parent / "migrations"]


@hookimpl
def xf_permissions():
    from plugins.messaging.permissions import PERMISSIONS

    return PERMISSIONS


@hookimpl
def xf_api_routers():
    from plugins.messaging import api

    return [api.mp, api.pc]


@hookimpl
def xf_admin_apps():
    from plugins.messaging.admin import MessagingApp

    return [MessagingApp]


@hookimpl
def xf_admin_header():
    from plugins.messaging.admin import header_bell

    return [header_bell()]


@hookimpl
def xf_channels():
    from plugins.messaging.channels import InAppChannel

    return [InAppChannel()]


@hookimpl
async def xf_seed(session, settings):
    # Runs at app start: kicks after a commit go to this Redis (best effort). Not under
    # env=test, so the suite never leaves jobs in a shared Redis; tests that want the kick
    # call core.outbox.configure(url) themselves.
    from core import outbox
    outbox.configure(None if settings.env == "test" else settings.redis_url)


@hookimpl
async def xf_step_entered(session, transition):
    from plugins.messaging.progress import step_entered

    await step_entered(session, transition)


@hookimpl
async def xf_step_failed(session, transition):
    from plugins.messaging.progress import step_failed

    await step_failed(session, transition)


@hookimpl
async def xf_reflowed(session, transition):
    from plugins.messaging.progress import reflowed

    await reflowed(session, transition)


@hookimpl
async def xf_record_finished(session, transition):
    from plugins.messaging.progress import finished

    await finished(session, transition)
