/**
 * `<face-attribute-probe>` in real Chromium with the fake engine: a face opens its photo (the stored preview,
 * with the face's box drawn where the engine found it), from a gallery, the scatter plot and a split's strip; a photo kept
 * before previews existed says so. While photos are added, the counts shown (storage, people, "Everyone (N)", the
 * progress line) agree with each other after every photo. Run by photo-and-counts.browser.test.ts.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { FakeEngine, photo, realPhoto } from './fake-engine.ts';
import { deepQuery, deepQueryAll, deepText, mount, nextEvent, settled, unmount, until, untilState, type Mounted } from './helpers.ts';
import type { PersonView, Workspace } from '../../src/index.ts';

const T = { timeout: 30_000 };

/** Real JPEGs of `width` × `height` for groups a, b and c (`n` each), their sizes told to the engine. */
async function realGroups(engine: FakeEngine, n: number, width: number, height: number): Promise<File[]> {
  const files: File[] = [];
  for (const g of ['a', 'b', 'c']) {
    for (let i = 1; i <= n; i++) {
      const name = `${g}-${i}.jpg`;
      engine.sizes.set(name, { width, height });
      files.push(await realPhoto(name, width, height));
    }
  }
  return files;
}

/** Resolves once the dialog's photo view shows its loaded photo (then returns it), or a sentence instead (then undefined). */
async function openedPhoto(m: Mounted): Promise<HTMLImageElement | undefined> {
  await settled(m.el);
  const view = deepQuery(m.el, 'fap-face-view >> fap-photo-view');
  assert.ok(view?.shadowRoot, 'the dialog has a photo view');
  const root = view.shadowRoot;
  // DOM changes inside the photo view's own shadow root, not time, say when the store was read.
  await until(() => root.querySelector('img, .no-preview, [role="alert"]') !== null, [root]);
  const img = root.querySelector('img');
  if (!img) return undefined;
  if (!img.complete) {
    await new Promise((ok, fail) => {
      img.addEventListener('load', ok, { once: true });
      img.addEventListener('error', () => fail(new Error(`the photo ${img.src} could not be shown`)), { once: true });
    });
  }
  assert.ok(img.naturalWidth > 0, `the photo ${img.src} is shown (${img.alt})`);
  return img;
}

