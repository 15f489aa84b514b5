/**
 * Switching the workspace between two embedding models (issue 16): each model's faces, people, clusterings and
 * names stay stored apart; showing the other model and coming back loses nothing; adding photos again embeds
 * only those the model has not seen; and the workspace says how many photos a model has not seen. Runs in Node
 * with fake-indexeddb and a small fake engine (one face per photo, a vector from its name and the model).
 */
import 'fake-indexeddb/auto';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BatchResult, EngineInfo, FaceEngineClient, ImageOutcome, ImageSource, ProcessOptions } from '../../src/embedding/types.ts';
import { loadKernel } from '../../src/kernel/index.ts';
import type { ResidentKernel } from '../../src/kernel/types.ts';
import { hashBytes } from '../../src/runtime/hash.ts';
import { Workspace } from '../../src/workspace/workspace.ts';

/** One face per photo: `<group letter>-<n>.jpg` points near axis (letter) of a `dimension`-D space. */
class TwoModelEngine implements FaceEngineClient {
  readonly info: EngineInfo;
  readonly processed: string[] = [];
  constructor(modelId: string, readonly dimension: number) {
    this.info = { backend: 'fake', backendReason: 'test', modelId, dimension, detector: 'fake', alignment: 'dlib-68' };
  }

  async process(sources: readonly ImageSource[], options: ProcessOptions = {}): Promise<BatchResult> {
    const outcomes: ImageOutcome[] = [];
    for (const source of sources) {
      const bytes = source instanceof Blob ? new Uint8Array(await source.arrayBuffer()) : source.bytes;
      this.processed.push(source.name);
      const v = new Float32Array(this.dimension);
      const n = Number(source.name.split('-')[1]?.split('.')[0] ?? 0);
      let seed = n * 7919 + source.name.charCodeAt(0);
      for (let j = 0; j < v.length; j++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        v[j] = (seed / 2147483648 - 0.5) * 0.1;
      }
      v[(source.name.charCodeAt(0) - 97) % this.dimension] = 1;
      // Something that varies within each person (odd and even photos), for discovery to find.
      v[this.dimension - 2] = n % 2 ? 0.08 : -0.08;
      const norm = Math.hypot(...v);
      outcomes.push({
        ok: true, name: source.name, hash: await hashBytes(bytes), size: bytes.length, format: 'jpeg', width: 100, height: 100,
        faces: [{ index: 0, box: { x: 0, y: 0, width: 50, height: 50 }, score: 0.9, foundBy: 'detected', landmarks: new Float32Array(136), embedding: v.map((x) => x / norm), modelId: this.info.modelId }],
        timings: { decode: 0, detect: 0, landmarks: 0, align: 0, embed: 0, attributes: 0 },
      });
      options.onProgress?.({ done: outcomes.length, total: sources.length, faces: outcomes.length, failed: 0, name: source.name });
    }
    return { outcomes, cancelled: false };
  }

  async dispose(): Promise<void> {}
}

const photo = (name: string) => ({ name, bytes: new TextEncoder().encode(`photo ${name}`) });
/** Four photos of each of three people (a discovery view within people needs four faces per person). */
const photos = ['a', 'b', 'c'].flatMap((g) => [1, 2, 3, 4].map((n) => photo(`${g}-${n}.jpg`)));

let kernel: ResidentKernel;
before(async () => {
  kernel = await loadKernel();
});
let db = 0;
const names: string[] = [];
after(async () => {
  for (const name of names) await new Promise<void>((ok) => { const r = indexedDB.deleteDatabase(name); r.onsuccess = r.onerror = () => ok(); });
});

