/**
 * `<face-attribute-probe>` in real Chromium with an injected fake engine (fake-engine.ts) and real IndexedDB,
 * the real analysis library and the WebAssembly kernel: every state renders (empty, working, cancelled,
 * error, clustered, named, probing), the events fire with the right details, and what was done survives a
 * new element on the same database. Run by face-attribute-probe.browser.test.ts.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { FaceStore, ModelLoadError } from '../../src/index.ts';
import type { FaceAttributeProbe } from '../../components/index.ts';
import { FakeEngine, LaterAttributesEngine, photo } from './fake-engine.ts';
import { deepQuery, deepQueryAll, deepText, mount, nextEvent, settled, unmount, until, untilState, type Mounted } from './helpers.ts';

const T = { timeout: 30_000 };

/** 4 photos of each of three groups (a, b, c): one face each. */
function groups(n = 4, letters = ['a', 'b', 'c']): File[] {
  return letters.flatMap((g) => Array.from({ length: n }, (_, i) => photo(`${g}-${i + 1}.jpg`)));
}

/** The cluster index whose gallery holds the faces of group `letter`. */
function clusterOf(m: Mounted, letter: string): number {
  const galleries = deepQueryAll<HTMLElement & { faces: string[]; cluster: number }>(m.el, 'fap-cluster-gallery');
  const found = galleries.find((g) => g.faces.length > 0 && g.faces.every((id) => m.engine.groupOf(id) === letter));
  assert.ok(found, `a cluster holds exactly group ${letter}`);
  return found.cluster;
}

/** Types a name into a cluster's name field and presses Enter, as a user would. */
function typeName(el: FaceAttributeProbe, cluster: number, name: string): void {
  const gallery = deepQueryAll<HTMLElement & { cluster: number }>(el, 'fap-cluster-gallery').find((g) => g.cluster === cluster);
  assert.ok(gallery?.shadowRoot, `cluster ${cluster} has a gallery`);
  const input = gallery.shadowRoot.querySelector<HTMLInputElement>('input[name="cluster-name"]');
  assert.ok(input);
  input.value = name;
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
}

/** Three groups of `perGroup` photos clustered with k = 3, the clusters of a and b named alpha and beta. */
async function namedAlphaBeta(perGroup: number): Promise<Mounted> {
  const mounted = await mount({ attributes: { k: '3' } });
  await mounted.el.addFiles(groups(perGroup));
  await untilState(mounted.el, 'clustered');
  await settled(mounted.el);
  const named = nextEvent(mounted.el, 'probe-named', (e) => e.detail.groups.length === 2);
  typeName(mounted.el, clusterOf(mounted, 'a'), 'alpha');
  typeName(mounted.el, clusterOf(mounted, 'b'), 'beta');
  await named;
  return mounted;
}

