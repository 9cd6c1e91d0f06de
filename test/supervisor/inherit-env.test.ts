// inherit_env on a real process: the service's environment, read back from /proc, holds
// what the contract lets through and evident's markers, and none of the operator's secrets.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureService, makeTempFleet, type TempFleet } from '../helpers/temp-fleet.ts';

let fleet: TempFleet | null = null;
afterEach(async () => {
  await fleet?.cleanup();
  fleet = null;
  delete process.env.EVIDENT_TEST_OPERATOR_TOKEN;
});

function environOf(pid: number): Map<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter((e) => e !== '');
  return new Map(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

describe.skipIf(process.platform !== 'linux')('inherit_env', () => {
  it("gives a service only the names it lists, its own env and evident's markers", async () => {
    process.env.EVIDENT_TEST_OPERATOR_TOKEN = 'not-for-services';
    fleet = await makeTempFleet([fixtureService('web', 'http-ok.ts', 28450, { inherit_env: ['PATH'], env: { APP_MODE: 'test' } })]);
    await fleet.supervisor.startAll();
    const pid = fleet.supervisor.getSnapshot().services[0]?.pid as number;
    const env = environOf(pid);
    expect(env.get('PATH')).toBe(process.env.PATH);
    expect(env.get('APP_MODE')).toBe('test');
    expect(env.get('PORT')).toBe('28450');
    expect(env.get('EVIDENT_SERVICE')).toBe('web');
    expect(env.has('EVIDENT_TEST_OPERATOR_TOKEN')).toBe(false);
    expect(env.has('HOME')).toBe(false);
  });

  it('inherits everything by default, the operator token included', async () => {
    process.env.EVIDENT_TEST_OPERATOR_TOKEN = 'not-for-services';
    fleet = await makeTempFleet([fixtureService('web', 'http-ok.ts', 28451)]);
    await fleet.supervisor.startAll();
    const env = environOf(fleet.supervisor.getSnapshot().services[0]?.pid as number);
    expect(env.get('EVIDENT_TEST_OPERATOR_TOKEN')).toBe('not-for-services');
  });
});
