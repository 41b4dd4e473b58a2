// "Did you mean …": the closest known word by edit distance (Levenshtein).

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The closest candidate when it is close enough to be a plausible typo (case-insensitive). */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(word.length, best.length) / 3));
  return bestDistance <= limit || best.toLowerCase().startsWith(w) || w.startsWith(best.toLowerCase())
    ? best
    : undefined;
}

/** A hint naming the closest candidate, or listing them all when none is close. */
export function didYouMean(word: string, candidates: readonly string[], what = 'known'): string {
  const c = closest(word, candidates);
  if (c !== undefined) return `did you mean "${c}"?`;
  if (candidates.length === 0) return `there are no ${what} names here`;
  return `${what}: ${[...candidates].sort().join(', ')}`;
}
