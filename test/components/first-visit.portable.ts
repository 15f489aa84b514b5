/**
 * `<face-attribute-probe>`'s first visit in real Chromium, with an injected engine factory that reports a download
 * and starts when the test lets it: while the engine starts, the top of the element says what is downloading, in
 * MB so far of the total, with a bar; once it runs, the engine's details are folded into a footer and the top no
 * longer speaks of the engine. Run by photo-and-counts.browser.test.ts.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { EngineRequest } from '../../components/index.ts';
import { FakeEngine } from './fake-engine.ts';
import { deepQuery, deepText, mount, nextEvent, settled, unmount, type Mounted } from './helpers.ts';

describe('a first visit', () => {
  let m: Mounted | undefined;
  afterEach(async () => {
    await unmount(m);
    m = undefined;
  });

  it('shows MB downloaded of the total with a bar while the engine starts, then folds the engine\'s details into the footer', { timeout: 30_000 }, async () => {
    const engine = new FakeEngine(8, { backend: 'wasm', backendReason: 'no WebGPU adapter', modelId: 'face-api-face-recognition' });
    let request: EngineRequest | undefined;
    let start: (() => void) | undefined;
    const started = new Promise<void>((ok) => { start = ok; });
    m = await mount({
      engine,
      waitForEngine: false,
      factory: async (r) => {
        request = r;
        await started;
        return engine;
      },
    });
    const el = m.el;
    await settled(el);
    assert.ok(request?.onDownload, 'the element asks to hear the download');
    assert.match(deepText(deepQuery(el, 'header') as HTMLElement), /Getting the face engine ready/);
    request.onDownload({ loaded: 12_345_678, total: 31_000_000 });
    await settled(el);
    const header = deepQuery(el, 'header') as HTMLElement;
    assert.match(deepText(header), /Downloading the face models and the runtime: 12\.3 MB of 31\.0 MB/);
    const bar = deepQuery<HTMLProgressElement>(el, 'header progress');
    assert.ok(bar, 'a progress bar');
    assert.equal(bar.max, 31_000_000);
    assert.equal(bar.value, 12_345_678);
    request.onDownload({ loaded: 31_000_000, total: 31_000_000 });
    await settled(el);
    assert.match(deepText(deepQuery(el, 'header') as HTMLElement), /Starting the face engine/, 'downloaded: the engine is being started');

    const ready = nextEvent(el, 'probe-ready');
    start?.();
    await ready;
    await settled(el);
    assert.equal(deepQuery(el, 'header'), null, 'nothing about the engine at the top once it runs');
    const top = deepText(el.shadowRoot as unknown as Element).split('Kept on this device')[0] ?? '';
    assert.doesNotMatch(top, /wasm|WebGPU|face-api-face-recognition|Backend/, 'the first screen does not speak of the engine');
    const details = deepQuery<HTMLDetailsElement>(el, 'footer details');
    assert.ok(details, 'the engine\'s details are in the footer');
    assert.equal(details.open, false, 'folded');
    assert.match(deepText(details), /Engine: wasm.*wasm \(no WebGPU adapter; .*face-api-face-recognition\)/);
    assert.ok(details.querySelector('select[name="backend"]'), 'the backend choice is there too');
  });
});
