/**
 * `<face-attribute-probe>`'s face-model picker (issue 16) in Chromium with fake engines, one per model: switching
 * A → B → A keeps A's faces, clustering and names; B says which photos it has not seen and embeds only those when
 * they are added again; the pick is remembered for the database. Run by model-switch.browser.test.ts.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { EngineRequest } from '../../components/index.ts';
import { chosenModel, rememberModel } from '../../components/model-choice.ts';
import { FakeEngine, photo } from './fake-engine.ts';
import { deepQuery, deepQueryAll, deepText, mount, nextEvent, settled, unmount, until, untilState, type Mounted } from './helpers.ts';

const T = { timeout: 30_000 };
const A = 'face-api-face-recognition';
const B = 'mobilefacenet';

/** 4 photos of each of three groups (a, b, c). */
const groups = (letters = ['a', 'b', 'c']) => letters.flatMap((g) => Array.from({ length: 4 }, (_, i) => photo(`${g}-${i + 1}.jpg`)));

/** A factory that starts a fake engine of the requested model (8-D for A, 12-D for B), keeping each one. */
function perModel() {
  const engines: Array<{ model: string; engine: FakeEngine }> = [];
  const requests: EngineRequest[] = [];
  return {
    engines, requests,
    factory: async (request: EngineRequest) => {
      requests.push(request);
      const engine = new FakeEngine(request.model === B ? 12 : 8, { modelId: request.model });
      engines.push({ model: request.model, engine });
      return engine;
    },
    /** Names of the photos every engine of `model` processed. */
    processed: (model: string) => engines.filter((e) => e.model === model).flatMap((e) => e.engine.calls.flatMap((c) => c.names)),
  };
}

/** Picks `model` in the picker as a person would, and waits until its engine runs. */
async function pick(m: Mounted, model: string): Promise<void> {
  const select = deepQuery<HTMLSelectElement>(m.el, 'select[name="model"]');
  assert.ok(select, 'the picker is shown');
  const ready = nextEvent(m.el, 'probe-ready', (e) => e.detail.modelId === model);
  select.value = model;
  select.dispatchEvent(new Event('change', { bubbles: true }));
  await ready;
}

function clusterNames(m: Mounted): string[] {
  return deepQueryAll<HTMLElement & { cluster: number }>(m.el, 'fap-cluster-gallery')
    .map((g) => g.shadowRoot?.querySelector<HTMLInputElement>('input[name="cluster-name"]')?.value ?? '')
    .filter(Boolean);
}