describe('switching the workspace between two models', () => {
  it('keeps model A\'s faces, people, clustering and names through A → B → A, and re-embeds only what a model lacks', async () => {
    const name = `model-switch-${process.pid}-${++db}`;
    names.push(name);
    const a = new TwoModelEngine('model-a', 8);
    const b = new TwoModelEngine('model-b', 12);
    const ws = await Workspace.open(name, kernel);

    await ws.ingest(a, photos);
    assert.equal(ws.faces, 12);
    const run = await ws.cluster({ kind: 'all' }, 3);
    await ws.rename(0, 'first');
    const person = ws.people[0]!.group.id;
    await ws.renamePerson(person, 'Ada');
    const aFaces = ws.collection!.faces.map((f) => f.id).sort();
    const aVectors = ws.collection!.vectors.slice();

    // B has seen none of the photos: it shows empty and says how many photos it lacks.
    assert.equal(await ws.showModel(b.info), true);
    assert.equal(ws.collection?.modelId, 'model-b');
    assert.equal(ws.faces, 0);
    assert.equal(ws.view?.run.id, undefined);
    assert.equal(ws.photosWithoutModel, 12);
    assert.equal(ws.photos, 12, 'the photos are still counted');
    assert.equal(await ws.compareModels(), undefined, 'nothing to compare while B has no faces');

    // Adding two photos again embeds them with B; the other ten are still missing for B.
    await ws.ingest(b, photos.slice(0, 2));
    assert.deepEqual(b.processed, ['a-1.jpg', 'a-2.jpg']);
    assert.equal(ws.faces, 2);
    assert.equal(ws.collection!.dimension, 12);
    assert.equal(ws.photosWithoutModel, 10);
    // All twelve again: only the ten B lacks go through B.
    const again = await ws.ingest(b, photos);
    assert.deepEqual(b.processed.slice(2), photos.slice(2).map((p) => p.name));
    assert.equal(again.detail.duplicates, 2);
    assert.equal(again.detail.photos, 10, 'the ten photos gain B\'s faces');
    assert.equal(ws.faces, 12);
    assert.equal(ws.photosWithoutModel, 0);

    // Back to A: everything A had is there, unchanged.
    assert.equal(await ws.showModel(a.info, { preferredRun: run.id }), true);
    assert.equal(ws.collection?.modelId, 'model-a');
    assert.deepEqual(ws.collection!.faces.map((f) => f.id).sort(), aFaces);
    assert.deepEqual(ws.collection!.vectors, aVectors);
    assert.equal(ws.view?.run.id, run.id);
    assert.equal(ws.names.get(0), 'first');
    assert.equal(ws.people.find((p) => p.group.id === person)?.group.name, 'Ada');
    assert.equal(ws.photosWithoutModel, 0);
    // A has seen every photo: adding them again embeds nothing.
    const a0 = a.processed.length;
    const repeat = await ws.ingest(a, photos);
    assert.equal(a.processed.length, a0, 'no photo goes through A again');
    assert.equal(repeat.detail.duplicates, 12);
    assert.equal(repeat.detail.processed, 12);
    assert.equal(await ws.showModel(a.info), false, 'showing the shown model changes nothing');

    // Both models side by side on the twelve photos they share, the shown model first.
    const comparison = await ws.compareModels();
    assert.ok(comparison, 'two models with twelve shared photos can be compared');
    assert.equal(comparison.photos, 12);
    assert.deepEqual(comparison.models.map((m) => [m.modelId, m.faces, m.people]), [['model-a', 12, 3], ['model-b', 12, 3]]);
    for (const side of comparison.models) {
      assert.ok(side.within.length >= 1, `${side.modelId} has ranked splits within people`);
      assert.deepEqual(side.within.map((sp) => sp.rank), side.within.map((_, i) => i + 1));
      assert.ok(side.within.every((sp) => sp.description.length > 0 && sp.stability >= 0 && sp.stability <= 1));
      // The odd and even photos of each person differ along one direction: both models split them first, stably.
      assert.deepEqual([...side.within[0]!.sizes].sort(), [6, 6]);
      assert.ok(side.within[0]!.stability > 0.9, `stability ${side.within[0]!.stability}`);
    }
    assert.equal(ws.collection?.modelId, 'model-a', 'comparing changes nothing shown');

    // A reload keeps both models' faces.
    ws.close();
    const reopened = await Workspace.open(name, kernel);
    assert.deepEqual((await reopened.storedModels()).map((m) => [m.modelId, m.count]).sort(), [['model-a', 12], ['model-b', 12]]);
    reopened.close();
  });
});
