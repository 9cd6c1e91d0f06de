// Text for a reader overlay: split into lines, made safe to show, and wrapped to a width
// (at spaces where a line has them, else hard), so scrolling moves by screen lines.
import { sanitizeLine } from './format.ts';

export function wrapText(text: string, width: number): string[] {
  const columns = Math.max(1, width);
  const lines: string[] = [];
  for (const raw of text.replace(/\n$/, '').split(/\r?\n/)) {
    let rest = sanitizeLine(raw).trimEnd();
    if (rest === '') {
      lines.push('');
      continue;
    }
    // Continuation lines keep the indentation of the line they continue.
    const indent = ' '.repeat(Math.min(/^ */.exec(rest)?.[0].length ?? 0, Math.floor(columns / 2)));
    let first = true;
    while (rest.length > 0) {
      const room = first ? columns : columns - indent.length;
      if (rest.length <= room) {
        lines.push(first ? rest : indent + rest);
        break;
      }
      const space = rest.lastIndexOf(' ', room);
      const cut = space > room / 3 ? space : room;
      lines.push((first ? '' : indent) + rest.slice(0, cut).trimEnd());
      rest = rest.slice(cut).trimStart();
      first = false;
    }
  }
  return lines;
}
