/**
 * `<face-attribute-probe>` under awkward timing and failing storage, in real Chromium with the fake engine:
 * operations that overlap are run one after another, loading never writes, failed photos can be added
 * again, a failed rename shows the saved name, a blocked Erase can be cancelled, phases after embedding are
 * shown and cancellable, and errors carry their reason. Run by face-attribute-probe.browser.test.ts.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { FaceStore, StorageError, type BatchResult as EngineBatch, type ImageSource, type ProcessOptions } from '../../src/index.ts';
import type { FaceAttributeProbe, ProbeErrorDetail } from '../../components/index.ts';
import { FakeEngine, photo } from './fake-engine.ts';
import { deepQuery, deepQueryAll, deepText, mount, nextEvent, settled, unmount, until, untilState, type Mounted } from './helpers.ts';

const T = { timeout: 30_000 };

/** 3 photos of each of three groups (a, b, c): one face each. */
const groups = (n = 3): File[] => ['a', 'b', 'c'].flatMap((g) => Array.from({ length: n }, (_, i) => photo(`${g}-${i + 1}.jpg`)));

type Gallery = HTMLElement & { cluster: number; faces: string[]; name: string };

const galleries = (m: Mounted): Gallery[] => deepQueryAll<Gallery>(m.el, 'fap-cluster-gallery');

function clusterOf(m: Mounted, letter: string): number {
  const found = galleries(m).find((g) => g.faces.length > 0 && g.faces.every((id) => m.engine.groupOf(id) === letter));
  assert.ok(found, `a cluster holds exactly group ${letter}`);
  return found.cluster;
}

function nameInput(el: FaceAttributeProbe, cluster: number): HTMLInputElement {
  const gallery = deepQueryAll<Gallery>(el, 'fap-cluster-gallery').find((g) => g.cluster === cluster);
  const input = gallery?.shadowRoot?.querySelector<HTMLInputElement>('input[name="cluster-name"]');
  assert.ok(input, `cluster ${cluster} has a name field`);
  return input;
}

function typeName(el: FaceAttributeProbe, cluster: number, name: string): void {
  const input = nameInput(el, cluster);
  input.value = name;
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
}

/** A promise the test opens by hand. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((ok) => { open = ok; });
  return { wait, open };
}

/** Replaces a FaceStore method for the rest of the test (restored in afterEach). */
const restores: (() => void)[] = [];
function patchStore<K extends keyof FaceStore>(name: K, replacement: (original: FaceStore[K], store: FaceStore) => FaceStore[K]): void {
  const proto = FaceStore.prototype as unknown as Record<string, unknown>;
  const original = proto[name as string];
  proto[name as string] = function (this: FaceStore, ...args: unknown[]) {
    return (replacement((original as (...a: unknown[]) => unknown).bind(this) as FaceStore[K], this) as (...a: unknown[]) => unknown)(...args);
  };
  restores.push(() => { proto[name as string] = original; });
}

const quotaError = (): StorageError => new StorageError('Could not save: the storage quota for this site is full (QuotaExceededError).', { details: { reason: 'quota-exceeded' } });

/** Old tabs still open (closed in afterEach, so a failed test cannot block deleting its database). */
const tabs: IDBDatabase[] = [];

/** A raw connection that ignores versionchange, as an old tab would: it blocks deleting the database. */
function oldTab(database: string): Promise<IDBDatabase> {
  return new Promise((ok, fail) => {
    const request = indexedDB.open(database);
    request.onsuccess = () => {
      tabs.push(request.result);
      ok(request.result);
    };
    request.onerror = () => fail(request.error);
  });
}

/** A fake engine whose listed photo names fail to decode (until removed from `failing`). */
class FlakyEngine extends FakeEngine {
  readonly failing = new Set<string>();