describe('a face opens its photo', () => {
  let m: Mounted | undefined;
  afterEach(async () => {
    await unmount(m);
    m = undefined;
  });

  it('shows the stored preview (longer side 1,024 px) with the face box at the engine\'s place, from a gallery, the scatter and a split\'s strip', T, async () => {
    const engine = new FakeEngine();
    m = await mount({ engine, attributes: { k: '3' } });
    const files = await realGroups(engine, 4, 1600, 1200);
    await m.el.addFiles(files);
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const thumb = deepQuery<HTMLButtonElement>(m.el, 'fap-cluster-gallery >> button.face');
    assert.ok(thumb);
    thumb.click();
    await settled(m.el);
    const dialog = deepQuery<HTMLDialogElement>(m.el, 'fap-face-view >> dialog');
    assert.ok(dialog?.open, 'the face opens');
    const img = await openedPhoto(m);
    assert.ok(img, 'the photo is shown');
    assert.equal(img.naturalWidth, 1024, 'the preview is the photo scaled to 1,024 px on its longer side');
    assert.equal(img.naturalHeight, 768);
    const box = deepQuery<HTMLElement>(m.el, 'fap-face-view >> fap-photo-view >> .box');
    assert.ok(box, 'the face box is drawn');
    // The fake engine puts a one-face photo's box at (0, 0), 50 × 50 px of the 1600 × 1200 photo.
    assert.equal(box.style.left, '0%');
    assert.equal(box.style.top, '0%');
    assert.equal(parseFloat(box.style.width).toFixed(4), (50 / 1600 * 100).toFixed(4));
    assert.equal(parseFloat(box.style.height).toFixed(4), (50 / 1200 * 100).toFixed(4));
    // Drawn where the face is on screen: the box's rectangle is that share of the shown photo's.
    const shown = img.getBoundingClientRect();
    const drawn = box.getBoundingClientRect();
    assert.ok(Math.abs(drawn.width - shown.width * 50 / 1600) < 1.5, `box ${drawn.width} px wide on a ${shown.width} px photo`);
    assert.match(deepText(dialog), /[abc]-\d\.jpg · 1600 × 1200 px/, 'the file name and size are said');
    deepQuery<HTMLButtonElement>(m.el, 'fap-face-view >> button[name="close"]')!.click();
    // The dialog's close event comes in a task of its own: the photo view leaves once it has been handled.
    const faceView = deepQuery(m.el, 'fap-face-view') as HTMLElement;
    await until(() => faceView.shadowRoot?.querySelector('fap-photo-view') === null, [faceView.shadowRoot as ShadowRoot]);

    const plot = deepQuery(m.el, 'fap-pca-scatter >> .plot');
    assert.ok(plot);
    plot.focus();
    plot.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true }));
    plot.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await settled(m.el);
    assert.ok(deepQuery<HTMLDialogElement>(m.el, 'fap-face-view >> dialog')?.open, 'a point of the scatter opens its face');
    assert.equal((await openedPhoto(m))?.naturalWidth, 1024, 'with its photo');
    deepQuery<HTMLButtonElement>(m.el, 'fap-face-view >> button[name="close"]')!.click();
    await until(() => faceView.shadowRoot?.querySelector('fap-photo-view') === null, [faceView.shadowRoot as ShadowRoot]);

    const strip = deepQuery<HTMLButtonElement>(m.el, '[part="discovery"] li.split button.face');
    assert.ok(strip, 'a split\'s strip shows faces');
    strip.click();
    await settled(m.el);
    assert.ok(deepQuery<HTMLDialogElement>(m.el, 'fap-face-view >> dialog')?.open, 'a face of a strip opens');
    assert.equal((await openedPhoto(m))?.naturalWidth, 1024, 'with its photo');
  });

  it('makes each photo\'s preview from its own file when photos the model has already seen are dropped again with new ones', T, async () => {
    const engine = new FakeEngine();
    m = await mount({ engine });
    const first = await realGroups(engine, 2, 1600, 1200);
    await m.el.addFiles(first);
    await settled(m.el);
    // A reload: the element now knows which photos this model has seen, and skips them before the engine.
    m.el.remove();
    m = await mount({ engine, database: m.database });
    engine.sizes.set('n-1.jpg', { width: 800, height: 600 });
    await m.el.addFiles([first[0] as File, await realPhoto('n-1.jpg', 800, 600)]);
    await settled(m.el);
    const ws = (m.el as unknown as { session: Workspace }).session;
    const id = ws.collection?.faces.find((f) => ws.faceLabel(f.id) === 'n-1.jpg')?.id;
    assert.ok(id, 'the new photo\'s face is kept');
    const kept = await ws.facePhoto(id);
    assert.ok(kept?.preview, 'with a preview');
    assert.deepEqual([kept.preview.width, kept.preview.height], [800, 600], 'made from its own file, not from the photo dropped before it');
    assert.equal(engine.calls.at(-1)?.names.join(','), 'n-1.jpg', 'only the new photo went to the engine');
  });

  it('says so, beside the face, for a photo kept without a preview', T, async () => {
    m = await mount();
    // The fake photos are text: the page's decoder cannot read them, so they are kept without a preview, as photos
    // stored before previews existed are.
    await m.el.addFiles(['a-1.jpg', 'a-2.jpg', 'b-1.jpg', 'b-2.jpg', 'c-1.jpg', 'c-2.jpg'].map(photo));
    await untilState(m.el, 'clustered');
    await settled(m.el);
    deepQuery<HTMLButtonElement>(m.el, 'fap-cluster-gallery >> button.face')!.click();
    await settled(m.el);
    assert.equal(await openedPhoto(m), undefined);
    const text = deepText(deepQuery(m.el, 'fap-face-view >> dialog') as HTMLElement);
    assert.match(text, /Only the face is shown: no copy of [abc]-\d\.jpg is kept here \(it was added before photos were kept/);
    assert.ok(deepQuery(m.el, 'fap-face-view >> img.large'), 'the face itself is shown');
    assert.equal(deepQueryAll(m.el, 'fap-face-view >> fap-photo-view >> img').length, 0);
  });
});

