/**
 * Helpers for the component tests in Chromium: mount `<face-attribute-probe>` with an injected engine and a
 * fresh database, wait for events and states (event- and mutation-driven, never timed sleeps), and reach
 * into the shadow roots.
 */
import '../../components/index.ts';
import type { EngineFactory, EngineRequest, FaceAttributeProbe, ProbeEventMap, ProbeState } from '../../components/index.ts';
import { FakeEngine } from './fake-engine.ts';

let counter = 0;

/** A database name no other test uses. */
export function uniqueDatabase(): string {
  counter++;
  return `fap-component-test-${Date.now().toString(36)}-${counter}`;
}

/** Resolves with the next `type` event from `target` that passes `accept`. */
export function nextEvent<K extends keyof ProbeEventMap>(
  target: EventTarget, type: K, accept: (event: ProbeEventMap[K]) => boolean = () => true,
): Promise<ProbeEventMap[K]> {
  return new Promise((ok) => {
    const listener = (event: Event): void => {
      if (!accept(event as ProbeEventMap[K])) return;
      target.removeEventListener(type, listener);
      ok(event as ProbeEventMap[K]);
    };
    target.addEventListener(type, listener);
  });
}

/** Resolves once `predicate()` holds, re-checking after every DOM change under `root` (shadow roots included via `watch`). */
export function until(predicate: () => boolean, watch: Node[]): Promise<void> {
  if (predicate()) return Promise.resolve();
  return new Promise((ok) => {
    const observer = new MutationObserver(() => {
      if (!predicate()) return;
      observer.disconnect();
      ok();
    });
    for (const node of watch) observer.observe(node, { attributes: true, childList: true, subtree: true, characterData: true });
  });
}

/** Resolves once the element's `state` attribute is `state`. */
export function untilState(el: FaceAttributeProbe, state: ProbeState): Promise<void> {
  return until(() => el.getAttribute('state') === state, [el]);
}

/** What {@link mount} returns. */
export interface Mounted {
  el: FaceAttributeProbe;
  engine: FakeEngine;
  /** Every request the engine factory received. */
  requests: EngineRequest[];
  database: string;
}

/** Options for {@link mount}. */
export interface MountOptions {
  engine?: FakeEngine;
  factory?: EngineFactory;
  database?: string;
  attributes?: Record<string, string>;
  /** Wait for the engine too (default true; false when the factory is meant to fail). */
  waitForEngine?: boolean;
}

/** Creates the element with an injected engine and a fresh database, appends it, and waits until it is open. */
export async function mount(options: MountOptions = {}): Promise<Mounted> {
  const engine = options.engine ?? new FakeEngine();
  const requests: EngineRequest[] = [];
  const el = document.createElement('face-attribute-probe');
  const database = options.database ?? uniqueDatabase();
  el.database = database;
  for (const [name, value] of Object.entries(options.attributes ?? {})) el.setAttribute(name, value);
  el.engineFactory = options.factory ?? (async (request) => {
    requests.push(request);
    return engine;
  });
  const opened = nextEvent(el, 'probe-storage');
  const ready = options.waitForEngine === false ? Promise.resolve() : nextEvent(el, 'probe-ready');
  document.body.append(el);
  await Promise.all([opened, ready]);
  return { el, engine, requests, database };
}

/** Removes the element and deletes its database. */
export async function unmount(mounted: Mounted | undefined): Promise<void> {
  if (!mounted) return;
  mounted.el.remove();
  await new Promise<void>((ok, fail) => {
    const request = indexedDB.deleteDatabase(mounted.database);
    request.onsuccess = () => ok();
    request.onerror = () => fail(request.error);
    // A connection still closing delays the deletion; it completes once that connection is gone.
    request.onblocked = () => undefined;
  });
}

/** Elements matching `selector` in `scope` and in every shadow root below it. */
function collect<T extends Element>(scope: Element | ShadowRoot, selector: string): T[] {
  const root = scope instanceof Element ? scope.shadowRoot ?? scope : scope;
  const out = [...root.querySelectorAll<T>(selector)];
  for (const child of root.querySelectorAll('*')) if (child.shadowRoot) out.push(...collect<T>(child.shadowRoot, selector));
  return out;
}

/**
 * Every element matching `selector` across the element's shadow roots. `a >> b` finds the `a` elements,
 * then the `b` elements inside their shadow roots (CSS descendant combinators stop at shadow boundaries).
 */
export function deepQueryAll<T extends Element = HTMLElement>(root: Element | ShadowRoot, selector: string): T[] {
  const [first, ...rest] = selector.split('>>').map((part) => part.trim());
  let found: Element[] = collect(root, first as string);
  for (const part of rest) found = found.flatMap((host) => (host.shadowRoot ? collect(host.shadowRoot, part) : []));
  return found as T[];
}

/** The first match of {@link deepQueryAll}, or null. */
export function deepQuery<T extends Element = HTMLElement>(root: Element | ShadowRoot, selector: string): T | null {
  return deepQueryAll<T>(root, selector)[0] ?? null;
}

const INLINE = new Set(['STRONG', 'EM', 'CODE', 'SPAN', 'A', 'B', 'I', 'SMALL']);

/** The text of the element, shadow roots included, with a space between block-level parts and whitespace collapsed. */
export function deepText(root: Element | ShadowRoot): string {
  const scope = root instanceof Element ? root.shadowRoot ?? root : root;
  let text = '';
  const walk = (node: Node): void => {
    if (node.nodeType === Node.TEXT_NODE) text += node.textContent ?? '';
    if (node instanceof Element && node.shadowRoot) walk(node.shadowRoot);
    for (const child of node.childNodes) walk(child);
    if (node instanceof Element && !INLINE.has(node.tagName)) text += ' ';
  };
  walk(scope);
  return text.replace(/\s+/g, ' ').trim();
}

/** Lit's updates are asynchronous: resolves after the element and its children rendered. */
export async function settled(el: FaceAttributeProbe): Promise<void> {
  await el.updateComplete;
  for (const child of deepQueryAll(el, '*')) {
    const update = (child as Partial<{ updateComplete: Promise<unknown> }>).updateComplete;
    if (update) await update;
  }
}
