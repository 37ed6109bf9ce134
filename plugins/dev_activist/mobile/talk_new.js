// 安排季度谈话 (培养联系人, manual 6.2): the to-do link /mp/talks/new?kind=&record_id= opens this
// quarter's talk with the activist, then continues on the talk's own screen to schedule it.

export default async function render(ctx) {
  const { api, ui } = ctx;
  const { kind, record_id: recordId } = ctx.query;
  if (!kind || !recordId) {
    ctx.show(ui.empty('缺少谈话信息，请从待办事项进入'));
    return;
  }
  const res = await api.post('/development/talks/open', { kind, record_id: Number(recordId) });
  ui.toast(res.msg, 'success');
  ctx.go(`/talks/${res.talk.id}`, { replace: true });
}
