// A command line shown to an operator: arguments joined by spaces, an empty one quoted.
import { describe, expect, it } from 'vitest';
import { commandLineText } from '../../src/platform/command-line-text.ts';

describe('commandLineText', () => {
  it('joins the arguments with spaces', () => {
    expect(commandLineText(['/usr/sbin/nginx', '-c', '/srv/web/nginx.conf'])).toBe('/usr/sbin/nginx -c /srv/web/nginx.conf');
  });

  it("shows an empty argument as '' wherever it is", () => {
    expect(commandLineText(['redis-server', '--save', '', '--port', '6390'])).toBe("redis-server --save '' --port 6390");
    expect(commandLineText(['app', ''])).toBe("app ''");
  });

  it('gives nothing for an empty argv (a zombie)', () => {
    expect(commandLineText([])).toBe('');
  });
});
