/**
 * The page bench/map.ts drives in headless Chromium: `<fap-face-map>` with the points it is given, and a
 * scripted pan-and-zoom measured frame by frame. Not shipped.
 */
import '../components/map/face-map-view.ts';
import type { FapFaceMap } from '../components/map/face-map-view.ts';
import { colourBy } from '../components/map/map-colours.ts';

/** Frame timings of a scripted pan and zoom: rAF-to-rAF intervals and the draw itself (waited for on the GPU). */
export interface FrameTimes {
  intervals: number[];
  draws: number[];
  renderer: string;
}

async function mountMap(points: Float32Array, labels: string[], thumbs: string[]): Promise<FapFaceMap> {
  const el = document.createElement('fap-face-map');
  el.style.width = '960px';
  el.ids = labels.map((_, i) => `face-${i}`);
  el.points = points;
  el.colouring = colourBy(labels, { rest: 'other people' });
  el.lookup = { thumb: (id) => thumbs.length ? thumbs[Number(id.slice(5)) % thumbs.length] : undefined, label: (id) => `${id}.jpg` };
  document.body.append(el);
  await el.updateComplete;
  await new Promise((r) => requestAnimationFrame(r));
  return el;
}

const frame = (): Promise<number> => new Promise((r) => requestAnimationFrame(r));

/** Pans and zooms for `frames` frames, drawing each and waiting for the GPU (a 1-pixel read) to time it. */
async function panZoom(el: FapFaceMap, frames: number): Promise<FrameTimes> {
  const canvas = el.shadowRoot?.querySelector('canvas') as HTMLCanvasElement;
  const gl = canvas.getContext('webgl2') as WebGL2RenderingContext;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  const pixel = new Uint8Array(4);
  const intervals: number[] = [];
  const draws: number[] = [];
  let last = await frame();
  for (let f = 0; f < frames; f++) {
    const t = f / frames;
    // Zoom in from 1× to 12× and back out while the centre circles the map.
    el.setView({ cx: 0.4 * Math.cos(6 * t), cy: 0.4 * Math.sin(6 * t), zoom: Math.exp(2.5 * Math.sin(Math.PI * t)) });
    const start = performance.now();
    el.drawNow();
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
    draws.push(performance.now() - start);
    const now = await frame();
    intervals.push(now - last);
    last = now;
  }
  return { intervals, draws, renderer };
}

(globalThis as unknown as { mapBench: unknown }).mapBench = {
  async run(points: number[], labels: string[], thumbs: string[], frames: number): Promise<FrameTimes> {
    const el = await mountMap(Float32Array.from(points), labels, thumbs);
    return panZoom(el, frames);
  },
  /** Mounts the map for a screenshot and hovers the point nearest map position (x, y). */
  async show(points: number[], labels: string[], thumbs: string[], x: number, y: number): Promise<void> {
    const el = await mountMap(Float32Array.from(points), labels, thumbs);
    el.setView({ cx: 0, cy: 0, zoom: 1 });
    const [sx, sy] = el.toScreen(x, y);
    el.hoverAt(sx, sy);
    await el.updateComplete;
    el.drawNow();
  },
};
