// Reading an image file for the CLI: junk and oversized files are refused from their first bytes and their
// size, before the whole file is read (issue 13, item 7). Large files are sparse, so they cost no disk.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DecodeError } from '../../src/errors.ts';
import { MAX_IMAGE_FILE_BYTES, readImageFile } from '../../src/cli/read-image-file.ts';
import { datasetOrSkip } from '../helpers/datasets.ts';

const GIB = 1024 ** 3;
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fap-read-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const MIB = 1024 ** 2;
const reader = pathToFileURL(join(import.meta.dirname, '../../src/cli/read-image-file.ts')).href;

/**
 * Reads `path` in a fresh Node process and returns why it was refused and that process's peak resident memory
 * (a fresh process, so one test's peak cannot hide another's; reading 1 GiB into memory peaks above 1 GiB).
 */
function readInFreshProcess(path: string): { reason: string; peakBytes: number } {
  const script = `const { readImageFile } = await import(${JSON.stringify(reader)});
const reason = await readImageFile(${JSON.stringify(path)}).then(() => 'read', (e) => e.details?.reason ?? String(e));
console.log(JSON.stringify({ reason, peakBytes: process.resourceUsage().maxRSS * 1024 }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { reason: string; peakBytes: number };
}

async function refusal(path: string): Promise<DecodeError> {
  try {
    await readImageFile(path);
  } catch (error: unknown) {
    assert.ok(error instanceof DecodeError, `a DecodeError, got ${String(error)}`);
    return error;
  }
  assert.fail(`${path} was read`);
}

describe('readImageFile', () => {
  it('refuses a 1 GiB junk file named .jpg from its first bytes, without reading it whole', async () => {
    const junk = join(dir, 'junk.jpg');
    await writeFile(junk, '');
    await truncate(junk, GIB);
    const { reason, peakBytes } = readInFreshProcess(junk);
    assert.equal(reason, 'not-an-image');
    assert.ok(peakBytes < 256 * MIB, `peak memory ${(peakBytes / MIB).toFixed(0)} MiB`);
    const error = await refusal(junk);
    assert.equal(error.details?.reason, 'not-an-image');
    assert.match(error.message, /junk\.jpg: the file is not a recognised image/);
  });

  it('refuses a file with a JPEG signature above the size limit, naming the size and the limit', async () => {
    const huge = join(dir, 'huge.jpg');
    await writeFile(huge, Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
    await truncate(huge, GIB);
    const { reason, peakBytes } = readInFreshProcess(huge);
    assert.equal(reason, 'too-large');
    assert.ok(peakBytes < 256 * MIB, `peak memory ${(peakBytes / MIB).toFixed(0)} MiB`);
    const error = await refusal(huge);
    assert.equal(error.details?.reason, 'too-large');
    assert.match(error.message, new RegExp(`huge\\.jpg: the file is 1024 MiB; files up to ${MAX_IMAGE_FILE_BYTES / MIB} MiB are read`));
  });

  it('names an empty file and a text file as the decoder does', async () => {
    const empty = join(dir, 'empty.png');
    await writeFile(empty, '');
    assert.equal((await refusal(empty)).details?.reason, 'empty');
    const notes = join(dir, 'notes.jpg');
    await writeFile(notes, 'a text file with an image name\n');
    assert.equal((await refusal(notes)).details?.reason, 'not-an-image');
  });

  it('names a missing file as unreadable', async () => {
    const error = await refusal(join(dir, 'gone.jpg'));
    assert.equal(error.details?.reason, 'unreadable');
    assert.match(error.message, /gone\.jpg: cannot read the file/);
  });

  it('returns every byte of a real photo', async (t) => {
    const smoke = datasetOrSkip(t, 'smoke');
    if (!smoke) return;
    const photo = join(smoke, 'images', 'lfw_Alejandro_Toledo_0004.jpg');
    assert.deepEqual(Buffer.from(await readImageFile(photo)), await readFile(photo));
  });
});
