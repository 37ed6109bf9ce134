// Shared by the development screens: status labels for answers that carry only a code,
// pictures of stored files (fetched with the token), a full-screen picture viewer.

import { h } from '../../lib/dom.js';
import { fileUrl } from '../../lib/api.js';

export const SUBMISSION_LABELS = { submitted: '待审核', withdrawn: '已撤回', approved: '审核通过', rejected: '审核不通过',
  failed: '不通过', deleted: '已删除' };
export const TALK_LABELS = { assigned: '待安排', scheduled: '已安排', proxy_draft: '待确认', submitted: '待审核',
  approved: '审核通过', rejected: '审核不通过' };
export const TONES = { submitted: 'warn', scheduled: 'primary', assigned: 'warn', approved: 'success', rejected: 'danger',
  withdrawn: 'plain', proxy_draft: 'warn', failed: 'danger', deleted: 'plain', done: 'success', open: 'warn' };

export function label(map, item) {
  return item.status_label || map[item.status] || item.status;
}

function viewer(src) {
  const overlay = h('div', { class: 'overlay viewer', on: { click: () => overlay.remove() } }, h('img', { src, alt: '' }));
  document.body.appendChild(overlay);
}

/** Thumbnails of stored files ({url, name, type}); pictures open full screen when tapped. */
export function storedFiles(files) {
  return h('div', { class: 'thumbs' }, (files || []).map((f) => {
    const file = typeof f === 'string' ? { url: f.startsWith('/') ? f : `/api/files/${f}`, name: '', type: 'jpg' } : f;
    if (file.type === 'pdf') return h('span', { class: 'thumb thumb-file' }, file.name || 'PDF');
    const img = h('img', { alt: file.name || '图片' });
    fileUrl(file.url).then((u) => { img.src = u; }).catch(() => img.replaceWith(h('span', { class: 'thumb-file' }, '无法加载')));
    return h('button', { type: 'button', class: 'thumb', on: { click: () => img.src && viewer(img.src) } }, img);
  }));
}

/** Open a protected file (a generated PDF) with the token: a download link clicked once. */
export async function download(url, name) {
  const href = await fileUrl(url);
  const a = h('a', { href, download: name || '' });
  document.body.appendChild(a);
  a.click();
  a.remove();
}
