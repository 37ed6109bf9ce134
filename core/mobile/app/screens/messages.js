// 消息 (manual 7.2, 小程序端): the person's messages, newest first, unread marked; 全部 / 未读;
// 全部已读; tapping one opens it (and marks it read).

import { h } from '../lib/dom.js';
import { dateTime } from '../lib/format.js';

const PER_PAGE = 20;

export default async function render(ctx) {
  const { api, ui } = ctx;
  const filter = ctx.query.unread === '1' ? '1' : '0';
  const list = h('div', { class: 'list' });
  const add = (items) => list.append(...items.map((m) => ui.row({
    title: m.title, badge: !m.read, to: `/messages/${m.id}`,
    sub: h('span', null, ui.tag(m.kind_label, m.read ? 'plain' : 'primary'), ` ${dateTime(m.created_at)}`),
  })));
  const load = (page) => api.get('/messages', { page, per_page: PER_PAGE, unread_only: filter === '1' || null });
  const first = await load(1);
  ctx.setUnread(first.unread);
  add(first.items);
  const readAll = ui.button('全部已读', async () => {
    const res = await api.post('/messages/read-all');
    ui.toast(res.msg, 'success');
    ctx.setUnread(0);
    ctx.reload();
  }, { kind: 'plain', block: false });
  readAll.disabled = !first.unread;
  ctx.show(
    h('div', { class: 'toolbar' }, ui.segmented([{ value: '0', label: '全部' }, { value: '1', label: `未读（${first.unread}）` }], filter,
      (v) => ctx.go(v === '1' ? '/messages?unread=1' : '/messages', { replace: true })), readAll),
    first.total ? list : ui.empty(filter === '1' ? '没有未读消息' : '暂无消息'),
    first.total > first.items.length ? ui.more(async (page) => {
      const next = await load(page);
      add(next.items);
      return page * PER_PAGE < next.total;
    }) : null,
  );
}
