// Times arrive as the college's local time with its offset ("2026-11-28T18:00:00+08:00"), so
// showing them is cutting the string: no time-zone arithmetic happens on the phone.

export function dateTime(iso) {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '';
}

export function day(iso) {
  return iso ? iso.slice(0, 10) : '';
}

/** The value of an <input type="datetime-local"> for a stored time (local wall time). */
export function localInput(iso) {
  return iso ? iso.slice(0, 16) : '';
}

export function today() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** 较上期: positive = moved up that many places. */
export function change(n) {
  if (n === null || n === undefined) return { text: '—', tone: 'muted' };
  if (n > 0) return { text: `↑${n}`, tone: 'up' };
  if (n < 0) return { text: `↓${-n}`, tone: 'down' };
  return { text: '持平', tone: 'muted' };
}

export function rank(n, tie) {
  if (n === null || n === undefined) return '—';
  return tie && tie > 1 ? `${n}（并列）` : String(n);
}
