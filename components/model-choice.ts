/**
 * Remembers, per database, which built-in face model the person picked, so a reload embeds with it again.
 * Kept in localStorage: a view preference, not data (every model's faces stay in IndexedDB whichever is picked).
 */

const key = (database: string): string => `face-attribute-probe:${database}:model`;

/** The model id last picked for `database`, or undefined. */
export function chosenModel(database: string): string | undefined {
  try {
    return localStorage.getItem(key(database)) ?? undefined;
  } catch {
    // No localStorage (a sandboxed frame, storage disabled): the element's `model` or the default is used.
    return undefined;
  }
}

/** Remembers `modelId` as picked for `database`; `undefined` forgets it (after Erase). */
export function rememberModel(database: string, modelId: string | undefined): void {
  try {
    if (modelId === undefined) localStorage.removeItem(key(database));
    else localStorage.setItem(key(database), modelId);
  } catch {
    // As in chosenModel: without localStorage only the choice across reloads is lost.
  }
}
