/**
 * Run as a script by test/cli/embed-json.test.ts: `node --import tsx stream-many-faces.ts <images> <faces per
 * image>` writes that many synthetic images through writeEmbedJson (indent 2) into a stream that counts bytes and
 * keeps only the last ones, then prints {bytes, images, faces, ending, peakRssBytes} as JSON on stdout.
 */
import { Writable } from 'node:stream';
import { writeEmbedJson } from '../../src/cli/embed-json.ts';
import { streamSink } from '../../src/cli/json-stream.ts';
import { syntheticOutcome } from './synthetic-outcomes.ts';

const images = Number(process.argv[2]);
const facesPerImage = Number(process.argv[3]);
let bytes = 0;
let ending = '';
const counter = new Writable({
  highWaterMark: 64 * 1024,
  write(chunk: Buffer, _encoding, done) {
    bytes += chunk.length;
    ending = (ending + chunk.toString('utf8')).slice(-400);
    setImmediate(done);
  },
});

async function* outcomes() {
  for (let i = 0; i < images; i++) yield syntheticOutcome(i, facesPerImage);
}

let faces = 0;
await writeEmbedJson([streamSink(counter)], { model: 'm', dimension: 128, backend: 'node', detector: 'auto' }, outcomes(), (tally) => {
  faces = tally.faces;
  return {
    summary: { images, processed: tally.processed, faces: tally.faces, failed: tally.failed, cached: 0, failures: tally.failures, cancelled: false },
    elapsed_s: 0,
  };
}, 2);
process.stdout.write(`${JSON.stringify({ bytes, images, faces, ending, peakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
