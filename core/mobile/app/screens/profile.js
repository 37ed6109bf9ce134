// 个人信息完善 (EV-12): the form the API describes (fields, kinds, choices, required), filled from
// what is saved and what 暂存 kept; 暂存 checks only what is filled, 提交 every required field;
// refusals are shown under each field. 稍后处理 skips it for this login.

import { h } from '../lib/dom.js';
import { today } from '../lib/format.js';

function control(ui, f, value, locked) {
  if (f.kind === 'choice') return ui.choiceField(f.name, f.label, f.choices, { value, required: f.required });
  if (f.kind === 'date') return ui.textField(f.name, f.label, { type: 'date', value, required: f.required, max: today() });
  const extra = { phone: { type: 'tel', inputmode: 'numeric' }, id_card: { maxlength: 18 } }[f.name] || {};
  return ui.textField(f.name, f.label, { value, required: f.required, readonly: locked, ...extra,
    hint: locked ? '已确定，如需更正请联系党支部管理员' : null });
}

export default async function render(ctx) {
  const { api, ui } = ctx;
  const state = await api.get('/profile');
  const values = { ...state.data };
  Object.entries(state.draft).forEach(([k, v]) => { if (v !== null && v !== undefined && v !== '') values[k] = v; });
  const locked = { student_no: !!state.data.student_no, name: state.complete };
  const form = h('form', { class: 'form', novalidate: true },
    state.fields.map((f) => control(ui, f, values[f.name] ?? '', locked[f.name])));
  form.addEventListener('submit', (e) => e.preventDefault());
  const payload = () => ui.values(form); // locked fields travel unchanged: 提交 checks every required field
  const save = async (path, done) => {
    try {
      const res = await api.post(path, payload());
      ui.clearErrors(form);
      ui.toast(res.msg, 'success');
      done(res);
    } catch (err) {
      ui.showErrors(form, err);
    }
  };
  ctx.show(
    h('p', { class: 'notice notice-static' }, state.complete
      ? '个人信息已提交。如需修改，请重新提交。'
      : '请按要求填写个人信息，全部填写完成后方可提交。个人信息关乎后续的党员发展，请务必尽早完善。'),
    ui.card(null, form),
    h('div', { class: 'actions' },
      ui.button('暂存', () => save('/profile/draft', () => {}), { kind: 'plain' }),
      ui.button('提交', () => save('/profile/submit', () => ctx.go('/home', { replace: true })))),
    state.complete ? null : h('div', { class: 'actions' }, ui.button('稍后处理', async () => {
      await api.post('/profile/later');
      ctx.go('/home', { replace: true });
    }, { kind: 'link' })),
  );
}
