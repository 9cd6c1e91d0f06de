// How the terminal's rows are shared between the panes. Pure arithmetic, so the promise
// "the frame never grows taller than the terminal" can be tested without rendering.

/** Below this the console shows one line asking for a larger terminal. */
export const MIN_COLUMNS = 40;
export const MIN_ROWS = 12;

/**
 * Rows the frame may use. One row is left free: a frame as tall as the terminal makes Ink
 * clear the screen on every render on Windows consoles (flicker) and clear again whenever
 * the frame shrinks back.
 */
export function frameRows(terminalRows: number): number {
  return Math.max(0, terminalRows - 1);
}

export interface BodyPlan {
  table: number;
  detail: number;
}

/**
 * Split the rows between header and footer into the services table and the pane below
 * it. The table gets what it needs as long as `minDetail` rows remain below; on a short
 * terminal it shrinks (and scrolls) first, keeping at least its header and one row.
 */
export function planBody(bodyRows: number, tableNeeded: number, minDetail: number): BodyPlan {
  const body = Math.max(0, bodyRows);
  const floor = Math.min(body, 2);
  const table = Math.min(Math.max(0, tableNeeded), Math.max(floor, body - minDetail));
  return { table, detail: body - table };
}

/**
 * Which items to show when items of the given heights must fit in `budget` rows and the
 * item at `selected` must be among them: returns [start, end). Starts at the top and
 * scrolls only as far as the selection needs.
 */
export function visibleWindow(heights: readonly number[], selected: number, budget: number): [number, number] {
  if (heights.length === 0 || budget <= 0) return [0, 0];
  const target = Math.min(Math.max(0, selected), heights.length - 1);
  let start = 0;
  let used = sum(heights.slice(0, target + 1));
  while (used > budget && start < target) {
    used -= heights[start] ?? 0;
    start += 1;
  }
  let end = target + 1;
  while (end < heights.length && used + (heights[end] ?? 0) <= budget) {
    used += heights[end] ?? 0;
    end += 1;
  }
  return [start, end];
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export interface DetailPlan {
  /** The tree section: a column header and `treeRows` processes, or one "no process" line. */
  showTree: boolean;
  /** Rows for process lines (the column header not counted). */
  treeRows: number;
  showSparklines: boolean;
  showProbe: boolean;
  showError: boolean;
  /** Rows for log lines (the log divider not counted); 0 hides the log. */
  logRows: number;
}

/**
 * Share the detail pane's rows (title line included) between its sections, in order of
 * importance: title, process tree (at least its first process), last error, probe,
 * sparklines, then the log and the rest of the tree. Never plans more rows than given.
 */
export function planDetail(rows: number, treeCount: number, hasError: boolean): DetailPlan {
  const plan: DetailPlan = { showTree: false, treeRows: 0, showSparklines: false, showProbe: false, showError: false, logRows: 0 };
  // The title line; a pane too short for the title shows nothing.
  let left = rows - 1;
  if (left < 0) return plan;
  // The tree: a header line plus processes, or one "no process" line.
  const treeLines = (wanted: number) => (treeCount === 0 ? 1 : 1 + wanted);
  if (left >= treeLines(1)) {
    plan.showTree = true;
    plan.treeRows = treeCount === 0 ? 0 : 1;
    left -= treeLines(1);
  } else {
    return plan;
  }
  if (hasError && left >= 1) {
    plan.showError = true;
    left -= 1;
  }
  if (left >= 1) {
    plan.showProbe = true;
    left -= 1;
  }
  if (left >= 1) {
    plan.showSparklines = true;
    left -= 1;
  }
  // The rest: more processes (up to a third of it, and at least a few log lines when
  // there is room), then the log behind its divider.
  const extraTree = Math.max(0, Math.min(treeCount - 1, Math.floor(left / 3)));
  plan.treeRows += treeCount === 0 ? 0 : extraTree;
  left -= treeCount === 0 ? 0 : extraTree;
  if (left >= 2) plan.logRows = left - 1;
  return plan;
}

/** Rows a plan uses, title line included: never more than the rows it was made for. */
export function detailLines(plan: DetailPlan, treeCount: number): number {
  const tree = plan.showTree ? (treeCount === 0 ? 1 : 1 + plan.treeRows) : 0;
  const flags = [plan.showError, plan.showProbe, plan.showSparklines].filter(Boolean).length;
  const log = plan.logRows > 0 ? 1 + plan.logRows : 0;
  return 1 + tree + flags + log;
}
