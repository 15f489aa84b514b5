/**
 * Builds an LFW-format pairs file from ../shared/datasets/lfw-attributes (which has no official pairs):
 * `folds` folds of `perFold` same-person and `perFold` different-person pairs, drawn with a seeded RNG,
 * people split across folds so no person appears in two folds (as in LFW's View 2).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRng } from '../../src/analysis/rng.ts';

/** Writes nothing: returns the pairs.txt text for the images under `imagesDir`. */
export function buildPairsText(imagesDir: string, folds: number, perFold: number, seed = 1): string {
  const rng = createRng(seed);
  const random = () => rng.next();
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const people = readdirSync(imagesDir)
    .sort()
    .map((name) => ({
      name,
      numbers: readdirSync(join(imagesDir, name))
        .map((f) => Number(/_(\d{4})\.jpg$/.exec(f)?.[1]))
        .filter((n) => Number.isInteger(n))
        .sort((a, b) => a - b),
    }))
    .filter((p) => p.numbers.length >= 2);
  // Shuffle people, then deal them round-robin into folds.
  for (let i = people.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [people[i], people[j]] = [people[j]!, people[i]!];
  }
  const byFold = Array.from({ length: folds }, (_, f) => people.filter((_, i) => i % folds === f));
  const lines = [`${folds}\t${perFold}`];
  for (const group of byFold) {
    if (group.length < 2) throw new Error(`too few people (${people.length}) for ${folds} folds`);
    const seen = new Set<string>();
    const same: string[] = [];
    for (let guard = 0; same.length < perFold && guard < perFold * 100; guard++) {
      const p = pick(group);
      const a = pick(p.numbers);
      const b = pick(p.numbers);
      const key = `${p.name} ${Math.min(a, b)} ${Math.max(a, b)}`;
      if (a === b || seen.has(key)) continue;
      seen.add(key);
      same.push(`${p.name}\t${Math.min(a, b)}\t${Math.max(a, b)}`);
    }
    const different: string[] = [];
    for (let guard = 0; different.length < perFold && guard < perFold * 100; guard++) {
      const p = pick(group);
      const q = pick(group);
      if (p === q) continue;
      const line = `${p.name}\t${pick(p.numbers)}\t${q.name}\t${pick(q.numbers)}`;
      if (seen.has(line)) continue;
      seen.add(line);
      different.push(line);
    }
    if (same.length < perFold || different.length < perFold) throw new Error('could not draw enough distinct pairs');
    lines.push(...same, ...different);
  }
  return `${lines.join('\n')}\n`;
}

// Run directly to write a pairs file for `face-probe verify`:
//   node --import tsx test/helpers/lfw-pairs.ts <lfw-attributes/images> <out.txt> [pairs per fold = 150] [seed = 1]
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [imagesDir, out, perFold = '150', seed = '1'] = process.argv.slice(2);
  if (!imagesDir || !out) {
    console.error('usage: node --import tsx test/helpers/lfw-pairs.ts <images dir> <out.txt> [pairs per fold] [seed]');
    process.exit(2);
  }
  const { writeFileSync } = await import('node:fs');
  writeFileSync(out, buildPairsText(imagesDir, 10, Number(perFold), Number(seed)));
  console.log(`wrote ${out}: 10 folds × (${perFold} same + ${perFold} different) pairs`);
}
