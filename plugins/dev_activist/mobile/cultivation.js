// 培育考察 (入党积极分子 and 发展对象 小程序端, manual 6.2 and 6.3): one card per task of the step —
// 思想汇报 and 自传 (each period's state, the submissions, 立即提交), the quarterly talks (each
// quarter's talk with the contact or introducer: time, place, state), 培训班参与 (the signup or
// result, 立即报名) and any other task by its periods. Everything arrives in ctx (no imports).

const day = (iso) => (iso ? iso.slice(0, 10) : '');
const dateTime = (iso) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '');
const TONES = { done: 'success', open: 'warn', approved: 'success', rejected: 'danger', submitted: 'warn', passed: 'success',
  failed: 'danger', selected: 'primary', signed_up: 'warn', not_selected: 'plain', none: 'plain', scheduled: 'primary' };

function card(ctx, task, open, toggle, ...body) {
  const { h, ui } = ctx;
  return h('article', { class: 'card', dataset: { card: task.kind } },
    h('div', { class: 'status-line' }, h('strong', null, task.title),
      ui.tag(`${task.done}/${task.total}`, task.complete ? 'success' : 'warn')),
    ui.button(open ? '收起记录' : '查看记录', toggle, { kind: 'plain' }),
    open ? h('div', { class: 'list' }, ...body) : null);
}

// The talker of the stage's talks: 培养联系人 for activists, 入党介绍人 for candidates.
const talker = (data) => (data.record && data.record.stage === 'candidate' ? '入党介绍人' : '培养联系人');

export default async function render(ctx) {
  const { api, h, ui } = ctx;
  const data = await api.get('/development/cultivation');
  if (!data.at_step) {
    ctx.show(ui.empty(data.record ? `当前环节：${data.record.step_title}，暂无培育考察任务` : '您还没有发展记录'));
    return;
  }
  const opened = new Set(ctx.query.open ? [ctx.query.open] : []);
  const draw = () => {
    const cards = data.tasks.map((task) => {
      const toggle = () => { if (opened.has(task.key)) opened.delete(task.key); else opened.add(task.key); draw(); };
      const open = opened.has(task.key);
      if (task.kind === 'report') {
        const subs = data.reports[task.key] || [];
        return card(ctx, task, open, toggle,
          ...task.periods.map((p) => ui.row({ title: p.title, sub: p.started ? `截止 ${day(p.due_at)}` : `${day(p.starts_at)} 起提交`,
            right: ui.tag(p.status_label, TONES[p.status] || 'plain') })),
          ...subs.map((s) => ui.row({ title: `提交于 ${dateTime(s.created_at)}`, sub: s.reason ? `原因：${s.reason}` : '',
            right: ui.tag(s.status_label, TONES[s.status] || 'plain') })),
          task.complete ? null : ui.button('立即提交', () => ctx.go(`/development/${task.mp_path || 'thought-reports'}`)));
      }
      if (task.kind === 'talk') {
        const talks = data.talks[task.key] || [];
        return card(ctx, task, open, toggle,
          ...task.periods.map((p) => ui.row({ title: p.title,
            sub: p.status === 'done' ? `完成于 ${day(p.done_at)}` : `截止 ${day(p.due_at)}`,
            right: ui.tag(p.status_label, TONES[p.status] || 'plain') })),
          ...talks.map((t) => ui.row({ title: `${t.talker_name || talker(data)} ${t.scheduled_at ? dateTime(t.scheduled_at) : '待安排'}`,
            sub: t.place || '', right: ui.tag(t.status_label, TONES[t.status] || 'plain') })),
          talks.length ? null : h('p', { class: 'hint' }, `${talker(data)}安排谈话后，这里会显示谈话时间和地点`));
      }
      if (task.kind === 'training') {
        const t = data.training || { status: 'none', status_label: '未报名' };
        return card(ctx, task, open, toggle,
          ui.kv('培训班', t.class_title || '—'), ui.kv('状态', ui.tag(t.status_label, TONES[t.status] || 'plain')),
          t.result_date ? ui.kv('结业时间', day(t.result_date)) : null,
          task.complete ? null : ui.button(t.status === 'none' || t.status === 'failed' || t.status === 'not_selected'
            ? '立即报名' : '查看培训班', () => ctx.go('/training')));
      }
      return card(ctx, task, open, toggle, ...task.periods.map((p) => ui.row({ title: p.title, right: ui.tag(p.status_label) })));
    });
    ctx.show(ui.section(data.title, h('p', { class: 'hint' }, `请完成以下考察任务：${data.tasks.map((t) => t.title).join('、')}；全部完成后由党支部确认考察通过。`)),
      ...cards);
  };
  draw();
}
