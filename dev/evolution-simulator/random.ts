/**
 * A small seedable generator (mulberry32): the same seed and the same sequence of operations give the
 * same duplicates, orderings, tokens and QR codes, so a failing run can be replayed.
 */
export interface Random {
  next(): number;
  chance(probability: number): boolean;
  int(maxExclusive: number): number;
  text(length: number, alphabet?: string): string;
}

const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (probability) => probability > 0 && next() < probability,
    int: (maxExclusive) => Math.floor(next() * maxExclusive),
    text: (length, alphabet = BASE64_ALPHABET) => {
      let out = "";
      for (let i = 0; i < length; i += 1) out += alphabet[Math.floor(next() * alphabet.length)];
      return out;
    },
  };
}
