// eva-os's planner: turns a goal in plain words into the steps it will perform. Plain
// rules over the goal's words; the tool input is the text after the first colon.

export interface ToolChoice {
  tool: string;
  input: unknown;
  why: string;
}

export interface PlanStep {
  step: number;
  kind: 'session' | 'remember' | 'tool';
  detail: string;
}

const RULES: readonly { test: RegExp; tool: string; why: string }[] = [
  { test: /\b(hash|checksum|sha-?256|digest)\b/i, tool: 'sha256', why: 'the goal asks for a hash' },
  { test: /\b(sort|order|alphabeti[sz]e)\b/i, tool: 'sort_lines', why: 'the goal asks for an ordering' },
  { test: /\b(wait|sleep|pause)\b/i, tool: 'sleep', why: 'the goal asks to wait' },
  { test: /\b(count|how many|words)\b/i, tool: 'word_count', why: 'the goal asks for a count' },
];

export function chooseTool(goal: string): ToolChoice {
  const colon = goal.indexOf(':');
  const subject = (colon >= 0 ? goal.slice(colon + 1) : goal).trim() || goal;
  const rule = RULES.find((r) => r.test.test(goal));
  if (rule === undefined) return { tool: 'word_count', input: subject, why: 'no rule matched: measure the goal' };
  if (rule.tool === 'sleep') {
    const ms = /(\d+)\s*ms\b/i.exec(goal) ?? /(\d+)/.exec(subject);
    return { tool: 'sleep', input: ms === null ? 100 : Number(ms[1]), why: rule.why };
  }
  if (rule.tool === 'sort_lines') return { tool: 'sort_lines', input: subject.split(/\s*[,\n]\s*/).join('\n'), why: rule.why };
  return { tool: rule.tool, input: subject, why: rule.why };
}

export function planFor(goal: string, sessionId: string | undefined): { choice: ToolChoice; steps: PlanStep[] } {
  const choice = chooseTool(goal);
  return {
    choice,
    steps: [
      { step: 1, kind: 'session', detail: sessionId === undefined ? 'create a session in memory-engine' : `use session ${sessionId}` },
      { step: 2, kind: 'remember', detail: 'store the goal as a memory' },
      { step: 3, kind: 'tool', detail: `run ${choice.tool} in openclaw (${choice.why})` },
      { step: 4, kind: 'remember', detail: 'store the tool result as a memory' },
    ],
  };
}

/** Known goals and the tools they must pick, checked on boot. */
export function plannerSelfTest(): void {
  const cases: [string, string, unknown][] = [
    ['hash this: abc', 'sha256', 'abc'],
    ['sort: pear, apple', 'sort_lines', 'pear\napple'],
    ['wait 250 ms', 'sleep', 250],
    ['how many words are here', 'word_count', 'how many words are here'],
  ];
  for (const [goal, tool, input] of cases) {
    const got = chooseTool(goal);
    if (got.tool !== tool || JSON.stringify(got.input) !== JSON.stringify(input)) {
      throw new Error(`planner self-test: "${goal}" chose ${got.tool}(${JSON.stringify(got.input)}), expected ${tool}(${JSON.stringify(input)})`);
    }
  }
}
