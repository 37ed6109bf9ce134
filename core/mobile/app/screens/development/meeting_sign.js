// 会议签到 / 签退: the screen a meeting's QR code opens (/org-life/:id/sign-in?code=…). It sends
// the code at once and says what happened: signed in (or out), or why not — another meeting's
// code, an expired code, not on the list, 签退 before 签到.
// ctx.options.kind: sign-in | sign-out.

import { h } from '../../lib/dom.js';
import { attendanceBlock } from './meeting_common.js';

export default async function render(ctx) {
  const { api, ui } = ctx;
  const kind = ctx.options.kind || 'sign-in';
  const label = kind === 'sign-in' ? '签到' : '签退';
  const detail = ui.button('查看会议详情', () => ctx.go(`/org-life/${ctx.params.id}`, { replace: true }), { kind: 'plain' });
  if (!ctx.query.code) {
    ctx.show(ui.card({ class: 'problems' }, h('p', null, `请用手机扫描会议现场展示的${label}码。`)), detail);
    return;
  }
  try {
    const res = await api.post(`/development/org-life/${ctx.params.id}/${kind}`, { code: ctx.query.code });
    ctx.show(ui.card({ class: 'done' }, h('p', { class: 'done-title' }, res.msg)), ui.section('我的参会情况',
      attendanceBlock(ui, res.attendance)), detail);
  } catch (err) {
    if (err.status === 401) throw err;
    ctx.show(ui.card({ class: 'problems' }, h('p', { class: 'problems-title' }, `${label}失败`), h('p', null, err.message)),
      err.status === 404 ? null : detail);
  }
}
