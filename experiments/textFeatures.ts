// Simple features of a text, character by character, and how well a unit of a character
// model follows each: the "cell that tracks quotes" of Karpathy, Johnson & Fei-Fei (2015),
// found by correlation. Used by `rnnlab cells` and the playground's activations panel.

export const featureNames = ['quotes', 'bracket depth', 'line position'] as const;
export type FeatureName = (typeof featureNames)[number];

/**
 * Per character: inside quotes (`` … '' or straight "), 1 or 0; the depth of nesting in ( )
 * and [ ], counting the brackets themselves; the position in its line, 0 … 1.
 */
export function textFeatures(text: string): Record<FeatureName, number[]> {
  const quotes: number[] = [],
    depths: number[] = [],
    position: number[] = [];
  let inQuote = false,
    depth = 0,
    lineStart = 0;
  const lineEnd = (at: number) => {
    const n = text.indexOf('\n', at);
    return n < 0 ? text.length : n;
  };
  let end = lineEnd(0);
  for (let q = 0; q < text.length; q++) {
    const ch = text[q],
      two = text.slice(q, q + 2);
    if (two === '``') inQuote = true;
    if (ch === '"') inQuote = !inQuote;
    if (ch === '(' || ch === '[') depth++;
    quotes.push(inQuote ? 1 : 0);
    depths.push(depth);
    position.push((q - lineStart) / Math.max(1, end - lineStart));
    if (ch === "'" && text[q - 1] === "'") inQuote = false;
    if (ch === ')' || ch === ']') depth = Math.max(0, depth - 1);
    if (ch === '\n') {
      lineStart = q + 1;
      end = lineEnd(lineStart);
    }
  }
  return { quotes, 'bracket depth': depths, 'line position': position };
}

/** Pearson correlation of two equal-length series (0 when either is constant). */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0,
    mb = 0;
  for (let q = 0; q < n; q++) {
    ma += a[q];
    mb += b[q];
  }
  ma /= n;
  mb /= n;
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let q = 0; q < n; q++) {
    const x = a[q] - ma,
      y = b[q] - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return saa === 0 || sbb === 0 ? 0 : sab / Math.sqrt(saa * sbb);
}

export interface FeatureRanking {
  feature: FeatureName;
  /** The `top` units whose value correlates most with the feature (by |r|); none when the text never varies in it (no quotes, say). */
  top: { unit: number; r: number }[];
}

/** For each feature of the text, the units of `states` ([characters][H]) that follow it best. */
export function rankUnits(text: string, states: readonly ArrayLike<number>[], top = 5): FeatureRanking[] {
  const H = states[0]?.length ?? 0;
  const features = textFeatures(text);
  const series = Array.from({ length: H }, (_, unit) => states.map((v) => v[unit]));
  return featureNames.map((feature) => {
    if (features[feature].every((v) => v === features[feature][0])) return { feature, top: [] };
    const corr = series.map((values, unit) => ({ unit, r: correlation(values, features[feature]) }));
    corr.sort((a, b) => Math.abs(b.r) - Math.abs(a.r) || a.unit - b.unit);
    return { feature, top: corr.slice(0, top) };
  });
}

/** The unit to show first: the one that follows the first feature the text varies in, else unit 0. */
export function firstRankedUnit(ranking: readonly FeatureRanking[]): number {
  return ranking.find((r) => r.top.length > 0)?.top[0].unit ?? 0;
}
