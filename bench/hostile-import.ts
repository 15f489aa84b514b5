/**
 * A hostile export file against import, in Node on fake-indexeddb:
 * `node --import tsx bench/hostile-import.ts [MB] [key]` builds a file of about MB megabytes (default 20)
 * whose records section is a list of 5-byte empty Uint8Arrays under `key` (default 'photos'; a name the
 * import does not read, e.g. 'unread', is stepped over; 'bloated' puts them inside one photo record, which
 * is built before it is checked and so meets the decoder's memory budget) (the header's counts and checksums are right, so only the records are wrong), imports
 * it, and prints how long the refusal took and the process's peak resident memory (maxRSS) before and after.
 */
import 'fake-indexeddb/auto';
import { FaceStore } from '../src/store/index.ts';
import { bloatedRecordExport, hostileExport } from '../test/store/fixtures.ts';

const megabytes = Number(process.argv[2] ?? 20);
const entries = Math.floor((megabytes * 1024 * 1024) / 5);
const key = process.argv[3] ?? 'photos';

const file = key === 'bloated' ? bloatedRecordExport(entries) : hostileExport(entries, key);
const store = await FaceStore.open(`hostile-${Date.now()}`);
const rssBefore = process.resourceUsage().maxRSS / 1024;
const start = performance.now();
const outcome = await store.importFromBytes(file).then(
  () => 'imported (!)',
  (error: unknown) => `${(error as Error).name}: ${(error as Error).message.slice(0, 160)}`,
);
const seconds = (performance.now() - start) / 1000;
const rssAfter = process.resourceUsage().maxRSS / 1024;
store.close();
console.log(JSON.stringify({ key, fileMB: +(file.length / 1048576).toFixed(1), entries, seconds: +seconds.toFixed(2), peakRssMBBefore: Math.round(rssBefore), peakRssMBAfter: Math.round(rssAfter), outcome }, null, 1));
