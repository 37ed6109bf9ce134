"""The hooks every stage plugin writes the same way, made once from its declarations: its
permissions (``permissions.PERMISSIONS``), its stages (``STAGE`` of each named module), its
phone screens (``screens.SCREENS``) and the messages of people entering a step where they
must act (``notices.NOTICES``, MSG-1). A stage plugin's ``plugin.py`` is then one line of
hooks, and its ``notices.py`` a table: what differs between stages is declared, not coded.

The declarations are imported when a hook first runs, as a hand-written hook would, so
loading the plugin stays cheap."""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import NamedTuple

from core.hookspecs import hookimpl
from core.outbox import notify
from core.workflow import assignments


@dataclass(frozen=True)
class StepNotice:
    """A to-do message when records enter a step: to the people themselves, or (``role``) to
    those assigned to them in that role (培养联系人, 入党介绍人). ``{n}`` in the body is the
    number of records that entered."""
    title: str
    body: str
    link: str
    role: str = ""


Notices = dict[tuple[str, str], tuple[StepNotice, ...]]  # (stage, step) -> the notices, sent in order


async def send_notices(session, transition, notices: Notices) -> None:
    """Send the notices declared for the step the transition entered (none: nothing)."""
    for notice in notices.get((transition.to_stage, transition.to_step), ()):
        if notice.role:
            found = await assignments.current(session, [r.id for r in transition.records], notice.role)
            users = {a.user_id for items in found.values() for a in items if a.user_id}
        else:
            users = transition.user_ids
        await notify(session, users, notice.title, notice.body.format(n=len(transition.records)), kind="todo",
                     link=notice.link, object_type="dev_record")


class StageHooks(NamedTuple):
    xf_permissions: object
    xf_stages: object
    xf_mobile_screens: object
    xf_step_entered: object


def stage_hooks(package: str, stage_modules: tuple[str, ...] = ("stage",)) -> StageHooks:
    """The four hooks of the stage plugin ``package`` (its ``__package__``), reading its
    declarations: ``permissions.PERMISSIONS``, ``<module>.STAGE`` for each of
    ``stage_modules`` in order, ``screens.SCREENS`` and ``notices.NOTICES``."""
    def declared(module: str, name: str):
        return getattr(import_module(f"{package}.{module}"), name)

    @hookimpl
    def xf_permissions():
        return declared("permissions", "PERMISSIONS")

    @hookimpl
    def xf_stages():
        return [declared(m, "STAGE") for m in stage_modules]

    @hookimpl
    def xf_mobile_screens():
        return declared("screens", "SCREENS")

    @hookimpl
    async def xf_step_entered(session, transition):
        await send_notices(session, transition, declared("notices", "NOTICES"))

    return StageHooks(xf_permissions, xf_stages, xf_mobile_screens, xf_step_entered)
