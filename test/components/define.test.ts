/**
 * Registering the elements tolerates a second copy of the package on one page: the first definition stays, a
 * different class under the same name only warns. And every element in components/ registers that way.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { customElement, defineOnce } from '../../components/define.ts';
import { projectRoot } from '../helpers/datasets.ts';

const g = globalThis as { customElements?: unknown };
let registry: Map<string, CustomElementConstructor>;
let warnings: string[];
const realWarn = console.warn;

beforeEach(() => {
  registry = new Map();
  warnings = [];
  // Node has no custom-element registry: a stand-in with the same get/define contract, throwing on a second define.
  g.customElements = {
    get: (name: string) => registry.get(name),
    define: (name: string, ctor: CustomElementConstructor) => {
      if (registry.has(name)) throw new DOMException(`"${name}" has already been used with this registry`, 'NotSupportedError');
      registry.set(name, ctor);
    },
  };
  console.warn = (...args: unknown[]) => { warnings.push(args.join(' ')); };
});

afterEach(() => {
  delete g.customElements;
  console.warn = realWarn;
});

const element = () => class extends Object {} as unknown as CustomElementConstructor;

test('the first definition is kept and a second copy of the class only warns, naming the element', () => {
  const first = element();
  const second = element();
  defineOnce('fap-test', first);
  assert.doesNotThrow(() => defineOnce('fap-test', second));
  assert.equal(registry.get('fap-test'), first);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /<fap-test> is already defined/);
});

test('defining the same class again is silent', () => {
  const only = element();
  defineOnce('fap-same', only);
  defineOnce('fap-same', only);
  assert.equal(warnings.length, 0);
});

test('the decorator registers through the guard and returns the class', () => {
  const first = element();
  assert.equal(customElement('fap-decorated')(first), first);
  const second = element();
  assert.equal(customElement('fap-decorated')(second), second);
  assert.equal(registry.get('fap-decorated'), first);
  assert.equal(warnings.length, 1);
});

test('every element in components/ registers with the guarded decorator, not Lit\'s', () => {
  const dir = join(projectRoot, 'components');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  const elements = files.filter((f) => /@customElement\(/.test(readFileSync(join(dir, f), 'utf8')));
  assert.ok(elements.includes('face-attribute-probe.ts'), 'the main element is found');
  for (const f of elements) {
    const text = readFileSync(join(dir, f), 'utf8');
    assert.doesNotMatch(text, /import\s*\{[^}]*\bcustomElement\b[^}]*\}\s*from\s*'lit\/decorators\.js'/, `${f} takes customElement from Lit`);
    assert.match(text, /import\s*\{\s*customElement\s*\}\s*from\s*'\.\/define\.ts'/, `${f} imports customElement from ./define.ts`);
    assert.doesNotMatch(text, /customElements\.define\(/, `${f} calls customElements.define directly`);
  }
});
