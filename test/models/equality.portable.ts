/**
 * Portable equality suite: our ONNX models on onnxruntime-web's wasm backend in the page, compared with
 * face-api's reference figures computed in Node by equality.browser.test.ts (served under /fixtures/ together
 * with the decoded pixels, so both sides see identical RGB data whatever the browser's JPEG decoder does).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { chooseBackend, setWasmPaths } from '../../src/runtime/ort.ts';
import { loadBuiltinModels } from '../../src/models/load.ts';
import type { RgbImage } from '../../src/vision/image.ts';
import { checkImage, Figures, MODEL_FILES, type OurModels } from './compare.ts';
import type { ImageReference } from './reference-types.ts';

/** What equality.browser.test.ts writes to /fixtures/reference.json. */
export interface BrowserFixtures {
  images: Array<{ name: string; width: number; height: number; file: string }>;
  references: ImageReference[];
}

interface Setup {
  fixtures: BrowserFixtures;
  images: RgbImage[];
  models: OurModels;
}

let setup: Promise<Setup> | undefined;

/** Loads fixtures and models once (inside a test, not a hook: mocha's hooks time out after 2 s in the page). */
function load(): Promise<Setup> {
  setup ??= (async () => {
    setWasmPaths('/ort/');
    const fixtures = (await (await fetch('/fixtures/reference.json')).json()) as BrowserFixtures;
    const images = await Promise.all(fixtures.images.map(async (im) => ({
      width: im.width,
      height: im.height,
      data: new Uint8Array(await (await fetch(`/fixtures/${im.file}`)).arrayBuffer()),
    })));
    const loaded = await loadBuiltinModels('/build/models/', Object.values(MODEL_FILES), { backend: 'auto' });
    const models = Object.fromEntries(Object.entries(MODEL_FILES).map(([k, file]) => [k, loaded.get(file)!])) as unknown as OurModels;
    return { fixtures, images, models };
  })();
  return setup;
}

describe('converted models equal face-api (Chromium, onnxruntime-web wasm)', () => {
  after(async () => {
    if (!setup) return;
    const { models } = await setup;
    for (const m of Object.values(models)) await m.session.dispose();
  });

  it("'auto' runs on wasm here (no hardware WebGPU adapter), with threads when crossOriginIsolated", async () => {
    const { models } = await load();
    const choice = await chooseBackend('auto');
    assert.equal(choice.backend, 'wasm');
    assert.equal(models.recognition.session.backend, 'wasm');
    const expected = globalThis.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency) : 1;
    assert.equal(models.recognition.session.threads, expected);
  });

  it('matches face-api on every fixture photo', async () => {
    const { models, fixtures, images } = await load();
    assert.ok(fixtures.references.some((r) => r.faces.length > 0), 'the fixtures hold no face');
    const figures = new Figures();
    const problems: string[] = [];
    for (let i = 0; i < images.length; i++) problems.push(...(await checkImage(models, images[i]!, fixtures.references[i]!, figures)));
    // Printed in the page console; FAP_BROWSER_LOG=1 relays it to the Node test output.
    console.log(`[models] Chromium figures:\n${figures.lines().join('\n')}`);
    assert.deepEqual(problems, []);
    assert.ok(figures.count.get('descriptor |Δ|'), 'no descriptor was compared');
  });
});