  override async process(sources: readonly ImageSource[], options: ProcessOptions = {}): Promise<EngineBatch> {
    const result = await super.process(sources, options);
    return {
      ...result,
      outcomes: result.outcomes.map((o) => (this.failing.has(o.name)
        ? { ok: false, name: o.name, hash: o.hash, size: o.size, error: { name: 'DecodeError', code: 'decode', message: `${o.name} is truncated` } }
        : o)),
    };
  }
}

const statusText = (el: FaceAttributeProbe): string => deepText(el);

describe('<face-attribute-probe> under overlapping operations and failing storage', () => {
  let m: Mounted | undefined;
  afterEach(async () => {
    for (const restore of restores.splice(0)) restore();
    for (const tab of tabs.splice(0)) tab.close();
    await unmount(m);
    m = undefined;
  });

  it('saves a rename typed just before Merge, and carries it into the merged clustering', T, async () => {
    m = await mount();
    await m.el.addFiles(groups());
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const a = clusterOf(m, 'a');
    const b = clusterOf(m, 'b');
    const merged = nextEvent(m.el, 'probe-clusters', (e) => e.detail.reason === 'merged');
    void m.el.nameCluster(a, 'alpha');
    await m.el.mergeClusters([a, b]);
    assert.equal((await merged).detail.k, 2);
    await settled(m.el);
    const big = galleries(m).find((g) => g.faces.length === 6);
    assert.equal(big?.name, 'alpha', 'the name typed before Merge survived it');
  });

  it('keeps the element busy while any operation runs, and runs a rename after the clustering it overlaps', T, async () => {
    m = await mount({ attributes: { k: '3' } });
    await m.el.addFiles(groups());
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const hold = gate();
    patchStore('saveRun', (original) => async (run) => { await hold.wait; return original(run); });
    const clustering = m.el.cluster({ k: 2 });
    await until(() => /Clustering…/.test(statusText(m!.el)), [m.el.shadowRoot as ShadowRoot]);
    const renaming = m.el.nameCluster(0, 'early');
    await settled(m.el);
    const submit = deepQuery<HTMLButtonElement>(m.el, 'form.controls button[type="submit"]');
    assert.equal(submit?.disabled, true, 'Cluster stays disabled while the clustering runs');
    assert.match(statusText(m.el), /Clustering…/);
    assert.ok(deepQueryAll<HTMLButtonElement>(m.el, 'fap-people >> button.person').every((b) => b.disabled), 'people are disabled');
    assert.equal(deepQuery<HTMLButtonElement>(m.el, 'fap-drop-zone >> button')?.disabled, true, 'the drop zone is disabled');
    assert.ok(galleries(m).every((g) => g.shadowRoot?.querySelector<HTMLInputElement>('input[type="checkbox"]')?.disabled), 'merge boxes are disabled');
    const refused = nextEvent(m.el, 'probe-error');
    hold.open();
    await Promise.all([clustering, renaming]);
    assert.match((await refused).detail.message, /no longer shown/, 'the rename was meant for the clustering replaced meanwhile');
    await settled(m.el);
    assert.equal(galleries(m).length, 2);
    assert.ok(galleries(m).every((g) => g.name === ''), 'no name landed on the new clustering');
    assert.equal(submit?.disabled, false);
  });

  it('withdraws probe results when a rename comes in while probing', T, async () => {
    m = await mount({ attributes: { k: '3' } });
    await m.el.addFiles(groups());
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const two = nextEvent(m.el, 'probe-named', (e) => e.detail.groups.length === 2);
    typeName(m.el, clusterOf(m, 'a'), 'alpha');
    typeName(m.el, clusterOf(m, 'b'), 'beta');
    await two;
    m.engine.pause();
    const probing = m.el.probeFiles([photo('a-9.jpg')]);
    await untilState(m.el, 'working');
    const renaming = m.el.nameCluster(clusterOf(m, 'c'), 'gamma');
    // Either the rename is done at once, or it shows that it waits for the probe to finish.
    await Promise.race([nextEvent(m.el, 'probe-named'), until(() => /Saving the name/.test(deepText(m!.el)), [m.el.shadowRoot as ShadowRoot])]);
    m.engine.resume();
    await Promise.all([probing, renaming]);
    await settled(m.el);
    assert.equal(deepQueryAll(m.el, 'fap-probe-panel >> tbody tr').length, 0, 'rows made with the old groups are gone');
    assert.equal(m.el.state, 'named');
  });

  it('adds photos dropped during Erase to the new, empty store', T, async () => {
    m = await mount();
    await m.el.addFiles(groups(1));
    const blocker = await oldTab(m.database);
    const erasing = m.el.eraseAll();
    await until(() => /Close the other tabs/.test(statusText(m!.el)), [m.el.shadowRoot as ShadowRoot]);
    await settled(m.el);
    assert.equal(deepQuery<HTMLButtonElement>(m.el, 'fap-drop-zone >> button')?.disabled, true, 'the drop zone is disabled while erasing');
    const added = m.el.addFiles([photo('a-7.jpg')]);
    blocker.close();
    await erasing;
    const detail = await added;
    assert.equal(detail?.photos, 1);
    await settled(m.el);
    assert.match(deepText(m.el), /1 photo and 1 face kept/);
  });

  it('opens a collection whose figures cannot be saved, without writing while loading', T, async () => {
    m = await mount({ attributes: { k: '3' } });
    await m.el.addFiles(groups());
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const named = nextEvent(m.el, 'probe-named', (e) => e.detail.groups.length === 2);
    typeName(m.el, clusterOf(m, 'a'), 'alpha');
    typeName(m.el, clusterOf(m, 'b'), 'beta');
    await named;
    m.el.remove();
    let writes = 0;
    patchStore('saveProbe', () => async () => { writes++; throw quotaError(); });
    const again = document.createElement('face-attribute-probe');
    again.database = m.database;
    again.engineFactory = async () => m!.engine;
    const errors: ProbeErrorDetail[] = [];
    again.addEventListener('probe-error', (e) => errors.push(e.detail));
    const loaded = nextEvent(again, 'probe-named');
    document.body.append(again);
    m = { ...m, el: again };
    assert.equal((await loaded).detail.accuracy, 1);
    await untilState(again, 'named');
    await settled(again);
    assert.equal(writes, 0, 'loading saved nothing');
    assert.deepEqual(errors, []);
    assert.ok(deepQuery(again, 'button[name="erase"]'), 'Erase all is offered');
  });

  it('offers Export and Erase when the stored clustering cannot be read, and shows why', T, async () => {
    m = await mount();
    await m.el.addFiles(groups());
    await untilState(m.el, 'clustered');
    m.el.remove();
    patchStore('clusterNames', () => async () => { throw new StorageError('Could not read cluster names: IndexedDB failed (UnknownError).', { details: { reason: 'failed' } }); });
    const again = document.createElement('face-attribute-probe');
    again.database = m.database;
    again.engineFactory = async () => m!.engine;
    const failure = nextEvent(again, 'probe-error');
    document.body.append(again);
    m = { ...m, el: again };
    const detail = (await failure).detail;
    assert.equal(detail.reason, 'failed');
    assert.match(detail.message, /cluster names/);
    await untilState(again, 'error');
    await settled(again);
    assert.ok(deepQuery(again, 'button[name="erase"]'), 'Erase all is offered');
    assert.match(deepText(again), /9 photos and 9 faces kept/);
  });

  it('reports a failed save of the figures with its reason, and keeps the name that was saved', T, async () => {
    m = await mount({ attributes: { k: '3' } });
    await m.el.addFiles(groups());
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const one = nextEvent(m.el, 'probe-named');
    typeName(m.el, clusterOf(m, 'a'), 'alpha');
    await one;
    patchStore('saveProbe', () => async () => { throw quotaError(); });
    const failure = nextEvent(m.el, 'probe-error');
    const named = nextEvent(m.el, 'probe-named');
    typeName(m.el, clusterOf(m, 'b'), 'beta');
    const detail = (await failure).detail;
    assert.equal(detail.reason, 'quota-exceeded');
    assert.equal(detail.during, 'store');
    assert.equal((await named).detail.groups.length, 2, 'the name itself was saved');
  });

  it('shows the saved name again after a rename fails', T, async () => {
    m = await mount({ attributes: { k: '3' } });
    await m.el.addFiles(groups());
    await untilState(m.el, 'clustered');
    await settled(m.el);
    patchStore('nameCluster', () => async () => { throw quotaError(); });
    const a = clusterOf(m, 'a');
    const failure = nextEvent(m.el, 'probe-error');
    typeName(m.el, a, 'alpha');
    assert.equal((await failure).detail.reason, 'quota-exceeded');
    await settled(m.el);
    assert.equal(nameInput(m.el, a).value, '', 'the unsaved name is not left in the field');
    assert.ok(galleries(m).every((g) => g.name === ''));
    assert.doesNotMatch(deepText(m.el), /— alpha/);
    assert.equal(m.el.state, 'error');
  });

  it('lets a photo that failed be added again once it works, and lists a repeated failure once', T, async () => {
    const engine = new FlakyEngine();
    m = await mount({ engine });
    engine.failing.add('a-1.jpg');
    const first = await m.el.addFiles([photo('a-1.jpg'), photo('a-1.jpg'), photo('b-1.jpg')]);
    assert.deepEqual(first?.failures.map((f) => f.name), ['a-1.jpg'], 'listed once');
    assert.equal(first?.duplicates, 1);
    engine.failing.clear();
    const again = await m.el.addFiles([photo('a-1.jpg')]);
    assert.equal(again?.photos, 1, 'stored this time');
    assert.equal(again?.faces, 1);
    assert.equal(again?.duplicates, 0, 'a replaced failure is not a duplicate');
    await settled(m.el);
    assert.doesNotMatch(deepText(m.el), /could not be used/);
    assert.match(deepText(m.el), /2 photos and 2 faces kept/);
  });

  it('counts a photo that fails again as a failure, not a duplicate', T, async () => {
    const engine = new FlakyEngine();
    m = await mount({ engine });
    engine.failing.add('a-1.jpg');
    await m.el.addFiles([photo('a-1.jpg')]);
    const again = await m.el.addFiles([photo('a-1.jpg')]);
    assert.equal(again?.duplicates, 0);
    assert.deepEqual(again?.failures.map((f) => f.name), ['a-1.jpg']);
    await settled(m.el);
    assert.match(deepText(m.el), /1 photo could not be used/);
  });

  it('shows Close the other tabs beside Erasing…, and cancels a blocked erase', T, async () => {
    m = await mount();
    await m.el.addFiles(groups(1));
    const blocker = await oldTab(m.database);
    const erasing = m.el.eraseAll();
    await until(() => /Close the other tabs/.test(statusText(m!.el)), [m.el.shadowRoot as ShadowRoot]);
    assert.match(statusText(m.el), /Erasing…/);
    const cancel = deepQuery<HTMLButtonElement>(m.el, 'button[name="cancel-erase"]');
    assert.ok(cancel, 'a blocked erase can be cancelled');
    cancel.click();
    await erasing;
    await settled(m.el);
    assert.match(deepText(m.el), /Erasing was cancelled/);
    const reopened = nextEvent(m.el, 'probe-storage');
    blocker.close();
    assert.equal((await reopened).detail.photos, 0, 'the browser finished the deletion once the old tab closed');
    await untilState(m.el, 'empty');
  });

  it('says a merged clustering has k after merging, not chosen by silhouette', T, async () => {
    m = await mount();
    await m.el.addFiles(groups());
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const merged = nextEvent(m.el, 'probe-clusters', (e) => e.detail.reason === 'merged');
    await m.el.mergeClusters([clusterOf(m, 'a'), clusterOf(m, 'b')]);
    const detail = (await merged).detail;
    assert.equal(detail.auto, false);
    assert.deepEqual(detail.curve, []);
    await settled(m.el);
    assert.match(deepText(m.el), /k = 2 after merging/);
    assert.doesNotMatch(deepText(m.el), /chosen by the highest mean silhouette/);
    assert.equal(deepQueryAll(m.el, 'fap-silhouette-curve').length, 0);
  });

  it('shows grouping and clustering as their own phases after embedding', T, async () => {
    m = await mount();
    const phases: string[] = [];
    const observer = new MutationObserver(() => {
      const phase = deepQuery<HTMLElement & { phase: string }>(m!.el, 'fap-progress')?.phase;
      if (phase && phases.at(-1) !== phase) phases.push(phase);
    });
    observer.observe(m.el.shadowRoot as ShadowRoot, { subtree: true, childList: true, attributes: true, characterData: true });
    await m.el.addFiles(groups());
    observer.disconnect();
    assert.ok(phases.includes('Grouping people'), `phases: ${phases.join(', ')}`);
    assert.ok(phases.includes('Clustering'), `phases: ${phases.join(', ')}`);
    assert.ok(phases.indexOf('Grouping people') < phases.indexOf('Clustering'));
  });

  it('skips the automatic clustering when Cancel is pressed while people are grouped', T, async () => {
    m = await mount();
    let clustered = false;
    m.el.addEventListener('probe-clusters', () => { clustered = true; });
    const adding = m.el.addFiles(groups());
    await until(() => deepQuery<HTMLElement & { phase: string }>(m!.el, 'fap-progress')?.phase === 'Grouping people', [m.el.shadowRoot as ShadowRoot]);
    m.el.cancel();
    const detail = await adding;
    assert.equal(detail?.cancelled, true);
    assert.equal(detail?.faces, 9, 'what finished was kept');
    assert.equal(clustered, false, 'no clustering after Cancel');
    await untilState(m.el, 'cancelled');
    await settled(m.el);
    assert.match(deepText(m.el), /3 people seen more than once/, 'the kept faces were still grouped');
  });

  it('says the named-group figures measure the clustering itself', T, async () => {
    m = await mount({ attributes: { k: '3' } });
    await m.el.addFiles(groups());
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const named = nextEvent(m.el, 'probe-named', (e) => e.detail.groups.length === 2);
    typeName(m.el, clusterOf(m, 'a'), 'alpha');
    typeName(m.el, clusterOf(m, 'b'), 'beta');
    await named;
    await settled(m.el);
    assert.match(deepText(m.el), /the groups come from the clustering itself, so this measures how cleanly it split/);
  });

  it('refuses to import a file of another model, with the reason', T, async () => {
    m = await mount();
    await m.el.addFiles(groups(1));
    const blob = await m.el.exportData();
    assert.ok(blob);
    const other = m;
    m = await mount({ engine: new FakeEngine(8, { modelId: 'other-model' }) });
    await unmount(other);
    const failure = nextEvent(m.el, 'probe-error');
    await m.el.importData(blob);
    const detail = (await failure).detail;
    assert.equal(detail.during, 'import');
    assert.equal(detail.reason, 'different-model');
  });

  it('refuses to probe faces of another model of the same dimension', T, async () => {
    m = await mount({ attributes: { k: '3' } });
    await m.el.addFiles(groups());
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const named = nextEvent(m.el, 'probe-named', (e) => e.detail.groups.length === 2);
    typeName(m.el, clusterOf(m, 'a'), 'alpha');
    typeName(m.el, clusterOf(m, 'b'), 'beta');
    await named;
    const ready = nextEvent(m.el, 'probe-ready');
    const other = new FakeEngine(8, { modelId: 'other-model' });
    m.el.engineFactory = async () => other;
    await ready;
    const failure = nextEvent(m.el, 'probe-error');
    await m.el.probeFiles([photo('a-9.jpg')]);
    assert.match((await failure).detail.message, /other-model.*fake-model|fake-model.*other-model/);
  });

  it('reports the chunks stored before a failing one in probe-faces, before probe-error', T, async () => {
    m = await mount();
    m.engine.failOnCall = 2;
    const order: string[] = [];
    let faces: { photos: number; faces: number; processed: number } | undefined;
    m.el.addEventListener('probe-faces', (e) => { order.push('faces'); faces = e.detail; });
    m.el.addEventListener('probe-error', (e) => { order.push(`error:${e.detail.code}`); });
    await m.el.addFiles(Array.from({ length: 30 }, (_, i) => photo(`${'abc'[i % 3]}-${i}.jpg`)));
    assert.deepEqual(order, ['faces', 'error:inference']);
    assert.equal(faces?.photos, 24);
    assert.equal(faces?.faces, 24);
    assert.equal(faces?.processed, 24);
  });

  it('asks for persistent storage after the first photos are stored, once', T, async () => {
    let asked = 0;
    patchStore('requestPersistence', () => async () => { asked++; return true; });
    m = await mount();
    assert.equal(asked, 0, 'not before anything is stored');
    const storage = nextEvent(m.el, 'probe-storage');
    await m.el.addFiles([photo('a-1.jpg')]);
    await storage;
    assert.equal(asked, 1);
    await m.el.addFiles([photo('b-1.jpg')]);
    assert.equal(asked, 1);
  });

  it('labels merge boxes by cluster and remembers the clustering shown across reloads', T, async () => {
    m = await mount();
    await m.el.addFiles(groups());
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const box = galleries(m).find((g) => g.cluster === 1)?.shadowRoot?.querySelector('input[type="checkbox"]');
    assert.equal(box?.getAttribute('aria-label'), 'Merge cluster 2');
    const first = (m.el as unknown as { session: { view: { run: { id: string } } } }).session.view.run.id;
    await m.el.cluster({ k: 2 });
    await settled(m.el);
    const select = deepQuery<HTMLSelectElement>(m.el, 'select[name="run"]');
    assert.ok(select);
    const loaded = nextEvent(m.el, 'probe-clusters', (e) => e.detail.runId === first);
    select.value = first;
    select.dispatchEvent(new Event('change'));
    await loaded;
    m.el.remove();
    const again = document.createElement('face-attribute-probe');
    again.database = m.database;
    again.engineFactory = async () => m!.engine;
    const shown = nextEvent(again, 'probe-clusters');
    document.body.append(again);
    m = { ...m, el: again };
    assert.equal((await shown).detail.runId, first, 'the clustering chosen before the reload');
  });

  it('announces progress coarsely, not every photo', T, async () => {
    m = await mount();
    m.engine.pause();
    const adding = m.el.addFiles(groups());
    await untilState(m.el, 'working');
    m.engine.allow(1);
    await until(() => /1 of 9 photos/.test(deepText(m!.el)), [m.el.shadowRoot as ShadowRoot, deepQuery(m.el, 'fap-progress')?.shadowRoot as ShadowRoot]);
    const live = deepQuery(m.el, 'fap-progress >> [role="status"]');
    assert.ok(live);
    assert.equal(live.getAttribute('aria-live'), 'polite');
    assert.doesNotMatch(live.textContent ?? '', /a-1\.jpg/, 'no file names in the live region');
    m.engine.resume();
    await adding;
  });

  it('shows an error with its reason when the people cannot be saved after photos are added, and keeps the photos', T, async () => {
    m = await mount();
    patchStore('replaceIdentityGroups', () => async () => { throw quotaError(); });
    let stored: number | undefined;
    const errors: ProbeErrorDetail[] = [];
    m.el.addEventListener('probe-faces', (e) => { stored = e.detail.photos; });
    m.el.addEventListener('probe-error', (e) => errors.push(e.detail));
    await m.el.addFiles(groups());
    assert.equal(stored, 9, 'the photos were stored');
    assert.deepEqual(errors.map((e) => [e.during, e.reason]), [['ingest', 'quota-exceeded']]);
    assert.equal(m.el.state, 'error');
    assert.match(deepText(m.el), /quota/i, 'the person sees why');
  });
});
