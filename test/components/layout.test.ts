import { describe, expect, it } from 'vitest';
import { detailLines, frameRows, planBody, planDetail, visibleWindow } from '../../components/layout.ts';

describe('layout', () => {
  it('leaves one terminal row free', () => {
    expect(frameRows(24)).toBe(23);
    expect(frameRows(0)).toBe(0);
  });

  it('gives the table what it needs and the detail pane the rest', () => {
    expect(planBody(19, 7, 6)).toEqual({ table: 7, detail: 12 });
    expect(planBody(19, 16, 6)).toEqual({ table: 13, detail: 6 });
    expect(planBody(3, 7, 6)).toEqual({ table: 2, detail: 1 });
    expect(planBody(0, 7, 6)).toEqual({ table: 0, detail: 0 });
  });

  it('never plans more rows than there are', () => {
    for (let body = 0; body < 40; body++) {
      for (let need = 0; need < 30; need++) {
        const plan = planBody(body, need, 6);
        expect(plan.table + plan.detail).toBe(body);
        expect(plan.table).toBeLessThanOrEqual(need);
      }
    }
  });

  it('keeps the selected item in the visible window', () => {
    const heights = [1, 1, 2, 1, 1, 1, 1, 2, 1, 1];
    for (let budget = 2; budget < 14; budget++) {
      for (let selected = 0; selected < heights.length; selected++) {
        const [start, end] = visibleWindow(heights, selected, budget);
        expect(start).toBeLessThanOrEqual(selected);
        expect(end).toBeGreaterThan(selected);
        expect(heights.slice(start, end).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(budget);
      }
    }
    expect(visibleWindow([1, 1, 1], 0, 5)).toEqual([0, 3]);
    expect(visibleWindow([1, 1, 1, 1], 3, 2)).toEqual([2, 4]);
    expect(visibleWindow([], 0, 5)).toEqual([0, 0]);
  });

  it('shares the detail rows between its sections without overflowing', () => {
    for (let rows = 1; rows < 50; rows++) {
      for (const tree of [0, 1, 2, 9, 40]) {
        for (const hasError of [false, true]) {
          const plan = planDetail(rows, tree, hasError);
          expect(detailLines(plan, tree)).toBeLessThanOrEqual(rows);
          expect(plan.treeRows).toBeLessThanOrEqual(tree);
        }
      }
    }
  });

  it('shows the error before the log when rows are short, and a log when there is room', () => {
    expect(planDetail(4, 2, true)).toMatchObject({ showTree: true, treeRows: 1, showError: true, showProbe: false, logRows: 0 });
    const roomy = planDetail(12, 2, false);
    expect(roomy).toMatchObject({ treeRows: 2, showProbe: true, showSparklines: true, logRows: 5 });
  });
});
