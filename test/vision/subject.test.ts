// Which face is a photo's subject: the largest, or (LFW's rule) the one at the centre.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from '../../src/errors.ts';
import { subjectFace } from '../../src/vision/subject.ts';

const face = (x: number, y: number, size: number) => ({ box: { x, y, width: size, height: size } });
const size = { width: 250, height: 250 };

describe('subjectFace', () => {
  // A larger face at the edge (someone behind the subject) and a smaller one centred.
  const edge = face(170, 10, 80);
  const centred = face(95, 95, 60);

  it('largest: the face with the largest box', () => {
    assert.equal(subjectFace([centred, edge], 'largest', size), edge);
  });

  it('centre: the face whose box centre is nearest the image centre, whatever its size', () => {
    assert.equal(subjectFace([edge, centred], 'centre', size), centred);
    assert.equal(subjectFace([edge, centred], 'centre', { width: 500, height: 120 }), edge, 'the centre of a wide image moves');
  });

  it('centre: of two faces equally far from the centre, the larger', () => {
    const left = face(55, 105, 40);
    const right = face(135, 100, 50);
    assert.equal(subjectFace([left, right], 'centre', size), right);
  });

  it('gives nothing for no faces and refuses an unknown rule', () => {
    assert.equal(subjectFace([], 'centre', size), undefined);
    assert.throws(() => subjectFace([edge], 'middle' as never, size), InvalidInputError);
  });
});
