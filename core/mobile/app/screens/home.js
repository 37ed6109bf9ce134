// 首页: who is signed in, the student's own 发展进度 card (current step, the next one, due
// dates), the tiles of the screens this person may open, the 待办事项 cards (from every
// plugin, soonest first) and the unread count; asks once per visit for the first-login
// 个人信息完善 (EV-12) until it is submitted.

import { h } from '../lib/dom.js';
import { icon } from '../lib/icons.js';
import { dateTime } from '../lib/format.js';

let askedThisVisit = false;

function tiles(ctx, unread) {
  const entries = ctx.config.routes.filter((r) => r.entry && ctx.session.can(r.permission))
    .sort((a, b) => a.entry.order - b.entry.order);
  return h('nav', { class: 'tiles' }, entries.map((r) => h('button', {
    type: 'button', class: 'tile', dataset: { to: r.path }, on: { click: () => ctx.go(r.path) },
  }, h('span', { class: 'tile-icon' }, icon(r.entry.icon),
    r.path === '/messages' ? h('b', { class: 'badge', dataset: { badge: 'messages' }, hidden: !unread }, String(unread)) : null),
  h('span', { class: 'tile-label' }, r.entry.label))));
}

function todoCard(ctx, item) {
  const screen = ctx.screenOf(item.link);
  const overdue = item.due_at && Date.parse(item.due_at) < Date.now();
  return h('article', { class: 'todo' },
    h('div', { class: 'todo-head' }, ctx.ui.tag(item.kind_label || '待办', 'primary'),
      item.due_at ? h('span', { class: ['todo-due', overdue && 'is-late'] }, `${overdue ? '已逾期 ' : '截止 '}${dateTime(item.due_at)}`) : null),
    h('p', { class: 'todo-title' }, item.title),
    screen
      ? h('button', { type: 'button', class: 'btn btn-primary btn-small', on: { click: () => ctx.go(screen) } },
        item.kind_label && item.kind_label.startsWith('安排') ? '安排' : '去处理')
      : h('span', { class: 'todo-pc' }, '请在电脑端管理后台处理'));
}

function progressCard(ctx, p) {
  const { ui } = ctx;
  const rows = p.has_record
    ? [ui.kv('当前阶段', p.stage_title), ui.kv('当前环节', p.step_title), ui.kv('状态', p.status_label),
      p.next_title ? ui.kv('下一步', p.next_title) : null]
    : [ui.kv('状态', p.status_label), p.next_title ? ui.kv('下一步', p.next_title) : null];
  const due = p.due.map((d) => h('div', { class: 'kv' }, h('span', { class: 'kv-label' }, d.title),
    h('span', { class: ['kv-value', 'todo-due', d.overdue && 'is-late'] },
      d.due_at ? `${d.overdue ? '已逾期 ' : '截止 '}${dateTime(d.due_at)}` : '—')));
  return h('div', { class: 'my-progress', dataset: { progress: p.status || 'none' } },
    ui.section('我的发展进度', ...rows, ...due));
}

async function askProfile(ctx) {
  const state = await ctx.api.get('/profile');
  if (!state.ask || !ctx.alive()) return;
  const choice = await ctx.ui.dialog({
    title: '完善个人信息',
    body: '首次登录请先完善个人信息。个人信息关乎后续的党员发展，请务必尽早完善。',
    actions: [{ label: '稍后处理', value: 'later' }, { label: '前往完善个人信息', value: 'now', kind: 'primary' }],
    dismiss: false,
  });
  if (choice === 'now') ctx.go('/profile');
  else await ctx.api.post('/profile/later');
}

export default async function render(ctx) {
  const { api, session, ui } = ctx;
  const [me, todos, unread, progress] = await Promise.all([
    api.get('/me'),
    session.can('mp.todos') ? api.get('/todos', { per_page: 50 }) : Promise.resolve(null),
    session.can('mp.messages') ? api.get('/messages/unread-count') : Promise.resolve({ unread: 0 }),
    session.can('mp.dev') ? api.get('/dashboard/me') : Promise.resolve(null),
  ]);
  session.setUser(me);
  ctx.setUnread(unread.unread);
  const incomplete = me.is_student && !me.profile_complete && session.can('mp.profile');
  ctx.show(
    h('section', { class: 'hello' }, h('div', null, h('p', { class: 'hello-name' }, `您好，${me.name || me.username}`),
      h('p', { class: 'hello-sub' }, me.role_names.join('、')))),
    incomplete ? h('button', { type: 'button', class: 'notice', on: { click: () => ctx.go('/profile') } },
      '个人信息尚未完善，完善后才能申请入党。', h('b', null, '去完善')) : null,
    progress ? progressCard(ctx, progress) : null,
    tiles(ctx, unread.unread),
    todos ? ui.section(`待办事项（${todos.total}）`, todos.items.length
      ? h('div', { class: 'todos' }, todos.items.map((t) => todoCard(ctx, t)),
        todos.total > todos.items.length ? h('p', { class: 'muted' }, `另有 ${todos.total - todos.items.length} 项未显示`) : null)
      : ui.empty('暂无待办事项')) : null,
  );
  if (incomplete && !askedThisVisit) {
    askedThisVisit = true;
    askProfile(ctx).catch((err) => ui.toast(err.message, 'error'));
  }
}
