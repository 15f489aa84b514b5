/**
 * Correcting people in `<face-attribute-probe>` (real Chromium, real IndexedDB and kernel, a fake engine):
 * "Not this person" from the face dialog survives adding photos; "Not a face" leaves the counts; merging keeps
 * one name; the strictness slider regroups; Undo names what it undoes; and names, identities and corrections
 * survive a reload and an export/import. Run by people-corrections.browser.test.ts.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { FaceAttributeProbe } from '../../components/index.ts';
import type { PersonView } from '../../src/index.ts';
import { photo } from './fake-engine.ts';
import { deepQuery, deepQueryAll, deepText, mount, nextEvent, settled, unmount, untilState, type Mounted } from './helpers.ts';

const T = { timeout: 60_000 };

const series = (letter: string, from: number, to: number): File[] => Array.from({ length: to - from + 1 }, (_, i) => photo(`${letter}-${from + i}.jpg`));

/** The people the element shows. */
function people(el: FaceAttributeProbe): PersonView[] {
  return (deepQuery(el, 'fap-people') as unknown as { people: PersonView[] }).people;
}

/** The person tiles' texts, e.g. ["Colin Powell · 3", "Person 2 · 3"]. */
function tiles(el: FaceAttributeProbe): string[] {
  return deepQueryAll<HTMLButtonElement>(el, 'fap-people >> button.person').map((b) => (b.textContent ?? '').replace(/\s+/g, ' ').trim()).filter((t) => !/^All Everyone$|^Seen once/.test(t));
}

/** Opens the face of photo `name` from the clustering's galleries. */
async function openFace(el: FaceAttributeProbe, name: string): Promise<void> {
  const thumb = deepQueryAll<HTMLButtonElement>(el, 'fap-cluster-gallery >> button.face').find((b) => (b.getAttribute('aria-label') ?? '').startsWith(`${name},`));
  assert.ok(thumb, `${name} has a thumbnail in a gallery`);
  thumb.click();
  await settled(el);
  assert.ok(deepQuery<HTMLDialogElement>(el, 'fap-face-view >> dialog')?.open, 'the face dialog opened');
}

/** Presses a button and waits for the people to be grouped again. */
async function press(el: FaceAttributeProbe, selector: string): Promise<void> {
  const button = deepQuery<HTMLButtonElement>(el, selector);
  assert.ok(button, `${selector} is there`);
  assert.equal(button.disabled, false, `${selector} is enabled`);
  const regrouped = nextEvent(el, 'probe-people');
  button.click();
  await regrouped;
  await settled(el);
}

