// Seeded ids and ARNs: the same scenario seed gives the same task ids, deployment ids and event ids run to run.

/** A small seeded PRNG (mulberry32) so ids and injected faults repeat run to run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Hex strings, UUIDs and digit strings drawn from one seeded stream. */
export class IdSource {
  constructor(readonly random: () => number) {}

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += Math.floor(this.random() * 16).toString(16);
    return out;
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** `length` decimal digits, the first not 0. */
  digits(length: number): string {
    let out = String(1 + Math.floor(this.random() * 9));
    while (out.length < length) out += Math.floor(this.random() * 10);
    return out;
  }
}
