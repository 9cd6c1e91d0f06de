// Every run kind's judge, registered for `evident verify` and the run writer. A new gate
// adds its line here.
import { registerJudge } from '../src/evidence/judge-registry.ts';
import { preflightJudge } from './preflight/judge.ts';
import { releaseJudge } from './release/judge.ts';
import { shutdownJudge } from './shutdown/judge.ts';
import { soakJudge } from './soak/judge.ts';
import { startStopCyclesJudge } from './start-stop-cycles/judge.ts';

registerJudge(shutdownJudge);
registerJudge(preflightJudge);
registerJudge(startStopCyclesJudge);
registerJudge(releaseJudge);
registerJudge(soakJudge);
