// Pictures from the camera or the album: phones take 4000-pixel photos of several MB; letters
// and avatars read well at 1600 pixels, so they are scaled down and sent as JPEG (which also
// turns formats the server refuses, such as HEIC or WebP, into one it accepts).

import { h } from './dom.js';
import { icon } from './icons.js';

export async function shrink(file, maxSide = 1600, quality = 0.85) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (e) {
    return file; // not decodable here: let the server say what is wrong with it
  }
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  if (scale === 1 && file.size < 1.5e6 && /^image\/(jpeg|png)$/.test(file.type)) return file;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
  return blob ? new File([blob], (file.name || 'photo').replace(/\.[^.]*$/, '') + '.jpg', { type: 'image/jpeg' }) : file;
}

/** Two buttons: 拍照 (opens the camera: ``capture``) and 从相册选择; ``onFiles`` gets the chosen files. */
export function picker(onFiles, { multiple = true } = {}) {
  const camera = h('input', { type: 'file', accept: 'image/*', capture: 'environment', class: 'hidden-input', dataset: { pick: 'camera' } });
  const album = h('input', { type: 'file', accept: 'image/*', multiple, class: 'hidden-input', dataset: { pick: 'album' } });
  [camera, album].forEach((input) => input.addEventListener('change', () => {
    const files = Array.from(input.files || []);
    input.value = '';
    if (files.length) onFiles(files);
  }));
  return h('div', { class: 'picker' },
    h('label', { class: 'btn btn-plain' }, icon('camera'), '拍照', camera),
    h('label', { class: 'btn btn-plain' }, icon('image'), '从相册选择', album));
}
