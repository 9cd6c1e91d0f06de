// Contract problems as the operator reads them in a terminal: one header, one line each.
import type { ContractProblem } from './contract.ts';

/**
 * ```
 * contract contracts/boot-contract.json has 2 problems:
 *   services[2].port: expected a number 1–65535, got "70o1"
 *   services[4].depends_on[0]: unknown service "model-routr" (did you mean "model-router"?)
 * ```
 * Ends with a newline. Control characters are escaped so file content can never drive the terminal.
 */
export function formatProblems(contractPath: string, problems: readonly ContractProblem[], what = 'contract'): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = [`${what} ${contractPath} has ${count}:`, ...problems.map((p) => `  ${p.path}: ${p.message}`)];
  return `${lines.map(escapeControl).join('\n')}\n`;
}

function escapeControl(line: string): string {
  // C0 and C1 controls, including ESC, which starts terminal escape sequences.
  return line.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
