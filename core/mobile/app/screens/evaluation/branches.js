// 二级支部 of a period (committee): every branch with its composite rank; tap one for its report.

import { h } from '../../lib/dom.js';
import { levelSwitch } from './common.js';

export default async function render(ctx) {
  const { api, ui } = ctx;
  const pid = ctx.params.pid;
  const page = await api.get(`/evaluation/reports/${pid}/branches`, { per_page: 100 });
  ctx.show(levelSwitch(ctx, pid, 'branch'),
    page.total ? h('div', { class: 'list card' }, page.items.map((b) => ui.row({
      title: b.name, sub: `${b.training_type} · 参评 ${b.member_count} 人 · 学院前列 ${b.top_count} 人`,
      right: `第 ${b.rank} 名`, to: `/evaluation/${pid}/branches/${b.branch_id}`,
    }))) : ui.empty('暂无党支部'));
}
