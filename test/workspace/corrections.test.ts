/**
 * Corrections of the grouping by person, headless in Node (fake-indexeddb, the real kernel, an engine that
 * returns planted vectors): "not this person", "move to", "not a face", merge, strictness and undo, each
 * surviving regrouping, added photos, a reload and an export/import.
 */
import 'fake-indexeddb/auto';
import assert from 'node:assert/strict';
import { afterEach, before, describe, it } from 'node:test';
import type { BatchResult, EngineInfo, FaceEngineClient, ImageOutcome, ImageSource } from '../../src/embedding/types.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { loadKernel } from '../../src/kernel/index.ts';
import type { ResidentKernel } from '../../src/kernel/types.ts';
import { hashBytes } from '../../src/runtime/hash.ts';
import { Workspace } from '../../src/workspace/workspace.ts';
import { createRng } from '../../src/analysis/rng.ts';
import { deleteDatabases } from '../helpers/databases.ts';

const D = 16;
let kernel: ResidentKernel;
let databases: string[] = [];
let count = 0;

before(async () => {
  kernel = await loadKernel();
});
afterEach(async () => {
  await deleteDatabases(databases);
  databases = [];
});

function freshName(): string {
  const name = `corrections-test-${process.pid}-${++count}`;
  databases.push(name);
  return name;
}

