// A submission to the branch (我想入党 and every later ReviewComponent with an MP path, DEV-5):
// the conditions, what stands in the way, the pictures (camera or album) and the signed date,
// withdraw before review, resubmit after a rejection with its reason shown; for the
// application also the party talk's place and time once the talker has scheduled it.
// ctx.options: api (the MP path under /development), key (the submission's field in the answer),
// material (its Chinese name), purpose (the label its uploads are stored with); template (a
// form generated from the profile, e.g. 推优登记表: 生成 then download), periods (a task done
// every quarter, e.g. 思想汇报: each period's state and the earlier submissions).

import { h, mount } from '../../lib/dom.js';
import { dateTime, day, today } from '../../lib/format.js';
import { picker, shrink } from '../../lib/images.js';
import { SUBMISSION_LABELS, TALK_LABELS, TONES, download, label, storedFiles } from './common.js';

function uploader(ctx, purpose, material) {
  const chosen = []; // {token, preview}
  const thumbs = h('div', { class: 'thumbs' });
  const draw = () => mount(thumbs, ...chosen.map((f, i) => h('span', { class: 'thumb' },
    f.preview ? h('img', { src: f.preview, alt: '' }) : h('span', { class: 'thumb-file' }, '上传中…'),
    f.token ? h('button', { type: 'button', class: 'thumb-remove', 'aria-label': '删除',
      on: { click: () => { chosen.splice(i, 1); draw(); } } }, '×') : null)));
  const box = h('div', { class: 'field', dataset: { field: 'files' } },
    h('span', { class: 'field-label' }, `${material}图片`, h('em', { class: 'req' }, '*')),
    thumbs, h('span', { class: 'field-hint' }, '请拍照或从相册选择，可上传多张'), h('span', { class: 'field-error', role: 'alert' }));
  box.insertBefore(picker(async (files) => {
    for (const file of files) {
      const item = { token: null, preview: null };
      chosen.push(item);
      draw();
      try {
        const small = await shrink(file);
        const res = await ctx.api.upload(small, purpose);
        item.token = res.file.token;
        item.preview = URL.createObjectURL(small);
      } catch (err) {
        chosen.splice(chosen.indexOf(item), 1);
        ctx.ui.toast(err.message, 'error');
      }
      draw();
    }
  }), thumbs);
  return { box, tokens: () => chosen.filter((f) => f.token).map((f) => f.token), busy: () => chosen.some((f) => !f.token) };
}

export default async function render(ctx) {
  const { api, ui } = ctx;
  const { api: path, key = 'letter', material = '材料' } = ctx.options;
  const status = await api.get(`/development/${path}`);
  const sub = status[key];
  const record = status.record;
  const resubmit = sub && ['rejected', 'withdrawn', 'deleted'].includes(sub.status) && record && record.status === 'active';
  const canSubmit = status.eligible;
  const parts = [];

  if (status.conditions.length) {
    parts.push(ui.section('申请条件', h('ol', { class: 'conditions' }, status.conditions.map((c) => h('li', null, c)))));
  }
  if (status.template_title && canSubmit) {
    parts.push(ui.section(`生成${status.template_title}`,
      h('p', { class: 'hint' }, `请核对个人信息后生成${status.template_title}，打印并线下填写，再拍照上传扫描件。`),
      ui.button(`生成${status.template_title}`, async () => {
        try {
          const res = await api.post(`/development/${path}/template`);
          ui.toast(res.msg, 'success');
          await download(res.url, res.name);
        } catch (err) { ui.toast(err.message, 'error'); }
      }, { kind: 'plain' })));
  }
  if ((status.periods || []).length) {
    parts.push(ui.section('各季度情况', h('div', { class: 'list card' }, status.periods.map((p) => ui.row({
      title: p.title, sub: p.started ? `截止 ${day(p.due_at)}` : `${day(p.starts_at)} 起提交`,
      right: ui.tag(p.status_label, TONES[p.status] || 'plain') })))));
  }
  if (!sub && status.problems.length) {
    parts.push(ui.card({ class: 'problems' }, h('p', { class: 'problems-title' }, '暂时不能提交：'),
      h('ul', null, status.problems.map((p) => h('li', null, p))),
      status.problems.some((p) => p.includes('个人') || p.includes('信息')) && ctx.session.can('mp.profile')
        ? ui.button('去完善个人信息', () => ctx.go('/profile'), { kind: 'plain' }) : null));
  }
  if (sub) {
    parts.push(ui.section(`我的${material}`,
      h('div', { class: 'status-line' }, ui.tag(label(SUBMISSION_LABELS, sub), TONES[sub.status] || 'plain'),
        sub.by_proxy ? ui.tag('党支部代为上传', 'plain') : null),
      ['rejected', 'deleted', 'failed'].includes(sub.status) && sub.reason
        ? h('p', { class: 'reason' }, `${sub.status === 'rejected' ? '退回原因' : '原因'}：${sub.reason}`) : null,
      ui.kv('落款时间', day(sub.signed_date)), ui.kv('提交时间', dateTime(sub.created_at)),
      storedFiles(sub.files),
      sub.status === 'submitted' ? ui.button('撤回', async () => {
        if (!(await ui.confirm(`确定撤回${material}吗？撤回后可修改后重新提交。`, '撤回', 'danger'))) return;
        try {
          const res = await api.post(`/development/${path}/withdraw`);
          ui.toast(res.msg, 'success');
          ctx.reload();
        } catch (err) { ui.toast(err.message, 'error'); }
      }, { kind: 'danger' }) : null));
  }
  if (canSubmit) {
    const up = uploader(ctx, ctx.options.purpose || key, material);
    const form = h('form', { class: 'form', novalidate: true }, up.box,
      ui.textField('signed_date', '落款时间', { type: 'date', required: true, max: today() }));
    form.addEventListener('submit', (e) => e.preventDefault());
    parts.push(ui.section(resubmit ? `重新提交${material}` : `提交${material}`, form, ui.button('提交', async () => {
      if (up.busy()) { ui.toast('图片还在上传，请稍候', 'error'); return; }
      const { signed_date: signed } = ui.values(form);
      try {
        const res = await api.post(`/development/${path}`, { files: up.tokens(), signed_date: signed || null });
        ui.toast(res.msg, 'success');
        ctx.reload();
      } catch (err) { ui.showErrors(form, err); }
    })));
  }
  if ((status.history || []).length > 1) {
    parts.push(ui.section(`${material}记录`, h('div', { class: 'list card' }, status.history.slice(1).map((x) => ui.row({
      title: `${day(x.signed_date)} ${material}`, sub: x.reason ? `原因：${x.reason}` : dateTime(x.created_at),
      right: ui.tag(label(SUBMISSION_LABELS, x), TONES[x.status] || 'plain') })))));
  }
  if (status.talk) {
    const t = status.talk;
    parts.push(ui.section('党组织派人谈话', ui.kv('谈话人', t.talker), ui.kv('谈话地点', t.place),
      ui.kv('谈话时间', t.scheduled_at ? dateTime(t.scheduled_at) : '谈话人尚未安排'), ui.kv('状态', label(TALK_LABELS, t))));
  }
  if (record) {
    parts.push(h('div', { class: 'actions' }, ui.button('查看入党进度（时间轴）', () => ctx.go('/development'), { kind: 'plain' })));
  }
  ctx.show(...parts);
}
