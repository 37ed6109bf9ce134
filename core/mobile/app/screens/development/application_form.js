// 入党志愿书 (发展对象, manual 6.4 小程序端): once the committee has issued it, the form's number
// and the filling template (a PDF fetched with the token); the paper form goes to the branch.
// ctx.options: api (the MP path under /development), title.

import { h } from '../../lib/dom.js';
import { fileUrl } from '../../lib/api.js';
import { dateTime, day } from '../../lib/format.js';

export default async function render(ctx) {
  const { api, ui } = ctx;
  const title = ctx.options.title || '入党志愿书';
  const status = await api.get(`/development/${ctx.options.api}`);
  const form = status.form;
  if (!form) {
    ctx.show(ui.empty(`${title}尚未下发，下发后会通知您`));
    return;
  }
  const open = ui.button('查看填写模版', async () => {
    try {
      const url = await fileUrl(status.template_url);
      const a = h('a', { href: url, download: `${title}填写模版-${form.number_text}.pdf`, target: '_blank', rel: 'noopener' });
      document.body.appendChild(a);
      a.click();
      a.remove();
    } catch (err) { ui.toast(err.message, 'error'); }
  });
  ctx.show(
    ui.section(title, h('p', { class: 'big-number', dataset: { number: form.number_text } }, form.number_text),
      ui.kv('状态', ui.tag(form.status_label, form.status === 'submitted' ? 'success' : 'primary')),
      form.issued_at ? ui.kv('下发时间', dateTime(form.issued_at)) : null,
      form.submitted_on ? ui.kv('提交时间', day(form.submitted_on)) : null),
    ui.card({ class: 'hint' }, h('p', null, `请按填写模版用黑色钢笔或签字笔在编号为${form.number_text}的${title}上工整填写，完成后交所在党支部。`)),
    open);
}
