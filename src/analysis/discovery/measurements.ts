/**
 * The per-face measurements a split can be described with, as columns of numbers (NaN where a face has
 * none): the age, gender and expression heads (when they ran), head pose, brightness, contrast and
 * sharpness (face-measures.ts), face size in pixels and how the face was found. Each column carries
 * the words that describe it.
 */
import type { FaceMeasures } from '../../vision/face-measures.ts';
import type { Box } from '../../vision/image.ts';

/** What a face must carry to be measured: FaceResult and FaceRecord both fit. */
export interface MeasurableFace {
  box: Box;
  foundBy: string;
  attributes?: { age: number; gender: string; genderProbability: number; expressions: Record<string, number> } | undefined;
  measures?: FaceMeasures | undefined;
}

/** One measurement over every face. */
export interface MeasurementColumn {
  /** Machine name, e.g. `smiling`, `yaw`. */
  key: string;
  /** 'binary': 0/1 per face (a side's value is the share of 1s); 'numeric': a quantity (a side's value is its median). */
  kind: 'binary' | 'numeric';
  /** What a 1 means (binary) or what is measured (numeric), in plain words: `smiling`, `brightness`. */
  label: string;
  /** Where it comes from, shown in brackets: `expression head`, `head pose from landmarks`. */
  source: string;
  /** Numeric only: the unit after a value (`°`, ` px`, ` years`), and the words for the side with higher values. */
  unit?: string;
  more?: string;
  /** One value per face; NaN where the face has none. */
  values: Float64Array;
}

/** Every measurement of a set of faces. */
export interface MeasurementTable {
  faces: number;
  columns: MeasurementColumn[];
}

const EXPRESSION_WORDS: Record<string, string> = {
  happy: 'smiling', neutral: 'a neutral expression', surprised: 'surprised', sad: 'sad', angry: 'angry', fearful: 'fearful', disgusted: 'disgusted',
};

/**
 * Measurement columns for faces (in the caller's order). Columns with no value on any face are left out.
 */
export function measurementTable(faces: readonly MeasurableFace[]): MeasurementTable {
  const n = faces.length;
  const column = (c: Omit<MeasurementColumn, 'values'>, value: (f: MeasurableFace) => number | undefined): MeasurementColumn => ({
    ...c, values: Float64Array.from(faces, (f) => value(f) ?? Number.NaN),
  });
  const expressionKeys = [...new Set(faces.flatMap((f) => Object.keys(f.attributes?.expressions ?? {})))].sort();
  const topExpression = (f: MeasurableFace): string | undefined => {
    const e = f.attributes?.expressions;
    if (!e) return undefined;
    return Object.entries(e).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  };
  const pose = (k: keyof FaceMeasures) => (f: MeasurableFace) => f.measures?.[k];
  const columns = [
    ...expressionKeys.map((key) => column(
      { key: key === 'happy' ? 'smiling' : key, kind: 'binary', label: EXPRESSION_WORDS[key] ?? key, source: 'expression head' },
      (f) => (f.attributes ? (topExpression(f) === key ? 1 : 0) : undefined),
    )),
    column({ key: 'male', kind: 'binary', label: 'men', source: 'gender head' }, (f) => {
      const a = f.attributes;
      if (!a) return undefined;
      const male = a.gender === 'male' ? a.genderProbability : 1 - a.genderProbability;
      return male > 0.5 ? 1 : 0;
    }),
    column({ key: 'age', kind: 'numeric', label: 'estimated age', source: 'age head', unit: ' years', more: 'older faces' }, (f) => f.attributes?.age),
    column({ key: 'yaw', kind: 'numeric', label: 'head turn (yaw)', source: 'head pose from landmarks', unit: '°', more: "heads turned more towards the photo's right" }, pose('yaw')),
    column({ key: 'turn', kind: 'numeric', label: 'head turned away (|yaw|)', source: 'head pose from landmarks', unit: '°', more: 'heads turned further from the camera' }, (f) => (f.measures ? Math.abs(f.measures.yaw) : undefined)),
    column({ key: 'pitch', kind: 'numeric', label: 'head nod (pitch)', source: 'head pose from landmarks', unit: '°', more: 'faces looking further down' }, pose('pitch')),
    column({ key: 'roll', kind: 'numeric', label: 'head tilt (roll)', source: 'head pose from landmarks', unit: '°', more: 'heads tilted more anticlockwise' }, pose('roll')),
    column({ key: 'brightness', kind: 'numeric', label: 'brightness', source: 'the photo', unit: ' of 255', more: 'brighter faces' }, pose('brightness')),
    column({ key: 'contrast', kind: 'numeric', label: 'contrast', source: 'the photo', unit: '', more: 'more contrast' }, pose('contrast')),
    column({ key: 'sharpness', kind: 'numeric', label: 'sharpness', source: 'the photo', unit: '', more: 'sharper faces' }, pose('sharpness')),
    column({ key: 'size', kind: 'numeric', label: 'face size', source: 'the photo', unit: ' px', more: 'larger faces in the photo' }, (f) => Math.sqrt(Math.max(0, f.box.width * f.box.height))),
    column({ key: 'detected', kind: 'binary', label: 'found by the detector at the first try', source: 'how the face was found' }, (f) => (f.foundBy === 'detected' ? 1 : 0)),
  ];
  return { faces: n, columns: columns.filter((c) => c.values.some((v) => !Number.isNaN(v))) };
}
