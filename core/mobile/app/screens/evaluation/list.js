// 考核评价报告首页 (EV-8): published periods only; year filter (default all), order by time
// (latest first by default, or earliest) or by rank (best or worst); tap a period to open it.

import { h } from '../../lib/dom.js';
import { day } from '../../lib/format.js';
import { levelPath, levels } from './common.js';

const ORDERS = [{ value: 'latest', label: '时间最晚' }, { value: 'earliest', label: '时间最早' },
  { value: 'best', label: '名次最前' }, { value: 'worst', label: '名次最后' }];
const PER_PAGE = 20;

export default async function render(ctx) {
  const { api, ui, session } = ctx;
  const year = ctx.query.year || '';
  const order = ORDERS.some((o) => o.value === ctx.query.order) ? ctx.query.order : 'latest';
  const load = (page) => api.get('/evaluation/reports', { year, order, page, per_page: PER_PAGE });
  const first = await load(1);
  const can = levels(session);
  const open = (pid) => ctx.go(levelPath(session, pid, can.college ? 'college' : can.branch ? 'branch' : 'individual'));
  const rankLabel = (session.user || {}).scope === 'branch' ? '本支部排名' : '我的学院综合排名';
  const list = h('div', { class: 'periods' });
  const add = (items) => list.append(...items.map((p) => h('button', {
    type: 'button', class: 'period', dataset: { period: p.id }, on: { click: () => open(p.id) },
  }, h('span', { class: 'period-year' }, p.year), h('span', { class: 'period-name' }, p.name),
  h('span', { class: 'period-meta' }, `参评 ${p.student_count} 人`,
    p.my_rank ? h('b', { class: 'period-rank' }, `${rankLabel} 第 ${p.my_rank} 名`) : null,
    p.published_at ? `发布于 ${day(p.published_at)}` : null))));
  add(first.items);
  const reopen = (q) => {
    const params = new URLSearchParams({ year, order, ...q });
    if (!params.get('year')) params.delete('year');
    ctx.go(`/evaluation?${params}`, { replace: true });
  };
  ctx.show(
    h('div', { class: 'filters' },
      h('label', { class: 'filter' }, h('span', null, '评价年份'), h('select', {
        class: 'input', name: 'year', on: { change: (e) => reopen({ year: e.target.value }) },
      }, h('option', { value: '' }, '全部'), first.years.map((y) => h('option', { value: y, selected: y === year }, y)))),
      ui.segmented(ORDERS, order, (v) => reopen({ order: v }), { small: true })),
    first.total ? list : ui.empty('暂无已发布的评价报告'),
    first.total > first.items.length ? ui.more(async (page) => {
      const next = await load(page);
      add(next.items);
      return page * PER_PAGE < next.total;
    }) : null,
  );
}
