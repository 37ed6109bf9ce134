// The app's widgets: messages (toast, in-page dialog — never window.alert/confirm, which a
// mini-program web-view titles with the host name), states (loading, empty, error), cards,
// rows, tags, form fields with the API's per-field errors, segmented switches.

import { h } from './dom.js';
import { icon } from './icons.js';
import { go } from './router.js';

export function toast(msg, tone = 'info') {
  const el = h('div', { class: `toast toast-${tone}`, role: 'status' }, msg);
  document.body.appendChild(el);
  setTimeout(() => el.classList.add('toast-out'), 2200);
  setTimeout(() => el.remove(), 2600);
}

/** An in-page dialog; resolves with the value of the button pressed (null when dismissed). */
export function dialog({ title, body, actions = [{ label: '确定', value: true, kind: 'primary' }], dismiss = true }) {
  return new Promise((resolve) => {
    const close = (value) => { overlay.remove(); resolve(value); };
    const box = h('div', { class: 'dialog', role: 'dialog', 'aria-modal': 'true' },
      title ? h('div', { class: 'dialog-title' }, title) : null,
      body ? h('div', { class: 'dialog-body' }, body) : null,
      h('div', { class: 'dialog-actions' }, actions.map((a) => h('button', {
        type: 'button', class: `btn btn-${a.kind || 'plain'}`, on: { click: () => close(a.value) } }, a.label))));
    const overlay = h('div', { class: 'overlay', on: { click: (e) => { if (dismiss && e.target === overlay) close(null); } } }, box);
    document.body.appendChild(overlay);
  });
}

export function confirm(text, okLabel = '确定', tone = 'primary') {
  return dialog({ body: text, actions: [{ label: '取消', value: false }, { label: okLabel, value: true, kind: tone }] });
}

export const loading = () => h('div', { class: 'state loading' }, h('span', { class: 'spinner' }), '加载中…');
export const empty = (text = '暂无数据') => h('div', { class: 'state empty' }, text);

export function errorBox(err, retry) {
  return h('div', { class: 'state error' }, h('p', null, err.message || '加载失败'),
    retry ? h('button', { type: 'button', class: 'btn btn-plain', on: { click: retry } }, '重试') : null);
}

export function card(props, ...children) {
  return h('section', { ...props, class: ['card', props && props.class].filter(Boolean).join(' ') }, ...children);
}

export function section(title, ...children) {
  return card(null, h('h2', { class: 'card-title' }, title), ...children);
}

export function tag(text, tone = 'plain') {
  return h('span', { class: `tag tag-${tone}` }, text);
}

/** A tappable row: title, sub-line, right-hand text, opening a screen or running a function. */
export function row({ title, sub, right, to, onClick, badge, lead }) {
  const tappable = to || onClick;
  return h(tappable ? 'button' : 'div', {
    type: tappable ? 'button' : null, class: ['row', tappable && 'row-tap'],
    on: tappable ? { click: () => (to ? go(to) : onClick()) } : null,
  },
  lead || null,
  h('div', { class: 'row-main' }, h('div', { class: 'row-title' }, badge ? h('i', { class: 'dot' }) : null, title),
    sub ? h('div', { class: 'row-sub' }, sub) : null),
  right !== undefined && right !== null ? h('div', { class: 'row-right' }, right) : null,
  tappable ? icon('right', 'icon row-arrow') : null);
}

export function kv(label, value) {
  return h('div', { class: 'kv' }, h('span', { class: 'kv-label' }, label),
    h('span', { class: 'kv-value' }, value === null || value === undefined || value === '' ? '—' : value));
}

/** A button whose handler may return a promise: disabled (and says so) until it settles. */
export function button(label, onClick, { kind = 'primary', block = true, type = 'button', busyLabel = '请稍候…' } = {}) {
  const el = h('button', { type, class: ['btn', `btn-${kind}`, block && 'btn-block'] }, label);
  el.addEventListener('click', async (e) => {
    if (!onClick || el.disabled) return;
    e.preventDefault();
    el.disabled = true;
    el.textContent = busyLabel;
    try { await onClick(e); } finally { el.disabled = false; el.textContent = label; }
  });
  return el;
}