/** Chooses `value` in a select, as a person would. */
function choose(el: FaceAttributeProbe, selector: string, value: string): void {
  const select = deepQuery<HTMLSelectElement>(el, selector);
  assert.ok(select, `${selector} is there`);
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

const undoText = (el: FaceAttributeProbe): string | undefined => deepQuery<HTMLButtonElement>(el, 'fap-people-tools >> button[name="undo"]')?.textContent?.trim();

/** A new element on the same database (a reload). */
async function reload(m: Mounted): Promise<Mounted> {
  m.el.remove();
  const again = document.createElement('face-attribute-probe');
  again.database = m.database;
  again.engineFactory = async () => m.engine;
  const loaded = nextEvent(again, 'probe-clusters');
  document.body.append(again);
  await loaded;
  await settled(again);
  return { ...m, el: again };
}

describe('<face-attribute-probe>: correcting people', () => {
  let m: Mounted | undefined;
  afterEach(async () => {
    await unmount(m);
    m = undefined;
  });

  it('"Not this person" survives adding photos, a reload and an export/import; "Not a face" leaves the counts; Undo names what it undoes', T, async () => {
    m = await mount();
    await m.el.addFiles([...series('a', 1, 4), ...series('b', 1, 3), ...series('c', 1, 3)]);
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const a = people(m.el).find((p) => p.group.faceIds.length === 4);
    assert.ok(a, 'the four a photos are one person');
    await m.el.renamePerson(a.group.id, 'Colin Powell');
    await settled(m.el);
    assert.ok(tiles(m.el).includes('Colin Powell · 4'));
    assert.equal(undoText(m.el), undefined, 'nothing to undo yet');

    // The face dialog: "Not this person".
    await openFace(m.el, 'a-4.jpg');
    assert.match(deepText(deepQuery(m.el, 'fap-face-view')!), /Not this person/);
    await press(m.el, 'fap-face-view >> fap-face-corrections >> button[name="not-person"]');
    assert.ok(tiles(m.el).includes('Colin Powell · 3'), `tiles: ${tiles(m.el).join(', ')}`);
    assert.equal(undoText(m.el), 'Undo: not Colin Powell');
    assert.match(deepText(deepQuery(m.el, 'fap-face-view')!), /Person seen once/, 'the dialog shows the face seen once now');
    deepQuery<HTMLButtonElement>(m.el, 'fap-face-view >> button[name="close"]')!.click();

    // More photos of him: everyone is grouped again, and the face stays out.
    await m.el.addFiles(series('a', 5, 5));
    await settled(m.el);
    assert.ok(tiles(m.el).includes('Colin Powell · 4'), `tiles: ${tiles(m.el).join(', ')}`);
    assert.ok(!people(m.el).some((p) => p.group.faceIds.some((id) => m!.engine.names.get(id.split(':')[0]!) === 'a-4.jpg')));

    // "Not a face" leaves the counts.
    assert.match(deepText(m.el), /Everyone \(11\)/);
    await openFace(m.el, 'c-3.jpg');
    await press(m.el, 'fap-face-view >> fap-face-corrections >> button[name="not-face"]');
    assert.equal(deepQuery<HTMLDialogElement>(m.el, 'fap-face-view >> dialog')?.open, false, 'the dialog closes');
    assert.match(deepText(m.el), /Everyone \(10\)/);
    assert.ok(tiles(m.el).some((t) => / · 2$/.test(t)), 'its person has one face fewer');
    assert.equal(undoText(m.el), 'Undo: not a face');
    await press(m.el, 'fap-people-tools >> button[name="undo"]');
    assert.match(deepText(m.el), /Everyone \(11\)/, 'Undo brings it back');
    assert.equal(undoText(m.el), 'Undo: not Colin Powell');
    await openFace(m.el, 'c-3.jpg');
    await press(m.el, 'fap-face-view >> fap-face-corrections >> button[name="not-face"]');

    // A reload keeps names, identities and corrections.
    const before = people(m.el).map((p) => [p.group.id, p.group.name, p.group.faceIds.length]);
    m = await reload(m);
    assert.deepEqual(people(m.el).map((p) => [p.group.id, p.group.name, p.group.faceIds.length]), before);
    assert.equal(undoText(m.el), 'Undo: not a face');
    assert.match(deepText(m.el), /Everyone \(10\)/);

    // An export file carries them to an emptied database.
    const blob = await m.el.exportData();
    assert.ok(blob);
    await m.el.eraseAll();
    await untilState(m.el, 'empty');
    const loaded = nextEvent(m.el, 'probe-clusters', (e) => e.detail.reason === 'loaded');
    await m.el.importData(blob);
    await loaded;
    await settled(m.el);
    assert.deepEqual(people(m.el).map((p) => [p.group.id, p.group.name, p.group.faceIds.length]), before);
    assert.equal(undoText(m.el), 'Undo: not a face');
    // Grouping again after the import (more photos) still keeps a-4 out.
    await m.el.addFiles(series('a', 6, 6));
    await settled(m.el);
    assert.ok(tiles(m.el).includes('Colin Powell · 5'), `tiles: ${tiles(m.el).join(', ')}`);
  });

  it('moves a face to another person, merges two people under one name, regroups by strictness, and undoes each', T, async () => {
    m = await mount();
    await m.el.addFiles([...series('a', 1, 3), ...series('b', 1, 3), ...series('c', 1, 3)]);
    await untilState(m.el, 'clustered');
    await settled(m.el);
    const byLetter = (letter: string): PersonView => people(m!.el).find((p) => m!.engine.groupOf(p.group.faceIds[0]!) === letter)!;
    await m.el.renamePerson(byLetter('a').group.id, 'Ada');
    await m.el.renamePerson(byLetter('b').group.id, 'Bea');
    await settled(m.el);

    await openFace(m.el, 'c-1.jpg');
    choose(m.el, 'fap-face-view >> fap-face-corrections >> select[name="move-to"]', byLetter('a').group.id);
    await settled(m.el);
    await press(m.el, 'fap-face-view >> fap-face-corrections >> button[name="move"]');
    assert.ok(tiles(m.el).includes('Ada · 4'), `tiles: ${tiles(m.el).join(', ')}`);
    assert.equal(undoText(m.el), 'Undo: move to Ada');
    deepQuery<HTMLButtonElement>(m.el, 'fap-face-view >> button[name="close"]')!.click();

    choose(m.el, 'fap-people-tools >> select[name="merge-from"]', byLetter('b').group.id);
    choose(m.el, 'fap-people-tools >> select[name="merge-into"]', byLetter('a').group.id);
    await settled(m.el);
    await press(m.el, 'fap-people-tools >> button[name="merge-people"]');
    assert.ok(tiles(m.el).includes('Ada · 7'), `tiles: ${tiles(m.el).join(', ')}`);
    assert.ok(!tiles(m.el).some((t) => t.startsWith('Bea')), 'one name is kept');
    assert.equal(undoText(m.el), 'Undo: merge Bea into Ada');

    // The slider: looser, then back; the corrections hold.
    const slider = deepQuery<HTMLInputElement>(m.el, 'fap-people-tools >> input[name="strictness"]');
    assert.ok(slider);
    assert.match(deepText(deepQuery(m.el, 'fap-people-tools')!), /Stricter: more people.*Looser: fewer people/);
    const regrouped = nextEvent(m.el, 'probe-people');
    slider.value = '1.2';
    slider.dispatchEvent(new Event('change', { bubbles: true }));
    await regrouped;
    await settled(m.el);
    assert.equal(undoText(m.el), 'Undo: looser grouping');
    assert.ok(tiles(m.el).includes('Ada · 7'));
    await press(m.el, 'fap-people-tools >> button[name="undo"]');
    await press(m.el, 'fap-people-tools >> button[name="undo"]');
    assert.ok(tiles(m.el).includes('Bea · 3'), `Bea is back: ${tiles(m.el).join(', ')}`);
    assert.ok(tiles(m.el).includes('Ada · 4'));
    await press(m.el, 'fap-people-tools >> button[name="undo"]');
    assert.ok(tiles(m.el).includes('Ada · 3'));
    assert.equal(undoText(m.el), undefined);
  });
});
