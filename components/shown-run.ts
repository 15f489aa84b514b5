/**
 * Remembers, per database, which clustering the element showed last, so a reload shows it again instead
 * of the newest. Kept in localStorage: it is a view preference, not data, and needs no schema.
 */

const key = (database: string): string => `face-attribute-probe:${database}:shown-run`;

/** The run id last shown for `database`, or undefined. */
export function shownRun(database: string): string | undefined {
  try {
    return localStorage.getItem(key(database)) ?? undefined;
  } catch {
    // No localStorage (a sandboxed frame, storage disabled): the newest clustering is shown instead.
    return undefined;
  }
}

/** Remembers `runId` as shown for `database`; `undefined` forgets it (after Erase). */
export function rememberShownRun(database: string, runId: string | undefined): void {
  try {
    if (runId === undefined) localStorage.removeItem(key(database));
    else localStorage.setItem(key(database), runId);
  } catch {
    // As in shownRun: without localStorage only the choice across reloads is lost.
  }
}
