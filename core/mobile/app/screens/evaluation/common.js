// Shared by the 考核评价报告 screens: which report levels the person may open (the same rule as
// the API's ``levels``), the level switch at the top of a report, and the metric/threshold switches.

import { h } from '../../lib/dom.js';

export function levels(session) {
  const me = session.user || {};
  return {
    college: session.can('mp.eval.college') && me.scope === 'all',
    branch: session.can('mp.eval.branch') && (me.scope === 'all' || me.scope === 'branch'),
    individual: session.can('mp.eval.individual'),
  };
}

/** Where a level of period ``pid`` opens for this person. */
export function levelPath(session, pid, level) {
  const me = session.user || {};
  const all = me.scope === 'all';
  if (level === 'college') return `/evaluation/${pid}/college`;
  if (level === 'branch') return all || !me.party_branch_id ? `/evaluation/${pid}/branches` : `/evaluation/${pid}/branches/${me.party_branch_id}`;
  return me.scope === 'self' ? `/evaluation/${pid}/members/me` : `/evaluation/${pid}/members`;
}

export function levelSwitch(ctx, pid, active) {
  const can = levels(ctx.session);
  const items = [['college', '学院党委'], ['branch', '二级支部'], ['individual', '党员个人']].filter(([k]) => can[k]);
  if (items.length < 2) return null;
  return ctx.ui.segmented(items.map(([value, label]) => ({ value, label })), active,
    (v) => ctx.go(levelPath(ctx.session, pid, v), { replace: true }));
}

/** Metric and threshold switches of a report (``options``: its metric, threshold, metrics, thresholds). */
export function switches(ctx, options, onChange, { threshold = true } = {}) {
  const metric = ctx.ui.segmented(options.metrics.map((m) => ({ value: m.key, label: m.name })), options.metric,
    (v) => onChange({ metric: v }), { small: true });
  const thresholds = threshold ? ctx.ui.segmented(options.thresholds.map((t) => ({ value: t, label: `前${t}%` })),
    Math.round(options.threshold), (v) => onChange({ threshold: v }), { small: true }) : null;
  return h('div', { class: 'switches' }, h('div', { class: 'switch-row' }, h('span', { class: 'switch-label' }, '指标'), metric),
    thresholds ? h('div', { class: 'switch-row' }, h('span', { class: 'switch-label' }, '阈值'), thresholds) : null);
}

/** Re-draw a screen in place (a switch changed) without jumping back to the top. */
export function redraw(ctx, draw) {
  const y = window.scrollY;
  return draw().then(() => window.scrollTo(0, y));
}
