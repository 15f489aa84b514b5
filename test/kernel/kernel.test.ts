/**
 * The kernel suite in Node (kernel.portable.ts), plus what only Node can arrange: a process whose
 * WebAssembly lacks SIMD, to check that loadKernel() falls back to the reference and says why.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../helpers/datasets.ts';
import './kernel.portable.ts';

describe('kernel loader without WebAssembly SIMD (child process)', () => {
  it('falls back to the reference with a reason, and refuses an explicit wasm-simd', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fap-kernel-nosimd-'));
    try {
      const script = join(dir, 'no-simd.mts');
      writeFileSync(script, `
        // This engine "lacks" SIMD: every module that uses a v128 type or instruction fails validation.
        const validate = WebAssembly.validate;
        WebAssembly.validate = (bytes) => !Buffer.from(bytes).includes(0x7b) && validate(bytes);
        const { loadKernel, kernelInfo } = await import(${JSON.stringify(join(projectRoot, 'src/kernel/index.ts'))});
        const kernel = await loadKernel();
        const info = kernelInfo();
        let explicit = '';
        try { await loadKernel({ backend: 'wasm-simd' }); } catch (e) { explicit = e.name + ': ' + e.message; }
        const d = kernel.l2sqOneToMany(new Float32Array([1, 2]), new Float32Array([1, 2, 4, 6]), 2);
        console.log(JSON.stringify({ backend: kernel.backend, info, explicit, d: Array.from(d) }));
      `);
      const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: projectRoot, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
        backend: string; info: { simd: boolean; backend: string; fallbackReason: string }; explicit: string; d: number[];
      };
      assert.equal(out.backend, 'js-reference');
      assert.equal(out.info.simd, false);
      assert.equal(out.info.backend, 'js-reference');
      assert.match(out.info.fallbackReason, /SIMD \(v128\) is not available/);
      assert.match(out.explicit, /^UnsupportedEnvironmentError: WebAssembly SIMD/);
      assert.deepEqual(out.d, [0, 25]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
