import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildViews } from '../../src/analysis/discovery/views.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { testKernel } from './helpers.ts';
import { plantedFaces } from './discovery-helpers.ts';

const kernel = testKernel();

describe('discovery views', () => {
  it('across people: one re-normalised mean per person; a face seen once is its own person', () => {
    const d = 3;
    const vectors = Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const views = buildViews(kernel, vectors, d, { persons: ['a', 'a', 'b'] });
    assert.deepEqual(views.people, ['a', 'b']);
    assert.deepEqual(views.across.faces, [[0, 1], [2]]);
    const s = Math.SQRT1_2;
    assert.deepEqual([...views.across.vectors].map((x) => +x.toFixed(6)), [s, s, 0, 0, 0, 1].map((x) => +x.toFixed(6)));
    assert.equal(views.within, null, 'nobody has 4 faces');
  });

  it('within people: each face minus its person mean, only people with at least 4 faces; residuals sum to zero per person', () => {
    const planted = plantedFaces({ people: 5, faces: 6, d: 8, shift: 1, noise: 0.1, seed: 1 });
    const persons = [...planted.persons];
    persons[29] = 99; // person 4 keeps 5 faces; face 29 becomes a person seen once
    const views = buildViews(kernel, planted.vectors, 8, { persons, minFacesWithin: 4 });
    const within = views.within!;
    assert.equal(within.faces.length, 29);
    for (let p = 0; p < 5; p++) {
      const rows = [...within.person.keys()].filter((r) => within.person[r] === p);
      for (let j = 0; j < 8; j++) {
        const sum = rows.reduce((acc, r) => acc + within.vectors[r * 8 + j]!, 0);
        assert.ok(Math.abs(sum) < 1e-5, `person ${p} dim ${j}: ${sum}`);
      }
    }
    const face0 = within.faces.findIndex((f) => f[0] === 0);
    assert.ok(Math.abs(within.vectors[face0 * 8]! - (planted.vectors[0]! - views.personMeans[0]!)) < 1e-6);
    assert.equal(views.across.faces.length, 6);
    assert.deepEqual(views.perPerson.map((v) => v.subject), []);
    assert.deepEqual(buildViews(kernel, planted.vectors, 8, { persons, minFacesPerPerson: 6 }).perPerson.map((v) => v.subject), ['0', '1', '2', '3']);
  });

  it('without labels, people come from the identity grouping', () => {
    const planted = plantedFaces({ people: 4, faces: 6, d: 32, shift: 0.05, noise: 0.01, seed: 2 });
    const views = buildViews(kernel, planted.vectors, 32);
    assert.equal(views.people.length, 4);
    for (let p = 0; p < 4; p++) assert.equal(new Set(planted.persons.map((q, i) => (q === p ? views.personOfFace[i] : -1)).filter((x) => x !== undefined && x >= 0)).size, 1);
  });

  it('rejects persons of the wrong length', () => {
    assert.throws(() => buildViews(kernel, new Float32Array(6), 3, { persons: ['a'] }), InvalidInputError);
  });
});
