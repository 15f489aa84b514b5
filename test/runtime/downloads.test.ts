/** DownloadMeter: one "bytes so far of the total" over several parts that download. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DownloadMeter, type DownloadProgress } from '../../src/runtime/downloads.ts';

describe('DownloadMeter', () => {
  it('reports only once every part has said its files, with a total that then stays, up to the whole', () => {
    const reports: DownloadProgress[] = [];
    const meter = new DownloadMeter(2, (p) => reports.push(p));
    meter.plan([{ name: 'a.onnx', bytes: 1_000_000 }, { name: 'b.onnx', bytes: 500_000 }]);
    meter.progress('a.onnx', 300_000);
    assert.equal(reports.length, 0, 'nothing before the runtime said its size');
    meter.plan([{ name: 'runtime.wasm', bytes: 2_000_000 }]);
    assert.deepEqual(reports, [{ loaded: 300_000, total: 3_500_000 }]);
    meter.progress('runtime.wasm', 100_000);
    assert.equal(reports.length, 1, 'small steps are not each reported');
    meter.progress('runtime.wasm', 2_000_000);
    meter.progress('a.onnx', 1_000_000);
    meter.progress('b.onnx', 500_000);
    assert.deepEqual(reports.at(-1), { loaded: 3_500_000, total: 3_500_000 });
    assert.ok(reports.every((r) => r.total === 3_500_000));
  });

  it('grows a file whose size the server did not say to what arrived', () => {
    const reports: DownloadProgress[] = [];
    const meter = new DownloadMeter(1, (p) => reports.push(p));
    meter.plan([{ name: 'runtime.wasm', bytes: 0 }]);
    meter.progress('runtime.wasm', 400_000);
    assert.deepEqual(reports.at(-1), { loaded: 400_000, total: 400_000 });
  });
});
