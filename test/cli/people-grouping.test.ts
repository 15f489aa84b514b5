// The `people` command's grouping on hand-made outcomes: the element's groups (same ids, names and members as
// the workspace's groupPeople), each photo's label on its largest face only, and failures and empty photos listed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { folderNameLabel, groupPhotosByPerson } from '../../src/cli/people-grouping.ts';
import type { ImageOutcome } from '../../src/embedding/types.ts';
import { InvalidInputError } from '../../src/errors.ts';
import type { FaceRecord } from '../../src/store/types.ts';
import { FaceCollection } from '../../src/workspace/collection.ts';
import { groupPeople } from '../../src/workspace/views.ts';
import { gaussianClusters, testKernel } from '../analysis/helpers.ts';

const D = 128;
// Three well-separated people (rows 0–5 alice, 6–11 bob, 12–17 carol) and one stranger (row 18).
const { data } = gaussianClusters({ k: 4, perCluster: 6, d: D, spread: 0.01, seed: 3, unit: true });
const vector = (row: number) => data.slice(row * D, (row + 1) * D);

/** A photo whose faces are the given rows, each with a box of the given side (px). */
function photo(name: string, hash: string, faces: Array<{ row: number; side: number }>): ImageOutcome {
  return {
    ok: true, name, hash, size: 1, format: 'jpeg', width: 250, height: 250,
    timings: {} as never,
    faces: faces.map((f, index) => ({
      index, box: { x: 0, y: 0, width: f.side, height: f.side }, score: 1, foundBy: 'detected', landmarks: new Float32Array(136), embedding: vector(f.row), modelId: 'm',
    })),
  };
}

const hash = (i: number) => i.toString(16).padStart(64, '0');
const outcomes: ImageOutcome[] = [
  ...[0, 1, 2, 3, 4].map((r) => photo(`set/alice/a${r}.jpg`, hash(r + 1), [{ row: r, side: 100 }])),
  // Alice's folder, with Bob smaller in the background.
  photo('set/alice/a5.jpg', hash(6), [{ row: 5, side: 100 }, { row: 6, side: 40 }]),
  ...[7, 8, 9, 10, 11].map((r) => photo(`set/bob/b${r}.jpg`, hash(r + 1), [{ row: r, side: 90 }])),
  ...[12, 13, 14].map((r) => photo(`set/carol/c${r}.jpg`, hash(r + 1), [{ row: r, side: 80 }])),
  // The stranger, alone, in Carol's folder but not the largest face.
  photo('set/carol/c15.jpg', hash(16), [{ row: 15, side: 80 }, { row: 18, side: 30 }]),
  photo('set/carol/empty.jpg', hash(17), []),
  { ok: false, name: 'set/carol/broken.jpg', error: { name: 'DecodeError', code: 'decode', message: 'set/carol/broken.jpg: not an image' } },
];

describe('groupPhotosByPerson', () => {
  it("gives the element's people: the same ids, names and members as the workspace's groupPeople", () => {
    const result = groupPhotosByPerson(testKernel(), outcomes);
    const collection = new FaceCollection('m', D);
    for (const o of outcomes) if (o.ok) for (const f of o.faces) collection.add({ id: `${o.hash}:${f.index}` } as FaceRecord, f.embedding);
    const element = groupPeople(testKernel(), collection, 0);
    const faceId = (file: string, index: number) => `${(outcomes.find((o) => o.name === file) as { hash: string }).hash}:${index}`;
    assert.deepEqual(
      result.groups.map((g) => ({ id: g.id, name: g.name, faces: g.faces.map((f) => faceId(f.file, f.index)).sort() })),
      element.map((p) => ({ id: p.group.id, name: p.group.name, faces: [...p.group.faceIds].sort() })),
    );
    assert.deepEqual(result.groups.map((g) => g.faces.length), [6, 6, 4], 'alice; bob (one in the background of an alice photo); carol');
    assert.deepEqual(result.groups[1]!.files, ['set/alice/a5.jpg', ...[7, 8, 9, 10, 11].map((r) => `set/bob/b${r}.jpg`)]);
    assert.deepEqual(result.faces_seen_once, [{ file: 'set/carol/c15.jpg', index: 1, box: { x: 0, y: 0, width: 30, height: 30 } }]);
    assert.deepEqual(result.photos_without_faces, ['set/carol/empty.jpg']);
    assert.deepEqual(result.failed, [{ file: 'set/carol/broken.jpg', error: { code: 'decode', message: 'set/carol/broken.jpg: not an image' } }]);
    assert.deepEqual(result.summary, { photos: 17, faces: 17, people: 3, faces_seen_once: 1, failed: 1 });
    assert.equal(result.scores, undefined);
  });

  it("scores each photo's largest face only against its folder's name", () => {
    const right = groupPhotosByPerson(testKernel(), outcomes, { labelOf: folderNameLabel }).scores!;
    assert.deepEqual(right.bcubed, { precision: 1, recall: 1, f: 1 });
    assert.deepEqual([right.faces, right.people, right.groups, right.photos], [15, 3, 3, 17]);
    // Make Bob the larger face of Alice's photo: now an "alice" face sits in Bob's group.
    const swapped = outcomes.map((o) => (o.ok && o.name === 'set/alice/a5.jpg' ? photo(o.name, o.hash, [{ row: 5, side: 40 }, { row: 6, side: 100 }]) : o));
    const wrong = groupPhotosByPerson(testKernel(), swapped, { labelOf: folderNameLabel }).scores!;
    // Bob's group now holds 5 bob + 1 "alice" labelled faces: precision (5 alice·1 + 5 bob·5/6 + 1·1/6 + 4 carol·1)/15;
    // the 6 "alice" faces are 5 in Alice's group and 1 in Bob's: recall (5·5/6 + 1·1/6 + 5 bob + 4 carol)/15.
    assert.ok(Math.abs(wrong.bcubed.precision - (25 / 6 + 1 / 6 + 5 + 4) / 15) < 1e-12, `precision ${wrong.bcubed.precision}`);
    assert.ok(Math.abs(wrong.bcubed.recall - (5 * (5 / 6) + 1 / 6 + 5 + 4) / 15) < 1e-12, `recall ${wrong.bcubed.recall}`);
  });

  it('reads the label from the folder a photo lies in', () => {
    assert.equal(folderNameLabel('lfw/images/Tony_Blair/Tony_Blair_0001.jpg'), 'Tony_Blair');
    assert.equal(folderNameLabel('/abs/Tony_Blair/x.jpg'), 'Tony_Blair');
    assert.throws(() => folderNameLabel('x.jpg'), InvalidInputError);
    assert.throws(() => folderNameLabel('../x.jpg'), /needs each photo inside a folder named after its person/);
  });

  it('handles no photos and photos with no faces', () => {
    assert.deepEqual(groupPhotosByPerson(testKernel(), []).summary, { photos: 0, faces: 0, people: 0, faces_seen_once: 0, failed: 0 });
    assert.throws(() => groupPhotosByPerson(testKernel(), [photo('a/b.jpg', hash(1), [])], { labelOf: folderNameLabel }), /no face has a label/);
  });
});
