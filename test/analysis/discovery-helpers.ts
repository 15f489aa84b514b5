/**
 * Planted data for the discovery tests, drawn from the kernel's generator: people (each a random unit
 * centre) whose faces vary by a within-person attribute along one fixed direction, plus noise.
 */
import { Rng } from '../../src/kernel/rng.ts';

/** A standard normal draw (Box–Muller) from the kernel's generator. */
export function normal(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
}

/** A random unit vector of length d. */
export function unitVector(rng: Rng, d: number): Float32Array {
  const v = Float32Array.from({ length: d }, () => normal(rng));
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** Planted faces: see the module comment. */
export interface PlantedFaces {
  vectors: Float32Array;
  d: number;
  persons: number[];
  /** The planted within-person attribute per face (0/1). */
  attribute: number[];
  /** A between-person attribute per face (0/1, constant per person). */
  group: number[];
  direction: Float32Array;
}

/**
 * `people` people × `faces` faces. Person centres: unit vectors, shifted ±`groupShift`/2 along a
 * between-person direction by the person's group (half the people each). Faces: centre ± `shift`/2
 * along the attribute direction (half of each person's faces each, so the attribute varies within
 * every person), plus isotropic noise of sd `noise` per dimension.
 */
export function plantedFaces(o: { people: number; faces: number; d: number; shift: number; noise: number; seed: number; groupShift?: number }): PlantedFaces {
  const rng = new Rng(o.seed);
  const direction = unitVector(rng, o.d);
  const groupDirection = unitVector(rng, o.d);
  const vectors = new Float32Array(o.people * o.faces * o.d);
  const persons: number[] = [];
  const attribute: number[] = [];
  const group: number[] = [];
  let row = 0;
  for (let p = 0; p < o.people; p++) {
    const g = p % 2;
    const centre = unitVector(rng, o.d).map((x, j) => x * 0.6 + (g - 0.5) * (o.groupShift ?? 0) * (groupDirection[j] as number));
    for (let f = 0; f < o.faces; f++) {
      const a = f % 2;
      for (let j = 0; j < o.d; j++) {
        vectors[row * o.d + j] = (centre[j] as number) + (a - 0.5) * o.shift * (direction[j] as number) + o.noise * normal(rng);
      }
      persons.push(p);
      attribute.push(a);
      group.push(g);
      row++;
    }
  }
  return { vectors, d: o.d, persons, attribute, group, direction };
}
