// 评价报告明细-党员个人 (EV-11): 基础信息, 评价意见, 评价指标排名 (college and branch), and
// 排名变化趋势 over every period, switchable between ranks in the college and in the branch.

import { h, mount } from '../../lib/dom.js';
import { change } from '../../lib/format.js';
import { lineChart } from '../../lib/charts.js';
import { levelSwitch } from './common.js';

export default async function render(ctx) {
  const { api, ui } = ctx;
  const { pid, uid } = ctx.params;
  const r = await api.get(`/evaluation/reports/${pid}/members/${encodeURIComponent(uid)}`);
  ctx.setTitle(uid === 'me' ? r.period.label : `${r.basic.name} · ${r.period.label}`);
  const trendBody = h('div');
  const drawTrend = (scope) => {
    const names = r.trend.length ? r.trend[0].ranks.map((x) => x.name) : [];
    const series = names.map((n) => ({ name: n, values: r.trend.map((p) => {
      const found = p.ranks.find((x) => x.name === n);
      return found ? found[scope === 'branch' ? 'branch_rank' : 'college_rank'] : null;
    }) }));
    mount(trendBody, lineChart({ categories: r.trend.map((p) => p.label), series, ranks: true,
      max: scope === 'branch' ? r.totals.branch : r.totals.college }));
  };
  drawTrend('college');
  ctx.show(
    levelSwitch(ctx, pid, 'individual'),
    ui.section('基础信息', ui.kv('姓名', r.basic.name), ui.kv('学工号', r.basic.student_no), ui.kv('所在党支部', r.basic.branch_name),
      ui.kv('评价时段', r.period.label)),
    ui.section('评价意见', h('p', { class: 'text' }, r.opinion)),
    ui.section('评价指标排名', h('table', { class: 'table' },
      h('thead', null, h('tr', null, ['指标', '得分', `学院排名/${r.totals.college}`, `支部排名/${r.totals.branch}`, '较上期'].map((t) => h('th', null, t)))),
      h('tbody', null, r.metric_ranks.map((m) => {
        const c = change(m.change);
        return h('tr', null, h('td', null, m.name), h('td', null, m.value ?? '—'), h('td', null, m.college_rank ?? '—'),
          h('td', null, m.branch_rank ?? '—'), h('td', null, m.metric === 'composite' ? h('span', { class: `chg chg-${c.tone}` }, c.text) : ''));
      })))),
    ui.section('排名变化趋势', ui.segmented([{ value: 'college', label: '学院内排名' }, { value: 'branch', label: '支部内排名' }], 'college',
      drawTrend, { small: true }), trendBody),
  );
}
