// The shell: reads the route table from index.html, guards screens (sign-in, permission),
// loads each screen's module on first use and draws the header and the bottom tabs.
// A screen module's default export is ``async render(ctx)`` (docs/mobile.md).

import { api, ApiError, whenUnauthorised } from './lib/api.js';
import { h, mount } from './lib/dom.js';
import { icon } from './lib/icons.js';
import * as router from './lib/router.js';
import { session } from './lib/session.js';
import * as ui from './lib/ui.js';

const config = JSON.parse(document.getElementById('xf-m-config').textContent);
const TABS = [
  { key: 'home', label: '首页', path: '/home', icon: 'home' },
  { key: 'evaluation', label: '评价', path: '/evaluation', icon: 'chart', permission: 'mp.eval' },
  { key: 'messages', label: '消息', path: '/messages', icon: 'message', permission: 'mp.messages' },
  { key: 'me', label: '我的', path: '/me', icon: 'user' },
];
const root = document.getElementById('app');
const state = { unread: 0, seq: 0 };

router.compile(config.routes);

function loginPath() {
  const here = router.current().full;
  return here.startsWith('/login') ? here : `/login?next=${encodeURIComponent(here)}`;
}

whenUnauthorised(() => router.go(loginPath(), { replace: true }));

function setUnread(n) {
  state.unread = n;
  document.querySelectorAll('[data-badge="messages"]').forEach((el) => {
    el.textContent = n > 99 ? '99+' : String(n);
    el.hidden = !n;
  });
}

function tabbar(active) {
  return h('nav', { class: 'tabbar' }, TABS.filter((t) => session.can(t.permission)).map((t) => h('button', {
    type: 'button', class: ['tab', t.key === active && 'is-active'], on: { click: () => router.go(t.path, { replace: true }) },
  }, icon(t.icon), h('span', null, t.label),
  t.key === 'messages' ? h('b', { class: 'badge', dataset: { badge: 'messages' }, hidden: !state.unread }, String(state.unread)) : null)));
}

function isTabRoot(route) {
  return TABS.some((t) => t.path === route.path);
}

async function open() {
  const seq = ++state.seq;
  const here = router.current();
  const found = router.match(here.path);
  if (!found) { router.go('/home', { replace: true }); return; }
  const { route, params } = found;
  if (!route.public && !session.token) { router.go(loginPath(), { replace: true }); return; }
  if (route.path === '/login' && session.token) { router.go(here.query.next || '/home', { replace: true }); return; }

  const title = h('h1', { class: 'bar-title' }, route.title);
  const up = () => router.back(route.tab ? `/${route.tab}` : '/home'); // from a QR-opened screen: to its tab
  const backBtn = !route.public && !isTabRoot(route)
    ? h('button', { type: 'button', class: 'bar-back', 'aria-label': '返回', on: { click: up } }, icon('back'))
    : null;
  const body = h('main', { class: 'screen-body' });
  const tabs = !route.public && isTabRoot(route);
  const screen = h('div', { class: ['screen', route.public && 'screen-public', tabs && 'screen-tabs'], dataset: { screen: route.path } },
    route.public ? null : h('header', { class: 'bar' }, backBtn, title), body, tabs ? tabbar(route.tab) : null);
  mount(root, screen);
  document.title = `${route.title} - ${config.title}`;
  window.scrollTo(0, 0);

  if (!session.can(route.permission)) {
    mount(body, ui.empty('您没有权限打开此页面'));
    screen.dataset.ready = '1';
    return;
  }
  const ctx = {
    el: body,
    show: (...children) => mount(body, ...children), // a screen's content (null children are skipped)
    params, query: here.query, options: route.options || {}, route, config,
    api, session, ui, h, go: router.go, back: router.back, screenOf: router.screenOf,
    alive: () => seq === state.seq,
    setTitle: (text) => { title.textContent = text; document.title = `${text} - ${config.title}`; },
    setUnread,
    reload: open,
  };
  mount(body, ui.loading());
  try {
    const mod = await import(config.base + route.module);
    if (!ctx.alive()) return;
    await mod.default(ctx);
  } catch (err) {
    if (!ctx.alive()) return;
    if (err instanceof ApiError && err.status === 401) return; // already on the way to the login screen
    mount(body, ui.errorBox(err instanceof ApiError ? err : new Error('页面加载失败，请检查网络后重试'), open));
    if (!(err instanceof ApiError)) console.warn(err); // eslint-disable-line no-console
  }
  if (ctx.alive()) {
    screen.dataset.ready = '1';
    performance.mark(`xf-ready:${route.path}`); // read by make bench (m_home_ready_ms)
  }
}

router.listen(open);
