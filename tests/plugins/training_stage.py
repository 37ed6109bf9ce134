"""A throwaway stage for the training class (DEV-9): two steps, each needing a class of its
own type (甲类 and 乙类 培训班) as a task, like the activist and candidate cultivations."""
from sqlalchemy import select

from core.sdk import Permission, Stage, Step, TaskSpec, TrainingComponent, hookimpl

MANIFEST = {"name": "training_stage", "version": "0.0.1", "depends": ["org_mgmt"], "title": "培训班组件测试阶段"}
PERMISSION = "trainingtest.manage"


async def branch_names(session, ids: list[int]) -> dict[int, str]:
    from plugins.org_mgmt.models import Organisation

    return dict((await session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids)))).all())


ALPHA = TrainingComponent(class_type="alpha", title="甲类培训班", branch_names=branch_names)
BETA = TrainingComponent(class_type="beta", title="乙类培训班", branch_names=branch_names)


@hookimpl
def xf_permissions():
    return [Permission(PERMISSION, "培训班组件测试", "pc", None, ("committee", "branch_admin"))]


@hookimpl
def xf_stages():
    return [Stage("conversion", [
        Step("course", "甲类培训", ALPHA, permission=PERMISSION, tasks=(TaskSpec("training", "甲类培训班"),)),
        Step("course2", "乙类培训", BETA, permission=PERMISSION, tasks=(TaskSpec("training", "乙类培训班"),)),
        Step("after", "培训后"),
    ], slug="training-test", view_permission=PERMISSION)]
