"""The applicant stage's steps and the configured components that run them."""
from sqlalchemy import select

from core.workflow.components.publicity import PublicityComponent
from core.workflow.components.review import ReviewComponent
from core.workflow.components.talk import TalkComponent
from core.workflow.stages import Stage, Step

STAGE_KEY = "applicant"

STAGE = Stage(STAGE_KEY, [
    Step("application", "递交入党申请书", "review", (1,), permission="dev.applicant.review"),
    Step("talk", "党组织派人谈话", "talk", (2,), permission="dev.applicant.talk"),
    Step("publicity", "申请人公示", "publicity", (), permission="dev.applicant.publicity"),
])

LETTER = ReviewComponent(kind="application_letter", title="入党申请书", stage=STAGE_KEY, step="application",
                         milestone="applied_at")
TALK = TalkComponent(kind="first_talk", title="入党申请人谈话", record_title="《入党申请人谈话记录表》",
                     stage=STAGE_KEY, step="talk", milestone="talked_at")


async def branch_names(session, ids: list[int]) -> dict[int, str]:
    """Names of party branches (the publicity's 发布单位)."""
    from plugins.org_mgmt.models import Organisation

    return dict((await session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids)))).all())


PUBLICITY = PublicityComponent(kind="applicant", title="入党申请人公示", stage=STAGE_KEY, step="publicity",
                               people_label="入党申请人", milestone="applicant_publicized_at", branch_names=branch_names)
