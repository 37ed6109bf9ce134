// A period's report: opens the first level this person may read (学院党委 for the committee, the
// own branch for a branch admin, the own report for a student).

import { levelPath, levels } from './common.js';

export default async function render(ctx) {
  const can = levels(ctx.session);
  const level = can.college ? 'college' : can.branch ? 'branch' : 'individual';
  ctx.go(levelPath(ctx.session, ctx.params.pid, level), { replace: true });
}
