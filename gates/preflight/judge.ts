// The prerequisites' verdict, from the `preflight.check` records alone: each record holds
// what was observed (the runtime's version, where a command resolved to, who holds a
// port, free bytes, a variable's value); the criteria say what is required. Pure.
import type { Judge, Verdict } from '../../src/evidence/judge-registry.ts';
import type { JournalRecord } from '../../src/evidence/journal-record.ts';

export interface PreflightCriteria {
  min_node_major: number;
  min_free_disk_mb: number;
  /** Variables the pipeline requires, with their values. */
  environment: Record<string, string>;
}

export interface CheckVerdict {
  check: string;
  subject: string;
  ok: boolean;
  /** What was found and, when it fails, what to do. */
  message: string;
}

export function judgeCheck(payload: Record<string, unknown>, criteria: PreflightCriteria): CheckVerdict {
  const check = String(payload.check);
  const subject = String(payload.subject ?? '');
  const verdict = (ok: boolean, message: string): CheckVerdict => ({ check, subject, ok, message });
  switch (check) {
    case 'runtime': {
      const version = String(payload.version);
      const major = Number(/^v?(\d+)\./.exec(version)?.[1] ?? Number.NaN);
      return major >= criteria.min_node_major
        ? verdict(true, `Node ${version} (needs ${criteria.min_node_major} or later)`)
        : verdict(false, `Node ${version} is older than ${criteria.min_node_major}: run evident with Node ${criteria.min_node_major} or later (npm ci installs it)`);
    }
    case 'command': {
      const resolved = typeof payload.resolved === 'string' ? payload.resolved : null;
      return resolved !== null
        ? verdict(true, `${subject}: "${String(payload.command)}" is ${resolved}`)
        : verdict(false, `${subject}: "${String(payload.command)}" is not found${typeof payload.searched === 'string' ? ` (${payload.searched})` : ''}: install it or fix "command" in the contract`);
    }
    case 'port': {
      if (!('holder' in payload)) return verdict(false, `port ${subject}: the record does not say who holds it`);
      const holder = payload.holder as { pid: number | null; command: string; ours: boolean; service?: string | null } | null;
      if (holder === null) return verdict(true, `port ${subject} is free`);
      if (holder.ours) return verdict(true, `port ${subject} is held by ${holder.service ?? 'a service'} of this fleet (pid ${holder.pid}): the gate stops it before cycle 1`);
      return verdict(false, `port ${subject} is held by ${holder.pid === null ? 'a process evident cannot see (another user\'s)' : `pid ${holder.pid} (${holder.command || 'command unknown'})`}, not by this fleet: stop it or move the service`);
    }
    case 'writable':
      return payload.error === null
        ? verdict(true, `${subject} is writable`)
        : verdict(false, `${subject} is not writable: ${String(payload.error)}`);
    case 'disk': {
      const free = Number(payload.free_bytes);
      const needed = criteria.min_free_disk_mb * 1024 * 1024;
      const mb = (bytes: number) => `${Math.floor(bytes / 1024 / 1024)} MB`;
      if (payload.error !== null && payload.error !== undefined) return verdict(false, `free space at ${subject} cannot be read: ${String(payload.error)}`);
      return free >= needed ? verdict(true, `${mb(free)} free at ${subject} (needs ${criteria.min_free_disk_mb} MB)`) : verdict(false, `only ${mb(free)} free at ${subject}: ${criteria.min_free_disk_mb} MB needed`);
    }
    case 'environment': {
      const required = criteria.environment[subject];
      const matches = payload.matches === true;
      if (required === undefined) return verdict(true, `${subject} is not required by the pipeline`);
      if (matches) return verdict(true, `${subject}=${required}`);
      return verdict(false, payload.set === true ? `${subject} is set to another value; the pipeline requires ${subject}=${required}` : `${subject} is not set; the pipeline requires ${subject}=${required}`);
    }
    default:
      return verdict(false, `unknown check "${check}"`);
  }
}

export function judgePreflight(records: readonly JournalRecord[], criteriaInput: Record<string, unknown>): Verdict {
  const criteria: PreflightCriteria = {
    min_node_major: typeof criteriaInput.min_node_major === 'number' ? criteriaInput.min_node_major : 22,
    min_free_disk_mb: typeof criteriaInput.min_free_disk_mb === 'number' ? criteriaInput.min_free_disk_mb : 0,
    environment: (criteriaInput.environment ?? {}) as Record<string, string>,
  };
  const checks = records.filter((r) => r.type === 'preflight.check').map((r) => judgeCheck(r.payload, criteria));
  const recorded = checks.length;
  // Every requirement must have been looked at: a missing record is a failed check, not
  // a minimum that silently went unenforced.
  if (!checks.some((c) => c.check === 'runtime')) checks.push({ check: 'runtime', subject: 'node', ok: false, message: 'the Node version was never checked' });
  if (criteria.min_free_disk_mb > 0 && !checks.some((c) => c.check === 'disk')) checks.push({ check: 'disk', subject: '', ok: false, message: 'free disk space was never measured' });
  for (const name of Object.keys(criteria.environment)) {
    if (!checks.some((c) => c.check === 'environment' && c.subject === name)) checks.push({ check: 'environment', subject: name, ok: false, message: `${name} was never checked` });
  }
  const ended = records.some((r) => r.type === 'run.end');
  const failed = checks.filter((c) => !c.ok);
  const reasons = failed.map((c) => c.message);
  if (recorded === 0) reasons.push('no check was recorded');
  if (!ended) reasons.unshift('the run has no end record: its runner stopped before it finished');
  return {
    status: !ended ? 'INTERRUPTED' : failed.length > 0 || recorded === 0 ? 'FAILED' : 'PASSED',
    checks_total: checks.length,
    checks_passed: checks.length - failed.length,
    checks_failed: failed.length,
    checks,
    reasons,
  };
}

export const preflightJudge: Judge = { kind: 'preflight', title: 'Prerequisites', judge: judgePreflight };
