// 时间轴 (DEV-2, manual 7.1 小程序端, "入党管理"): the five stages with their steps and dates, the
// record of every action (who, when), and the regulation's 25 steps marked done with dates.

import { h, mount } from '../../lib/dom.js';
import { ApiError } from '../../lib/api.js';
import { dateTime, day } from '../../lib/format.js';

const STEP_MARK = { done: '✓', current: '●', failed: '✕', pending: '○' };
const STEP_LABEL = { done: '已完成', current: '进行中', failed: '不通过', pending: '未开始' };
const STAGE_TONE = { done: 'success', current: 'primary', pending: 'plain' };
const STAGE_LABEL = { done: '已完成', current: '当前阶段', pending: '未开始' };

function stages(ui, t) {
  return h('div', { class: 'stages' }, t.stages.map((st, i) => h('details', { class: `stage stage-${st.status}`, open: st.status === 'current' },
    h('summary', null, h('span', { class: 'stage-no' }, String(i + 1)), h('span', { class: 'stage-title' }, st.title),
      ui.tag(STAGE_LABEL[st.status] || st.status, STAGE_TONE[st.status] || 'plain')),
    st.steps.length
      ? h('ol', { class: 'steps' }, st.steps.map((s) => h('li', { class: `step step-${s.status}` },
        h('span', { class: 'step-mark' }, STEP_MARK[s.status] || '○'),
        h('span', { class: 'step-title' }, s.title),
        h('span', { class: 'step-date' }, s.date ? day(s.date) : (s.status_label || STEP_LABEL[s.status] || '')))))
      : h('p', { class: 'muted' }, '本阶段的环节将在后续开放'))));
}

function events(ui, t) {
  if (!t.events.length) return ui.empty('暂无操作记录');
  return h('ol', { class: 'events' }, t.events.slice().reverse().map((e) => h('li', { class: 'event' },
    h('p', { class: 'event-title' }, e.title),
    h('p', { class: 'event-meta' }, `${dateTime(e.time)} · ${e.actor}${e.actor_role ? `（${e.actor_role}）` : ''}`),
    e.note ? h('p', { class: 'event-note' }, e.note) : null)));
}

function regulation(t) {
  return h('ol', { class: 'regulation' }, t.regulation.map((r) => h('li', { class: ['reg', r.done && 'is-done'] },
    h('span', { class: 'reg-no' }, String(r.no)), h('span', { class: 'reg-title' }, r.title),
    h('span', { class: 'reg-date' }, r.done ? day(r.date) || '已完成' : ''))));
}

export default async function render(ctx) {
  const { api, ui } = ctx;
  // Without a record today's API answers 404 (a console error in every browser), engine v2 an
  // empty timeline: ask 我想入党's status first where the person may apply.
  const applied = ctx.session.can('mp.dev.apply') ? (await api.get('/development/apply')).record : true;
  let t = null;
  if (applied) {
    try {
      t = await api.get('/development/timeline');
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 404) throw err;
    }
  }
  const r = t && t.record;
  if (!r) {
    ctx.show(ui.card({ class: 'done' }, h('p', { class: 'done-title' }, '您还没有提交入党申请'),
      ctx.session.can('mp.dev.apply') ? ui.button('我想入党', () => ctx.go('/development/apply')) : null),
    t ? ui.section('发展流程', stages(ui, t)) : null);
    return;
  }
  const body = h('div');
  const views = { stages: () => stages(ui, t), events: () => events(ui, t), regulation: () => regulation(t) };
  const show = (v) => mount(body, views[v]());
  show('stages');
  ctx.show(
    ui.card({ class: 'record' }, h('p', { class: 'record-people' }, r.people_title),
      ui.kv('当前阶段', r.stage_title), ui.kv('当前环节', r.step_title || '待开始'),
      ui.kv('状态', ui.tag(r.status_label, r.status === 'failed' ? 'danger' : r.status === 'done' ? 'success' : 'primary'))),
    ui.segmented([{ value: 'stages', label: '发展进度' }, { value: 'events', label: '操作记录' }, { value: 'regulation', label: '二十五步' }],
      'stages', show),
    body);
}
