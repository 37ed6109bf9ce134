// Building DOM without a template compiler (the page's CSP forbids eval): h('div', {class: 'x', on: {click}}, ...children).
// Text always goes in as text nodes, so data from the API can never become markup.

function add(el, child) {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) { child.forEach((c) => add(el, c)); return; }
  el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
}

function apply(el, props) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'on') Object.entries(value).forEach(([ev, fn]) => el.addEventListener(ev, fn));
    else if (key === 'style') Object.assign(el.style, value); // CSSOM: allowed by style-src 'self'
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'text') el.textContent = value;
    else if (key in el && !key.includes('-') && typeof el[key] !== 'function' && el.namespaceURI !== SVG_NS) el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
}

export const SVG_NS = 'http://www.w3.org/2000/svg';

export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  apply(el, props);
  add(el, children);
  return el;
}

export function s(tag, props, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.setAttribute('class', value);
    else if (key === 'text') el.textContent = value;
    else el.setAttribute(key, value);
  }
  add(el, children);
  return el;
}

export function mount(el, ...children) {
  el.replaceChildren();
  add(el, children);
  return el;
}
