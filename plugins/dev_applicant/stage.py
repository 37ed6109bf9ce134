"""The applicant stage (manual 6.1, APP-1..4) as a declaration on the kit: the letter (我想入党,
review, branch proxy upload), the party talk, the applicant publicity. Completing the
publicity enters the activist stage. Routes, pages, list columns, actions and to-dos come
from the components."""
from core.sdk import PublicityComponent, ReviewComponent, Stage, StagePage, Step, TalkComponent, names_lookup
from plugins.org_mgmt.models import Organisation

CONDITIONS = (
    "年满18周岁",
    "承认党的纲领和章程，愿意参加党的一个组织并在其中积极工作、执行党的决议和按期交纳党费",
    "已在小程序完善个人基础信息",
    "本人自愿向所在党支部递交书面入党申请书",
)

# Names of party branches (a publicity's 发布单位), from org_mgmt which this plugin depends on.
branch_names = names_lookup(Organisation)

LETTER = ReviewComponent(kind="application_letter", title="入党申请书", key="letter", milestone="applied_at",
                         review_label="审核入党申请", starts_record=True, proxy=True, proxy_label="新增入党申请",
                         proxy_permission="dev.applicant.proxy", mp_path="apply", mp_permission="mp.dev.apply",
                         conditions=CONDITIONS)
TALK = TalkComponent(kind="first_talk", title="入党申请人谈话", record_title="《入党申请人谈话记录表》", key="talk",
                     milestone="talked_at")
PUBLICITY = PublicityComponent(kind="applicant", title="入党申请人公示", page_title="申请人公示",
                               milestone="applicant_publicized_at", branch_names=branch_names)

STAGE = Stage("applicant", [
    Step("application", "递交入党申请书", LETTER, (1,), permission="dev.applicant.review"),
    Step("talk", "党组织派人谈话", TALK, (2,), permission="dev.applicant.talk"),
    Step("publicity", "申请人公示", PUBLICITY, permission="dev.applicant.publicity"),
], slug="applicants", view_permission="dev.applicant", page=StagePage(title="入党申请人", icon="fa fa-file-text-o"))
