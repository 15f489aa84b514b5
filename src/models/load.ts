/**
 * Loads a model together with its manifest and proves they agree: the bytes have the manifest's size and
 * sha256, the file opens in onnxruntime, and its inputs and outputs have the names and shapes the manifest
 * declares. Used for the built-in models (build/models/index.json) and for a user's own embedding model.
 */
import { createSession, type OrtSession, type OrtSessionOptions } from '../runtime/ort.ts';
import { InvalidInputError, ModelLoadError, throwIfAborted } from '../errors.ts';
import { parseManifest, parseModelIndex, type ModelManifest, type ModelTask } from './manifest.ts';
import { readBytes } from '../runtime/read-bytes.ts';
import type { DownloadMeter } from '../runtime/downloads.ts';

/** A model ready to run: its manifest and an open session. */
export interface LoadedModel {
  readonly manifest: ModelManifest;
  readonly session: OrtSession;
}

/** Options for {@link loadModel}. */
export interface LoadModelOptions extends OrtSessionOptions {
  /** Require this task (e.g. 'embedding' for a user's own recognition model). */
  task?: ModelTask;
  /** Called as a fetched model's bytes arrive, with the bytes received so far. */
  onBytes?: (loaded: number) => void;
}

/** Options for {@link loadBuiltinModels}. */
export interface LoadBuiltinOptions extends OrtSessionOptions {
  /** Told the models' files and sizes (from index.json) before they download, then their bytes as they arrive. */
  download?: DownloadMeter;
}

/** Lower-case hex sha256 of `bytes` (WebCrypto: available in Node ≥ 20 and in secure browser contexts). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Validates `model` against `manifest` and opens it.
 * @param manifest a manifest (parsed JSON is checked with {@link parseManifest}).
 * @param model the model's bytes, or a URL / (in Node) a file path.
 * @throws ModelLoadError naming the mismatch: malformed manifest, wrong task, unreadable file, size or hash
 *   mismatch, a file that does not open as ONNX, a missing input/output, or a shape that differs from the manifest.
 */
export async function loadModel(manifest: unknown, model: Uint8Array | ArrayBuffer | string | URL, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const m = parseManifest(manifest);
  if (options.task && m.task !== options.task) {
    throw new ModelLoadError(`model ${m.id} is a ${m.task} model; this needs a model of task ${options.task}`, { details: { field: 'task' } });
  }
  const onBytes = options.onBytes;
  const bytes = await readBytes(model, onBytes ? (loaded) => onBytes(loaded) : undefined);
  throwIfAborted(options.signal);
  if (bytes.length !== m.bytes) {
    throw new ModelLoadError(
      `model ${m.id}: the file has ${bytes.length} bytes but the manifest says ${m.bytes}${bytes.length < m.bytes ? ' (truncated?)' : ''}`,
      { details: { field: 'bytes', expected: m.bytes, actual: bytes.length } });
  }
  const hash = await sha256Hex(bytes);
  if (hash !== m.sha256) {
    throw new ModelLoadError(`model ${m.id}: sha256 mismatch: the file hashes to ${hash}, the manifest says ${m.sha256}`, {
      details: { field: 'sha256', expected: m.sha256, actual: hash },
    });
  }
  const session = await createSession(bytes, options);
  try {
    checkInterface(m, session);
  } catch (error) {
    await session.dispose();
    throw error;
  }
  return { manifest: m, session };
}

/**
 * Loads built-in models listed in build/models/index.json.
 * @param base the folder holding index.json and the .onnx files: a URL ending in '/' or (in Node) a directory path.
 * @param names file stems to load (e.g. ['face-recognition']); all when omitted.
 * @throws ModelLoadError when the index or a model is missing, malformed or disagrees with its manifest.
 */
export async function loadBuiltinModels(base: string | URL, names?: string[], options: LoadBuiltinOptions = {}): Promise<Map<string, LoadedModel>> {
  const { download, ...session } = options;
  const dir = String(base).endsWith('/') ? String(base) : `${String(base)}/`;
  const indexBytes = await readBytes(`${dir}index.json`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(indexBytes));
  } catch (cause) {
    throw new ModelLoadError(`${dir}index.json is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const index = parseModelIndex(parsed);
  const wanted = names ?? index.models.map((m) => m.file.replace(/\.onnx$/, ''));
  const manifests = wanted.map((name) => {
    const manifest = index.models.find((m) => m.file === `${name}.onnx`);
    if (!manifest) {
      throw new ModelLoadError(`model ${name} is not in ${dir}index.json; it lists ${index.models.map((m) => m.file).join(', ')}`);
    }
    return manifest;
  });
  download?.plan(manifests.map((m) => ({ name: m.file, bytes: m.bytes })));
  const out = new Map<string, LoadedModel>();
  try {
    for (const [i, manifest] of manifests.entries()) {
      const onBytes = download ? (loaded: number) => download.progress(manifest.file, loaded) : undefined;
      out.set(wanted[i] as string, await loadModel(manifest, `${dir}${manifest.file}`, { ...session, ...(onBytes ? { onBytes } : {}) }));
    }
  } catch (error: unknown) {
    // Release what loaded before the failure: a retry would otherwise leave those sessions behind.
    await Promise.allSettled([...out.values()].map((m) => m.session.dispose()));
    throw error;
  }
  return out;
}

function checkInterface(m: ModelManifest, session: OrtSession): void {
  const check = (kind: 'input' | 'output', name: string, declared: ReadonlyArray<number | string>) => {
    const list = kind === 'input' ? session.inputs : session.outputs;
    const actual = list.find((v) => v.name === name);
    if (!actual) {
      throw new ModelLoadError(`model ${m.id}: the manifest's ${kind} "${name}" is not in the model, whose ${kind}s are ${list.map((v) => v.name).join(', ')}`, {
        details: { field: kind, name },
      });
    }
    if (actual.type !== 'float32') {
      throw new ModelLoadError(`model ${m.id}: ${kind} "${name}" is ${actual.type}; float32 is required`, { details: { field: kind, name } });
    }
    // A numeric dimension in the manifest must equal the model's when the model fixes it; symbolic ones match anything.
    const mismatch = actual.shape.length !== declared.length
      || declared.some((d, i) => typeof d === 'number' && typeof actual.shape[i] === 'number' && actual.shape[i] !== d);
    if (mismatch) {
      throw new ModelLoadError(
        `model ${m.id}: ${kind} "${name}" has shape [${actual.shape.join(', ')}] in the model but [${declared.join(', ')}] in the manifest`,
        { details: { field: kind, name, expected: [...declared], actual: [...actual.shape] } });
    }
  };
  check('input', m.input.name, m.input.shape);
  for (const o of m.outputs) check('output', o.name, o.shape);
}

/**
 * Checks that a loaded model does `task` before a runner drives it.
 * @throws InvalidInputError naming the model's task and the one needed.
 */
export function assertTask(model: LoadedModel, task: ModelTask, runner: string): void {
  if (model.manifest.task !== task) {
    throw new InvalidInputError(`${runner} needs a model of task ${task}; ${model.manifest.id} is a ${model.manifest.task} model`);
  }
}
