/**
 * IndexedDB databases a Node test made (fake-indexeddb), deleted after each test so the next starts empty.
 */

/** Deletes every database in `names`; a blocked or failed deletion does not hold the test up. */
export async function deleteDatabases(names: readonly string[]): Promise<void> {
  for (const name of names) {
    await new Promise<void>((resolve) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    });
  }
}
