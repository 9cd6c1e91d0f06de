// pipecat's framing: model tokens in, speakable phrases out. A frame closes at the end of
// a sentence or clause, or after a few words, so a listener hears steady chunks.

const MAX_WORDS_PER_FRAME = 5;

export interface Frame {
  seq: number;
  text: string;
  /** Indexes of the first and last token in this frame. */
  tokens: [number, number];
}

export interface Framer {
  /** Adds one token; returns the frame it completed, if any. */
  push(token: string): Frame | null;
  /** The unfinished frame at the end of the stream, if any. */
  flush(): Frame | null;
  framesEmitted(): number;
}

export function createFramer(): Framer {
  let words: string[] = [];
  let firstToken = 0;
  let tokenCount = 0;
  let seq = 0;

  const emit = (): Frame | null => {
    if (words.length === 0) return null;
    const frame: Frame = { seq: seq++, text: words.join('').trim(), tokens: [firstToken, tokenCount - 1] };
    words = [];
    firstToken = tokenCount;
    return frame;
  };

  return {
    push(token) {
      words.push(token);
      tokenCount++;
      const boundary = /[.!?;:,]$/.test(token.trim());
      return boundary || words.length >= MAX_WORDS_PER_FRAME ? emit() : null;
    },
    flush: emit,
    framesEmitted: () => seq,
  };
}

/** Frames a known token list and checks the result, so a broken framer fails the boot. */
export function framerSelfTest(): void {
  const framer = createFramer();
  const tokens = ['The', ' gate', ' is', ' green.', ' Nothing', ' leaked', ' and', ' every', ' process', ' stopped'];
  const frames = [...tokens.map((t) => framer.push(t)), framer.flush()].filter((f): f is Frame => f !== null);
  const got = frames.map((f) => f.text).join('|');
  const want = 'The gate is green.|Nothing leaked and every process|stopped';
  if (got !== want) throw new Error(`framer self-test: got "${got}", expected "${want}"`);
}
