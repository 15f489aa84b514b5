/**
 * UMAP's layout epochs as a cancellable run, shared by both backends: checks the graph, seeds the generator,
 * runs batches of epochs in a backend's session ({@link LayoutOps}) for about 100 ms each, and between batches
 * reports progress, lets the event loop run and honours the AbortSignal. The session carries the whole state
 * (positions, each edge's next sample, the generator), so the batching never changes the layout.
 */
import { InvalidInputError, throwIfAborted } from '../errors.ts';
import type { LayoutGraph, LayoutOptions } from './umap-types.ts';
import { seedState } from './rng.ts';
import { checkFinite, checkInteger, checkMatrix, checkSeed } from './validate.ts';

/** A layout in progress inside a backend. */
export interface LayoutSession {
  /** Runs epochs [from, to). */
  run(from: number, to: number): void;
  /** The current positions (n × 2, a copy). */
  embedding(): Float32Array;
  dispose(): void;
}

/** The checked inputs of a session. */
export interface LayoutInput {
  embedding: Float32Array;
  n: number;
  graph: LayoutGraph;
  a: number;
  b: number;
  negativeRate: number;
  epochs: number;
  /** xoshiro128** state (four words). */
  rng: Uint32Array;
}

/** What a backend provides to {@link runLayout}. */
export interface LayoutOps {
  session(input: LayoutInput): LayoutSession;
}

/** Wall time per batch of epochs between two yields to the event loop. */
const BATCH_MS = 100;

const yieldToEvents = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function positive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidInputError(`${name} = ${String(value)} is not accepted: ${name} must be a finite number > 0`, {
      details: { name, value: String(value) },
    });
  }
  return value;
}

/** Checks the graph against n points. @throws InvalidInputError naming the first bad edge. */
function checkGraph(graph: LayoutGraph, n: number): void {
  const { head, tail, epochsPerSample } = graph;
  if (!(head instanceof Int32Array) || !(tail instanceof Int32Array) || !(epochsPerSample instanceof Float32Array)
    || tail.length !== head.length || epochsPerSample.length !== head.length) {
    throw new InvalidInputError('graph must hold head and tail (Int32Array) and epochsPerSample (Float32Array) of one length');
  }
  for (let e = 0; e < head.length; e++) {
    const h = head[e]!;
    const t = tail[e]!;
    const s = epochsPerSample[e]!;
    if (h < 0 || h >= n || t < 0 || t >= n || h === t || !(s >= 1) || !Number.isFinite(s)) {
      throw new InvalidInputError(
        `graph edge ${e} (${h} → ${t}, epochs per sample ${s}) is not accepted: ends must be two different points in [0, ${n}) and epochs per sample a finite number ≥ 1`,
        { details: { edge: e, head: h, tail: t, epochsPerSample: s, n } },
      );
    }
  }
}

/**
 * UmapKernel.umapLayout on a backend's session.
 * @throws InvalidInputError for a bad embedding, graph or option; AbortError when the signal aborts.
 */
export async function runLayout(ops: LayoutOps, embedding: Float32Array, graph: LayoutGraph, options: LayoutOptions): Promise<Float32Array> {
  const n = checkMatrix('embedding', embedding, 2);
  checkFinite('embedding', embedding, 2);
  checkGraph(graph, n);
  const a = positive('a', options.a);
  const b = positive('b', options.b);
  const negativeRate = positive('negativeRate', options.negativeRate ?? 5);
  const epochs = checkInteger('epochs', options.epochs, 1);
  const rng = seedState(checkSeed(options.seed ?? 0));
  const { signal, onProgress } = options;
  throwIfAborted(signal);
  const session = ops.session({ embedding, n, graph, a, b, negativeRate, epochs, rng });
  try {
    let done = 0;
    while (done < epochs) {
      const start = performance.now();
      do {
        session.run(done, done + 1);
        done++;
      } while (done < epochs && performance.now() - start < BATCH_MS);
      onProgress?.({ epochs: done, total: epochs });
      if (done < epochs) {
        await yieldToEvents();
        throwIfAborted(signal);
      }
    }
    return session.embedding();
  } finally {
    session.dispose();
  }
}
