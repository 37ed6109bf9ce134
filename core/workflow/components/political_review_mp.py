"""The person's own part of a political review on the MP (发展对象政审信息收集): the review they
are in and its state, their two direct relatives (name, relation, work unit, political status,
phone) — filled and changed while the review is at 填报政审信息 — and the result once known."""

from typing import Literal, Optional

from fastapi import APIRouter
from pydantic import BaseModel, Field

from core.auth import Requires
from core.db import SessionDep
from core.workflow.cohort import COMPLETED
from core.workflow.components.political_review import POLITICAL_STATUSES, RELATIONS, RESULTS, STATES, PoliticalReview
from core.workflow.deps import EngineDep

Relation = Literal[RELATIONS]  # the same words the component checks
PoliticalStatus = Literal[POLITICAL_STATUSES]


class RelativeIn(BaseModel):
    name: str = Field(min_length=1, max_length=32, title="亲属姓名")
    relation: Relation = Field(title="与本人关系")
    work_unit: str = Field(min_length=1, max_length=100, title="工作单位")
    political_status: PoliticalStatus = Field(title="政治面貌")
    phone: str = Field(min_length=1, max_length=20, title="联系电话")


class FillIn(BaseModel):
    relatives: list[RelativeIn] = Field(min_length=1, max_length=10, title="直系亲属")


class RelativeOut(BaseModel):
    name: str
    relation: str
    work_unit: str
    political_status: str
    phone: str


class MyReview(BaseModel):
    """The person's political review; ``review_id`` is None when they are in none."""

    review_id: Optional[int] = None
    title: str = ""
    state: Optional[str] = Field(None, description="draft | filling | letters | opinion | review | completed")
    state_label: str = ""
    can_fill: bool = Field(False, description="现在可以填写或修改")
    relatives_required: int = Field(description="需填写的直系亲属人数")
    relatives: list[RelativeOut] = Field(default_factory=list)
    filled_at: Optional[str] = Field(None, description="填写时间（带时区）")
    result: str = Field("", description="pass | fail | 空（尚无结果）")
    result_label: str = ""
    relation_options: list[str]
    political_status_options: list[str]
    message: str = Field(description="给本人的说明")


class Saved(MyReview):
    msg: str


async def mine(c: PoliticalReview, session, user_id: int) -> dict:
    found = await c.mine(session, user_id)
    answer = {"relatives_required": c.relatives, "relation_options": list(RELATIONS),
              "political_status_options": list(POLITICAL_STATUSES)}
    if found is None:
        return {**answer, "message": "您目前没有需要填写的政审信息。"}
    b, e = found
    d = e.data or {}
    done = b.state == COMPLETED
    message = {"draft": "政审名单确定后，请填写直系亲属信息。",
               "filling": "请填写两名直系亲属的信息并提交；学院党委确认前可以修改。" if not d.get("relatives") else
               "已提交，学院党委确认前可以修改。"}.get(b.state, "政审信息已确认，正在审查中。")
    if done:
        message = f"政治审查已完成，结果：{RESULTS.get(e.outcome, '')}。"
    return {**answer, "review_id": b.id, "title": b.title, "state": b.state, "state_label": STATES.get(b.state, b.state),
            "can_fill": b.state == "filling", "relatives": d.get("relatives", []), "filled_at": d.get("filled_at"),
            "result": e.outcome if done and e.outcome in RESULTS else "",
            "result_label": RESULTS.get(e.outcome, "") if done else "", "message": message}


def mp_routes(c: PoliticalReview, router: APIRouter) -> None:
    if not c.mp_path:
        return
    student = Requires(c.mp_permission or "mp.dev")

    @router.get(f"/{c.mp_path}", response_model=MyReview, summary=f"{c.title}：我的政审信息")
    async def my_review(session: SessionDep, actor: student):
        return await mine(c, session, actor.id)

    @router.put(f"/{c.mp_path}", response_model=Saved, summary=f"{c.title}：填写直系亲属信息")
    async def fill(body: FillIn, session: SessionDep, engine: EngineDep, actor: student):
        await c.fill(session, engine, actor, [r.model_dump() for r in body.relatives])
        await session.commit()
        return {**await mine(c, session, actor.id), "msg": "已提交政审信息"}
