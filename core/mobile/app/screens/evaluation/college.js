// 评价报告明细-学院党委 (EV-9): 党总支概况, 评价概要, 支部排名情况 (members in the college top p %,
// change against the previous period), the college top-p % list with metric and threshold
// switches, and 党员个人排名 TOP10 per metric with the composite rank change.

import { h, mount } from '../../lib/dom.js';
import { change, rank } from '../../lib/format.js';
import { barChart } from '../../lib/charts.js';
import { levelSwitch, redraw, switches } from './common.js';

const PER_PAGE = 20;

function changeTag(ctx, n) {
  const c = change(n);
  return h('span', { class: `chg chg-${c.tone}` }, c.text);
}

export default async function render(ctx) {
  const { api, ui } = ctx;
  const pid = ctx.params.pid;
  const opts = { metric: ctx.query.metric || null, threshold: ctx.query.threshold || null };
  let top10Metric = null;

  async function draw() {
    const [report, top] = await Promise.all([
      api.get(`/evaluation/reports/${pid}/college`, opts),
      api.get(`/evaluation/reports/${pid}/college/top`, { ...opts, per_page: PER_PAGE }),
    ]);
    ctx.setTitle(report.period.label);
    const pct = `${report.threshold}%`;
    const topList = h('div', { class: 'list' });
    const addTop = (items) => topList.append(...items.map((m) => ui.row({
      title: `${m.rank}. ${m.name}`, sub: m.branch_name, right: String(m.value), to: `/evaluation/${pid}/members/${m.user_id}`,
    })));
    addTop(top.items);
    const blocks = report.top10;
    top10Metric = blocks.some((b) => b.metric === top10Metric) ? top10Metric : (blocks[0] || {}).metric;
    const top10Body = h('div');
    const drawTop10 = () => {
      const b = blocks.find((x) => x.metric === top10Metric);
      mount(top10Body, !b ? ui.empty() : h('div', null,
        h('table', { class: 'table' }, h('thead', null, h('tr', null, ['名次', '姓名', '党支部', '得分', '综合较上期'].map((t) => h('th', null, t)))),
          h('tbody', null, b.items.map((it) => h('tr', null, h('td', null, rank(it.rank, it.tie_count)), h('td', null, it.name),
            h('td', null, it.branch_name), h('td', null, String(it.value)), h('td', null, changeTag(ctx, it.composite_change)))))),
        b.note ? h('p', { class: 'muted' }, b.note) : null));
    };
    drawTop10();
    const change_ = (next) => { Object.assign(opts, next); redraw(ctx, draw); };
    ctx.show(
      levelSwitch(ctx, pid, 'college'),
      ui.section('党总支概况', ui.kv('党总支名称', report.overview.name), ui.kv('学生人数', report.overview.student_count),
        ui.kv('党支部数', report.overview.branch_count)),
      ui.section('评价概要', h('p', { class: 'text' }, report.summary)),
      ui.section(`支部排名情况（${report.metric_name}，学院前${pct}人数）`,
        switches(ctx, report, change_),
        barChart({ categories: report.branch_ranking.map((b) => b.name), values: report.branch_ranking.map((b) => b.top_count), unit: '人' }),
        h('table', { class: 'table' }, h('thead', null, h('tr', null, ['排名', '党支部', '人数', '较上期'].map((t) => h('th', null, t)))),
          h('tbody', null, report.branch_ranking.map((b) => h('tr', null, h('td', null, String(b.rank)), h('td', null, b.name),
            h('td', null, String(b.top_count)), h('td', null, changeTag(ctx, b.change))))))),
      ui.section(`学院内排名前${pct}的党员（${report.metric_name}）`,
        h('p', { class: 'muted' }, `共 ${report.top.count} 人（名次不低于第 ${report.top.cutoff} 名，并列者均计入）`),
        top.total ? topList : ui.empty(),
        top.total > top.items.length ? ui.more(async (page) => {
          const next = await api.get(`/evaluation/reports/${pid}/college/top`, { ...opts, page, per_page: PER_PAGE });
          addTop(next.items);
          return page * PER_PAGE < next.total;
        }) : null),
      ui.section('党员个人排名 TOP10',
        ui.segmented(blocks.map((b) => ({ value: b.metric, label: b.name })), top10Metric, (v) => { top10Metric = v; drawTop10(); }, { small: true }),
        top10Body),
    );
  }
  await draw();
}
