"""A throwaway stage for the review and talk components (loaded with settings.plugins.extra):
the 'reception' stage as a document to review, then a talk, then a final step."""
from core.hookspecs import hookimpl
from core.workflow.components.review import ReviewComponent
from core.workflow.components.talk import TalkComponent
from core.workflow.stages import Stage, Step

MANIFEST = {"name": "review_stage", "version": "0.0.1", "depends": ["org_mgmt"], "title": "组件测试阶段"}

DOC = ReviewComponent(kind="autobiography", title="自传", stage="reception", step="doc", milestone="autobiography_at")
TALK = TalkComponent(kind="test_talk", title="测试谈话", record_title="《测试谈话记录》", stage="reception", step="interview",
                     milestone="interviewed_at")


@hookimpl
def xf_stages():
    return [Stage("reception", [Step("doc", "提交自传", DOC), Step("interview", "谈话", TALK), Step("done", "完成")],
                  slug="review-stage")]
