import { describe, expect, it } from 'vitest';
import { sparkline } from '../../components/sparkline-text.ts';

describe('sparkline', () => {
  it('is always exactly the width asked for', () => {
    for (const width of [0, 1, 5, 26, 60]) {
      for (const length of [0, 1, 10, 60, 200]) {
        const values = Array.from({ length }, (_, i) => i % 7);
        expect([...sparkline(values, width)]).toHaveLength(width);
      }
    }
  });

  it('draws zero as the lowest bar and the maximum as the highest', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([0, 0, 0], 3)).toBe('▁▁▁');
  });

  it('shows the newest values and pads a short series on the left', () => {
    expect(sparkline([7, 0, 7], 2)).toBe('▁█');
    expect(sparkline([0, 7], 4)).toBe('  ▁█');
    expect(sparkline([], 3)).toBe('   ');
  });

  it('honours a ceiling and a range base', () => {
    expect(sparkline([0.1, 0.1], 2, { base: 'zero', ceiling: 1 })).toBe('▂▂');
    expect(sparkline([100, 107], 2, { base: 'range', ceiling: 0 })).toBe('▁█');
    expect(sparkline([100, 107], 2)).toBe('██');
  });

  it('treats negative and non-finite values as zero', () => {
    expect(sparkline([-5, Number.NaN, Number.POSITIVE_INFINITY, 7], 4)).toBe('▁▁▁█');
  });
});
