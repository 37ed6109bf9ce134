// 培训班 (manual 6.2 参与积极分子培训班): the classes open to me with their windows and states,
// 报名 and 取消报名 (until the committee flows the signups to the branches), my selection and
// 结业/未结业; why I cannot sign up (e.g. 大一/研一第一学期). Everything arrives in ctx.

const dateTime = (iso) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '');
const TONES = { signup: 'primary', pending: 'plain', signed_up: 'warn', selected: 'primary', passed: 'success', failed: 'danger',
  not_selected: 'plain' };

export default async function render(ctx) {
  const { api, h, ui } = ctx;
  const data = await api.get('/development/training');
  const act = async (c, what) => {
    if (what === 'cancel' && !(await ui.confirm(`确定取消报名“${c.title}”吗？`, '取消报名', 'danger'))) return;
    try {
      const res = await api.post(`/development/training/${c.id}/${what}`);
      ui.toast(res.msg, 'success');
      ctx.reload();
    } catch (err) { ui.toast(err.message, 'error'); }
  };
  const parts = [];
  if (data.summary) {
    parts.push(ui.section('我的培训', ui.kv('培训班', data.summary.class_title || '—'),
      ui.kv('状态', ui.tag(data.summary.status_label, TONES[data.summary.status] || 'plain'))));
  }
  if (data.problems.length) {
    parts.push(ui.card({ class: 'problems' }, h('p', { class: 'problems-title' }, '暂时不能报名：'),
      h('ul', null, data.problems.map((p) => h('li', null, p)))));
  }
  parts.push(ui.section('培训班', data.classes.length ? h('div', { class: 'list' }, data.classes.map((c) => h('article',
    { class: 'card', dataset: { classId: String(c.id) } },
    h('div', { class: 'status-line' }, h('strong', null, c.title), ui.tag(c.state_label, TONES[c.state] || 'plain')),
    ui.kv('类型', c.type_title), ui.kv('报名时间', `${dateTime(c.signup_start)} 至 ${dateTime(c.signup_end)}`),
    ui.kv('培训时间', `${dateTime(c.train_start)} 至 ${dateTime(c.train_end)}`), c.place ? ui.kv('培训地点', c.place) : null,
    c.my_status ? ui.kv('我的报名', ui.tag(c.my_status_label, TONES[c.my_status] || 'plain')) : null,
    c.can_sign_up ? ui.button('报名', () => act(c, 'signup')) : null,
    c.can_cancel ? ui.button('取消报名', () => act(c, 'cancel'), { kind: 'danger' }) : null))) : ui.empty('暂无可报名的培训班')));
  ctx.show(...parts);
}
