/**
 * The workspace headless in Node: the real engine (onnxruntime in Node) on real photos, the real kernel,
 * and IndexedDB from fake-indexeddb. Photos in, people grouped, a clustering named and probed, and the
 * same state back after a reload and through export/import: what the element shows, without the element.
 */
import 'fake-indexeddb/auto';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { createNodeEngine } from '../../src/embedding/node-engine.ts';
import type { FaceEngine } from '../../src/embedding/engine.ts';
import { StorageError } from '../../src/errors.ts';
import { loadKernel } from '../../src/kernel/index.ts';
import { hashBytes } from '../../src/runtime/hash.ts';
import type { ResidentKernel } from '../../src/kernel/types.ts';
import { FaceStore } from '../../src/store/face-store.ts';
import { Workspace } from '../../src/workspace/workspace.ts';
import { datasetOrSkip } from '../helpers/datasets.ts';
import { deleteDatabases } from '../helpers/databases.ts';

let engine: FaceEngine;
let kernel: ResidentKernel;
let databases: string[] = [];
let dbCount = 0;

before(async () => {
  engine = await createNodeEngine({ attributes: true });
  kernel = await loadKernel();
});
after(async () => {
  await engine?.dispose();
});
afterEach(async () => {
  await deleteDatabases(databases);
  databases = [];
});

function freshName(): string {
  const name = `workspace-test-${process.pid}-${++dbCount}`;
  databases.push(name);
  return name;
}

/** The smoke set's photos as in-memory sources, sorted by name (10 of one person, 10 people seen once). */
function smokePhotos(dir: string): { name: string; bytes: Uint8Array }[] {
  const images = join(dir, 'images');
  return readdirSync(images).sort().map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(images, name))) }));
}