describe('<face-attribute-probe> with a fake engine', () => {
  let m: Mounted | undefined;
  afterEach(async () => {
    await unmount(m);
    m = undefined;
  });

  it('renders the empty state and reports the engine and storage', T, async () => {
    const el = document.createElement('face-attribute-probe');
    const engine = new FakeEngine();
    const database = `fap-component-empty-${Date.now()}`;
    el.database = database;
    el.engineFactory = async () => engine;
    const ready = nextEvent(el, 'probe-ready');
    const storage = nextEvent(el, 'probe-storage');
    document.body.append(el);
    m = { el, engine, requests: [], database };
    const [readyEvent, storageEvent] = await Promise.all([ready, storage]);
    assert.deepEqual(readyEvent.detail, { backend: 'fake', backendReason: 'injected by the test', modelId: 'fake-model', dimension: 8, detector: 'fake-detector' });
    assert.ok(readyEvent.bubbles && readyEvent.composed, 'events bubble and cross shadow roots');
    assert.equal(storageEvent.detail.photos, 0);
    assert.equal(storageEvent.detail.faces, 0);
    await untilState(el, 'empty');
    await settled(el);
    assert.match(deepText(el), /No photos yet/);
    assert.match(deepText(el), /Engine: fake/);
    assert.ok(deepQuery(el, 'input[type="file"][name="photos"]'), 'a file input for photos');
    assert.ok(deepQuery(el, 'button[name="erase"]'), 'Erase all is offered');
  });

  it('passes absolute URLs and the backend to the engine factory, and restarts it when the backend is forced', T, async () => {
    m = await mount({ attributes: { 'models-url': 'm/', 'ort-url': '/o', 'worker-url': 'w.js', backend: 'auto' } });
    const [first] = m.requests;
    assert.equal(first?.modelsBaseUrl, new URL('m/', document.baseURI).href);
    assert.equal(first?.ortWasmBaseUrl, `${location.origin}/o/`);
    assert.equal(first?.workerUrl, new URL('w.js', document.baseURI).href);
    assert.equal(first?.backend, 'auto');
    assert.equal(first?.attributes, true);
    const ready = nextEvent(m.el, 'probe-ready');
    const select = deepQuery<HTMLSelectElement>(m.el, 'select[name="backend"]');
    assert.ok(select);
    select.value = 'wasm';
    select.dispatchEvent(new Event('change'));
    await ready;
    assert.equal(m.requests.at(-1)?.backend, 'wasm');
    assert.equal(m.el.backend, 'wasm');
    assert.equal(m.engine.disposed, true, 'the previous engine was disposed');
  });

  it('shows and dispatches an engine that fails to start, and starts it again on request', T, async () => {
    const failure = nextEvent(document, 'probe-error');
    const engine = new FakeEngine();
    let calls = 0;
    m = await mount({
      engine,
      factory: async () => {
        calls++;
        if (calls === 1) throw new ModelLoadError('could not read models/index.json: HTTP 404', { details: { url: 'models/index.json' } });
        return engine;
      },
      waitForEngine: false,
    });
    const event = await failure;
    assert.deepEqual(event.detail, { during: 'engine', name: 'ModelLoadError', code: 'model-load', reason: undefined, message: 'could not read models/index.json: HTTP 404' });
    await untilState(m.el, 'error');
    await settled(m.el);
    const alert = deepQuery(m.el, '[role="alert"]');
    assert.match(alert?.textContent ?? '', /ModelLoadError.*model-load.*HTTP 404/s);
    assert.match(deepText(m.el), /Engine: not running/);
    const ready = nextEvent(m.el, 'probe-ready');
    deepQuery<HTMLButtonElement>(m.el, 'button[name="restart"]')?.click();
    assert.equal((await ready).detail.backend, 'fake');
    assert.equal(calls, 2);
    await untilState(m.el, 'empty');
  });

  it('rejects a bad backend or k with a probe-error instead of throwing', T, async () => {
    m = await mount();
    const bad = nextEvent(m.el, 'probe-error');
    m.el.setAttribute('k', 'seven');
    assert.equal((await bad).detail.during, 'configuration');
    assert.match((await bad).detail.message, /k is NaN; expected 'auto' or an integer/);
    await m.el.updateComplete;
    assert.equal(m.el.k, 'auto');
    const badBackend = nextEvent(m.el, 'probe-error');
    m.el.backend = 'cuda' as never;
    assert.match((await badBackend).detail.message, /backend is "cuda"; expected one of auto, wasm, webgpu/);
  });

  it('shows progress while working, cancels mid-batch, and keeps what finished', T, async () => {
    m = await mount();
    m.engine.pause();
    const files = groups(2);
    const progress = nextEvent(m.el, 'probe-progress');
    const finished = nextEvent(m.el, 'probe-faces');
    void m.el.addFiles(files);
    await untilState(m.el, 'working');
    await settled(m.el);
    const bar = deepQuery<HTMLProgressElement>(m.el, 'progress');
    assert.ok(bar, 'a progress bar');
    assert.equal(bar.max, files.length);
    m.engine.allow(1);
    // Faces count once kept, with their chunk of photos: none is kept yet.
    assert.deepEqual((await progress).detail, { done: 1, total: 6, faces: 0, failed: 0, name: 'a-1.jpg' });
    await until(() => /1 of 6 photos/.test(deepText(m!.el)), [m.el.shadowRoot as ShadowRoot, deepQuery(m.el, 'fap-progress')?.shadowRoot as ShadowRoot]);
    const cancel = [...deepQueryAll<HTMLButtonElement>(m.el, 'fap-progress >> button')].find((b) => b.textContent === 'Cancel');
    assert.ok(cancel, 'a Cancel button');
    cancel.click();
    m.engine.resume();
    const detail = (await finished).detail;
    assert.equal(detail.cancelled, true);
    assert.equal(detail.processed, 2);
    // The first photo, and the second, which was in flight when Cancel was pressed.
    assert.equal(detail.photos, 2);
    assert.equal(detail.faces, 2);
    assert.equal(m.engine.calls.length, 1);
    await untilState(m.el, 'cancelled');
    await settled(m.el);
    assert.match(deepText(m.el), /Cancelled after 2 of 6 photos; the finished ones were kept/);
    assert.match(deepText(m.el), /2 photos and 2 faces kept/);
  });

  it('lists failures per file and goes on with the rest', T, async () => {
    m = await mount();
    const finished = nextEvent(m.el, 'probe-faces');
    await m.el.addFiles([photo('a-1.jpg'), photo('bad-1.jpg'), photo('b-1.jpg')]);
    const detail = (await finished).detail;
    assert.deepEqual(detail.failures, [{ name: 'bad-1.jpg', code: 'decode', message: 'bad-1.jpg is not a JPEG, PNG or WebP image' }]);
    assert.equal(detail.photos, 3, 'the failed photo is stored with its reason too');
    assert.equal(detail.faces, 2);
    await settled(m.el);
    assert.match(deepText(m.el), /1 photo could not be used.*bad-1\.jpg: bad-1\.jpg is not a JPEG, PNG or WebP image \(decode\)/);
    assert.equal(m.el.state, 'ready', 'two faces: too few to cluster');
    assert.match(deepText(m.el), /Clustering needs at least 3 faces/);
  });

  it('keeps the chunks stored before a failing one, and reports the failure', T, async () => {
    m = await mount();
    m.engine.failOnCall = 2;
    const failure = nextEvent(m.el, 'probe-error');
    const files = Array.from({ length: 30 }, (_, i) => photo(`${'abc'[i % 3]}-${i}.jpg`));
    await m.el.addFiles(files);
    const detail = (await failure).detail;
    assert.equal(detail.during, 'ingest');
    assert.equal(detail.code, 'inference');
    assert.equal(m.engine.calls[0]?.names.length, 24, 'photos go to the engine in chunks of 24');
    await untilState(m.el, 'error');
    await settled(m.el);
    assert.match(deepText(m.el), /24 photos and 24 faces kept/);
    assert.match(deepText(m.el), /3 people seen more than once/, 'the stored faces were grouped');
  });

  it('groups people, clusters with k chosen by silhouette, and draws galleries, curve and scatter', T, async () => {
    m = await mount();
    const people = nextEvent(m.el, 'probe-people');
    const clusters = nextEvent(m.el, 'probe-clusters');
    const faces = nextEvent(m.el, 'probe-faces');
    await m.el.addFiles([...groups(4), photo('a-1.jpg')]);
    assert.deepEqual((await faces).detail, { processed: 13, photos: 12, faces: 12, duplicates: 1, failures: [], cancelled: false, totalFaces: 12 });
    assert.deepEqual((await people).detail, { people: 3, alone: 0, sizes: [4, 4, 4] });
    const c = (await clusters).detail;
    assert.equal(c.k, 3);
    assert.equal(c.auto, true);
    assert.equal(c.scope, 'all');
    assert.equal(c.reason, 'clustered');
    assert.deepEqual([...c.sizes].sort(), [4, 4, 4]);
    assert.ok(c.silhouette !== null && c.silhouette > 0.5, `well separated: silhouette ${c.silhouette}`);
    assert.deepEqual(c.curve.map((p) => p.k), [2, 3, 4, 5, 6, 7, 8]);
    assert.equal(Math.max(...c.curve.map((p) => p.silhouette)), c.curve.find((p) => p.k === 3)?.silhouette);
    await untilState(m.el, 'clustered');
    await settled(m.el);
    assert.equal(deepQueryAll(m.el, 'fap-cluster-gallery').length, 3);
    for (const letter of ['a', 'b', 'c']) clusterOf(m, letter);
    assert.equal(deepQueryAll(m.el, 'fap-pca-scatter >> .point').length, 12);
    assert.equal(deepQueryAll(m.el, 'fap-silhouette-curve >> circle').length, 7);
    assert.match(deepQuery(m.el, 'fap-silhouette-curve >> .axes')?.textContent ?? '', /silhouette.*number of clusters \(k\)/s, 'the curve has axis titles in words');
    assert.equal(deepQueryAll(m.el, 'fap-cluster-gallery >> img.thumb').length, 12);
    assert.equal(deepQueryAll(m.el, 'fap-people >> button.person').length, 4, 'Everyone and three people');
    assert.equal(m.engine.calls[0]?.options.thumbnails, true);
  });

  it('steps through the scatter plot with the keyboard', T, async () => {
    m = await mount();
    await m.el.addFiles(groups(2));
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const plot = deepQuery(m.el, 'fap-pca-scatter >> .plot');
    assert.ok(plot);
    assert.equal(plot.tabIndex, 0, 'the plot takes focus');
    plot.focus();
    plot.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true }));
    await settled(m.el);
    assert.match(deepText(m.el), /[abc]-\d\.jpg: cluster \d/, 'the face is announced by its photo name');
    assert.equal(deepQueryAll(m.el, 'fap-pca-scatter >> .point.active').length, 1);
    assert.ok(deepQuery(m.el, 'fap-pca-scatter >> .tip image'), 'the face is shown');
    plot.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await settled(m.el);
    const dialog = deepQuery<HTMLDialogElement>(m.el, 'fap-face-view >> dialog');
    assert.ok(dialog?.open, 'Enter opens the face');
    assert.match(dialog.textContent ?? '', /[abc]-\d\.jpg/);
  });

  it('opens a face from a gallery with its photo name, and shows the faces seen once', T, async () => {
    m = await mount();
    await m.el.addFiles([...groups(2), photo('d-1.jpg')]);
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const thumbs = deepQueryAll<HTMLButtonElement>(m.el, 'fap-cluster-gallery >> button.face');
    assert.ok(thumbs.length >= 6, 'every face is a button');
    assert.match(thumbs[0]!.getAttribute('aria-label') ?? '', /^[abcd]-\d\.jpg, face 1 of cluster \d$/i, 'labelled by its photo name');
    thumbs[0]!.click();
    await settled(m.el);
    const dialog = deepQuery<HTMLDialogElement>(m.el, 'fap-face-view >> dialog');
    assert.ok(dialog?.open);
    assert.match(dialog.textContent ?? '', /found by the face detector/);
    deepQuery<HTMLButtonElement>(m.el, 'fap-face-view >> button[name="close"]')!.click();
    await settled(m.el);
    assert.equal(dialog.open, false);
    const alone = deepQuery<HTMLButtonElement>(m.el, 'fap-people >> button[name="alone"]');
    assert.ok(alone, 'a tile for the faces seen once');
    assert.match(alone.textContent ?? '', /Seen once · 1/);
    alone.click();
    await settled(m.el);
    assert.equal(deepQueryAll(m.el, 'fap-people >> ul.alone button.face').length, 1);
  });

  it('renames a person, and the name stays when more of their photos are added', T, async () => {
    m = await mount();
    await m.el.addFiles(groups(3));
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const tiles = () => deepQueryAll<HTMLButtonElement>(m!.el, 'fap-people >> button.person');
    const rename = deepQueryAll<HTMLButtonElement>(m.el, 'fap-people >> button[name="rename"]')[0];
    assert.ok(rename, 'each person has a Rename button');
    rename.click();
    await settled(m.el);
    const input = deepQuery<HTMLInputElement>(m.el, 'fap-people >> input[name="person-name"]');
    assert.ok(input, 'Rename opens a name field');
    const renamed = nextEvent(m.el, 'probe-people');
    input.value = 'Ada';
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await renamed;
    await settled(m.el);
    const ada = tiles().find((b) => /Ada · 3/.test(b.textContent ?? ''));
    assert.ok(ada, 'the tile shows the new name');
    await m.el.addFiles([photo('a-7.jpg'), photo('b-7.jpg'), photo('c-7.jpg')]);
    await settled(m.el);
    assert.ok(tiles().some((b) => /Ada · 4/.test(b.textContent ?? '')), 'Ada keeps her name with a fourth photo');
  });

  it('shows what the embedding separates, with strips of faces, after photos are added', T, async () => {
    m = await mount();
    await m.el.addFiles(groups(4));
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const section = deepQuery(m.el, '[part="discovery"]');
    assert.ok(section, 'the section is shown');
    assert.match(section.textContent ?? '', /What the embedding separates/);
    assert.match(section.textContent ?? '', /Within people/);
    assert.ok(deepQueryAll(m.el, '[part="discovery"] li.split').length >= 1, 'at least one split is listed');
    assert.ok(deepQueryAll(m.el, '[part="discovery"] li.split button.face').length >= 2, 'its strips are faces a person can open');
    assert.equal(m.engine.calls[0]?.options.attributes, true, 'the heads run while adding photos, to describe splits');
  });

  it('draws the clusters before age, gender and expression are read, then stores them and describes splits with them', T, async () => {
    const engine = new LaterAttributesEngine();
    m = await mount({ engine });
    for (const type of ['probe-clusters', 'probe-faces'] as const) m.el.addEventListener(type, () => engine.events.push(type));
    const files = groups(4);
    engine.hold();
    const clustered = nextEvent(m.el, 'probe-clusters');
    const adding = m.el.addFiles(files);
    await clustered;
    // The engine's call changes no DOM: wait for it by polling.
    for (let i = 0; i < 500 && engine.attributeCalls.length === 0; i++) await new Promise((ok) => setTimeout(ok, 10));
    assert.equal(engine.attributeCalls.length, 1, 'the heads were asked for once the clusters were shown');
    await settled(m.el);
    assert.ok(deepQueryAll(m.el, 'fap-cluster-gallery').length >= 2, 'the clusters are drawn');
    assert.match(deepText(deepQuery(m.el, '[part="progress"]')!), /Reading age, gender and expression/);
    assert.match(deepText(deepQuery(m.el, '[part="discovery"]')!), /Looked for once age, gender and expression are read/);
    engine.letGo();
    await adding;
    await settled(m.el);
    assert.ok(engine.calls.every((c) => !c.options.attributes), 'the heads do not run while faces are found');
    assert.equal(engine.attributeCalls.length, 1);
    assert.deepEqual(engine.attributeCalls[0]!.names.sort(), files.map((f) => f.name).sort(), 'every added photo, once');
    assert.deepEqual(engine.attributeCalls[0]!.eventsBefore, ['probe-faces', 'probe-clusters'], 'after the clusters were shown');
    const store = await FaceStore.open(m.database);
    try {
      const faces = await store.listFaces();
      assert.equal(faces.length, files.length);
      assert.ok(faces.every((f) => f.attributes?.gender === 'male' && f.attributes.age === 20 + (engine.names.get(f.photoHash)?.length ?? 0)), 'stored with each face');
    } finally {
      store.close();
    }
    assert.ok(deepQueryAll(m.el, '[part="discovery"] li.split').length >= 1, 'what the embedding separates is shown after them');
  });

  it('keeps the photos and the clusters when Cancel comes while age, gender and expression are read, and reads the rest with the next photos', T, async () => {
    const engine = new LaterAttributesEngine();
    m = await mount({ engine });
    engine.hold();
    const clustered = nextEvent(m.el, 'probe-clusters');
    const adding = m.el.addFiles(groups(4));
    await clustered;
    for (let i = 0; i < 500 && engine.attributeCalls.length === 0; i++) await new Promise((ok) => setTimeout(ok, 10));
    await settled(m.el);
    const cancel = [...deepQueryAll<HTMLButtonElement>(m.el, 'fap-progress >> button')].find((b) => b.textContent === 'Cancel');
    assert.ok(cancel, 'a Cancel button while the heads run');
    cancel.click();
    engine.letGo();
    await adding;
    await settled(m.el);
    assert.match(deepText(m.el), /Cancelled while reading age, gender and expression; the photos and the clustering were kept/);
    assert.ok(deepQueryAll(m.el, 'fap-cluster-gallery').length >= 2, 'the clusters stay');
    const store = await FaceStore.open(m.database);
    const stored = async (): Promise<number> => (await store.listFaces()).filter((f) => f.attributes).length;
    try {
      const before = await stored();
      assert.ok(before < 12, `the cancelled pass stopped early (${before} of 12 faces have attributes)`);
      await m.el.addFiles([photo('d-1.jpg')]);
      await settled(m.el);
      assert.equal(await stored(), 13, 'the next photos bring the rest with them');
    } finally {
      store.close();
    }
  });

  it('shows a chosen split in full: its sides, its view\'s scatter coloured by side, person or head, and the numbers that carry it in words', T, async () => {
    m = await mount();
    await m.el.addFiles(groups(4));
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const show = deepQuery<HTMLButtonElement>(m.el, '[part="discovery"] li.split button[name="show-split"]');
    assert.ok(show, 'a split can be chosen');
    assert.equal(show.getAttribute('aria-expanded'), 'false');
    show.click();
    await settled(m.el);
    const detail = deepQuery(m.el, '[part="discovery"] [part="split-detail"]');
    assert.ok(detail, 'its detail is shown');
    assert.equal(show.getAttribute('aria-expanded'), 'true');
    const sides = deepQueryAll(m.el, '[part="split-detail"] .side');
    assert.equal(sides.length, 2);
    const shown = deepQueryAll(m.el, '[part="split-detail"] .side button.face').length;
    assert.ok(shown >= 8, `every face of the view is on one side (${shown} shown)`);
    const select = deepQuery<HTMLSelectElement>(m.el, '[part="split-detail"] select[name="colour-by"]')!;
    const options = [...select.options].map((o) => o.value);
    for (const key of ['side', 'person', 'male', 'smiling']) assert.ok(options.includes(key), `coloured by ${key} (${options.join(', ')})`);
    const legend = () => deepQueryAll(m!.el, '[part="split-detail"] fap-pca-scatter >> ul.legend li').map((li) => li.textContent?.trim());
    assert.deepEqual(legend(), ['one side', 'other side']);
    select.value = 'person';
    select.dispatchEvent(new Event('change'));
    await settled(m.el);
    assert.equal(legend().length, 3, 'one colour per person');
    const chart = deepQuery(m.el, '[part="split-detail"] fap-fisher-chart') as HTMLElement;
    const text = deepText(chart);
    assert.match(text, /How strongly each of the 8 numbers of the embedding separates the two sides/);
    const labels = deepQueryAll(m.el, '[part="split-detail"] fap-fisher-chart >> svg text').map((t) => t.textContent ?? '').filter((t) => /number/.test(t));
    assert.ok(labels.length > 0);
    for (const label of labels) assert.match(label, /^number \d+ of 8 · /, `"${label}" says more than its index`);
    assert.doesNotMatch(text, /\bdim \d/);
    const curve = deepQuery(m.el, '[part="split-detail"] fap-split-half-curve') as HTMLElement;
    assert.ok(curve, 'the split-half curve is shown');
    assert.match(deepText(curve), /how many of the strongest numbers are kept/);
    assert.equal(deepQueryAll(m.el, '[part="split-detail"] fap-split-half-curve >> polyline').length, 2);
  });

  it('leads with the within-people splits when there are too few people to tell any split across people from chance', T, async () => {
    m = await mount();
    await m.el.addFiles(groups(4, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']));
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const headings = deepQueryAll(m.el, '[part="discovery"] h3').map((h) => h.textContent?.trim());
    assert.equal(headings[0], 'Within people', `within people first (${headings.join(', ')})`);
    const folded = deepQuery<HTMLDetailsElement>(m.el, '[part="discovery"] details.too-few');
    assert.ok(folded, 'the across-people view is folded away');
    assert.equal(folded.open, false);
    assert.match((folded.querySelector('summary')?.textContent ?? '').replace(/\s+/g, ' '), /8 people: too few to tell any split across people from chance \(it takes 13 or more\)/);
  });

  it('finds what the embedding separates in its own worker, off the page\'s thread', T, async () => {
    const started: string[] = [];
    const Original = globalThis.Worker;
    globalThis.Worker = class extends Original {
      constructor(url: string | URL, options?: WorkerOptions) {
        started.push(String(url));
        super(url, options);
      }
    };
    try {
      m = await mount();
      await m.el.addFiles(groups(4));
      await untilState(m.el, 'clustered');
      await settled(m.el);
    } finally {
      globalThis.Worker = Original;
    }
    assert.ok(started.some((u) => /\/face-probe-discovery-worker\.js$/.test(u)), `the discovery worker was started (workers: ${started.join(', ')})`);
    assert.ok(deepQueryAll(m.el, '[part="discovery"] li.split').length >= 1, 'its splits are shown');
  });

  it('cancels discovery from its own section, keeping the photos', T, async () => {
    const Original = globalThis.Worker;
    // A worker that never answers: discovery waits until it is cancelled.
    const silent = URL.createObjectURL(new Blob([''], { type: 'text/javascript' }));
    globalThis.Worker = class extends Original {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(/discovery/.test(String(url)) ? silent : url, options);
      }
    };
    try {
      m = await mount();
      const adding = m.el.addFiles(groups(4));
      await until(() => deepQuery(m!.el, '[part="discovery"] button[name="cancel-discovery"]') !== null, [m.el, m.el.shadowRoot as ShadowRoot]);
      assert.match(deepQuery(m.el, '[part="discovery"]')?.textContent ?? '', /Looking for what the embedding separates/);
      deepQuery<HTMLButtonElement>(m.el, '[part="discovery"] button[name="cancel-discovery"]')!.click();
      const detail = await adding;
      assert.equal(detail?.faces, 12, 'the photos were kept');
      await settled(m.el);
      assert.match(deepText(m.el), /Cancelled while looking for what the embedding separates/);
      assert.ok(deepQuery(m.el, '[part="discovery"] button[name="find-splits"]'), 'it can be started again');
      assert.equal(deepQueryAll(m.el, '[part="discovery"] li.split').length, 0);
    } finally {
      globalThis.Worker = Original;
      URL.revokeObjectURL(silent);
    }
  });

  it('shows the progress of probing in the probe section, where the photos were dropped', T, async () => {
    m = await namedAlphaBeta(3);
    m.engine.pause();
    const probing = m.el.probeFiles([photo('a-9.jpg'), photo('b-9.jpg')]);
    await untilState(m.el, 'working');
    await settled(m.el);
    assert.ok(deepQuery(m.el, '[part="probe"] fap-progress'), 'the bar is in the probe section');
    assert.equal(deepQueryAll(m.el, 'fap-progress').length, 1, 'and only there');
    m.engine.resume();
    await probing;
  });

  it('chooses no person tile before anything is clustered', T, async () => {
    m = await mount();
    await m.el.addFiles([photo('a-1.jpg'), photo('a-2.jpg')]);
    await untilState(m.el, 'ready');
    await settled(m.el);
    assert.ok(deepQueryAll(m.el, 'fap-people >> button.person').length >= 2, 'people are shown');
    assert.equal(deepQueryAll(m.el, 'fap-people >> button[aria-pressed="true"]').length, 0);
  });

  it('clusters one person\'s faces when that person is chosen', T, async () => {
    m = await mount();
    await m.el.addFiles(groups(4));
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const clusters = nextEvent(m.el, 'probe-clusters', (e) => e.detail.scope !== 'all');
    const person = deepQueryAll<HTMLButtonElement>(m.el, 'fap-people >> button.person')[1];
    assert.ok(person);
    person.click();
    const detail = (await clusters).detail;
    assert.match(detail.scope, /^person:/);
    assert.equal(detail.sizes.reduce((a, b) => a + b, 0), 4);
  });

  it('uses a k set by attribute, names clusters, and shows the figures for two names', T, async () => {
    m = await mount({ attributes: { k: '3' } });
    const clustered = nextEvent(m.el, 'probe-clusters');
    await m.el.addFiles(groups(4));
    const c = (await clustered).detail;
    assert.equal(c.k, 3);
    assert.equal(c.auto, false);
    assert.deepEqual(c.curve, []);
    await settled(m.el);
    const a = clusterOf(m, 'a');
    const b = clusterOf(m, 'b');
    const first = nextEvent(m.el, 'probe-named');
    typeName(m.el, a, 'alpha');
    const one = (await first).detail;
    assert.deepEqual(one.names, { [a]: 'alpha' });
    assert.equal(one.accuracy, null, 'one name: no figures yet');
    await untilState(m.el, 'named');
    const second = nextEvent(m.el, 'probe-named');
    typeName(m.el, b, 'beta');
    const two = (await second).detail;
    assert.deepEqual(two.groups, [{ name: a < b ? 'alpha' : 'beta', faces: 4 }, { name: a < b ? 'beta' : 'alpha', faces: 4 }]);
    assert.equal(two.accuracy, 1);
    assert.ok(two.chance !== null && two.chance >= 0.5 && two.chance < 1, `chance ${two.chance}`);
    assert.equal(two.probeCeiling, 1);
    assert.ok(two.topDimensions.length > 0 && two.topDimensions.length <= 8);
    assert.ok(two.topDimensions.slice(0, 2).includes(0) && two.topDimensions.slice(0, 2).includes(1), 'e0 and e1 separate a from b');
    await settled(m.el);
    assert.ok(deepQueryAll(m.el, 'fap-fisher-chart >> rect.bar').length > 0, 'the Fisher chart is drawn');
    assert.match(deepText(m.el), /Unsupervised accuracy 100\.0 %/);
    assert.match(deepText(m.el), /Linear-probe ceiling 100\.0 %/);
  });

  it('keeps clusters and names for a new element on the same database', T, async () => {
    m = await mount();
    await m.el.addFiles(groups(3));
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const a = clusterOf(m, 'a');
    const named = nextEvent(m.el, 'probe-named');
    typeName(m.el, a, 'alpha');
    await named;
    m.el.remove();
    const again = document.createElement('face-attribute-probe');
    again.database = m.database;
    again.engineFactory = async () => m!.engine;
    const loaded = nextEvent(again, 'probe-clusters');
    const names = nextEvent(again, 'probe-named');
    document.body.append(again);
    m = { ...m, el: again };
    assert.equal((await loaded).detail.reason, 'loaded');
    assert.deepEqual((await names).detail.names, { [a]: 'alpha' });
    await untilState(again, 'named');
    await settled(again);
    const input = deepQueryAll<HTMLElement & { cluster: number; name: string }>(again, 'fap-cluster-gallery').find((g) => g.cluster === a);
    assert.equal(input?.name, 'alpha');
  });

  it('makes a calibrated probe from a named split, and keeps what it probed across a reload', T, async () => {
    m = await mount();
    await m.el.addFiles(groups(4));
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const form = deepQuery<HTMLFormElement>(m.el, '[part="discovery"] li.split form.name-split');
    assert.ok(form, 'each split can be named');
    form.querySelector<HTMLInputElement>('input[name="side-0"]')!.value = 'left';
    form.querySelector<HTMLInputElement>('input[name="side-1"]')!.value = 'right';
    form.querySelector<HTMLButtonElement>('button[name="name-split"]')!.click();
    await until(() => deepQuery(m!.el, '[part="discovery"] .named-split') !== null, [m.el, m.el.shadowRoot as ShadowRoot]);
    await settled(m.el);
    const panel = () => deepText(deepQuery(m!.el, 'fap-probe-panel') as HTMLElement);
    assert.match(panel(), /left, right/);
    assert.match(panel(), /may be learning who rather than what/, 'three people are fewer than ten');
    assert.match(panel(), /calibrated/);
    const assigned = nextEvent(m.el, 'probe-assignments');
    await m.el.probeFiles([photo('a-9.jpg'), photo('c-9.jpg')]);
    const detail = (await assigned).detail;
    assert.equal(detail.assignments.length, 2);
    for (const x of detail.assignments) {
      assert.ok(['left', 'right'].includes(x.group));
      assert.ok(x.confidence >= 0.5 && x.confidence <= 1);
      assert.equal(x.identityRemoved, true, 'each new face is matched to its person, whose faces take who they are out');
    }
    await untilState(m.el, 'probing');
    await settled(m.el);
    assert.doesNotMatch(deepText(m.el), /[Cc]entroid/, 'no nearest-centroid confidence anywhere');
    const before = deepQueryAll(m.el, 'fap-probe-panel >> tbody tr').map((r) => r.textContent?.replace(/\s+/g, ' ').trim());
    assert.equal(before.length, 2);
    m.el.remove();
    const again = document.createElement('face-attribute-probe');
    again.database = m.database;
    again.engineFactory = async () => m!.engine;
    document.body.append(again);
    m = { ...m, el: again };
    await untilState(again, 'probing');
    await settled(again);
    const after = deepQueryAll(again, 'fap-probe-panel >> tbody tr').map((r) => r.textContent?.replace(/\s+/g, ' ').trim());
    assert.deepEqual(after, before, 'the probed faces are shown again after the reload');
    assert.ok(deepQuery(again, 'fap-probe-panel >> tbody tr img.thumb'), 'with their faces');
    assert.match(deepText(deepQuery(again, 'fap-probe-panel') as HTMLElement), /left, right/);
  });

  it('warns for each name that spans fewer than 10 people that the probe may be learning who rather than what', T, async () => {
    const panel = document.createElement('fap-probe-panel');
    panel.groups = ['glasses', 'no glasses'];
    const reliability = { faces: 40, accuracy: 0.8, ece: 0.05, bins: [] };
    panel.probe = {
      source: 'split', names: ['glasses', 'no glasses'], identityRemoved: true, people: 12, faces: [20, 60], peoplePerName: [3, 12],
      probes: [{ reliability, warnings: [] } as unknown as NonNullable<typeof panel.probe>['probes'][number]],
    };
    document.body.append(panel);
    try {
      await panel.updateComplete;
      const warnings = [...panel.shadowRoot!.querySelectorAll('.warning')].map((w) => w.textContent?.replace(/\s+/g, ' ').trim());
      assert.deepEqual(warnings, ['"glasses" spans only 3 people (fewer than 10): the probe may be learning who rather than what.']);
      assert.match(panel.shadowRoot!.textContent ?? '', /right on 80\.0 % of 40 held-out faces/);
    } finally {
      panel.remove();
    }
  });

  it('says on a probed face\'s row where an attribute head disagrees with the probe', T, async () => {
    const panel = document.createElement('fap-probe-panel');
    panel.groups = ['smiling', 'not smiling'];
    const row = {
      photo: 'x.jpg', face: 0, group: 'smiling', confidence: 0.83, identityRemoved: false,
      disagreement: 'the expression head (smiling) points to "not smiling"', age: 30, gender: 'male', genderProbability: 0.9,
      expression: 'neutral', expressionProbability: 0.8, thumbnail: undefined,
    };
    panel.rows = [row, { ...row, photo: 'y.jpg', disagreement: null, identityRemoved: true }];
    document.body.append(panel);
    try {
      await panel.updateComplete;
      const cells = [...panel.shadowRoot!.querySelectorAll('tbody td.note')].map((td) => td.textContent?.trim());
      assert.match(cells[0] ?? '', /Disagrees: the expression head \(smiling\) points to "not smiling"/);
      assert.match(cells[0] ?? '', /could not be taken out/);
      assert.equal(cells[1], '–');
    } finally {
      panel.remove();
    }
  });

  it('merges selected clusters and carries the names', T, async () => {
    m = await mount();
    await m.el.addFiles(groups(3));
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const a = clusterOf(m, 'a');
    const b = clusterOf(m, 'b');
    const named = nextEvent(m.el, 'probe-named');
    typeName(m.el, a, 'alpha');
    await named;
    for (const c of [a, b]) {
      const gallery = deepQueryAll<HTMLElement & { cluster: number }>(m.el, 'fap-cluster-gallery').find((g) => g.cluster === c);
      const box = gallery?.shadowRoot?.querySelector<HTMLInputElement>('input[type="checkbox"]');
      assert.ok(box);
      box.click();
    }
    await settled(m.el);
    const merged = nextEvent(m.el, 'probe-clusters', (e) => e.detail.reason === 'merged');
    const button = deepQuery<HTMLButtonElement>(m.el, 'button[name="merge"]');
    assert.equal(button?.disabled, false);
    button?.click();
    const detail = (await merged).detail;
    assert.equal(detail.k, 2);
    assert.deepEqual([...detail.sizes].sort(), [3, 6]);
    await settled(m.el);
    const big = deepQueryAll<HTMLElement & { faces: string[]; name: string }>(m.el, 'fap-cluster-gallery').find((g) => g.faces.length === 6);
    assert.equal(big?.name, 'alpha');
  });

  it('probes new faces against the named groups beside the attribute heads', T, async () => {
    m = await namedAlphaBeta(4);
    const stored = m.engine.names.size;
    const assigned = nextEvent(m.el, 'probe-assignments');
    await m.el.probeFiles([photo('a-9.jpg'), photo('b-9.jpg'), photo('bad-9.jpg')]);
    const detail = (await assigned).detail;
    assert.deepEqual(detail.assignments.map((x) => [x.photo, x.group]), [['a-9.jpg', 'alpha'], ['b-9.jpg', 'beta']]);
    for (const x of detail.assignments) {
      assert.ok(x.confidence > 0.5 && x.confidence <= 1);
      assert.equal(x.disagreement, null);
      assert.equal(x.age, 31);
      assert.equal(x.gender, 'female');
      assert.equal(x.expression, 'neutral');
    }
    assert.deepEqual(detail.failures.map((f) => f.name), ['bad-9.jpg']);
    assert.equal(m.engine.calls.at(-1)?.options.attributes, true);
    await untilState(m.el, 'probing');
    await settled(m.el);
    assert.equal(deepQueryAll(m.el, 'fap-probe-panel >> tbody tr').length, 2);
    assert.match(deepText(m.el), /alpha \d+\.\d %/);
    assert.equal(m.engine.names.size, stored + 3, 'the probe photos went through the engine');
    assert.match(deepText(m.el), /12 photos and 12 faces kept/, 'probe faces are not added to the collection');
    // Renaming changes the groups, so the old assignments are withdrawn.
    const renamed = nextEvent(m.el, 'probe-named');
    typeName(m.el, clusterOf(m, 'c'), 'gamma');
    assert.equal((await renamed).detail.groups.length, 3);
    await untilState(m.el, 'named');
    await settled(m.el);
    assert.equal(deepQueryAll(m.el, 'fap-probe-panel >> tbody tr').length, 0);
  });

  it('exports, erases with confirmation, and imports back', T, async () => {
    m = await mount();
    await m.el.addFiles(groups(3));
    await untilState(m.el, 'clustered');
    const exported = nextEvent(m.el, 'probe-export');
    const blob = await m.el.exportData();
    assert.ok(blob && blob.size > 0);
    assert.match((await exported).detail.fileName, /\.fap$/);
    await settled(m.el);
    const erase = deepQuery<HTMLButtonElement>(m.el, 'button[name="erase"]');
    erase?.click();
    await settled(m.el);
    assert.equal(m.el.state, 'clustered', 'nothing is erased before the confirmation');
    const erased = nextEvent(m.el, 'probe-erased');
    deepQuery<HTMLButtonElement>(m.el, 'button[name="confirm-erase"]')?.click();
    assert.equal((await erased).detail.database, m.database);
    await untilState(m.el, 'empty');
    const imported = nextEvent(m.el, 'probe-import');
    const loaded = nextEvent(m.el, 'probe-clusters', (e) => e.detail.reason === 'loaded');
    await m.el.importData(blob);
    assert.deepEqual((await imported).detail, { photos: 9, faces: 9 });
    assert.equal((await loaded).detail.k, 3);
    await untilState(m.el, 'clustered');
  });

  it('takes dropped files', T, async () => {
    m = await mount();
    const finished = nextEvent(m.el, 'probe-faces');
    const zone = deepQuery(m.el, 'fap-drop-zone >> .zone');
    assert.ok(zone);
    const transfer = new DataTransfer();
    for (const f of [photo('a-1.jpg'), photo('.DS_Store'), photo('b-1.jpg')]) transfer.items.add(f);
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    const detail = (await finished).detail;
    assert.equal(detail.photos, 2, 'the hidden file is left out');
    assert.deepEqual(m.engine.calls[0]?.names, ['a-1.jpg', 'b-1.jpg']);
  });

  it('never throws from render: shows the error and dispatches it', T, async () => {
    m = await mount();
    const failure = nextEvent(m.el, 'probe-error');
    (m.el as unknown as { renderApp: () => never }).renderApp = () => { throw new TypeError('a broken view'); };
    m.el.requestUpdate();
    const detail = (await failure).detail;
    assert.deepEqual(detail, { during: 'render', name: 'TypeError', code: undefined, reason: undefined, message: 'a broken view' });
    assert.match(deepQuery(m.el, '[role="alert"]')?.textContent ?? '', /could not be drawn: a broken view/);
  });
});
