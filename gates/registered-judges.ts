// Every run kind's judge, registered for `evident verify` and the run writer. A new gate
// adds its line here.
import { registerJudge } from '../src/evidence/judge-registry.ts';
import { shutdownJudge } from './shutdown/judge.ts';

registerJudge(shutdownJudge);