// --- forms --------------------------------------------------------------------------------------

function wrap(name, label, control, { required, hint } = {}) {
  return h('label', { class: 'field', dataset: { field: name } },
    h('span', { class: 'field-label' }, label, required ? h('em', { class: 'req' }, '*') : null),
    control, hint ? h('span', { class: 'field-hint' }, hint) : null, h('span', { class: 'field-error', role: 'alert' }));
}

export function textField(name, label, { value = '', type = 'text', required, readonly, placeholder, hint, max, min,
  autocomplete, inputmode, maxlength } = {}) {
  const input = h('input', { name, type, value: value ?? '', readonly, placeholder: placeholder || `请输入${label}`,
    max, min, autocomplete, inputmode, maxlength, class: 'input' });
  return wrap(name, label, input, { required, hint });
}

export function textArea(name, label, { value = '', required, placeholder, rows = 6, maxlength } = {}) {
  return wrap(name, label, h('textarea', { name, rows, placeholder: placeholder || `请输入${label}`, class: 'input', maxlength,
    value: value ?? '' }), { required });
}

export function choiceField(name, label, choices, { value, required } = {}) {
  const group = h('span', { class: 'choices' }, choices.map((c) => h('span', { class: 'choice' },
    h('input', { type: 'radio', name, value: c, id: `f-${name}-${c}`, checked: c === value }),
    h('label', { for: `f-${name}-${c}` }, c))));
  return h('div', { class: 'field', dataset: { field: name } },
    h('span', { class: 'field-label' }, label, required ? h('em', { class: 'req' }, '*') : null), group,
    h('span', { class: 'field-error', role: 'alert' }));
}

export function selectField(name, label, options, { value } = {}) {
  return wrap(name, label, h('select', { name, class: 'input' }, options.map((o) => h('option', {
    value: o.value, selected: String(o.value) === String(value ?? '') }, o.label))));
}

/** {name: value} of a form's fields; empty text is '' (radio groups with nothing chosen are absent). */
export function values(form) {
  const out = {};
  form.querySelectorAll('input, textarea, select').forEach((el) => {
    if (!el.name || el.type === 'file') return;
    if (el.type === 'radio') { if (el.checked) out[el.name] = el.value; return; }
    out[el.name] = el.value;
  });
  return out;
}

export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((el) => { el.textContent = ''; });
  form.querySelectorAll('.field.has-error').forEach((el) => el.classList.remove('has-error'));
}

/** Put each field error of an API refusal under its field; say the whole message in a toast. */
export function showErrors(form, err) {
  clearErrors(form);
  let first = null;
  (err.errors || []).forEach((e) => {
    const box = e.field && form.querySelector(`[data-field="${CSS.escape(e.field)}"]`);
    if (!box) return;
    box.classList.add('has-error');
    box.querySelector('.field-error').textContent = e.msg;
    first = first || box;
  });
  if (first) first.scrollIntoView({ block: 'center', behavior: 'smooth' });
  toast(err.message, 'error');
}

/** A row of mutually exclusive choices (tabs, metric and threshold switches). */
export function segmented(items, value, onChange, { small = false } = {}) {
  const bar = h('div', { class: ['seg', small && 'seg-small'], role: 'tablist' });
  const draw = (current) => bar.replaceChildren(...items.map((it) => h('button', {
    type: 'button', role: 'tab', class: ['seg-item', String(it.value) === String(current) && 'is-active'],
    'aria-selected': String(String(it.value) === String(current)),
    on: { click: () => { if (String(it.value) !== String(current)) { draw(it.value); onChange(it.value); } } },
  }, it.label)));
  draw(value);
  return bar;
}

/** "加载更多" for a paged list: ``load(page)`` appends and answers whether more remain. */
export function more(load) {
  let page = 1;
  const el = button('加载更多', async () => {
    page += 1;
    if (!(await load(page))) el.remove();
  }, { kind: 'plain' });
  return el;
}
