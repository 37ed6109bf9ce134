// Line icons drawn as inline SVG (no icon font to download). Names match MobileEntry.icon.

import { s } from './dom.js';

const PATHS = {
  home: 'M3 11l9-7 9 7v9a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1z',
  flag: 'M5 21V4M5 4h11l-2 4 2 4H5',
  timeline: 'M6 4v16M6 6h.01M6 12h.01M6 18h.01M10 6h9M10 12h9M10 18h9',
  chart: 'M4 20h16M7 16v-5M12 16V7M17 16v-8',
  message: 'M4 5h16v11H8l-4 4z',
  talk: 'M4 5h11v8H8l-4 3zM15 9h5v8l-3-2h-6v-2',
  user: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0',
  doc: 'M6 3h9l4 4v14H6zM14 3v5h5M9 13h7M9 17h7',
  check: 'M5 12l4 4 10-10',
  people: 'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM2 20a7 7 0 0 1 14 0M16 4a3.5 3.5 0 0 1 0 7M18 14a6 6 0 0 1 4 6',
  calendar: 'M4 6h16v14H4zM4 10h16M8 3v5M16 3v5',
  back: 'M15 5l-7 7 7 7',
  right: 'M9 5l7 7-7 7',
  camera: 'M4 8h4l2-3h4l2 3h4v11H4zM12 17a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z',
  image: 'M4 5h16v14H4zM4 16l5-5 4 4 3-3 4 4M15.5 9.5h.01',
  close: 'M6 6l12 12M18 6L6 18',
  lock: 'M6 11h12v10H6zM8 11V8a4 4 0 0 1 8 0v3',
  logout: 'M10 4H5v16h5M14 8l4 4-4 4M18 12H9',
};

export function icon(name, cls = 'icon') {
  return s('svg', { class: cls, viewBox: '0 0 24 24', 'aria-hidden': 'true', fill: 'none', stroke: 'currentColor',
    'stroke-width': '1.8', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' },
  s('path', { d: PATHS[name] || PATHS.doc }));
}
