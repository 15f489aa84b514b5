// `face-probe embed --json` writes its document record by record (issue 13, item 5): the same bytes as one
// JSON.stringify of the whole result, without ever holding the whole text, so a run of any size can be written.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { outcomeJson, writeEmbedJson } from '../../src/cli/embed-json.ts';
import { streamSink } from '../../src/cli/json-stream.ts';
import type { ImageOutcome } from '../../src/embedding/types.ts';
import { syntheticOutcome } from '../helpers/synthetic-outcomes.ts';

const head = { model: 'm', dimension: 128, backend: 'node', detector: 'auto' };

/** A stream that accepts one chunk at a time and asks the writer to wait (highWaterMark 1), keeping the text. */
function slowCollector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      setImmediate(done);
    },
  });
  return { stream, text: () => chunks.join('') };
}

async function* each(outcomes: readonly ImageOutcome[]) {
  yield* outcomes;
}

describe('writeEmbedJson', () => {
  const outcomes: ImageOutcome[] = [
    syntheticOutcome(0, 2),
    { ok: false, name: 'notes.jpg', error: { name: 'DecodeError', message: 'notes.jpg: the file is text', code: 'decode', details: { reason: 'not-an-image' } } },
    syntheticOutcome(2, 0),
    syntheticOutcome(3, 1),
  ];

  for (const indent of [0, 2] as const) {
    it(`writes exactly what JSON.stringify writes for the whole result (indent ${indent}), waiting for the stream`, async () => {
      const sink = slowCollector();
      await writeEmbedJson([streamSink(sink.stream)], head, each(outcomes), (tally) => ({
        summary: { images: 5, processed: tally.processed, faces: tally.faces, failed: tally.failed, cached: 0, failures: tally.failures, cancelled: false },
        elapsed_s: 1.5,
      }), indent);
      const expected = {
        ...head,
        images: outcomes.map(outcomeJson),
        summary: { images: 5, processed: 4, faces: 3, failed: 1, cached: 0, failures: { 'decode/not-an-image': 1 }, cancelled: false },
        elapsed_s: 1.5,
      };
      assert.equal(sink.text(), `${JSON.stringify(expected, null, indent)}\n`);
    });
  }

  it('writes an empty image list as JSON.stringify does', async () => {
    const sink = slowCollector();
    await writeEmbedJson([streamSink(sink.stream)], head, each([]), () => ({ summary: {}, elapsed_s: 0 }), 2);
    assert.equal(sink.text(), `${JSON.stringify({ ...head, images: [], summary: {}, elapsed_s: 0 }, null, 2)}\n`);
  });

  it('writes 80,000 faces (more text than one string can hold) in a process whose heap is capped at 256 MB', (t) => {
    const script = join(import.meta.dirname, '../helpers/stream-many-faces.ts');
    const r = spawnSync(process.execPath, ['--max-old-space-size=256', '--import', 'tsx', script, '8000', '10'], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    assert.equal(r.status, 0, `exit ${r.status} ${r.signal ?? ''}: ${r.stderr.slice(-3000)}`);
    const result = JSON.parse(r.stdout) as { bytes: number; images: number; faces: number; ending: string; peakRssBytes: number };
    t.diagnostic(`${result.bytes} bytes written; peak memory ${(result.peakRssBytes / 1024 ** 2).toFixed(0)} MiB`);
    assert.equal(result.images, 8_000);
    assert.equal(result.faces, 80_000);
    // V8's longest string is 2^29 − 24 characters: a document this long could never have been one string.
    assert.ok(result.bytes > 2 ** 29, `${result.bytes} bytes written`);
    assert.match(result.ending, /"faces": 80000,[\s\S]*"elapsed_s": 0\n}\n$/);
    assert.ok(result.peakRssBytes < 512 * 1024 ** 2, `peak memory ${(result.peakRssBytes / 1024 ** 2).toFixed(0)} MiB`);
  });
});
