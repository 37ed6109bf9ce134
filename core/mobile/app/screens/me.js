// 我的 (UM-3, personal centre): avatar (tap to change), profile summary, the roles (not
// editable), links to 个人信息 / 修改密码 / 个人信息完善 / 谈话任务, and 退出登录.

import { h } from '../lib/dom.js';
import { fileUrl } from '../lib/api.js';
import { icon } from '../lib/icons.js';

function avatar(ctx, personal) {
  const img = h('img', { class: 'avatar-img', alt: '头像', hidden: !personal.avatar });
  const initial = h('span', { class: 'avatar-initial', hidden: !!personal.avatar }, (personal.name || personal.username).slice(0, 1));
  if (personal.avatar) fileUrl(personal.avatar).then((u) => { img.src = u; }).catch(() => { img.hidden = true; initial.hidden = false; });
  const input = h('input', { type: 'file', accept: 'image/*', class: 'hidden-input', dataset: { pick: 'avatar' } });
  input.addEventListener('change', async () => {
    const file = input.files && input.files[0];
    input.value = '';
    if (!file) return;
    try {
      const { shrink } = await import('../lib/images.js');
      const form = new FormData();
      const small = await shrink(file, 512, 0.9);
      form.append('file', small, small.name || 'avatar.jpg');
      const res = await ctx.api.postForm('/personal/avatar', form);
      ctx.ui.toast(res.msg, 'success');
      img.src = await fileUrl(res.personal.avatar);
      img.hidden = false;
      initial.hidden = true;
    } catch (err) {
      ctx.ui.toast(err.message, 'error');
    }
  });
  return h('label', { class: 'avatar', title: '更换头像' }, img, initial, h('span', { class: 'avatar-edit' }, '更换头像'), input);
}

export default async function render(ctx) {
  const { api, ui, session } = ctx;
  const personal = await api.get('/personal');
  const me = session.user || {};
  const links = [
    { title: '个人信息', to: '/me/edit', icon: 'user' },
    { title: '修改密码', to: '/me/password', icon: 'lock' },
    session.can('mp.profile') ? { title: '个人信息完善（入党基础信息）', to: '/profile', icon: 'doc' } : null,
    session.can('mp.dev.talks') ? { title: '我的谈话任务', to: '/talks', icon: 'talk' } : null,
  ].filter(Boolean);
  ctx.show(
    h('section', { class: 'me-head' }, avatar(ctx, personal),
      h('div', null, h('p', { class: 'me-name' }, personal.name || personal.username),
        h('p', { class: 'me-sub' }, `账号：${personal.username}`),
        h('p', { class: 'me-sub' }, `角色：${personal.role_names || '—'}`))),
    ui.card(null, ui.kv('学号', personal.student_no), ui.kv('手机号码', personal.phone), ui.kv('邮箱', personal.email),
      ui.kv('数据范围', me.scope_label)),
    h('div', { class: 'list card' }, links.map((l) => ui.row({ title: l.title, to: l.to, lead: icon(l.icon, 'icon row-lead') }))),
    h('div', { class: 'actions' }, ui.button('退出登录', async () => {
      if (!(await ui.confirm('确定退出登录吗？', '退出', 'danger'))) return;
      try { await api.post('/auth/logout'); } catch (err) { /* the token ends on the phone either way */ }
      session.clear();
      ctx.go('/login', { replace: true });
    }, { kind: 'danger' })),
  );
}
