/**
 * The house's shape, checked on the source: imports between folders only point down the layers, no file
 * imports itself through a cycle, components reach the engine only through src's public entry, and the
 * browser entry never reaches the reproduction harness, the CLI or Node built-ins.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from './helpers/datasets.ts';

/**
 * The layers of src/, lowest first: a folder may import from its own layer's folder and from any lower
 * layer, never from a higher one. errors.ts, then runtime/, are the floor everything stands on.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['src/errors.ts'],
  ['src/runtime'],
  ['src/kernel', 'src/models'],
  ['src/vision'],
  ['src/analysis', 'src/embedding'],
  ['src/store', 'src/reproduce'],
  ['src/workspace'],
  ['src/index.ts', 'src/cli'],
  ['src/node.ts'],
];

const SPEC = /(?:^|\n)\s*(import type|export type|import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(projectRoot, dir), { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
}

/**
 * Relative imports of `file` (project-relative paths), those that load code at run time (not `import type`,
 * which is erased), and bare package names.
 */
function importsOf(file: string): { local: string[]; runtime: string[]; packages: string[] } {
  const text = readFileSync(join(projectRoot, file), 'utf8');
  const local: string[] = [];
  const runtime: string[] = [];
  const packages: string[] = [];
  for (const m of text.matchAll(SPEC)) {
    const spec = m[2] ?? m[3] ?? m[4];
    if (!spec) continue;
    if (!spec.startsWith('.')) {
      packages.push(spec);
      continue;
    }
    const target = normalize(join(dirname(file), spec));
    local.push(target);
    if (m[1] !== 'import type' && m[1] !== 'export type') runtime.push(target);
  }
  return { local, runtime, packages };
}

/** The layer unit a path belongs to: its top folder under src/ (or the entry file itself). */
function unitOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] !== 'src') return parts[0] as string;
  return parts.length === 2 ? path : `src/${parts[1]}`;
}

function layerOf(unit: string): number {
  const i = LAYERS.findIndex((layer) => layer.includes(unit));
  assert.ok(i >= 0, `${unit} has no layer in test/architecture.test.ts: add it where it belongs`);
  return i;
}

const srcFiles = sourceFiles('src');
const componentFiles = sourceFiles('components');
const graph = new Map([...srcFiles, ...componentFiles].map((f) => [f, importsOf(f)]));

describe('the house', () => {
  it('imports between folders of src/ point down the layers only', () => {
    const upward: string[] = [];
    for (const file of srcFiles) {
      const from = unitOf(file);
      for (const target of graph.get(file)!.local) {
        const to = unitOf(target);
        if (to === from) continue;
        assert.notEqual(to, 'components', `${file} imports ${target}: src/ never imports components/`);
        if (layerOf(to) >= layerOf(from)) {
          upward.push(`${file} → ${target}`);
        }
      }
    }
    assert.deepEqual(upward, [], 'arrows that run sideways or back up');
  });

  it('has no cycles of run-time imports between files', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string): void => {
      state.set(file, 'open');
      stack.push(file);
      for (const next of graph.get(file)?.runtime ?? []) {
        if (!graph.has(next)) continue;
        if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    assert.deepEqual(cycles, []);
  });

  it('components reach the engine only through src/index.ts', () => {
    const reaching = componentFiles.flatMap((file) => graph.get(file)!.local
      .filter((target) => target.startsWith('src/') && target !== 'src/index.ts')
      .map((target) => `${file} → ${target}`));
    assert.deepEqual(reaching, []);
  });

  it('the browser entry reaches neither the reproduction harness, the CLI, nor Node built-ins', () => {
    const seen = new Set<string>();
    const queue = ['src/index.ts'];
    const bad: string[] = [];
    while (queue.length) {
      const file = queue.pop() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      const { runtime: local, packages } = graph.get(file) ?? { runtime: [], packages: [] };
      for (const p of packages) if (p.startsWith('node:') || ['sharp', 'commander', 'cli-progress', 'onnxruntime-node'].includes(p)) bad.push(`${file} imports ${p}`);
      for (const target of local) {
        if (target.startsWith('src/reproduce/') || target.startsWith('src/cli/')) bad.push(`${file} → ${target}`);
        queue.push(target);
      }
    }
    assert.ok(seen.size > 20, 'the walk found the browser graph');
    assert.deepEqual(bad, []);
  });
});
