/**
 * The map of every face inside `<face-attribute-probe>` (fake engine, real IndexedDB, the real map worker):
 * "Show the map" loads the map and draws every face coloured by person; photos added while it is open are
 * placed on the stored map; a group named on the map becomes the probe new faces are probed against, and the
 * map can be coloured by what that probe says and by each discovered split. Run by face-map.browser.test.ts.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { FapFaceMap, MapNameDetail } from '../../components/map/face-map-view.ts';
import type { FapMapSection } from '../../components/map/map-section.ts';
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

  it('names a group picked on the map as the probe of new faces, and colours the map by that probe and by a discovered split', async () => {
    mounted = await mount();
    const m = mounted;
    await m.el.addFiles(['a', 'b', 'c'].flatMap((g) => Array.from({ length: 5 }, (_, i) => photo(`${g}-${i + 1}.jpg`))));
    await untilState(m.el, 'clustered');
    deepQuery<HTMLButtonElement>(m.el, 'fap-map-launcher >> button[name="map"]')?.click();
    await frameUntil(() => (deepQuery<FapFaceMap>(m.el, 'fap-face-map')?.ids.length ?? 0) === 15, 'a map of 15 faces');
    const map = deepQuery<FapFaceMap>(m.el, 'fap-face-map') as FapFaceMap;
    const section = deepQuery<FapMapSection>(m.el, 'fap-map-section') as FapMapSection;
    const groupA = map.ids.filter((id) => map.lookup.label(id).startsWith('a-'));
    assert.equal(groupA.length, 5);
    // What the map's "Make a probe" button sends (the button itself is tested in face-map.portable.ts).
    map.dispatchEvent(new CustomEvent<MapNameDetail>('fap-map-name', { detail: { group: { name: 'group a', faceIds: groupA } }, bubbles: true, composed: true }));
    await frameUntil(() => map.naming?.state === 'done', `the probe was made (${map.naming?.text})`);
    assert.match(map.naming?.text ?? '', /Made a probe of "group a" \(5 faces\) against "not group a" \(10 faces\)/);
    assert.deepEqual(section.session?.splitProbe?.names, ['group a', 'not group a']);
    await frameUntil(() => /group a/.test(deepQuery(m.el, 'fap-probe-panel')?.shadowRoot?.textContent ?? ''), 'the probe panel offers the new names');

    const select = section.shadowRoot?.querySelector('select[name="colour"]') as HTMLSelectElement;
    select.dispatchEvent(new FocusEvent('focus'));
    await section.updateComplete;
    const offered = [...select.options].map((o) => o.value);
    assert.ok(offered.includes('probe:split'), `the probe is offered as a colouring: ${offered.join(', ')}`);
    select.value = 'probe:split';
    select.dispatchEvent(new Event('change'));
    await section.updateComplete;
    await map.updateComplete;
    const legend = (): string[] => [...(map.shadowRoot?.querySelectorAll('ul.legend li') ?? [])].map((li) => li.textContent?.trim() ?? '');
    assert.deepEqual(legend(), ['group a, says the probe (5)', 'not group a, says the probe (10)']);
    assert.match(section.shadowRoot?.textContent ?? '', /The probe's answers include the faces it was trained on/, 'it says these answers are no test of the probe');

    // Too small a selection is refused beside the map, in words.
    map.dispatchEvent(new CustomEvent<MapNameDetail>('fap-map-name', { detail: { group: { name: 'one', faceIds: groupA.slice(0, 1) } }, bubbles: true, composed: true }));
    await frameUntil(() => map.naming?.state === 'error', 'the refusal');
    assert.match(map.shadowRoot?.querySelector('.naming[role="alert"]')?.textContent ?? '', /No probe was made: select at least 2 faces to name a group; 1 is selected/);

    // A discovered split colours the map by its two sides.
    await section.session?.discover();
    select.dispatchEvent(new FocusEvent('focus'));
    await section.updateComplete;
    const split = [...select.options].find((o) => o.value.startsWith('split:'));
    assert.ok(split, `a split is offered: ${[...select.options].map((o) => o.textContent).join(' | ')}`);
    select.value = split.value;
    select.dispatchEvent(new Event('change'));
    await section.updateComplete;
    await map.updateComplete;
    const sides = legend();
    assert.ok(sides.some((l) => /^one side of split \d+ \(\d+\)$/.test(l)) && sides.some((l) => /^the other side of split \d+ \(\d+\)$/.test(l)), `its two sides: ${sides.join(', ')}`);

    // A long name in the menu does not stretch the menu across a wide page (a menu grows to its longest option).
    const long = 'faces with round glasses and a short beard, photographed outdoors in bright light';
    map.dispatchEvent(new CustomEvent<MapNameDetail>('fap-map-name', { detail: { group: { name: long, faceIds: groupA } }, bubbles: true, composed: true }));
    await frameUntil(() => map.naming?.state === 'done' && map.naming.text.includes('round glasses'), `the long-named probe was made (${map.naming?.text})`);
    // Hidden and shown again, the map's menu is made afresh with every option in it.
    const toggle = deepQuery<HTMLButtonElement>(m.el, 'fap-map-launcher >> button[name="map"]') as HTMLButtonElement;
    toggle.click();
    await frameUntil(() => deepQuery(m.el, 'fap-map-section') === null, 'the map hidden');
    toggle.click();
    await frameUntil(() => (deepQuery<FapFaceMap>(m.el, 'fap-face-map')?.ids.length ?? 0) === 15, 'the map shown again');
    const shown = deepQuery<FapMapSection>(m.el, 'fap-map-section') as FapMapSection;
    shown.style.width = '1100px';
    const menu = shown.shadowRoot?.querySelector('select[name="colour"]') as HTMLSelectElement;
    const named = [...menu.options].find((o) => o.textContent?.includes('round glasses'));
    assert.ok(named && named.textContent!.length > 60, `the long name is offered: ${named?.textContent}`);
    assert.ok(menu.offsetWidth <= 400, `the colour menu is ${menu.offsetWidth} px wide in a 1,100 px section`);
  });
});
