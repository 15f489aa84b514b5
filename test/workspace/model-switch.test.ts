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
      v[(source.name.charCodeAt(0) - 97) % this.dimension] = 1;
      v[this.dimension - 1] = 0.05 * n;
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
const photos = ['a-1.jpg', 'a-2.jpg', 'a-3.jpg', 'b-1.jpg', 'b-2.jpg', 'b-3.jpg', 'c-1.jpg', 'c-2.jpg', 'c-3.jpg'].map(photo);

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
    assert.equal(ws.faces, 9);
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
    assert.equal(ws.photosWithoutModel, 9);
    assert.equal(ws.photos, 9, 'the photos are still counted');

    // Adding two photos again embeds them with B; the other seven are still missing for B.
    await ws.ingest(b, photos.slice(0, 2));
    assert.deepEqual(b.processed, ['a-1.jpg', 'a-2.jpg']);
    assert.equal(ws.faces, 2);
    assert.equal(ws.collection!.dimension, 12);
    assert.equal(ws.photosWithoutModel, 7);
    // All nine again: only the seven B lacks go through B.
    const again = await ws.ingest(b, photos);
    assert.deepEqual(b.processed.slice(2), photos.slice(2).map((p) => p.name));
    assert.equal(again.detail.duplicates, 2);
    assert.equal(again.detail.photos, 9 - 2, 'the seven photos gain B\'s faces');
    assert.equal(ws.faces, 9);
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
    assert.equal(repeat.detail.duplicates, 9);
    assert.equal(repeat.detail.processed, 9);
    assert.equal(await ws.showModel(a.info), false, 'showing the shown model changes nothing');

    // A reload shows the model with the most faces (a tie here: both have nine) and keeps both.
    ws.close();
    const reopened = await Workspace.open(name, kernel);
    assert.deepEqual((await reopened.storedModels()).map((m) => [m.modelId, m.count]).sort(), [['model-a', 9], ['model-b', 9]]);
    reopened.close();
  });
});
