// 修改密码 (UM-3): old, new, confirm. Success ends every session of the account, so the app
// signs out and opens the login screen three seconds later (as the manual says).

import { h } from '../lib/dom.js';

export default async function render(ctx) {
  const { api, ui, session } = ctx;
  const form = h('form', { class: 'form', novalidate: true },
    ui.textField('old_password', '原始密码', { type: 'password', required: true, autocomplete: 'current-password' }),
    ui.textField('new_password', '新密码', { type: 'password', required: true, autocomplete: 'new-password',
      hint: '至少 8 位，须含大写字母、小写字母、数字和特殊字符' }),
    ui.textField('confirm_password', '确认密码', { type: 'password', required: true, autocomplete: 'new-password' }));
  form.addEventListener('submit', (e) => e.preventDefault());
  ctx.show(ui.card(null, form), h('div', { class: 'actions' }, ui.button('保存', async () => {
    const v = ui.values(form);
    const missing = [['old_password', '原始密码'], ['new_password', '新密码'], ['confirm_password', '确认密码']].filter(([k]) => !v[k]);
    if (missing.length) {
      ui.showErrors(form, { message: `请输入${missing[0][1]}`, errors: missing.map(([k, l]) => ({ field: k, msg: `请输入${l}` })) });
      return;
    }
    try {
      const res = await api.post('/personal/password', v);
      ui.clearErrors(form);
      session.clear();
      ctx.show(ui.card({ class: 'done' }, h('p', { class: 'done-title' }, res.msg), h('p', { class: 'muted' }, '3 秒后自动跳转至登录页面…')));
      setTimeout(() => ctx.go('/login', { replace: true }), 3000);
    } catch (err) {
      ui.showErrors(form, err);
    }
  })));
}