/** The counts the element shows at this moment, read from what it renders. */
function shownCounts(el: HTMLElement): { storage: { photos: number; faces: number }; everyone: number | undefined; people: number | undefined; progress: { done: number; faces: number } | undefined } {
  const storageText = deepText(deepQuery(el, 'fap-storage-panel') as HTMLElement);
  const kept = /(\d+) photos? and (\d+) faces? kept/.exec(storageText);
  assert.ok(kept || /Nothing is kept yet/.test(storageText), `storage says what is kept: ${storageText}`);
  const everyone = deepQuery(el, 'select[name="scope"] option[value="all"]')?.textContent ?? undefined;
  const panel = deepQuery<HTMLElement & { people: PersonView[]; alone: string[] }>(el, 'fap-people');
  const counts = deepQuery(el, 'fap-progress >> .counts')?.textContent ?? undefined;
  // No face count is said while there is none.
  const progress = counts === undefined ? undefined : /(\d+) of \d+ photos(?: · (\d+) faces?)?/.exec(counts);
  if (counts !== undefined) assert.ok(progress, `the progress line counts photos and faces: ${counts}`);
  return {
    storage: { photos: Number(kept?.[1] ?? 0), faces: Number(kept?.[2] ?? 0) },
    everyone: everyone === undefined ? undefined : Number(/Everyone \((\d+)\)/.exec(everyone)?.[1]),
    people: panel ? panel.people.reduce((n, p) => n + p.group.faceIds.length, 0) + panel.alone.length : undefined,
    progress: progress ? { done: Number(progress[1]), faces: Number(progress[2] ?? 0) } : undefined,
  };
}

describe('counts while photos are added', () => {
  let m: Mounted | undefined;
  afterEach(async () => {
    await unmount(m);
    m = undefined;
  });

  it('agree with each other after every photo of a 60-photo batch (three chunks), and at the end', { timeout: 60_000 }, async () => {
    m = await mount();
    const el = m.el;
    const files = ['a', 'b', 'c'].flatMap((g) => Array.from({ length: 20 }, (_, i) => photo(`${g}-${i + 1}.jpg`)));
    m.engine.pause();
    const adding = el.addFiles(files);
    let checked = 0;
    let storedMidway = 0;
    for (let done = 1; done <= files.length; done++) {
      const reported = nextEvent(el, 'probe-progress', (e) => e.detail.done === done);
      m.engine.allow(1);
      await reported;
      await settled(el);
      const c = shownCounts(el);
      assert.ok(c.progress, `the progress line is shown after photo ${done}`);
      assert.equal(c.progress.done, done);
      // Every face count shown is the same number: what is kept now.
      assert.equal(c.progress.faces, c.storage.faces, `after photo ${done}: progress ${c.progress.faces} faces, storage ${c.storage.faces}`);
      assert.equal(c.storage.photos, c.storage.faces, `after photo ${done}: one face per photo, so as many photos as faces are kept`);
      if (c.storage.faces > 0) {
        assert.equal(c.everyone, c.storage.faces, `after photo ${done}: Everyone (${c.everyone}), storage ${c.storage.faces}`);
        assert.equal(c.people, c.storage.faces, `after photo ${done}: people and faces seen once hold ${c.people} faces, storage ${c.storage.faces}`);
        storedMidway = Math.max(storedMidway, done < files.length ? c.storage.faces : 0);
      }
      checked++;
    }
    await adding;
    await settled(el);
    const end = shownCounts(el);
    assert.equal(checked, 60);
    assert.ok(storedMidway >= 48, `faces were shown as their chunks were kept, before the end (${storedMidway})`);
    assert.deepEqual(end.storage, { photos: 60, faces: 60 });
    assert.equal(end.everyone, 60);
    assert.equal(end.people, 60);
  });
});
