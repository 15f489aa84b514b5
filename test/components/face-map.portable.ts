/**
 * The map of every face in real Chromium: `<fap-face-map>` draws points with WebGL2 where they are (and nothing
 * where there are none), colours them from the palette, shows the face under the pointer, selects faces in a
 * box, zooms and pans from the keyboard and the wheel; and the projection worker computes a map that keeps
 * neighbours. Run by face-map.browser.test.ts.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { neighbourScores, workerProjection } from '../../src/index.ts';
import '../../components/map/face-map-view.ts';
import type { FapFaceMap, MapNameDetail, MapSelectDetail } from '../../components/map/face-map-view.ts';
import { colourBy } from '../../components/map/map-colours.ts';
import { MAP_BACKGROUND } from '../../components/map/scatter-gl.ts';

/** Three tight groups of 300 points: a at (−0.5, −0.5), b at (0.5, 0.5), c at (0.5, −0.5); none at (−0.5, 0.5). */
const CENTRES = { a: [-0.5, -0.5], b: [0.5, 0.5], c: [0.5, -0.5] } as const;
const PER = 300;

function groups(): { ids: string[]; points: Float32Array; labels: string[] } {
  const ids: string[] = [];
  const labels: string[] = [];
  const points = new Float32Array(3 * PER * 2);
  let seed = 1;
  const rnd = (): number => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 4294967296 - 0.5; };
  Object.entries(CENTRES).forEach(([name, [x, y]], g) => {
    for (let i = 0; i < PER; i++) {
      const k = g * PER + i;
      ids.push(`${name}${i}`);
      labels.push(name);
      points[k * 2] = x + rnd() * 0.08;
      points[k * 2 + 1] = y + rnd() * 0.08;
    }
  });
  return { ids, points, labels };
}

let mounted: FapFaceMap | undefined;

async function mountMap(): Promise<FapFaceMap> {
  const { ids, points, labels } = groups();
  const el = document.createElement('fap-face-map');
  el.style.width = '600px';
  el.ids = ids;
  el.points = points;
  el.colouring = colourBy(labels);
  el.lookup = { thumb: () => undefined, label: (id) => `photo of ${id}` };
  document.body.append(el);
  mounted = el;
  await el.updateComplete;
  await new Promise((r) => requestAnimationFrame(r));
  el.drawNow();
  return el;
}

/** RGB (0–255) of the canvas at CSS px (x, y). */
function pixel(el: FapFaceMap, x: number, y: number): [number, number, number] {
  const canvas = el.shadowRoot?.querySelector('canvas') as HTMLCanvasElement;
  const scale = canvas.width / canvas.clientWidth;
  const copy = document.createElement('canvas');
  copy.width = canvas.width;
  copy.height = canvas.height;
  const ctx = copy.getContext('2d') as CanvasRenderingContext2D;
  ctx.drawImage(canvas, 0, 0);
  const d = ctx.getImageData(Math.round(x * scale), Math.round(y * scale), 1, 1).data;
  return [d[0] as number, d[1] as number, d[2] as number];
}

const background = MAP_BACKGROUND.map((v) => Math.round(v * 255));

afterEach(() => {
  mounted?.remove();
  mounted = undefined;
});

