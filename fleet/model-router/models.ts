// model-router's routing table: four toy models, each a Markov chain over its own small
// corpus, and the ordered rules that pick one from features of the prompt.
import { trainMarkov, type MarkovChain } from '../lib/markov.ts';

export interface ModelSpec {
  name: string;
  order: number;
  maxTokens: number;
  corpus: string;
}

export interface RouteRule {
  model: string;
  /** Shown in GET /v1/models and in every completion as `route_reason`. */
  reason: string;
  matches: (features: PromptFeatures) => boolean;
}

export interface PromptFeatures {
  words: string[];
  looksLikeCode: boolean;
  isQuestion: boolean;
}

export const MODELS: readonly ModelSpec[] = [
  {
    name: 'coder-1',
    order: 1,
    maxTokens: 40,
    corpus: `Start the worker before you bind the port. Close the database handle when the signal arrives.
      Return early when the input is empty. Keep every handler small and name it after what it does.
      A pid file records the start time so a reused pid is never killed. Read the exit code before you retry.
      Wrap the call in a timeout and map the timeout to a gateway error. Stream the tokens and flush each line.
      Parse the body once and validate every field with a clear message. Prefer a pure function for the verdict.`,
  },
  {
    name: 'oracle-1',
    order: 1,
    maxTokens: 32,
    corpus: `The answer depends on the evidence in the journal. A verdict is a function of the records and nothing else.
      The service is healthy when it answers within the deadline. The gate passes only when every check passes.
      The process survived because its child ignored the signal. The leak shows as a slope in resident memory.
      The error rate stays under one percent when the upstream is warm. The soak ends after forty eight hours.`,
  },
  {
    name: 'scribe-2',
    order: 2,
    maxTokens: 48,
    corpus: `The console watched the fleet through the night and wrote down every sample it took. When the router slowed
      the console wrote down the latency and the time it happened. When the memory engine restarted the console wrote down
      the old pid and the new one. In the morning the reviewer read the journal from the first line to the last and found
      that every verdict followed from the records. The reviewer signed the summary and the release went out on time.
      The operators slept well because the console had watched the fleet through the night.`,
  },
  {
    name: 'terse-1',
    order: 1,
    maxTokens: 16,
    corpus: `All services are up. The fleet is warm. Health checks pass. Memory is steady. Latency is low.
      The gate is green. Nothing leaked. Every process stopped cleanly. The journal is sealed. Ready when you are.`,
  },
];

export const ROUTES: readonly RouteRule[] = [
  { model: 'coder-1', reason: 'prompt looks like code', matches: (f) => f.looksLikeCode },
  { model: 'oracle-1', reason: 'prompt is a question', matches: (f) => f.isQuestion },
  { model: 'scribe-2', reason: 'prompt is long (12+ words)', matches: (f) => f.words.length >= 12 },
  { model: 'terse-1', reason: 'default for short prompts', matches: () => true },
];

export function promptFeatures(prompt: string): PromptFeatures {
  const words = prompt.split(/\s+/).filter((w) => w !== '');
  return {
    words,
    looksLikeCode: /[{};=]|=>|\b(function|const|def|class|return|import)\b/.test(prompt),
    isQuestion: /\?\s*$/.test(prompt) || /^(who|what|why|how|when|where|which|is|are|can|does)\b/i.test(prompt.trim()),
  };
}

export function routeFor(features: PromptFeatures): RouteRule {
  const rule = ROUTES.find((r) => r.matches(features));
  if (rule === undefined) throw new Error('model-router: no route matched (the last rule must match everything)');
  return rule;
}

export function trainModels(): Map<string, { spec: ModelSpec; chain: MarkovChain }> {
  const models = new Map<string, { spec: ModelSpec; chain: MarkovChain }>();
  for (const spec of MODELS) models.set(spec.name, { spec, chain: trainMarkov(spec.corpus, spec.order) });
  for (const rule of ROUTES) {
    if (!models.has(rule.model)) throw new Error(`model-router: route "${rule.reason}" names unknown model ${rule.model}`);
  }
  return models;
}
