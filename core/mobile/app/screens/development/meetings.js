// 组织生活 (党员大会 and the branch's other meetings, DEV-10): the meetings I attend, newest
// first, with their state and my attendance; tap one for its details.

import { h } from '../../lib/dom.js';
import { dateTime } from '../../lib/format.js';
import { ATTENDANCE_TONES, PHASE_TONES } from './meeting_common.js';

export default async function render(ctx) {
  const { api, ui } = ctx;
  const list = h('div', { class: 'list card' });
  const draw = (items) => items.forEach((m) => list.appendChild(ui.row({
    title: m.title,
    sub: h('span', null, ui.tag(m.phase_label, PHASE_TONES[m.phase] || 'plain'), ` ${m.type_label} · ${dateTime(m.start_at)}`),
    right: ui.tag(m.attendance.status_label, ATTENDANCE_TONES[m.attendance.status] || 'plain'),
    to: `/org-life/${m.id}`,
  })));
  const first = await api.get('/development/org-life', { per_page: 20 });
  if (!first.items.length) {
    ctx.show(ui.empty('暂无组织生活'));
    return;
  }
  draw(first.items);
  ctx.show(list, first.total > first.items.length ? ui.more(async (page) => {
    const next = await api.get('/development/org-life', { per_page: 20, page });
    draw(next.items);
    return page * 20 < next.total;
  }) : null);
}