describe('<fap-face-map>', () => {
  it('draws points where they are, in their colour, and nothing where there are none', async () => {
    const el = await mountMap();
    const [ax, ay] = el.toScreen(...CENTRES.a);
    const lit = pixel(el, ax, ay);
    assert.ok(lit[0] + lit[1] + lit[2] > background.reduce((s, v) => s + v, 0) + 150, `group a's centre is lit: ${lit}`);
    // Every group holds 300 faces; the first legend colour (orange, #e69f00) has far more red than blue.
    assert.ok(lit[0] > lit[2] + 40, `group a is orange: ${lit}`);
    const [ex, ey] = el.toScreen(-0.5, 0.5);
    assert.deepEqual(pixel(el, ex, ey), background, 'an empty corner is the background');
    const legend = [...(el.shadowRoot?.querySelectorAll('ul.legend li') ?? [])].map((li) => li.textContent?.trim());
    assert.deepEqual(legend, ['a (300)', 'b (300)', 'c (300)']);
  });

  it('shows the face under the pointer and selects the faces in a box', async () => {
    const el = await mountMap();
    const points = groups().points;
    const [px, py] = el.toScreen(points[PER * 2 + 10] as number, points[PER * 2 + 11] as number);
    el.hoverAt(px, py);
    await el.updateComplete;
    const tip = el.shadowRoot?.querySelector('.tip');
    assert.ok(tip, 'a tip shows');
    assert.match(tip.textContent ?? '', /^\s*photo of b\d+\s*b\s*$/, 'its label, then its colour\'s meaning');
    const selected = new Promise<MapSelectDetail>((resolve) => el.addEventListener('fap-map-select', (e) => resolve((e as CustomEvent<MapSelectDetail>).detail), { once: true }));
    const [x0, y0] = el.toScreen(0.3, 0.7);
    const [x1, y1] = el.toScreen(0.7, 0.3);
    const canvas = el.shadowRoot?.querySelector('canvas') as HTMLCanvasElement;
    const r = canvas.getBoundingClientRect();
    const at = (type: string, x: number, y: number): boolean => canvas.dispatchEvent(new PointerEvent(type, { clientX: r.left + x, clientY: r.top + y, shiftKey: true, button: 0, bubbles: true, pointerId: 1 }));
    at('pointerdown', x0, y0);
    at('pointermove', x1, y1);
    at('pointerup', x1, y1);
    const detail = await selected;
    assert.equal(detail.ids.length, PER);
    assert.ok(detail.ids.every((id) => id.startsWith('b')));
    await el.updateComplete;
    assert.equal(el.shadowRoot?.querySelectorAll('.selection button.face').length, 60, 'the first 60 selected faces are listed, each opens its photo');
  });

  it('selects the faces inside an outline drawn with "Draw around faces", and Escape cancels an outline or a box being drawn', async () => {
    const el = await mountMap();
    const canvas = el.shadowRoot?.querySelector('canvas') as HTMLCanvasElement;
    const r = canvas.getBoundingClientRect();
    const at = (type: string, [x, y]: [number, number], shiftKey = false): boolean => canvas.dispatchEvent(new PointerEvent(type, { clientX: r.left + x, clientY: r.top + y, shiftKey, button: 0, bubbles: true, pointerId: 1 }));
    const key = (k: string): boolean => canvas.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
    const events: MapSelectDetail[] = [];
    el.addEventListener('fap-map-select', (e) => events.push((e as CustomEvent<MapSelectDetail>).detail));
    (el.shadowRoot?.querySelector('button[name="lasso"]') as HTMLButtonElement).click();
    await el.updateComplete;
    assert.equal(el.shadowRoot?.querySelector('button[name="lasso"]')?.getAttribute('aria-pressed'), 'true');
    // An outline like a 7 around groups b (top right) and c (bottom right) but not a (bottom left), whose
    // bounding box would hold a too: only a true outline test leaves a out.
    const outline: Array<[number, number]> = [[-0.75, 0.75], [0.75, 0.75], [0.75, -0.75], [0.3, -0.75], [0.3, 0.3], [-0.75, 0.3]].map(([x, y]) => el.toScreen(x as number, y as number));
    // Escape while drawing: nothing is selected and the outline goes.
    at('pointerdown', outline[0]!);
    at('pointermove', outline[1]!);
    await el.updateComplete;
    assert.ok(el.shadowRoot?.querySelector('svg.lasso polygon'), 'the outline shows while it is drawn');
    key('Escape');
    at('pointerup', outline[1]!);
    await el.updateComplete;
    assert.equal(events.length, 0, 'Escape cancelled the outline');
    assert.equal(el.shadowRoot?.querySelector('svg.lasso'), null);
    // Drawn in full around b and the right half of the bottom: b and c, not a.
    at('pointerdown', outline[0]!);
    for (const p of outline.slice(1)) at('pointermove', p);
    at('pointerup', outline.at(-1)!);
    assert.equal(events.length, 1);
    const ids = events[0]!.ids;
    assert.equal(ids.length, 2 * 300, 'b and c');
    assert.ok(ids.every((id) => id.startsWith('b') || id.startsWith('c')), 'and none of a, though a lies inside the outline\'s box');
    // Escape while drawing a box keeps the selection; Escape after clears it.
    at('pointerdown', el.toScreen(-0.7, -0.3), true);
    at('pointermove', el.toScreen(-0.3, -0.7), true);
    key('Escape');
    at('pointerup', el.toScreen(-0.3, -0.7), true);
    await el.updateComplete;
    assert.equal(events.length, 1, 'the box was cancelled');
    assert.match(el.shadowRoot?.querySelector('.selection')?.textContent ?? '', /600 faces selected/);
    key('Escape');
    await el.updateComplete;
    assert.doesNotMatch(el.shadowRoot?.querySelector('.selection')?.textContent ?? '', /faces selected/, 'a second Escape clears the selection');
  });

  it('names the selection against the other faces or a second selection, refuses one face, and opens every selected face', async () => {
    const el = await mountMap();
    const names: MapNameDetail[] = [];
    el.addEventListener('fap-map-name', (e) => names.push((e as CustomEvent<MapNameDetail>).detail));
    const opened: string[] = [];
    el.addEventListener('fap-open-face', (e) => opened.push((e as CustomEvent<{ faceId: string }>).detail.faceId));
    const root = el.shadowRoot as ShadowRoot;
    const nameAs = async (name: string, button: string): Promise<void> => {
      await el.updateComplete;
      (root.querySelector('input[name="group-name"]') as HTMLInputElement).value = name;
      (root.querySelector(`button[name="${button}"]`) as HTMLButtonElement).click();
      await el.updateComplete;
    };
    const box = (x0: number, y0: number, x1: number, y1: number): void => {
      const [a, b] = el.toScreen(x0, y0);
      const [c, d] = el.toScreen(x1, y1);
      el.selectBox(a, b, c, d);
    };
    // One face: refused in words, nothing sent.
    const points = groups().points;
    // A face with no other within 0.002 of it.
    const alone = Array.from({ length: 3 * PER }, (_, i) => i).find((i) => Array.from({ length: 3 * PER }, (_, j) => j)
      .every((j) => j === i || Math.hypot((points[i * 2] as number) - (points[j * 2] as number), (points[i * 2 + 1] as number) - (points[j * 2 + 1] as number)) > 0.002)) as number;
    const [px, py] = [points[alone * 2] as number, points[alone * 2 + 1] as number];
    box(px - 0.0005, py - 0.0005, px + 0.0005, py + 0.0005);
    await el.updateComplete;
    assert.match(root.querySelector('.selection')?.textContent ?? '', /^\s*1 face selected\./);
    await nameAs('lonely', 'name-group');
    assert.equal(names.length, 0, JSON.stringify(names));
    assert.match(root.querySelector('.naming[role="alert"]')?.textContent ?? '', /Select at least 2 faces to name a group; 1 is selected/);
    // Group b against every other face.
    box(0.3, 0.7, 0.7, 0.3);
    await nameAs('bright', 'name-group');
    assert.equal(names.length, 1);
    assert.equal(names[0]!.group.name, 'bright');
    assert.equal(names[0]!.group.faceIds.length, 300);
    assert.equal(names[0]!.against, undefined, 'against the other faces');
    // Group a, kept, then group c to compare it with.
    box(-0.7, -0.3, -0.3, -0.7);
    await nameAs('left', 'name-then-compare');
    assert.match(root.querySelector('.selection')?.textContent ?? '', /First group: left \(300 faces\)\. Now select the faces to compare it with/);
    box(0.3, -0.3, 0.7, -0.7);
    await nameAs('right', 'name-group');
    assert.equal(names.length, 2);
    assert.equal(names[1]!.group.name, 'left');
    assert.ok(names[1]!.group.faceIds.every((id) => id.startsWith('a')));
    assert.equal(names[1]!.against?.name, 'right');
    assert.ok(names[1]!.against?.faceIds.length === 300 && names[1]!.against.faceIds.every((id) => id.startsWith('c')));
    // The section's answer shows beside the map.
    el.naming = { state: 'done', text: 'Made a probe of "left".' };
    await el.updateComplete;
    assert.match(root.querySelector('.naming[role="status"]')?.textContent ?? '', /Made a probe of "left"/);
    // Every selected face can be reached and opened, 60 at first, then more.
    assert.equal(root.querySelectorAll('.faces button.face').length, 60);
    (root.querySelector('button[name="more"]') as HTMLButtonElement).click();
    await el.updateComplete;
    assert.equal(root.querySelectorAll('.faces button.face').length, 300);
    (root.querySelectorAll('.faces button.face')[299] as HTMLButtonElement).click();
    assert.equal(opened.length, 1);
    assert.ok(opened[0]!.startsWith('c'));
  });

  it('shows where faces are dense: a patch of 2,000 faces is brighter than a patch of 10, though both overlap', async () => {
    // Same colour, same patch size (0.02 across: a few px), at (-0.5, 0) and (0.5, 0); 90 more faces far apart.
    let seed = 7;
    const rnd = (): number => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 4294967296 - 0.5; };
    const xy: number[] = [];
    for (let i = 0; i < 2000; i++) xy.push(-0.5 + rnd() * 0.02, rnd() * 0.02);
    for (let i = 0; i < 10; i++) xy.push(0.5 + rnd() * 0.02, rnd() * 0.02);
    for (let i = 0; i < 90; i++) xy.push(rnd() * 1.8, 0.5 + rnd() * 0.4);
    const el = document.createElement('fap-face-map');
    el.style.width = '600px';
    el.ids = Array.from({ length: xy.length / 2 }, (_, i) => `f${i}`);
    el.points = Float32Array.from(xy);
    el.colouring = colourBy(el.ids.map(() => 'everyone'));
    document.body.append(el);
    mounted = el;
    await el.updateComplete;
    el.drawNow();
    const brightness = (x: number, y: number): number => {
      const [sx, sy] = el.toScreen(x, y);
      let sum = 0;
      for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) sum += pixel(el, sx + dx, sy + dy).reduce((a, b) => a + b, 0);
      return sum / 9;
    };
    const dense = brightness(-0.5, 0);
    const sparse = brightness(0.5, 0);
    const ground = background.reduce((a, b) => a + b, 0);
    assert.ok(sparse > ground + 40, `the patch of 10 shows: ${sparse} over the ground's ${ground}`);
    assert.ok(dense - ground > 1.4 * (sparse - ground), `the patch of 2,000 is brighter than the patch of 10: ${dense} against ${sparse} (ground ${ground})`);
  });

  it('zooms with the keys, the buttons and the wheel, and pans with the arrow keys', async () => {
    const el = await mountMap();
    const canvas = el.shadowRoot?.querySelector('canvas') as HTMLCanvasElement;
    const key = (k: string): boolean => canvas.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
    key('+');
    assert.equal(el.getView().zoom, 1.5);
    (el.shadowRoot?.querySelector('button[name=zoom-out]') as HTMLButtonElement).click();
    assert.equal(el.getView().zoom, 1);
    canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: -200, clientX: canvas.getBoundingClientRect().left + 10, clientY: canvas.getBoundingClientRect().top + 10, bubbles: true, cancelable: true }));
    assert.ok(el.getView().zoom > 1.2, `wheel zoomed to ${el.getView().zoom}`);
    key('0');
    key('ArrowRight');
    assert.ok(el.getView().cx > 0, 'the view moved right');
    // After zooming in on group c, its pixels are still lit where the map says it is.
    el.setView({ cx: CENTRES.c[0], cy: CENTRES.c[1], zoom: 4 });
    const [cx, cy] = el.toScreen(...CENTRES.c);
    const lit = pixel(el, cx, cy);
    assert.ok(lit[0] + lit[1] + lit[2] > 200, `group c's centre is lit when zoomed in: ${lit}`);
  });
});

