// 个人信息 (UM-3): name, phone and e-mail; roles are not editable here. Once the basic
// information is submitted the name is corrected by the branch admin (the API says so).

import { h } from '../lib/dom.js';

export default async function render(ctx) {
  const { api, ui } = ctx;
  const p = await api.get('/personal');
  const form = h('form', { class: 'form', novalidate: true },
    ui.textField('name', '姓名', { value: p.name, required: true }),
    ui.textField('phone', '手机号码', { value: p.phone, type: 'tel', inputmode: 'numeric' }),
    ui.textField('email', '邮箱', { value: p.email, type: 'email' }));
  form.addEventListener('submit', (e) => e.preventDefault());
  ctx.show(ui.card(null, form, ui.kv('账号', p.username), ui.kv('角色', p.role_names)),
    h('div', { class: 'actions' }, ui.button('保存', async () => {
      try {
        const res = await api.put('/personal', ui.values(form));
        ui.clearErrors(form);
        ui.toast(res.msg, 'success');
        ctx.back('/me');
      } catch (err) {
        ui.showErrors(form, err);
      }
    })));
}
