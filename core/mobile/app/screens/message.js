// 消息详情: the whole message; opening it marks it read (the API does). When the message points
// to a screen of this app, a button opens it.

import { h } from '../lib/dom.js';
import { dateTime } from '../lib/format.js';

export default async function render(ctx) {
  const { api, ui } = ctx;
  const m = await api.get(`/messages/${encodeURIComponent(ctx.params.id)}`);
  api.get('/messages/unread-count').then((u) => ctx.setUnread(u.unread)).catch(() => {});
  const screen = ctx.screenOf(m.link);
  ctx.show(ui.card({ class: 'message' },
    h('h2', { class: 'message-title' }, m.title),
    h('p', { class: 'message-meta' }, ui.tag(m.kind_label, 'primary'), ` ${dateTime(m.created_at)}`),
    h('div', { class: 'message-body' }, m.body)),
  screen ? h('div', { class: 'actions' }, ui.button('前往查看', () => ctx.go(screen))) : null);
}
