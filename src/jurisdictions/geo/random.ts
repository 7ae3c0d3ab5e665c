// Seeded randomness for generated geometry: the same seed gives the same city on every machine.

/** A function returning uniform numbers in [0, 1). */
export type Random = () => number;

/** Mulberry32: tiny, fast, and good enough for sampling points (not for secrets). */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A generator for one named thing (e.g. a division code) under a global seed, so that each
 * area's shapes depend only on the seed and its own code, not on the order things were generated.
 */
export function randomFor(seed: number, key: string): Random {
  let h = 2166136261 ^ seed;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return mulberry32(h);
}