/** A unit vector: `1` on axis `axis`, `lean` on axis `towards`, plus seeded noise (±0.02, ±0.005 with `quiet`). */
function vector(name: string, axis: number, towards = axis, lean = 0, quiet = false): Float32Array {
  const random = createRng([...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7));
  const v = Float32Array.from({ length: D }, () => (random.next() - 0.5) * (quiet ? 0.01 : 0.04));
  v[axis] = v[axis]! + 1;
  v[towards] = v[towards]! + lean;
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** An engine that finds one face per photo, with the vector `vectors` gives its name. */
class PlantedEngine implements FaceEngineClient {
  readonly info: EngineInfo = { backend: 'planted', backendReason: 'test', modelId: 'planted-model', dimension: D, detector: 'none', alignment: 'none' };
  constructor(private readonly vectors: (name: string) => Float32Array) {}
  async process(sources: readonly ImageSource[]): Promise<BatchResult> {
    const outcomes: ImageOutcome[] = [];
    for (const source of sources) {
      const bytes = (source as { bytes: Uint8Array }).bytes;
      outcomes.push({
        ok: true, name: source.name, hash: await hashBytes(bytes), size: bytes.length, format: 'jpeg', width: 100, height: 100,
        faces: [{
          index: 0, box: { x: 0, y: 0, width: 50, height: 50 }, score: 0.9, foundBy: 'detected', landmarks: new Float32Array(136),
          embedding: this.vectors(source.name), modelId: this.info.modelId,
          thumbnail: { type: 'image/png', bytes: new Uint8Array([1, 2, 3]), width: 4, height: 4 },
        }],
        timings: { decode: 0, detect: 0, landmarks: 0, align: 0, embed: 0, attributes: 0 },
      });
    }
    return { outcomes, cancelled: false };
  }
  async dispose(): Promise<void> {}
}

/**
 * Who is who: `a-*` near axis 0, `b-*` near axis 1, `x` (a bystander) leaning from A towards axis 2 but
 * inside the same-person distance, `poster` (not a face) near B. `l-0…3` are 0.38 apart from each other
 * (inside the model's same-person distance, 0.43, but outside a stricter one), `k-0…2` 0.47 apart (outside it,
 * inside a looser one): axis 7 or 12 shared, each leaning towards an axis of its own.
 */
function planted(name: string): Float32Array {
  if (name === 'x.jpg') return vector(name, 0, 2, 0.32);
  if (name === 'poster.jpg') return vector(name, 1, 6, 0.25);
  if (name.startsWith('a-')) return vector(name, 0);
  if (name.startsWith('b-')) return vector(name, 1);
  // Leaning r on an axis of its own: distance r·√2 / √(1 + r²) between two of them.
  if (name.startsWith('l-')) return vector(name, 7, 8 + Number(name[2]), 0.279, true);
  if (name.startsWith('k-')) return vector(name, 12, 13 + Number(name[2]), 0.352, true);
  throw new Error(`no planted vector for ${name}`);
}

const photos = (...names: string[]): ImageSource[] => names.map((name) => ({ name, bytes: new TextEncoder().encode(`photo ${name}`) }));
const series = (prefix: string, n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${from + i}.jpg`);

/** The workspace's people as name → sorted photo names. */
function peopleOf(ws: Workspace): Map<string, string[]> {
  return new Map(ws.people.map((p) => [p.group.name, p.group.faceIds.map((id) => ws.faceLabel(id)).sort()]));
}

const personWith = (ws: Workspace, photo: string) => ws.people.find((p) => p.group.faceIds.some((id) => ws.faceLabel(id) === photo));
const faceOf = (ws: Workspace, photo: string): string => ws.collection!.faces.find((f) => ws.faceLabel(f.id) === photo)!.id;

describe('corrections of the grouping by person', () => {
  it('"not this person" and "not a face" survive regrouping, added photos, a reload and an export/import; undo takes them back', async () => {
    const engine = new PlantedEngine(planted);
    const name = freshName();
    const ws = await Workspace.open(name, kernel);
    await ws.ingest(engine, photos(...series('a', 8), ...series('b', 8), 'x.jpg', 'poster.jpg'));
    assert.equal(ws.faces, 18);
    assert.ok(personWith(ws, 'x.jpg')?.group.faceIds.some((id) => ws.faceLabel(id) === 'a-0.jpg'), 'before: the bystander is grouped with A');
    assert.ok(personWith(ws, 'poster.jpg')?.group.faceIds.some((id) => ws.faceLabel(id) === 'b-0.jpg'), 'before: the poster is grouped with B');
    const a = personWith(ws, 'a-0.jpg')!;
    await ws.renamePerson(a.group.id, 'Colin Powell');
    const x = faceOf(ws, 'x.jpg');
    const poster = faceOf(ws, 'poster.jpg');

    // Discovery holds each person constant: what it found for the old grouping is dropped with it.
    assert.ok(await ws.discover(), 'discovery ran on the faces before the correction');
    await ws.notThisPerson(x);
    assert.equal(ws.discovery, undefined, 'what was discovered for the old grouping is gone');
    assert.equal(ws.undoLabel, 'not Colin Powell');
    assert.deepEqual(peopleOf(ws).get('Colin Powell'), series('a', 8).sort());
    assert.equal(personWith(ws, 'x.jpg'), undefined, 'the bystander is seen once now');
    assert.ok(ws.aloneFaces.includes(x));

    await ws.notAFace(poster);
    assert.equal(ws.undoLabel, 'not a face');
    assert.equal(ws.faces, 17, 'the count leaves the poster out');
    assert.equal(personWith(ws, 'poster.jpg'), undefined);
    assert.ok(!ws.aloneFaces.includes(poster), 'not among the faces seen once either');
    const run = await ws.cluster({ kind: 'all' }, 2);
    assert.ok(!ws.view!.ids.includes(poster) && !run.faceIds.includes(poster), 'not in the clustering or its scatter');

    // Adding photos regroups everyone: the corrections still hold, and the name stays.
    await ws.ingest(engine, photos(...series('a', 2, 8)));
    assert.deepEqual(peopleOf(ws).get('Colin Powell'), series('a', 10).sort());
    assert.equal(personWith(ws, 'x.jpg'), undefined);
    assert.equal(ws.faces, 19);

    // A reload.
    const exported = await ws.exportBlob();
    ws.close();
    const reloaded = await Workspace.open(name, kernel);
    assert.equal(reloaded.faces, 19);
    assert.deepEqual(peopleOf(reloaded).get('Colin Powell'), series('a', 10).sort());
    assert.equal(reloaded.undoLabel, 'not a face');
    assert.ok(!reloaded.view!.ids.includes(poster));
    // Regrouping after the reload (here by adding a photo) honours them too.
    await reloaded.ingest(engine, photos('b-8.jpg'));
    assert.equal(personWith(reloaded, 'x.jpg'), undefined);
    assert.equal(personWith(reloaded, 'poster.jpg'), undefined);

    // An export file carries them to another database.
    const copy = await Workspace.open(freshName(), kernel);
    await copy.importBlob(exported);
    assert.equal(copy.faces, 19);
    assert.equal(copy.corrections.length, 2);
    assert.deepEqual(peopleOf(copy).get('Colin Powell'), series('a', 10).sort());
    await copy.ingest(engine, photos('a-10.jpg'));
    assert.equal(personWith(copy, 'x.jpg'), undefined, 'regrouping after the import keeps the bystander out');
    copy.close();

    // Undo, latest first: the poster comes back, then the bystander.
    assert.equal(await reloaded.undo(), 'not a face');
    assert.equal(reloaded.faces, 21);
    assert.ok(personWith(reloaded, 'poster.jpg'));
    assert.equal(await reloaded.undo(), 'not Colin Powell');
    assert.equal(personWith(reloaded, 'x.jpg')?.group.name, 'Colin Powell');
    assert.equal(reloaded.undoLabel, undefined);
    await assert.rejects(reloaded.undo(), InvalidInputError);
    reloaded.close();
  });

  it('moves a face, merges two people under one name, and joins or splits people by strictness; undo gives a merged person back', async () => {
    const engine = new PlantedEngine(planted);
    const ws = await Workspace.open(freshName(), kernel);
    await ws.ingest(engine, photos(...series('a', 6), ...series('b', 6), ...series('l', 4), ...series('k', 3), 'x.jpg'));
    const names = (): string[] => [...peopleOf(ws).keys()].sort();
    const a = personWith(ws, 'a-0.jpg')!;
    const b = personWith(ws, 'b-0.jpg')!;
    await ws.renamePerson(a.group.id, 'Ada');
    await ws.renamePerson(b.group.id, 'Bea');
    assert.equal(personWith(ws, 'l-0.jpg')?.group.faceIds.length, 4, 'at the model\'s distance L is one person');
    assert.equal(personWith(ws, 'k-0.jpg'), undefined, 'and K\'s faces are each seen once');
    assert.equal(ws.strictness, 1);

    await ws.moveFace(faceOf(ws, 'x.jpg'), b.group.id);
    assert.equal(ws.undoLabel, 'move to Bea');
    assert.equal(personWith(ws, 'x.jpg')?.group.name, 'Bea');

    // Looser: K's faces become one person; the move holds.
    await ws.setStrictness(1.2);
    assert.equal(ws.undoLabel, 'looser grouping');
    assert.equal(ws.strictness, 1.2);
    assert.equal(personWith(ws, 'k-0.jpg')?.group.faceIds.length, 3);
    assert.equal(personWith(ws, 'x.jpg')?.group.name, 'Bea');
    // Stricter: L comes apart into faces seen once; A and B stay, and so does the move.
    await ws.setStrictness(0.8);
    assert.equal(ws.undoLabel, 'stricter grouping');
    assert.equal(personWith(ws, 'l-0.jpg'), undefined);
    assert.equal(personWith(ws, 'k-0.jpg'), undefined);
    assert.equal(personWith(ws, 'x.jpg')?.group.name, 'Bea');
    assert.equal(personWith(ws, 'a-0.jpg')?.group.name, 'Ada');
    await assert.rejects(ws.setStrictness(3), InvalidInputError);

    await ws.mergePeople(a.group.id, b.group.id);
    assert.equal(ws.undoLabel, 'merge Bea into Ada');
    assert.deepEqual(names().filter((n) => n === 'Ada' || n === 'Bea'), ['Ada']);
    assert.equal(personWith(ws, 'b-0.jpg')?.group.id, a.group.id, 'the merged person keeps Ada\'s id');
    assert.equal(personWith(ws, 'x.jpg')?.group.name, 'Ada');
    // The merge survives a looser grouping.
    await ws.setStrictness(1.3);
    assert.equal(personWith(ws, 'b-0.jpg')?.group.name, 'Ada');
    assert.equal(await ws.undo(), 'looser grouping');
    assert.equal(ws.strictness, 0.8);
    assert.equal(await ws.undo(), 'merge Bea into Ada');
    assert.equal(personWith(ws, 'b-0.jpg')?.group.name, 'Bea', 'Bea is back, with her name');
    assert.equal(personWith(ws, 'b-0.jpg')?.group.id, b.group.id);
    assert.equal(personWith(ws, 'a-0.jpg')?.group.name, 'Ada');
    await assert.rejects(ws.mergePeople(a.group.id, a.group.id), InvalidInputError);
    await assert.rejects(ws.notThisPerson('no-such-face'), InvalidInputError);
    ws.close();
  });
});

describe('corrections as constraints', () => {
  it('a face moved out of a person is not that person, so the rest of them do not follow it', async () => {
    const { correctionConstraints } = await import('../../src/workspace/corrections.ts');
    const from = { id: 'p:c', name: 'Cy', createdAt: 1, faceIds: ['c1', 'c2', 'c3'] };
    const to = { id: 'p:a', name: 'Ada', createdAt: 1, faceIds: ['a1', 'a2'] };
    const move = { id: 'm', modelId: 'x', createdAt: 2, kind: 'move' as const, faceId: 'c1', people: [to, from] };
    const c = correctionConstraints([move]);
    assert.deepEqual(c.mustLink, [['c1', 'a1'], ['c1', 'a2']]);
    assert.deepEqual(c.cannotLink, [['c1', 'c2'], ['c1', 'c3']]);
    // "Not Ada" afterwards lifts the move's link to her.
    const not = { id: 'n', modelId: 'x', createdAt: 3, kind: 'not-person' as const, faceId: 'c1', people: [{ ...to, faceIds: ['a1', 'a2', 'c1'] }] };
    const after = correctionConstraints([move, not]);
    assert.deepEqual(after.mustLink, [['a1', 'a2']]);
    assert.deepEqual(after.cannotLink, [['c1', 'c2'], ['c1', 'c3'], ['c1', 'a1'], ['c1', 'a2']]);
  });
});
