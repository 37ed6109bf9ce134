// 谈话 (谈话人, manual 6.1 小程序端): 安排谈话日程 (place and time, shown to the student at once),
// then 提交谈话记录 (date and record); a record the branch sent back shows its reason and is
// submitted again until approved.

import { h } from '../../lib/dom.js';
import { dateTime, localInput, today } from '../../lib/format.js';
import { TALK_LABELS, TONES, label } from './common.js';

async function find(api, id) {
  for (let page = 1; page < 50; page += 1) {
    const res = await api.get('/development/talks', { page, per_page: 100 });
    const found = (res.items || []).find((t) => String(t.id) === String(id));
    if (found) return found;
    if (res.total === undefined || page * 100 >= res.total) return null;
  }
  return null;
}

export default async function render(ctx) {
  const { api, ui } = ctx;
  const t = await find(api, ctx.params.id);
  if (!t) {
    ctx.show(ui.empty('谈话不存在，或已不再需要您处理'));
    return;
  }
  ctx.setTitle(t.title || '谈话');
  const post = async (form, path, body) => {
    try {
      const res = await api.post(`/development/talks/${t.id}/${path}`, body);
      ui.toast(res.msg, 'success');
      ctx.reload();
    } catch (err) {
      if (form) ui.showErrors(form, err);
      else ui.toast(err.message, 'error');
    }
  };
  const parts = [ui.section('谈话信息', ui.kv('谈话对象', t.user_name), ui.kv('截止时间', dateTime(t.deadline)),
    ui.kv('状态', ui.tag(label(TALK_LABELS, t), t.overdue ? 'danger' : TONES[t.status] || 'plain')),
    t.place ? ui.kv('谈话地点', t.place) : null, t.scheduled_at ? ui.kv('谈话时间', dateTime(t.scheduled_at)) : null,
    t.status === 'rejected' && t.reason ? h('p', { class: 'reason' }, `退回原因：${t.reason}`) : null)];
  if (['assigned', 'scheduled'].includes(t.status)) {
    const form = h('form', { class: 'form', novalidate: true },
      ui.textField('place', '谈话地点', { value: t.place, required: true, maxlength: 200 }),
      ui.textField('scheduled_at', '谈话时间', { type: 'datetime-local', value: localInput(t.scheduled_at), required: true }));
    form.addEventListener('submit', (e) => e.preventDefault());
    parts.push(ui.section(t.status === 'assigned' ? '安排谈话日程' : '修改谈话日程', form,
      ui.button('确认安排谈话日程', () => {
        const v = ui.values(form);
        return post(form, 'schedule', { place: v.place.trim(), scheduled_at: v.scheduled_at || null });
      })));
  }
  if (['scheduled', 'rejected'].includes(t.status)) {
    const form = h('form', { class: 'form', novalidate: true },
      ui.textField('talk_date', '谈话日期', { type: 'date', value: t.talk_date || (t.scheduled_at || '').slice(0, 10), required: true, max: today() }),
      ui.textArea('content', '谈话记录', { value: t.content, required: true, rows: 8, maxlength: 5000,
        placeholder: '请如实填写谈话情况：入党动机、对党的认识、现实表现、存在的不足及努力方向等' }));
    form.addEventListener('submit', (e) => e.preventDefault());
    parts.push(ui.section(t.status === 'rejected' ? '重新提交谈话记录' : '提交谈话记录', form,
      ui.button('提交', () => {
        const v = ui.values(form);
        return post(form, 'record', { talk_date: v.talk_date || null, content: v.content.trim() });
      })));
  }
  if (t.status === 'submitted') {
    parts.push(ui.card({ class: 'done' }, h('p', { class: 'done-title' }, '谈话记录已提交，等待党支部审核'),
      t.by_proxy ? null : ui.button('撤回', async () => {
        if (!(await ui.confirm('确定撤回谈话记录吗？撤回后可修改后重新提交。', '撤回', 'danger'))) return;
        await post(null, 'withdraw', {});
      }, { kind: 'danger' })));
  }
  ctx.show(...parts);
}
