/**
 * Access to ../shared/datasets (read at test time, never copied into the repository).
 * With CI=true a missing data set is a failure; elsewhere tests skip with a message.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The project's root folder. */
export const projectRoot = repoRoot;

/** Where the shared data sets are expected: $FAP_DATASETS or ../shared/datasets beside the repository. */
export const datasetsRoot = process.env.FAP_DATASETS ?? resolve(repoRoot, '..', 'shared', 'datasets');

/**
 * Returns the folder of a data set (e.g. 'smoke'), or `undefined` after marking the test skipped.
 * Under CI=true a missing folder throws instead, so CI can never pass by skipping.
 */
export function datasetOrSkip(t: { skip: (message?: string) => void }, name: string): string | undefined {
  const dir = join(datasetsRoot, name);
  if (existsSync(dir)) return dir;
  const message = `data set ${name} not found at ${dir}: tests that need it are skipped (set FAP_DATASETS to its parent)`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${message}`);
  t.skip(message);
  return undefined;
}
