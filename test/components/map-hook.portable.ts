/**
 * The map of every face inside `<face-attribute-probe>` (fake engine, real IndexedDB, the real map worker):
 * "Show the map" loads the map and draws every face coloured by person; photos added while it is open are
 * placed on the stored map. Run by face-map.browser.test.ts.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { FapFaceMap } from '../../components/map/face-map-view.ts';
import { photo } from './fake-engine.ts';
import { deepQuery, mount, unmount, untilState, type Mounted } from './helpers.ts';

/** Waits, frame by frame, until `predicate()` holds (the map's parts sit in nested shadow roots). */
async function frameUntil(predicate: () => boolean, what: string, frames = 3000): Promise<void> {
  for (let i = 0; i < frames; i++) {
    if (predicate()) return;
    await new Promise((r) => requestAnimationFrame(r));
  }
  assert.fail(`${what} did not happen`);
}

let mounted: Mounted | undefined;
afterEach(async () => {
  const database = mounted?.database;
  await unmount(mounted);
  mounted = undefined;
  if (database) await new Promise<void>((ok, fail) => {
    const request = indexedDB.deleteDatabase(`${database}-map`);
    request.onsuccess = () => ok();
    request.onerror = () => fail(request.error);
  });
});

describe('the map in <face-attribute-probe>', () => {
  it('opens on demand, shows every face coloured by person, and places photos added later', async () => {
    mounted = await mount();
    const m = mounted;
    await m.el.addFiles(['a', 'b', 'c'].flatMap((g) => Array.from({ length: 5 }, (_, i) => photo(`${g}-${i + 1}.jpg`))));
    await untilState(m.el, 'clustered');
    assert.equal(deepQuery(m.el, 'fap-map-section'), null, 'the map is not loaded before it is opened');
    const open = deepQuery<HTMLButtonElement>(m.el, 'fap-map-launcher >> button[name="map"]');
    assert.ok(open, 'the "Map of every face" section offers to show the map');
    open.click();
    await frameUntil(() => (deepQuery<FapFaceMap>(m.el, 'fap-face-map')?.ids.length ?? 0) === 15, 'a map of 15 faces');
    const map = deepQuery<FapFaceMap>(m.el, 'fap-face-map') as FapFaceMap;
    const legend = [...(map.shadowRoot?.querySelectorAll('ul.legend li') ?? [])].map((li) => li.textContent?.trim());
    assert.equal(legend.length, 3, `three people in the legend: ${legend.join(', ')}`);
    assert.ok(legend.every((l) => / \(5\)$/.test(l ?? '')), `five faces each: ${legend.join(', ')}`);
    assert.match(deepQuery(m.el, 'fap-map-section')?.shadowRoot?.textContent ?? '', /UMAP of 15 faces, computed now/);
    await m.el.addFiles([photo('a-6.jpg'), photo('b-6.jpg')]);
    await frameUntil(() => (deepQuery<FapFaceMap>(m.el, 'fap-face-map')?.ids.length ?? 0) === 17, 'the map grew to 17 faces');
    assert.match(deepQuery(m.el, 'fap-map-section')?.shadowRoot?.textContent ?? '', /UMAP of 17 faces, new faces placed beside the faces they resemble \(2 placed\)/);
  });
});
