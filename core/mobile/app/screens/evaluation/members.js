// 党员个人 (committee, branch admin): the members of a period in the caller's scope, searchable
// by name or 学号; tap a name for the member's report.

import { h } from '../../lib/dom.js';
import { levelSwitch } from './common.js';

const PER_PAGE = 20;

export default async function render(ctx) {
  const { api, ui } = ctx;
  const pid = ctx.params.pid;
  const name = ctx.query.name || '';
  const load = (page) => api.get(`/evaluation/reports/${pid}/members`, { name, page, per_page: PER_PAGE });
  const first = await load(1);
  const list = h('div', { class: 'list card' });
  const add = (items) => list.append(...items.map((m) => ui.row({
    title: m.name, sub: `${m.student_no} · ${m.branch_name}`, right: `第 ${m.college_rank} 名`, to: `/evaluation/${pid}/members/${m.user_id}`,
  })));
  add(first.items);
  const search = h('input', { class: 'input', type: 'search', name: 'name', value: name, placeholder: '输入姓名或学号搜索' });
  const find = (e) => {
    e.preventDefault();
    ctx.go(`/evaluation/${pid}/members?name=${encodeURIComponent(search.value.trim())}`, { replace: true });
  };
  const form = h('form', { class: 'search', on: { submit: find } },
    search, h('button', { type: 'submit', class: 'btn btn-primary btn-small' }, '搜索'));
  ctx.show(levelSwitch(ctx, pid, 'individual'), form,
    first.total ? list : ui.empty('没有找到党员'),
    first.total > first.items.length ? ui.more(async (page) => {
      const next = await load(page);
      add(next.items);
      return page * PER_PAGE < next.total;
    }) : null);
}
