// 上级党委派人谈话 (预备党员, manual 6.4 小程序端): the talker the committee assigned, the 谈话意见
// 参考, and the talk time I choose and submit (changeable until the committee confirms it).
// ctx.options: api (the MP path under /development), title.

import { h } from '../../lib/dom.js';
import { dateTime, localInput } from '../../lib/format.js';

export default async function render(ctx) {
  const { api, ui } = ctx;
  const title = ctx.options.title || '上级党委派人谈话';
  const status = await api.get(`/development/${ctx.options.api}`);
  const talk = status.talk;
  if (!talk) {
    ctx.show(ui.empty(`党委尚未流转${title}，流转后会通知您`));
    return;
  }
  const parts = [ui.section(title, ui.kv('谈话人', talk.talker_name || '—'),
    ui.kv('状态', ui.tag(talk.status_label, talk.status === 'approved' ? 'success' : 'warn')),
    talk.scheduled_at ? ui.kv('谈话时间', dateTime(talk.scheduled_at)) : null)];
  if (status.guide) parts.push(ui.section('谈话意见参考', h('p', { class: 'note' }, status.guide)));
  if (status.can_submit) {
    const form = h('form', { class: 'form', novalidate: true },
      ui.textField('scheduled_at', '谈话时间', { type: 'datetime-local', value: localInput(talk.scheduled_at), required: true }));
    form.addEventListener('submit', (e) => e.preventDefault());
    parts.push(ui.section(talk.status === 'scheduled' ? '修改谈话时间' : '填写谈话时间', form, ui.button('提交', async () => {
      const v = ui.values(form);
      try {
        const res = await api.post(`/development/${ctx.options.api}`, { scheduled_at: v.scheduled_at || null });
        ui.toast(res.msg, 'success');
        ctx.reload();
      } catch (err) { ui.showErrors(form, err); }
    })));
  }
  ctx.show(...parts);
}
