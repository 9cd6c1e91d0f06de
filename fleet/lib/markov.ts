// A word-level Markov chain: the toy "language model" behind model-router. Training is
// counting which word follows which; generation walks the chain with a seeded PRNG.
import type { Random } from './prng.ts';

export interface MarkovChain {
  order: number;
  /** The `order` words that opened a sentence in the corpus. */
  starts: string[][];
  /** Key: `order` words joined by a space; value: every word seen after them. */
  next: Map<string, string[]>;
  /** Lower-cased word -> a state key that starts with it, to steer from the prompt. */
  byWord: Map<string, string>;
}

export function trainMarkov(corpus: string, order: number): MarkovChain {
  const chain: MarkovChain = { order, starts: [], next: new Map(), byWord: new Map() };
  for (const sentence of corpus.split(/(?<=[.!?])\s+/)) {
    const words = sentence.split(/\s+/).filter((w) => w !== '');
    if (words.length <= order) continue;
    chain.starts.push(words.slice(0, order));
    for (let i = 0; i + order < words.length; i++) {
      const key = words.slice(i, i + order).join(' ');
      const follower = words[i + order] ?? '';
      const list = chain.next.get(key);
      if (list === undefined) chain.next.set(key, [follower]);
      else list.push(follower);
      const first = normalise(words[i] ?? '');
      if (!chain.byWord.has(first)) chain.byWord.set(first, key);
    }
  }
  if (chain.starts.length === 0) throw new Error('markov: the corpus has no sentence longer than the order');
  return chain;
}

/** Up to `maxTokens` words, opening on a prompt word the chain knows when there is one. */
export function generate(chain: MarkovChain, random: Random, maxTokens: number, steerWords: readonly string[]): string[] {
  let state = pickOpening(chain, random, steerWords);
  const out = [...state];
  while (out.length < maxTokens) {
    const followers = chain.next.get(state.join(' '));
    if (followers === undefined || followers.length === 0) {
      // A dead end (the corpus's last words): start a fresh sentence rather than stop short.
      state = pick(chain.starts, random);
      out.push(...state);
      continue;
    }
    const word = pick(followers, random);
    out.push(word);
    state = [...state.slice(1), word];
  }
  return out.slice(0, maxTokens);
}

function pickOpening(chain: MarkovChain, random: Random, steerWords: readonly string[]): string[] {
  const known = steerWords.map((w) => chain.byWord.get(normalise(w))).filter((k): k is string => k !== undefined);
  if (known.length > 0) return pick(known, random).split(' ');
  return pick(chain.starts, random);
}

function pick<T>(items: readonly T[], random: Random): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('markov: pick from an empty list');
  return item;
}

function normalise(word: string): string {
  return word.toLowerCase().replace(/[^a-z0-9]/g, '');
}
