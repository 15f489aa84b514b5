/**
 * Naming faces picked by hand (on the map): the two groups a selection makes (against the other faces or a
 * second selection), the clear errors for too small a selection, and what the trained probe then says of
 * the stored faces. Synthetic faces: four tight clusters of 30, each face its own person.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadKernel } from '../../src/kernel/index.ts';
import type { ResidentKernel } from '../../src/kernel/types.ts';
import type { FaceRecord } from '../../src/store/types.ts';
import { FaceCollection } from '../../src/workspace/collection.ts';
import { namedProbeOf, probeStoredFaces, selectionGroups, splitProbeRecord, trainNamedProbe } from '../../src/workspace/probes.ts';
import { gaussianClusters } from '../analysis/helpers.ts';

const D = 16;
const PER = 30;
const { data } = gaussianClusters({ k: 4, perCluster: PER, d: D, spread: 0.05, seed: 4, unit: true });
const collection = new FaceCollection('test-model', D);
for (let r = 0; r < 4 * PER; r++) {
  collection.add({ id: `f${r}`, box: { x: 0, y: 0, width: 10, height: 10 }, foundBy: 'test' } as unknown as FaceRecord, data.subarray(r * D, (r + 1) * D));
}
const ids = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `f${from + i}`);

let kernel: ResidentKernel;
before(async () => {
  kernel = await loadKernel();
});

describe('selectionGroups', () => {
  it('names a selection against every other face, or against a second selection (a face in both stays in the first)', () => {
    const [a, rest] = selectionGroups(collection, { name: ' smiling ', faceIds: [...ids(0, PER), 'not-stored'] });
    assert.deepEqual(a, { name: 'smiling', faceIds: ids(0, PER) });
    assert.equal(rest.name, 'not smiling');
    assert.deepEqual(rest.faceIds, ids(PER, 4 * PER));
    const [, b] = selectionGroups(collection, { name: 'a', faceIds: ids(0, PER) }, { name: 'b', faceIds: ids(PER - 5, 2 * PER) });
    assert.deepEqual(b.faceIds, ids(PER, 2 * PER));
  });

  it('refuses too small a selection, a missing name or the same name twice, saying what is wrong', () => {
    assert.throws(() => selectionGroups(collection, { name: 'x', faceIds: ['f1'] }), /select at least 2 faces to name a group; 1 is selected/);
    assert.throws(() => selectionGroups(collection, { name: 'x', faceIds: ['nobody', 'none'] }), /0 are selected/);
    assert.throws(() => selectionGroups(collection, { name: '  ', faceIds: ids(0, 5) }), /give the group a name/);
    assert.throws(() => selectionGroups(collection, { name: 'x', faceIds: ids(0, 5) }, { name: 'x', faceIds: ids(5, 9) }), /both named "x"/);
    assert.throws(() => selectionGroups(collection, { name: 'x', faceIds: ids(0, 5) }, { name: 'y', faceIds: ids(0, 6) }), /at least 2 other faces to compare "x" with; 1 is selected/);
    assert.throws(() => selectionGroups(collection, { name: 'x', faceIds: ids(0, 4 * PER - 1) }), /all but 1 of the faces/);
  });
});

describe('a probe named from a selection', () => {
  it('is kept as the named split is, and says of each stored face which group it falls in', () => {
    const groups = selectionGroups(collection, { name: 'cluster one', faceIds: ids(0, PER) });
    const probe = trainNamedProbe(kernel, collection, [], groups, { source: 'selection', identityRemoved: false });
    assert.deepEqual(probe.names, ['cluster one', 'not cluster one']);
    assert.deepEqual(probe.faces, [PER, 3 * PER]);
    assert.equal(namedProbeOf(splitProbeRecord('test-model', probe, groups, 1))?.source, 'selection', 'a stored selection probe reads back');
    const said = probeStoredFaces(kernel, probe, collection, [], [...ids(0, 4 * PER), 'not-stored']);
    assert.equal(said.at(-1), undefined, 'an unknown face gets nothing');
    const inFirst = said.slice(0, PER).filter((s) => s?.group === 'cluster one').length;
    const inRest = said.slice(PER, 4 * PER).filter((s) => s?.group === 'not cluster one').length;
    assert.equal(inFirst, PER, 'every picked face is called by its name');
    assert.equal(inRest, 3 * PER, 'every other face is not');
    for (const s of said.slice(0, -1)) assert.ok(s && s.confidence >= 0.5 && s.confidence <= 1, `confidence ${s?.confidence}`);
  });
});
