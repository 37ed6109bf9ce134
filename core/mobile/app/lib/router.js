// Hash routing (/m/#/talks/12): the server serves one page, so any QR code or link to a screen
// works without server routes, also inside a mini-program's web-view.

let table = [];

export function compile(routes) {
  // A fixed path wins over a parameter in the same place (/talks/new before /talks/:id).
  const params = (r) => (r.path.match(/:/g) || []).length;
  table = routes.slice().sort((a, b) => params(a) - params(b)).map((r) => {
    const names = [];
    const source = r.path.replace(/:([a-z_]+)/g, (_, n) => { names.push(n); return '([^/]+)'; });
    return { route: r, names, re: new RegExp(`^${source}/?$`) };
  });
}

export function current() {
  const raw = location.hash.replace(/^#/, '') || '/home';
  const [path, qs] = raw.split('?');
  return { path, query: Object.fromEntries(new URLSearchParams(qs || '')), full: raw };
}

export function match(path) {
  for (const { route, names, re } of table) {
    const m = re.exec(path);
    if (m) return { route, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
  }
  return null;
}

let handler = () => {};
let shown = null; // the hash last handed to the handler: popstate and hashchange may both report one move

function depthNow() {
  return (history.state && history.state.xfDepth) || 0;
}

function notify() {
  if (location.hash === shown) return;
  shown = location.hash;
  handler();
}

export function go(path, { replace = false } = {}) {
  const target = `#${path}`;
  if (replace) history.replaceState({ xfDepth: depthNow() }, '', target);
  else history.pushState({ xfDepth: depthNow() + 1 }, '', target);
  notify();
}

/** One screen back inside the app; from the first screen opened, to ``fallback`` instead of leaving. */
export function back(fallback = '/home') {
  if (depthNow() > 0) history.back();
  else go(fallback, { replace: true });
}

/** Render the current screen again (after signing in or out the same hash may need a new screen). */
export function reload() {
  shown = null;
  notify();
}

/** The app screen a server link opens: "/mp/talks/12" → "/talks/12"; admin pages have none. */
export function screenOf(link) {
  if (!link) return null;
  if (link.startsWith('/mp/')) return link.slice(3);
  if (link.startsWith('/m/#/')) return link.slice(4);
  return null;
}

export function listen(fn) {
  handler = fn;
  window.addEventListener('popstate', notify);
  window.addEventListener('hashchange', notify);
  notify();
}
