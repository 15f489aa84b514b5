/**
 * Registers the package's custom elements so that a second copy of the package on the same page (two bundles,
 * or a bundle and the standalone script) does not throw: the first copy's element is kept and the second
 * copy warns, as Shoelace does.
 */

/**
 * Defines `name` as `constructor` unless it is already defined. A different class under the same name (another
 * copy or version of this package) is left in place, with a console warning naming the element.
 */
export function defineOnce(name: string, constructor: CustomElementConstructor): void {
  const registry = globalThis.customElements;
  const existing = registry.get(name);
  if (existing === undefined) {
    registry.define(name, constructor);
    return;
  }
  if (existing !== constructor) {
    console.warn(`<${name}> is already defined, probably by another copy of face-attribute-probe on this page; `
      + 'the first definition is kept and this copy is not registered.');
  }
}

/**
 * A class decorator (the legacy, `experimentalDecorators` kind Lit's own `@customElement` is) that registers the
 * class with {@link defineOnce}. Named like Lit's decorator so the custom-elements manifest analyzer reads it.
 */
export function customElement(name: string) {
  return <T extends CustomElementConstructor>(target: T): T => {
    defineOnce(name, target);
    return target;
  };
}
