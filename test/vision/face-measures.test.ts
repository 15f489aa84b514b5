import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { POSE_MODEL, chipMeasures, headPose } from '../../src/vision/face-measures.ts';

/** 68 landmarks of the generic model turned by R = Rz(roll)·Ry(yaw)·Rx(pitch), scaled and placed in an image (y down). */
function project(yaw: number, pitch: number, roll: number): Float32Array {
  const r = (deg: number) => (deg * Math.PI) / 180;
  const [a, b, c] = [r(yaw), r(pitch), r(roll)];
  const rx = [[1, 0, 0], [0, Math.cos(b), -Math.sin(b)], [0, Math.sin(b), Math.cos(b)]];
  const ry = [[Math.cos(a), 0, Math.sin(a)], [0, 1, 0], [-Math.sin(a), 0, Math.cos(a)]];
  const rz = [[Math.cos(c), -Math.sin(c), 0], [Math.sin(c), Math.cos(c), 0], [0, 0, 1]];
  const mul = (p: number[][], q: number[][]) => p.map((row) => [0, 1, 2].map((j) => row.reduce((s, v, k) => s + v * q[k]![j]!, 0)));
  const rot = mul(rz, mul(ry, rx));
  const out = new Float32Array(136);
  for (const { landmark, point } of POSE_MODEL) {
    const x = rot[0]!.reduce((s, v, k) => s + v * point[k]!, 0);
    const y = rot[1]!.reduce((s, v, k) => s + v * point[k]!, 0);
    out[2 * landmark] = 200 + 0.2 * x;
    out[2 * landmark + 1] = 150 - 0.2 * y;
  }
  return out;
}

describe('face measures', () => {
  it('head pose recovers the yaw, pitch and roll of a projected generic face', () => {
    for (const [yaw, pitch, roll] of [[0, 0, 0], [25, 0, 0], [-30, 10, 5], [10, -15, -20], [0, 0, 30]] as const) {
      const pose = headPose(project(yaw, pitch, roll));
      assert.ok(Math.abs(pose.yaw - yaw) < 0.5 && Math.abs(pose.pitch - pitch) < 0.5 && Math.abs(pose.roll - roll) < 0.5, `${yaw},${pitch},${roll} → ${JSON.stringify(pose)}`);
    }
  });

  it('head pose is NaN for degenerate landmarks', () => {
    assert.ok(Number.isNaN(headPose(new Float32Array(136)).yaw));
  });

  it('brightness, contrast and sharpness of the inner face of a chip', () => {
    const size = 40;
    const flat = { width: size, height: size, data: new Uint8Array(size * size * 3).fill(100) };
    assert.deepEqual(chipMeasures(flat), { brightness: 100, contrast: 0, sharpness: 0 });
    const checker = { width: size, height: size, data: new Uint8Array(size * size * 3) };
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) checker.data.fill((x + y) % 2 ? 200 : 0, (y * size + x) * 3, (y * size + x) * 3 + 3);
    const sharp = chipMeasures(checker);
    assert.ok(Math.abs(sharp.brightness - 100) < 1e-9 && Math.abs(sharp.contrast - 100) < 1e-9);
    const blurred = { width: size, height: size, data: new Uint8Array(size * size * 3).fill(100) };
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) blurred.data.fill(100 + ((x + y) % 2 ? 5 : -5), (y * size + x) * 3, (y * size + x) * 3 + 3);
    assert.ok(sharp.sharpness > 100 * chipMeasures(blurred).sharpness);
    const outside = { width: size, height: size, data: new Uint8Array(size * size * 3).fill(100) };
    outside.data.fill(255, 0, size * 3 * 5); // rows above the inner face do not count
    assert.equal(chipMeasures(outside).brightness, 100);
  });
});
