// 评价报告明细-二级支部 (EV-10): 党支部概况, 评价概要 (each metric's rank in the college),
// 支部历史排名变化 (composite rank over every period), 学院内前 p % 的党员人数 over every period
// (metric and threshold switches), 支部内党员排名 with the composite change.

import { h, mount } from '../../lib/dom.js';
import { change } from '../../lib/format.js';
import { barChart, lineChart } from '../../lib/charts.js';
import { levelSwitch, redraw, switches } from './common.js';

const PER_PAGE = 20;

export default async function render(ctx) {
  const { api, ui } = ctx;
  const { pid, bid } = ctx.params;
  const base = `/evaluation/reports/${pid}/branches/${bid}`;
  const opts = { metric: ctx.query.metric || null, threshold: ctx.query.threshold || null };
  let memberMetric = ctx.query.members || null;

  async function membersSection(report) {
    const body = h('div');
    const drawMembers = async () => {
      const page = await api.get(`${base}/members`, { metric: memberMetric, per_page: PER_PAGE });
      const table = h('tbody');
      const add = (items) => table.append(...items.map((m) => {
        const c = change(m.composite_change);
        return h('tr', { class: 'tap', on: { click: () => ctx.go(`/evaluation/${pid}/members/${m.user_id}`) } },
          h('td', null, String(m.branch_rank)), h('td', null, m.name), h('td', null, String(m.value)),
          h('td', null, String(m.college_rank)), h('td', null, h('span', { class: `chg chg-${c.tone}` }, c.text)));
      }));
      add(page.items);
      mount(body, 
        ui.segmented(page.metrics.map((m) => ({ value: m.key, label: m.name })), page.metric,
          (v) => { memberMetric = v; drawMembers(); }, { small: true }),
        h('table', { class: 'table' }, h('thead', null, h('tr', null, ['支部排名', '姓名', '得分', '学院排名', '综合较上期'].map((t) => h('th', null, t)))), table),
        page.total > page.items.length ? ui.more(async (n) => {
          const next = await api.get(`${base}/members`, { metric: memberMetric, page: n, per_page: PER_PAGE });
          add(next.items);
          return n * PER_PAGE < next.total;
        }) : null);
    };
    await drawMembers();
    return ui.section('支部内党员排名', body);
  }

  async function draw() {
    const report = await api.get(base, opts);
    ctx.setTitle(report.overview.name);
    const o = report.overview;
    const c = change(o.change);
    const change_ = (next) => { Object.assign(opts, next); redraw(ctx, draw); };
    const members = await membersSection(report);
    ctx.show(
      levelSwitch(ctx, pid, 'branch'),
      h('p', { class: 'period-label' }, report.period.label),
      ui.section('党支部概况', ui.kv('党支部', o.name), ui.kv('学生人数', o.student_count), ui.kv('培养类型', o.training_type),
        ui.kv('学院综合排名', o.rank), ui.kv('较上期', h('span', { class: `chg chg-${c.tone}` }, c.text))),
      ui.section('评价概要', h('table', { class: 'table' },
        h('thead', null, h('tr', null, ['指标', '学院内排名', '前列人数', '平均分'].map((t) => h('th', null, t)))),
        h('tbody', null, report.summary.map((m) => h('tr', null, h('td', null, m.name), h('td', null, `${m.rank}/${m.branch_total}`),
          h('td', null, String(m.top_count)), h('td', null, String(m.average))))))),
      ui.section('支部历史排名变化（学院内综合排名）', lineChart({
        categories: report.history.map((p) => p.label), series: [{ name: '综合排名', values: report.history.map((p) => p.rank) }], ranks: true,
      })),
      ui.section(`学院内前${report.threshold}%的党员人数（${report.metric_name}）`, switches(ctx, report, change_),
        barChart({ categories: report.top_history.map((p) => p.label), values: report.top_history.map((p) => p.top_count), unit: '人' })),
      members,
    );
  }
  await draw();
}