describe('the workspace, headless, on real photos', () => {
  it('adds photos, groups people, clusters, names, probes, and keeps it all across a reload and an export/import', async (t) => {
    const smoke = datasetOrSkip(t, 'smoke');
    if (!smoke) return;
    const photos = smokePhotos(smoke);
    const toledo = photos.filter((p) => p.name.startsWith('lfw_Alejandro_Toledo'));
    const others = photos.filter((p) => !p.name.startsWith('lfw_Alejandro_Toledo'));
    assert.equal(toledo.length, 10);

    const name = freshName();
    const ws = await Workspace.open(name, kernel);
    const progress: number[] = [];
    const { detail, failure } = await ws.ingest(engine, photos, { onProgress: (p) => progress.push(p.done) });
    assert.equal(failure, undefined);
    assert.equal(detail.processed, 20);
    assert.equal(detail.photos + detail.failures.length, 20);
    assert.ok(detail.faces >= 19, `${detail.faces} faces stored`);
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b), 'progress only goes forward');
    assert.equal(progress.at(-1), 20);

    // The ten photos of one man form one person.
    const biggest = ws.people[0];
    assert.ok(biggest, 'at least one person');
    assert.ok(biggest.group.faceIds.length >= 9, `the largest person has ${biggest.group.faceIds.length} faces`);
    const toledoHashes = new Set(await Promise.all(toledo.map((p) => hashBytes(p.bytes))));
    const toledoFaces = new Set(ws.collection!.faces.filter((f) => toledoHashes.has(f.photoHash)).map((f) => f.id));
    // (One UTKFace stranger found at a lower threshold joins him today: issue 11's grouping work.)
    assert.ok(biggest.group.faceIds.filter((id) => toledoFaces.has(id)).length >= 10, 'the largest person holds his ten photos');

    // Adding the same photos again stores nothing new.
    const again = await ws.ingest(engine, toledo);
    assert.equal(again.detail.photos, 0);
    assert.equal(again.detail.duplicates, 10);

    // Everyone in two clusters, both named: figures and a trained probe.
    const run = await ws.cluster({ kind: 'all' }, 2);
    assert.equal(run.k, 2);
    await ws.rename(0, 'first');
    await ws.rename(1, 'second');
    assert.ok(ws.figures, 'two named groups give figures');
    const probed = await ws.probe(engine, [others[0]!]);
    assert.equal(probed.failures.length, 0);
    assert.equal(probed.faces.length, 1);
    assert.ok(['first', 'second'].includes(probed.faces[0]!.group));
    assert.equal(typeof probed.faces[0]!.age, 'number', 'the attribute heads ran');

    // A reload (a new workspace on the same database) shows the same run, names and people.
    const exported = await ws.exportBlob();
    ws.close();
    const reloaded = await Workspace.open(name, kernel);
    assert.equal(reloaded.problem, undefined);
    assert.equal(reloaded.view?.run.id, run.id);
    assert.deepEqual([...reloaded.names.entries()].sort(), [[0, 'first'], [1, 'second']]);
    assert.equal(reloaded.faces, ws.faces);
    assert.deepEqual(reloaded.people.map((p) => p.group.faceIds.length), ws.people.map((p) => p.group.faceIds.length));
    reloaded.close();

    // The export file rebuilds the same workspace in an empty database.
    const copy = await Workspace.open(freshName(), kernel);
    const imported = await copy.importBlob(exported);
    assert.equal(imported.faces, ws.faces);
    assert.equal(copy.view?.run.id, run.id);
    assert.deepEqual([...copy.names.values()].sort(), ['first', 'second']);
    copy.close();
  });

  it('keeps a person\'s id and name across added photos, regrouping and a reload', async (t) => {
    const smoke = datasetOrSkip(t, 'smoke');
    if (!smoke) return;
    const photos = smokePhotos(smoke);
    const toledo = photos.filter((p) => p.name.startsWith('lfw_Alejandro_Toledo'));
    const others = photos.filter((p) => !p.name.startsWith('lfw_Alejandro_Toledo'));
    const name = freshName();
    const ws = await Workspace.open(name, kernel);
    await ws.ingest(engine, [...toledo.slice(0, 4), ...others.slice(0, 3)]);
    const first = ws.people[0]!;
    assert.ok(first.group.faceIds.length >= 4);
    await ws.renamePerson(first.group.id, 'Alejandro');
    // Others seen once, then more of his photos: the grouping runs again over everyone.
    await ws.ingest(engine, [...others.slice(3), ...toledo.slice(4)]);
    const again = ws.people.find((p) => p.group.id === first.group.id);
    assert.ok(again, 'the same person id after regrouping');
    assert.equal(again.group.name, 'Alejandro');
    assert.ok(again.group.faceIds.length >= 10, `he now has ${again.group.faceIds.length} faces`);
    ws.close();
    const reloaded = await Workspace.open(name, kernel);
    assert.deepEqual(reloaded.people.map((p) => [p.group.id, p.group.name]), ws.people.map((p) => [p.group.id, p.group.name]), 'same people, same order');
    await assert.rejects(reloaded.renamePerson('person:nobody', 'x'), /no person/);
    reloaded.close();
  });

  it('finds what the embedding separates among the stored faces, people held constant, and forgets it when faces are added', async (t) => {
    const smoke = datasetOrSkip(t, 'smoke');
    if (!smoke) return;
    const photos = smokePhotos(smoke);
    const ws = await Workspace.open(freshName(), kernel);
    // 17 photos: Toledo (10 photos) and 7 crops, each its own person: 8 people, enough for the across-people view. (With
    // 16, the eighth was a small background face in one of Toledo's photos, which the coarse-first detector does not find.)
    await ws.ingest(engine, photos.slice(0, 17), { attributes: true });
    const discovery = await ws.discover();
    assert.ok(discovery, 'discovered');
    assert.equal(discovery, ws.discovery);
    assert.equal(ws.discoveryFaces.length, ws.faces);
    assert.ok(discovery.across, 'the across-people view has enough people (each face seen once is its own person)');
    for (const split of discovery.across.splits) {
      assert.ok(split.description, 'every split is described or says why not');
      for (const strip of split.strips) for (const i of strip) assert.ok(ws.discoveryFaces[i], 'strips point at stored faces');
    }
    await ws.ingest(engine, photos.slice(17), { attributes: true });
    assert.equal(ws.discovery, undefined, 'new faces: what was discovered is out of date');
    ws.close();
  });

  it('finds age, gender and expression after the faces are stored when asked for later: the same as at once, kept across a reload', async (t) => {
    const smoke = datasetOrSkip(t, 'smoke');
    if (!smoke) return;
    const photos = smokePhotos(smoke).slice(8, 16);
    const atOnce = await Workspace.open(freshName(), kernel);
    await atOnce.ingest(engine, photos, { attributes: true });
    const expected = new Map(atOnce.collection!.faces.map((f) => [f.id, f.attributes]));
    assert.ok([...expected.values()].every(Boolean), 'every face has attributes when they are found at once');
    atOnce.close();

    const name = freshName();
    const ws = await Workspace.open(name, kernel);
    const { detail } = await ws.ingest(engine, photos, { attributes: 'later' });
    assert.ok(detail.faces >= photos.length, `${detail.faces} faces`);
    assert.ok(ws.collection!.faces.every((f) => f.attributes === undefined), 'none yet');
    assert.equal(ws.pendingAttributes, detail.faces);
    const progress: number[] = [];
    const result = await ws.addPendingAttributes(engine, { onProgress: (p) => progress.push(p.done) });
    assert.deepEqual(result, { faces: detail.faces, failed: 0, cancelled: false });
    assert.equal(progress.at(-1), photos.length);
    assert.equal(ws.pendingAttributes, 0);
    assert.deepEqual(new Map(ws.collection!.faces.map((f) => [f.id, f.attributes])), expected, 'the same attributes as found at once');
    ws.close();
    const reopened = await Workspace.open(name, kernel);
    assert.deepEqual(new Map(reopened.collection!.faces.map((f) => [f.id, f.attributes])), expected, 'stored');
    assert.deepEqual(await reopened.addPendingAttributes(engine), { faces: 0, failed: 0, cancelled: false }, 'nothing left to do');
    reopened.close();
  });

  it('keeps the faces it did not reach pending when cancelled, and finishes them on the next call', async (t) => {
    const smoke = datasetOrSkip(t, 'smoke');
    if (!smoke) return;
    const photos = smokePhotos(smoke);
    const ws = await Workspace.open(freshName(), kernel);
    const { detail } = await ws.ingest(engine, photos, { attributes: 'later' });
    const controller = new AbortController();
    const first = await ws.addPendingAttributes(engine, { signal: controller.signal, onProgress: (p) => p.done === 3 && controller.abort() });
    assert.equal(first.cancelled, true);
    assert.ok(first.faces >= 3 && ws.pendingAttributes > 0 && first.faces + ws.pendingAttributes === detail.faces, `${first.faces} found, ${ws.pendingAttributes} left`);
    const rest = await ws.addPendingAttributes(engine);
    assert.equal(rest.cancelled, false);
    assert.equal(first.faces + rest.faces, detail.faces);
    assert.ok(ws.collection!.faces.every((f) => f.attributes), 'every face has its attributes in the end');
    await ws.ingest(engine, photos.slice(0, 2).map((p) => ({ ...p, name: `again-${p.name}`, bytes: Uint8Array.from([...p.bytes, 0]) })), { attributes: 'later' });
    assert.ok(ws.pendingAttributes > 0, 'new faces wait for theirs');
    await ws.erase();
    assert.equal(ws.pendingAttributes, 0, 'erased faces leave nothing to read');
    ws.close();
  });

  it('names the sides of a split: a calibrated probe, identity removed within people, its probed faces kept across a reload', async (t) => {
    const smoke = datasetOrSkip(t, 'smoke');
    if (!smoke) return;
    const photos = smokePhotos(smoke);
    const name = freshName();
    const ws = await Workspace.open(name, kernel);
    await ws.ingest(engine, photos.slice(1), { attributes: true });
    const discovery = await ws.discover();
    const named: Array<'across-people' | 'within-people'> = [];
    for (const view of ['across-people', 'within-people'] as const) {
      const split = (view === 'across-people' ? discovery?.across : discovery?.within)?.splits[0];
      if (!split) continue;
      const probe = await ws.nameSplit(view, split.id, ['one side', 'other side']);
      assert.equal(probe.identityRemoved, view === 'within-people', `${view}: identity removed only within people`);
      assert.deepEqual(probe.names, ['one side', 'other side']);
      assert.equal(probe.peoplePerName.length, 2);
      for (const people of probe.peoplePerName) assert.ok(people >= 1 && people <= probe.people, 'people per name');
      assert.equal(ws.splitProbe, probe);
      const reliability = probe.probes[0]!.reliability;
      assert.ok(reliability.faces > 0, 'its confidence was checked on held-out faces');
      named.push(view);
    }
    assert.ok(named.length >= 1, 'at least one view had a split to name');
    await assert.rejects(ws.nameSplit('within-people', 'no-such-split', ['a', 'b']), /no split/);
    const probed = await ws.probe(engine, [photos[0]!]);
    assert.equal(probed.faces.length, 1);
    assert.ok(['one side', 'other side'].includes(probed.faces[0]!.group));
    assert.ok(probed.faces[0]!.confidence >= 0.5 && probed.faces[0]!.confidence <= 1);
    ws.close();
    const reloaded = await Workspace.open(name, kernel);
    assert.deepEqual(reloaded.splitProbe?.names, ['one side', 'other side'], 'the named split\'s probe is kept');
    assert.equal(reloaded.splitProbe?.split?.view, named.at(-1));
    assert.deepEqual(reloaded.probeResults.map((f) => [f.photo, f.group, f.confidence]), probed.faces.map((f) => [f.photo, f.group, f.confidence]));
    assert.ok(reloaded.probeResults[0]!.thumbnail?.bytes.length, 'with its face');
    await reloaded.forgetSplitProbe();
    assert.equal(reloaded.splitProbe, undefined);
    reloaded.close();
  });

  it('reports a failure to save people after adding photos, and keeps the photos', async (t) => {
    const smoke = datasetOrSkip(t, 'smoke');
    if (!smoke) return;
    const photos = smokePhotos(smoke).filter((p) => p.name.startsWith('lfw_Alejandro_Toledo')).slice(0, 4);
    const ws = await Workspace.open(freshName(), kernel);
    const proto = FaceStore.prototype as unknown as Record<string, unknown>;
    const method = 'replaceIdentityGroups';
    const original = proto[method];
    proto[method] = () => Promise.reject(new StorageError('Could not save: the storage quota for this site is full (QuotaExceededError).', { details: { reason: 'quota-exceeded' } }));
    try {
      const { detail, failure } = await ws.ingest(engine, photos);
      assert.ok(failure, 'the failure to save people reaches the caller');
      assert.ok(failure.error instanceof StorageError);
      assert.equal(detail.photos, 4, 'the photos themselves were stored');
    } finally {
      proto[method] = original;
    }
    ws.close();
  });
});

