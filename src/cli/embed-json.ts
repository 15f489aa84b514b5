/**
 * The `face-probe embed` JSON document: every face of every image with its box, how it was found and its
 * embedding, then a summary. Written record by record (see {@link writeEmbedJson}).
 */
import type { ImageOutcome } from '../embedding/types.ts';
import { failureKind } from './embed-files.ts';
import { type TextSink, writeJsonWithStreamedArray } from './json-stream.ts';

/** The fields of the `embed` document before its images. */
export interface EmbedDocumentHead {
  model: string;
  dimension: number;
  backend: string;
  detector: string;
}

/** The JSON form of one outcome (typed arrays become number lists). */
export function outcomeJson(o: ImageOutcome) {
  if (!o.ok) return { file: o.name, ok: false, error: { code: o.error.code ?? o.error.name, message: o.error.message, ...(o.error.details ? { details: o.error.details } : {}) } };
  return {
    file: o.name,
    ok: true,
    hash: o.hash,
    width: o.width,
    height: o.height,
    faces: o.faces.map((f) => ({
      index: f.index,
      box: f.box,
      score: f.score,
      found_by: f.foundBy,
      model: f.modelId,
      landmarks: Array.from(f.landmarks),
      embedding: Array.from(f.embedding),
    })),
  };
}

/** Counts of the outcomes written so far, for the document's summary. */
export class EmbedTally {
  processed = 0;
  faces = 0;
  failed = 0;
  failures: Record<string, number> = {};
  /** Counts one outcome: its faces, or its failure by kind (error code, plus the decode reason if any). */
  add(o: ImageOutcome): void {
    this.processed++;
    if (o.ok) {
      this.faces += o.faces.length;
      return;
    }
    this.failed++;
    const kind = failureKind(o);
    this.failures[kind] = (this.failures[kind] ?? 0) + 1;
  }
}

/**
 * Writes the `embed` JSON document to every sink, one image at a time (so a run of any size can be written, in
 * memory bounded by one image): `{model, dimension, backend, detector, images: [...], ...finish(tally)}`.
 * @param finish called after the last image with the tally of what was written; returns the closing fields.
 */
export async function writeEmbedJson(
  sinks: readonly TextSink[],
  head: EmbedDocumentHead,
  outcomes: AsyncIterable<ImageOutcome>,
  finish: (tally: EmbedTally) => Record<string, unknown>,
  indent: 0 | 2,
): Promise<void> {
  const tally = new EmbedTally();
  async function* images() {
    for await (const o of outcomes) {
      tally.add(o);
      yield outcomeJson(o);
    }
  }
  await writeJsonWithStreamedArray(sinks, { ...head }, 'images', images(), () => finish(tally), indent);
}
