/**
 * Browser stand-in for `node:test`, so a test file written for node:test also runs under mocha in
 * Chromium. Only what portable tests use is mapped: describe/it/test, hooks, and t.skip().
 */
type Fn = (t: ShimContext) => unknown;
type Options = { skip?: boolean | string; todo?: boolean | string; timeout?: number };

interface MochaContext {
  skip(): void;
  timeout(ms: number): void;
}

/** The subset of node:test's TestContext that portable tests may use. */
export interface ShimContext {
  name: string;
  skip(message?: string): void;
  diagnostic(message: string): void;
  signal: AbortSignal;
}

const g = globalThis as unknown as {
  describe: (name: string, fn: () => void) => void;
  it: ((name: string, fn: (this: MochaContext) => unknown) => { timeout(ms: number): void }) & {
    skip: (name: string) => void;
  };
  before: (fn: () => unknown) => void;
  after: (fn: () => unknown) => void;
  beforeEach: (fn: () => unknown) => void;
  afterEach: (fn: () => unknown) => void;
};

function split(a: Options | Fn | undefined, b: Fn | undefined): [Options, Fn | undefined] {
  return typeof a === 'function' ? [{}, a] : [a ?? {}, b];
}

export function it(name: string, a?: Options | Fn, b?: Fn): void {
  const [options, fn] = split(a, b);
  if (options.skip || options.todo || !fn) {
    g.it.skip(name);
    return;
  }
  const test = g.it(name, function (this: MochaContext) {
    const controller = new AbortController();
    const mocha = this;
    const context: ShimContext = {
      name,
      skip: () => mocha.skip(),
      diagnostic: (message) => console.log(`# ${name}: ${message}`),
      signal: controller.signal,
    };
    return fn(context);
  });
  test.timeout(options.timeout ?? 120_000);
}

export const test = it;

export function describe(name: string, a?: Options | (() => void), b?: () => void): void {
  const fn = typeof a === 'function' ? a : b;
  if (fn) g.describe(name, fn);
}

export const suite = describe;
export const before = (fn: () => unknown): void => g.before(fn);
export const after = (fn: () => unknown): void => g.after(fn);
export const beforeEach = (fn: () => unknown): void => g.beforeEach(fn);
export const afterEach = (fn: () => unknown): void => g.afterEach(fn);
export default it;