describe('<face-attribute-probe> face-model picker', () => {
  let m: Mounted | undefined;
  afterEach(async () => {
    await unmount(m);
    m = undefined;
  });

  it('offers the built-in models in plain words', T, async () => {
    const engines = perModel();
    m = await mount({ factory: engines.factory });
    await settled(m.el);
    const options = deepQueryAll<HTMLOptionElement>(m.el, 'select[name="model"] option');
    assert.deepEqual(options.map((o) => o.value), [A, B]);
    assert.deepEqual(options.map((o) => o.textContent?.trim()), ['dlib ResNet-34 (2017, 128 numbers per face)', 'MobileFaceNet (192 numbers per face)']);
    assert.equal(deepQuery<HTMLSelectElement>(m.el, 'select[name="model"]')?.value, A);
    assert.equal(engines.requests[0]?.model, A, 'the default model is asked for');
  });

  it('switches A → B → A: A\'s faces, clustering and names are all there again; B embeds only the photos it lacks', T, async () => {
    const engines = perModel();
    m = await mount({ factory: engines.factory, attributes: { k: '3' } });
    await m.el.addFiles(groups());
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const gallery = deepQueryAll<HTMLElement & { cluster: number; faces: string[] }>(m.el, 'fap-cluster-gallery')[0];
    assert.ok(gallery);
    const named = nextEvent(m.el, 'probe-named');
    const input = gallery.shadowRoot!.querySelector<HTMLInputElement>('input[name="cluster-name"]')!;
    input.value = 'alpha';
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await named;
    const aFaces = [...gallery.faces].sort();
    await settled(m.el);
    assert.match(deepText(m.el), /12 photos and 12 faces kept/);
    assert.equal(deepQuery(m.el, 'button[name="compare-models"]'), null, 'one model: nothing to compare');

    await pick(m, B);
    await until(() => /12 photos added before have faces for another face model only/.test(deepText(m!.el)), [m.el]);
    assert.match(deepText(m.el), /add them again to see their faces with MobileFaceNet/);
    assert.equal(m.el.state, 'ready', 'B has no faces yet: no clustering shown');
    assert.match(deepText(m.el), /dlib ResNet-34 \(2017, 128 numbers per face\) · 12 faces kept/);
    // Two photos added again go through B; adding all twelve then embeds only the other ten.
    await m.el.addFiles([photo('a-1.jpg'), photo('b-1.jpg')]);
    await settled(m.el);
    assert.match(deepText(m.el), /10 photos added before have faces/);
    const all = await m.el.addFiles(groups());
    assert.equal(all?.duplicates, 2);
    assert.deepEqual(engines.processed(B).sort(), groups().map((f) => f.name).sort(), 'each photo went through B once');
    assert.equal(engines.engines.at(-1)?.engine.info.dimension, 12);
    await settled(m.el);
    assert.doesNotMatch(deepText(m.el), /added before have faces/);

    const processedByA = engines.processed(A).length;
    await pick(m, A);
    await untilState(m.el, 'named');
    await settled(m.el);
    assert.deepEqual(clusterNames(m), ['alpha'], 'the name given with A is back');
    const back = deepQueryAll<HTMLElement & { faces: string[] }>(m.el, 'fap-cluster-gallery').flatMap((g) => g.faces);
    assert.ok(aFaces.every((id) => back.includes(id)), 'A\'s faces are the ones shown');
    assert.ok(back.every((id) => id.includes(`:${A}:`)));
    assert.match(deepText(m.el), /12 photos and 12 faces kept/);
    assert.equal(engines.processed(A).length, processedByA, 'switching back embeds nothing');

    // Both models side by side on the twelve photos both have seen.
    const compare = deepQuery<HTMLButtonElement>(m.el, 'button[name="compare-models"]');
    assert.ok(compare, 'the comparison is offered once two models have faces');
    compare.click();
    await until(() => /12 photos seen by every model/.test(deepText(m!.el)), [m.el]);
    const heads = deepQueryAll(m.el, 'table.comparison thead th').map((th) => th.textContent?.replace(/\s+/g, ' ').trim());
    assert.deepEqual(heads, ['rank', 'dlib ResNet-34 (12 faces, 3 people)', 'MobileFaceNet (12 faces, 3 people)']);
    assert.match(deepText(m.el), /Across people \(one point per person\).*Within people/);
    assert.equal(m.el.state, 'named', 'comparing leaves the shown model as it was');

    // A new element on the same database asks for the model picked last.
    const database = m.database;
    m.el.remove();
    const again = perModel();
    m = await mount({ factory: again.factory, database });
    assert.equal(again.requests[0]?.model, A);
    await untilState(m.el, 'named');
  });

  it('remembers a pick of B for the database, and the model attribute overrides it', T, async () => {
    const engines = perModel();
    m = await mount({ factory: engines.factory });
    await pick(m, B);
    const database = m.database;
    m.el.remove();
    const again = perModel();
    m = await mount({ factory: again.factory, database });
    assert.equal(again.requests[0]?.model, B);
    m.el.remove();
    const forced = perModel();
    m = await mount({ factory: forced.factory, database, attributes: { model: A } });
    assert.equal(forced.requests[0]?.model, A);
  });

  it('keeps using the faces of a model kept from before a change of the default model', T, async () => {
    const engines = perModel();
    m = await mount({ factory: engines.factory });
    await pick(m, B);
    await m.el.addFiles(groups());
    await untilState(m.el, 'clustered');
    const database = m.database;
    m.el.remove();
    // A person who never picked: their faces came from what was the default then (B here).
    rememberModel(database, undefined);
    const again = perModel();
    m = await mount({ factory: again.factory, database });
    assert.equal(again.requests[0]?.model, A, 'the engine starts with the default');
    await until(() => m!.el.engineDetails?.modelId === B, [m.el]);
    assert.deepEqual(again.requests.map((r) => r.model), [A, B], 'then with the model of the kept faces');
    await untilState(m.el, 'clustered');
    await settled(m.el);
    assert.equal(deepQuery<HTMLSelectElement>(m.el, 'select[name="model"]')?.value, B);
    assert.match(deepText(m.el), /12 photos and 12 faces kept/);
    assert.equal(chosenModel(database), B, 'and remembers it');
    await m.el.addFiles([photo('d-1.jpg')]);
    assert.deepEqual(again.processed(A), [], 'nothing is embedded with the new default');
    assert.deepEqual(again.processed(B), ['d-1.jpg']);

    // A page that asks for A by its attribute is shown A's faces (none yet), and told what to do.
    m.el.remove();
    const asked = perModel();
    m = await mount({ factory: asked.factory, database, attributes: { model: A } });
    assert.deepEqual(asked.requests.map((r) => r.model), [A]);
    await until(() => /13 photos added before have faces for another face model only/.test(deepText(m!.el)), [m.el]);
    assert.equal(m.el.state, 'ready');
  });

  it('refuses an unknown model with a clear message and uses the default', T, async () => {
    const engines = perModel();
    const failure = new Promise<string>((ok) => document.addEventListener('probe-error', (e) => ok((e as CustomEvent<{ message: string }>).detail.message), { once: true }));
    m = await mount({ factory: engines.factory, attributes: { model: 'arcface-r100' } });
    assert.match(await failure, /model is "arcface-r100"; expected one of face-api-face-recognition, mobilefacenet/);
    assert.equal(engines.requests.at(-1)?.model, A);
  });
});
