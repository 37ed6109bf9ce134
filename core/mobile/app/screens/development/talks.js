// 谈话任务 (谈话人, APP-3/DEV-6): the talks assigned to me, with their deadline and state; tap one
// to schedule it or submit its record.

import { h } from '../../lib/dom.js';
import { dateTime } from '../../lib/format.js';
import { TALK_LABELS, TONES, label } from './common.js';

export default async function render(ctx) {
  const { api, ui } = ctx;
  const page = await api.get('/development/talks', { per_page: 100 });
  const items = page.items || [];
  ctx.show(items.length ? h('div', { class: 'list card' }, items.map((t) => ui.row({
    title: `${t.user_name || ''}${t.title ? ` · ${t.title}` : ''}`,
    sub: h('span', null, ui.tag(label(TALK_LABELS, t), t.overdue ? 'danger' : TONES[t.status] || 'plain'),
      ` 截止 ${dateTime(t.deadline)}${t.overdue ? '（已逾期）' : ''}`),
    right: t.scheduled_at ? dateTime(t.scheduled_at).slice(5) : '', to: `/talks/${t.id}`,
  }))) : ui.empty('暂无谈话任务'));
}
