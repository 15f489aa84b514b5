/**
 * Page side of bench/hostile-import-browser.ts: imports a hostile export file into a fresh store, on the
 * main thread (FaceStore.importFromBlob) or in the import worker (importInWorker), while a MessageChannel
 * heartbeat measures the longest time the main thread could not run anything.
 */
import { FaceStore, importInWorker } from '../src/store/index.ts';
import { bloatedRecordExport, hostileExport } from '../test/store/fixtures.ts';

/** What one run measured. */
export interface HostileRun {
  where: 'main' | 'worker';
  fileMB: number;
  seconds: number;
  /** Longest gap between heartbeats on the main thread, ms. */
  longestBlockMs: number;
  outcome: string;
}

async function run(megabytes: number, key: string, where: 'main' | 'worker'): Promise<HostileRun> {
  const entries = Math.floor((megabytes * 1024 * 1024) / 5);
  const file = new Blob([(key === 'bloated' ? bloatedRecordExport(entries) : hostileExport(entries, key)) as BlobPart]);
  const store = await FaceStore.open(`hostile-${where}-${Date.now()}`);
  const channel = new MessageChannel();
  let last = performance.now();
  let longest = 0;
  let beating = true;
  let stopped = (): void => {};
  const lastBeat = new Promise<void>((resolve) => (stopped = resolve));
  channel.port1.onmessage = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (beating) channel.port2.postMessage(0);
    else stopped();
  };
  channel.port2.postMessage(0);
  const start = performance.now();
  const importing = where === 'main' ? store.importFromBlob(file) : importInWorker(file, { workerUrl: './import-worker.js', dbName: store.name });
  const outcome = await importing.then(
    () => 'imported (!)',
    (error: unknown) => `${(error as Error).name}: ${(error as Error).message.slice(0, 120)}`,
  );
  const seconds = (performance.now() - start) / 1000;
  // The beat that was waiting while the import held the thread comes after this continuation: count it too.
  beating = false;
  await lastBeat;
  store.close();
  indexedDB.deleteDatabase(store.name);
  return { where, fileMB: Math.round(file.size / 1048576), seconds: Math.round(seconds * 100) / 100, longestBlockMs: Math.round(longest), outcome };
}

(globalThis as unknown as { hostileBench: { run: typeof run } }).hostileBench = { run };
