import { describe, expect, it } from 'vitest';
import type { TreeProcess } from '../../src/telemetry/fleet-snapshot.ts';
import { orderTree } from '../../components/process-tree.ts';
import { processLine, shortProgram } from '../../components/ProcessTree.tsx';

const proc = (pid: number, ppid: number): TreeProcess => ({ pid, ppid, command: `p${pid}`, cpuPercent: 0, rssBytes: 0, state: 'S' });

describe('orderTree', () => {
  it('puts children under their parent, depth first, siblings by pid', () => {
    const rows = orderTree([proc(30, 10), proc(10, 1), proc(20, 10), proc(40, 20), proc(50, 1)]);
    expect(rows.map((r) => [r.process.pid, r.depth])).toEqual([
      [10, 0],
      [20, 1],
      [40, 2],
      [30, 1],
      [50, 0],
    ]);
  });

  it('lists every process once even when parents loop', () => {
    const rows = orderTree([proc(1, 2), proc(2, 1), proc(3, 3), proc(9, 100)]);
    expect(rows.map((r) => r.process.pid).sort((a, b) => a - b)).toEqual([1, 2, 3, 9]);
  });

  it('handles an empty tree', () => {
    expect(orderTree([])).toEqual([]);
  });
});

describe('shortProgram', () => {
  it('names the program without its folder', () => {
    expect(shortProgram('/opt/node-v24/bin/node server.ts --port 7000')).toBe('node server.ts --port 7000');
    expect(shortProgram('"C:\\Program Files\\nodejs\\node.exe" a.ts')).toBe('node.exe a.ts');
    expect(shortProgram('/usr/sbin/nginx')).toBe('nginx');
  });

  it('cuts deep absolute paths among the arguments to their last two parts', () => {
    expect(shortProgram('/usr/bin/node /check/work/main/fleet/openclaw-worker.ts')).toBe('node …/fleet/openclaw-worker.ts');
    expect(shortProgram('node.exe C:\\Users\\op\\fleet\\worker.ts')).toBe('node.exe …\\fleet\\worker.ts');
  });

  it('keeps short paths, relative paths and options as written', () => {
    expect(shortProgram('nginx -c /etc/nginx.conf')).toBe('nginx -c /etc/nginx.conf');
    expect(shortProgram('node ./a/b/c/d.ts --data=/var/lib/x/y/z')).toBe('node ./a/b/c/d.ts --data=/var/lib/x/y/z');
  });
});

describe('processLine', () => {
  it('shows a defunct child under its parent, state Z, as waiting to be collected', () => {
    const rows = orderTree([proc(10, 1), { ...proc(11, 10), command: '', state: 'Z' }]);
    const lines = rows.map((r) => processLine(r.process, r.depth));
    expect(lines[1]).toMatch(/^ +11 +10 Z .* └ \(defunct: not yet collected by its parent\)$/);
    expect(processLine({ ...proc(12, 1), command: '' }, 0)).toMatch(/\(no command line\)$/);
  });
});