describe('the map worker', () => {
  it('computes a map that keeps neighbours, off the page\'s thread', async () => {
    // 4 clusters of 50 points in 16 dimensions.
    const d = 16;
    let seed = 3;
    const rnd = (): number => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 4294967296 - 0.5; };
    const centres = Array.from({ length: 4 }, () => Array.from({ length: d }, rnd));
    const vectors = new Float32Array(200 * d);
    for (let i = 0; i < 200; i++) for (let t = 0; t < d; t++) vectors[i * d + t] = (centres[i % 4]?.[t] as number) + rnd() * 0.05;
    const progress: string[] = [];
    const map = await workerProjection(new URL('face-probe-map-worker.js', location.href)).project(vectors, d, { onProgress: (p) => progress.push(p.phase) });
    assert.equal(map.length, 400);
    assert.ok(progress.includes('layout'), 'progress came back from the worker');
    const scores = neighbourScores(vectors, d, map, 2, { k: 10 });
    assert.ok(scores.trustworthiness > 0.8, `trustworthiness ${scores.trustworthiness}`);
    const controller = new AbortController();
    const pending = workerProjection(new URL('face-probe-map-worker.js', location.href)).project(vectors, d, { signal: controller.signal });
    controller.abort();
    await assert.rejects(pending, { name: 'AbortError' });
  });
});
