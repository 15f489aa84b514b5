/**
 * Runs face-api's supervised attribute heads (age/gender and expression) on face crops. Results are face-api's:
 * the crop is padded to a centred square, resized to 112 and normalised as face-api does.
 */
import { InvalidInputError, throwIfAborted } from '../errors.ts';
import { EXPRESSION_LABELS, type ExpressionLabel } from '../models/builtin.ts';
import { inputSide } from '../models/manifest.ts';
import { assertTask, type LoadedModel } from '../models/load.ts';
import type { RgbImage } from './image.ts';
import { batchTensor } from './resize.ts';

/** Age and gender as face-api reports them. */
export interface AgeGender {
  /** Estimated age in years. */
  age: number;
  /** The more probable gender. */
  gender: 'male' | 'female';
  /** Probability of `gender`, in [0.5, 1]. */
  genderProbability: number;
  /** Probability of male, in [0, 1] (female = 1 − male). */
  male: number;
}

/** Probability of each of face-api's seven expressions (they sum to 1). */
export type Expressions = Record<ExpressionLabel, number>;

/** The batch tensor of `crops` for `model`'s input. */
function cropsTensor(model: LoadedModel, crops: readonly RgbImage[]) {
  const { manifest } = model;
  const size = inputSide(manifest);
  if (size === undefined) throw new InvalidInputError(`model ${manifest.id} has no fixed square input size`);
  return batchTensor(manifest.input, crops, size);
}

async function runCrops(model: LoadedModel, crops: readonly RgbImage[], signal: AbortSignal | undefined, tensor = cropsTensor(model, crops)) {
  throwIfAborted(signal);
  return model.session.run({ [model.manifest.input.name]: tensor }, signal);
}

/** face-api's age and gender from the age-gender head's outputs for `count` crops. */
function ageGenderOf(model: LoadedModel, out: Awaited<ReturnType<typeof runCrops>>, count: number): AgeGender[] {
  const age = out.age?.data;
  const gender = out.gender?.data;
  if (!age || !gender) throw new InvalidInputError(`model ${model.manifest.id} lacks the outputs "age" and "gender"`);
  return Array.from({ length: count }, (_, i) => {
    const male = gender[i * 2]!;
    const isMale = male > 0.5;
    return { age: age[i]!, gender: isMale ? 'male' : 'female', genderProbability: isMale ? male : 1 - male, male };
  });
}

/** The expression head's probabilities for `count` crops. */
function expressionsOf(model: LoadedModel, out: Awaited<ReturnType<typeof runCrops>>, count: number): Expressions[] {
  const p = out.expressions?.data;
  if (!p || p.length !== count * EXPRESSION_LABELS.length) {
    throw new InvalidInputError(`model ${model.manifest.id} lacks the output "expressions" [batch, ${EXPRESSION_LABELS.length}]`);
  }
  return Array.from({ length: count }, (_, i) => Object.fromEntries(EXPRESSION_LABELS.map((label, k) => [label, p[i * EXPRESSION_LABELS.length + k]!])) as Expressions);
}

/**
 * Predicts age and gender for each face crop (one batched run).
 * @throws InvalidInputError for an empty list, a malformed crop or a non-age-gender model;
 *   InferenceError when the runtime fails; an AbortError on abort.
 */
export async function predictAgeGenderBatch(model: LoadedModel, crops: readonly RgbImage[], options: { signal?: AbortSignal } = {}): Promise<AgeGender[]> {
  assertTask(model, 'age-gender', 'predictAgeGender');
  return ageGenderOf(model, await runCrops(model, crops, options.signal), crops.length);
}

/** Predicts age and gender for one face crop. @throws as {@link predictAgeGenderBatch}. */
export async function predictAgeGender(model: LoadedModel, crop: RgbImage, options: { signal?: AbortSignal } = {}): Promise<AgeGender> {
  return (await predictAgeGenderBatch(model, [crop], options))[0]!;
}

/**
 * Predicts expression probabilities for each face crop (one batched run).
 * @throws InvalidInputError for an empty list, a malformed crop or a non-expression model;
 *   InferenceError when the runtime fails; an AbortError on abort.
 */
export async function predictExpressionsBatch(model: LoadedModel, crops: readonly RgbImage[], options: { signal?: AbortSignal } = {}): Promise<Expressions[]> {
  assertTask(model, 'expression', 'predictExpressions');
  return expressionsOf(model, await runCrops(model, crops, options.signal), crops.length);
}

/** Predicts expression probabilities for one face crop. @throws as {@link predictExpressionsBatch}. */
export async function predictExpressions(model: LoadedModel, crop: RgbImage, options: { signal?: AbortSignal } = {}): Promise<Expressions> {
  return (await predictExpressionsBatch(model, [crop], options))[0]!;
}

/**
 * Age, gender and expressions of each face crop: {@link predictAgeGenderBatch} and {@link predictExpressionsBatch}
 * in one call, their input tensor built once when the two heads take the same input (face-api's do: 112 px, the
 * same means and divisor, centred padding), which saves building it a second time for every face.
 * @throws as those two.
 */
export async function predictAttributesBatch(
  ageGender: LoadedModel,
  expression: LoadedModel,
  crops: readonly RgbImage[],
  options: { signal?: AbortSignal } = {},
): Promise<{ ageGender: AgeGender[]; expressions: Expressions[] }> {
  assertTask(ageGender, 'age-gender', 'predictAgeGender');
  assertTask(expression, 'expression', 'predictExpressions');
  const tensor = cropsTensor(ageGender, crops);
  const same = JSON.stringify(ageGender.manifest.input) === JSON.stringify(expression.manifest.input);
  const first = await runCrops(ageGender, crops, options.signal, tensor);
  const second = await runCrops(expression, crops, options.signal, same ? tensor : cropsTensor(expression, crops));
  return { ageGender: ageGenderOf(ageGender, first, crops.length), expressions: expressionsOf(expression, second, crops.length) };
}
