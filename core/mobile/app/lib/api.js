// The only way screens reach the server: /api/mp/v1 (and /api/files) with the bearer token.
// Answers are the data itself (docs/api.md); errors have one shape {status, msg, errors[{field, label, msg}]}.
// A 401 ends the session and returns to the login screen, which continues where the person was.

import { session } from './session.js';

const MP = '/api/mp/v1';

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.msg) || `请求失败（${status}）`);
    this.status = status;
    this.errors = (body && body.errors) || [];
  }
}

let onUnauthorised = () => {};
export function whenUnauthorised(fn) { onUnauthorised = fn; }

function url(path, query) {
  const base = path.startsWith('/api/files') ? path : MP + path; // nothing else of the server is reachable
  const params = new URLSearchParams();
  Object.entries(query || {}).forEach(([k, v]) => { if (v !== null && v !== undefined && v !== '') params.set(k, v); });
  const qs = params.toString();
  return qs ? `${base}?${qs}` : base;
}

async function send(method, path, { body, query, form } = {}) {
  const headers = { Accept: 'application/json' };
  const token = session.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload;
  if (form) payload = form;
  else if (body !== undefined) { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  let res;
  try {
    // credentials 'omit': the admin's cookie (same site) must not speak for the phone's user
    res = await fetch(url(path, query), { method, headers, body: payload, credentials: 'omit' });
  } catch (e) {
    throw new ApiError(0, { msg: '网络连接失败，请检查网络后重试' });
  }
  let data = null;
  if ((res.headers.get('content-type') || '').includes('application/json')) data = await res.json();
  if (res.status === 401 && !path.startsWith('/auth/login')) {
    session.clear();
    onUnauthorised();
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export const api = {
  get: (path, query) => send('GET', path, { query }),
  post: (path, body, query) => send('POST', path, { body: body === undefined ? {} : body, query }),
  put: (path, body) => send('PUT', path, { body }),
  postForm: (path, form) => send('POST', path, { form }),
  /** POST /api/files: {msg, file: {token, url, name, ...}} */
  upload(file, purpose, name) {
    const form = new FormData();
    form.append('file', file, name || file.name || 'image.jpg');
    if (purpose) form.append('purpose', purpose);
    return send('POST', '/api/files', { form });
  },
};

const blobs = new Map();
/** An object URL for a protected file (/api/files/...), fetched with the bearer token. */
export async function fileUrl(path) {
  if (!blobs.has(path)) {
    blobs.set(path, (async () => {
      const res = await fetch(path, { headers: { Authorization: `Bearer ${session.token}` }, credentials: 'omit' });
      if (!res.ok) { blobs.delete(path); throw new ApiError(res.status, null); }
      return URL.createObjectURL(await res.blob());
    })());
  }
  return blobs.get(path);
}
