// Shared by the organisation-life screens: tones of the meeting phases and attendance codes,
// and the attendance block (签到、签退 times) of one meeting.

import { h } from '../../lib/dom.js';
import { dateTime } from '../../lib/format.js';

export const PHASE_TONES = { upcoming: 'primary', running: 'warn', ended: 'plain', confirmed: 'plain', completed: 'success' };
export const ATTENDANCE_TONES = { pending: 'plain', signed_in: 'success', signed_out: 'success', supplemented: 'success',
  leave: 'warn', absent: 'danger' };

export function attendanceBlock(ui, a) {
  return h('div', { class: 'attendance' },
    ui.kv('参会情况', ui.tag(a.status_label, ATTENDANCE_TONES[a.status] || 'plain')),
    a.signed_in_at ? ui.kv('签到时间', dateTime(a.signed_in_at)) : null,
    a.signed_out_at ? ui.kv('签退时间', dateTime(a.signed_out_at)) : null,
    a.note ? ui.kv('请假原因', a.note) : null);
}
