// 组织生活详情: the meeting (time, place, host, content), my attendance as the branch recorded it
// (签到、签退、补录、请假、缺席), and, for a person voted on, the result once recorded.

import { h } from '../../lib/dom.js';
import { dateTime } from '../../lib/format.js';
import { PHASE_TONES, attendanceBlock } from './meeting_common.js';

export default async function render(ctx) {
  const { api, ui } = ctx;
  const m = await api.get(`/development/org-life/${ctx.params.id}`);
  ctx.setTitle(m.type_label || '组织生活');
  const parts = [
    ui.section(m.title,
      ui.kv('状态', ui.tag(m.phase_label, PHASE_TONES[m.phase] || 'plain')),
      ui.kv('类型', m.type_label), m.branch_name ? ui.kv('党支部', m.branch_name) : null,
      ui.kv('时间', `${dateTime(m.start_at)} 至 ${dateTime(m.end_at).slice(11)}`), ui.kv('地点', m.place),
      m.host ? ui.kv('主持人', m.host) : null, ui.kv('发布范围', m.scope_label),
      m.vote_label ? ui.kv('表决内容', m.vote_label) : null,
      m.content ? h('p', { class: 'note' }, m.content) : null),
    ui.section('我的参会情况', attendanceBlock(ui, m.attendance),
      m.present !== null && m.present !== undefined ? ui.kv('实际参会', `${m.present} / ${m.attendees} 人`) : null),
  ];
  if (['upcoming', 'running'].includes(m.phase)) {
    parts.push(ui.card({ class: 'hint' }, h('p', null, '会议期间请用手机扫描会议现场展示的签到码签到，会议结束时扫描签退码签退。')));
  }
  if (m.result) {
    parts.push(ui.section(`表决结果（${m.result.vote_label}）`, ui.kv('结果', ui.tag(m.result.outcome_label, 'primary')),
      ui.kv('赞成 / 反对 / 弃权', `${m.result.yes} / ${m.result.no} / ${m.result.abstain}`)));
  }
  ctx.show(...parts);
}
