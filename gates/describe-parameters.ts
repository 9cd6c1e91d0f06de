// A gate run's parameters in a few words, as the runner's first line and the execution log
// say them: `2 cycle(s), 20s each, probes every 1s` for Gate 1; `soak for 3m, warm-up 1m,
// samples every 5s; traffic chat 1/s, action 0.5/s, tool 0.25/s, a session every 5m` for
// Gate 2; any other parameter as `name value`.
import { formatDuration } from '../src/time/parse-duration.ts';

export function describeParameters(parameters: Record<string, unknown>): string | null {
  if (typeof parameters.minute_s === 'number' && typeof parameters.duration_s === 'number') return describeSoak(parameters);
  const parts: string[] = [];
  for (const [name, value] of Object.entries(parameters)) {
    if (name === 'cycles' && typeof value === 'number') parts.push(`${value} cycle(s)`);
    else if (name === 'duration_s' && typeof value === 'number') parts.push(`${formatDuration(value)} each`);
    else if (name === 'interval_s' && typeof value === 'number') parts.push(`probes every ${formatDuration(value)}`);
    else parts.push(`${name} ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return parts.length === 0 ? null : parts.join(', ');
}

function describeSoak(p: Record<string, unknown>): string {
  const minute = p.minute_s === 60 ? '' : ` (minutes of ${formatDuration(p.minute_s as number)})`;
  const warmup = typeof p.warmup_s === 'number' && p.warmup_s > 0 ? `, warm-up ${formatDuration(p.warmup_s)}` : ', no warm-up';
  const samples = typeof p.sample_interval_s === 'number' ? `, samples every ${formatDuration(p.sample_interval_s)}` : '';
  const traffic = (p.traffic ?? {}) as { endpoints?: { name?: unknown; rate_per_s?: unknown }[]; session_cycle?: { every_s?: unknown } };
  const rates = (traffic.endpoints ?? []).map((e) => `${String(e.name)} ${typeof e.rate_per_s === 'number' ? Number(e.rate_per_s.toPrecision(3)) : '?'}/s`);
  if (typeof traffic.session_cycle?.every_s === 'number') rates.push(`a session every ${formatDuration(traffic.session_cycle.every_s)}`);
  const to = typeof p.target === 'string' ? ` to ${p.target}` : '';
  return `soak for ${formatDuration(p.duration_s as number)}${minute}${warmup}${samples}${rates.length > 0 ? `; traffic${to}: ${rates.join(', ')}` : ''}`;
}
