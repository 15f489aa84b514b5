import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddingCache } from '../../src/cli/cache.ts';
import type { ImageResult } from '../../src/embedding/types.ts';

const result = (hash: string, name = 'a.jpg'): ImageResult => ({
  ok: true,
  name,
  hash,
  size: 10,
  format: 'jpeg',
  width: 20,
  height: 10,
  faces: [{
    index: 0,
    box: { x: 1, y: 2, width: 3, height: 4 },
    score: 0.5,
    foundBy: 'padded',
    landmarks: Float32Array.from({ length: 136 }, (_, i) => i + 0.25),
    embedding: Float32Array.from([0.1, -0.2, Math.PI, 1e-30]),
    modelId: 'm',
    thumbnail: { type: 'image/jpeg', bytes: new Uint8Array([9]), width: 1, height: 1 },
  }],
  timings: { decode: 1, detect: 2, landmarks: 3, align: 4, embed: 5, attributes: 0 },
});

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fap-cache-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('EmbeddingCache', () => {
  it('round-trips results bit for bit across opens, under the caller\'s name, without thumbnails', async () => {
    const first = await EmbeddingCache.open(dir, 'model__det');
    await first.put(result('h1'));
    const again = await EmbeddingCache.open(dir, 'model__det');
    assert.equal(again.size, 1);
    const hit = again.get('h1', 'renamed.jpg');
    assert.ok(hit);
    assert.equal(hit.name, 'renamed.jpg');
    assert.deepEqual(hit.faces[0]!.embedding, result('h1').faces[0]!.embedding);
    assert.deepEqual(hit.faces[0]!.landmarks, result('h1').faces[0]!.landmarks);
    assert.equal(hit.faces[0]!.thumbnail, undefined);
    assert.equal(again.get('other', 'x'), undefined);
  });

  it('keeps one file per key', async () => {
    const other = await EmbeddingCache.open(dir, 'model__other detector (x)');
    assert.equal(other.size, 0);
  });

  it('ignores a line cut short by an interrupted run', async () => {
    const cache = await EmbeddingCache.open(dir, 'cut');
    await cache.put(result('h2'));
    const file = join(dir, 'cut.ndjson');
    await appendFile(file, '{"hash":"h3","faces":[{"embe');
    const reopened = await EmbeddingCache.open(dir, 'cut');
    assert.equal(reopened.size, 1);
    assert.ok(reopened.get('h2', 'a'));
    assert.match(await readFile(file, 'utf8'), /h3/);
  });

  it('keeps the record written after a line cut short (it starts on a new line)', async () => {
    const cache = await EmbeddingCache.open(dir, 'torn');
    await cache.put(result('t1'));
    const file = join(dir, 'torn.ndjson');
    await appendFile(file, '{"hash":"t2","faces":[{"embe');
    const resumed = await EmbeddingCache.open(dir, 'torn');
    await resumed.put(result('t3'));
    await resumed.put(result('t4'));
    const reopened = await EmbeddingCache.open(dir, 'torn');
    assert.equal(reopened.size, 3);
    for (const hash of ['t1', 't3', 't4']) assert.ok(reopened.get(hash, 'a'), `${hash} survives the torn line`);
    assert.equal(reopened.get('t2', 'a'), undefined);
  });

  it('goes on in memory when the cache folder cannot be created', async () => {
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'not a folder');
    const cache = await EmbeddingCache.open(join(blocker, 'sub'), 'k');
    await cache.put(result('h4'));
    assert.ok(cache.get('h4', 'a'));
  });

  it('goes on in memory when the cache file cannot be written', async () => {
    const cache = await EmbeddingCache.open(dir, 'unwritable');
    // A folder where the file should be: appending fails even for root.
    await mkdir(join(dir, 'unwritable.ndjson'));
    await cache.put(result('h5'));
    await cache.put(result('h6'));
    assert.ok(cache.get('h5', 'a') && cache.get('h6', 'b'));
  });
});
