// 政治审查 (manual 6.3, 发展对象 小程序端: 填写政审信息): the review the person is in and its state,
// the form of two direct relatives (name, relation, work unit, political status, phone) while
// the committee has not confirmed the information, and the result once the review is done.
// ctx.options: api (the MP path under /development).

import { h } from '../../lib/dom.js';
import { dateTime } from '../../lib/format.js';

const TONES = { filling: 'warn', completed: 'success' };
const FIELDS = ['name', 'relation', 'work_unit', 'political_status', 'phone'];

function relativeForm(ui, i, r, status) {
  const n = i + 1;
  const option = (list) => [{ label: '请选择', value: '' }, ...list.map((x) => ({ label: x, value: x }))];
  return ui.card(null, h('h3', { class: 'card-title' }, `第${n}名直系亲属`),
    ui.textField(`relatives.${i}.name`, '姓名', { value: r.name, required: true, maxlength: 32 }),
    ui.selectField(`relatives.${i}.relation`, '与本人关系', option(status.relation_options), { value: r.relation }),
    ui.textField(`relatives.${i}.work_unit`, '工作单位', { value: r.work_unit, required: true, maxlength: 100 }),
    ui.selectField(`relatives.${i}.political_status`, '政治面貌', option(status.political_status_options),
      { value: r.political_status }),
    ui.textField(`relatives.${i}.phone`, '联系电话', { value: r.phone, type: 'tel', required: true, maxlength: 20 }));
}

function relativesOf(flat, count) {
  return Array.from({ length: count }, (_, i) => Object.fromEntries(FIELDS.map((f) => [f, (flat[`relatives.${i}.${f}`] || '').trim()])));
}

export default async function render(ctx) {
  const { api, ui } = ctx;
  const path = `/development/${ctx.options.api || 'political-review'}`;
  const status = await api.get(path);
  const parts = [];
  if (!status.review_id) {
    ctx.show(ui.empty(status.message));
    return;
  }
  parts.push(ui.section(status.title,
    h('div', { class: 'status-line' }, ui.tag(status.state_label, TONES[status.state] || 'primary'),
      status.result_label ? ui.tag(`结果：${status.result_label}`, status.result === 'pass' ? 'success' : 'danger') : null),
    h('p', { class: 'muted' }, status.message),
    status.filled_at ? ui.kv('提交时间', dateTime(status.filled_at)) : null));
  if (status.can_fill) {
    const rows = Array.from({ length: status.relatives_required }, (_, i) => status.relatives[i] || {});
    const form = h('form', { class: 'form', novalidate: true }, rows.map((r, i) => relativeForm(ui, i, r, status)));
    form.addEventListener('submit', (e) => e.preventDefault());
    parts.push(form, h('div', { class: 'actions' }, ui.button(status.relatives.length ? '修改并提交' : '提交', async () => {
      try {
        const res = await api.put(path, { relatives: relativesOf(ui.values(form), status.relatives_required) });
        ui.clearErrors(form);
        ui.toast(res.msg, 'success');
        ctx.reload();
      } catch (err) { ui.showErrors(form, err); }
    })));
  } else if (status.relatives.length) {
    parts.push(...status.relatives.map((r, i) => ui.section(`第${i + 1}名直系亲属`, ui.kv('姓名', r.name),
      ui.kv('与本人关系', r.relation), ui.kv('工作单位', r.work_unit), ui.kv('政治面貌', r.political_status),
      ui.kv('联系电话', r.phone))));
  }
  parts.push(h('div', { class: 'actions' }, ui.button('查看入党进度（时间轴）', () => ctx.go('/development'), { kind: 'plain' })));
  ctx.show(...parts);
}
