/** The records codec and CRC-32 behind the export file. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../../src/errors.ts';
import { MAX_DEPTH, decodeLists, decodeValue, encodeValue } from '../../src/store/codec.ts';
import { crc32, crc32Update } from '../../src/store/crc32.ts';
import { rng } from './fixtures.ts';

describe('codec', () => {
  it('round-trips every supported kind exactly, including -0, typed arrays and undefined properties', () => {
    const value = {
      n: null,
      u: undefined,
      t: true,
      f: false,
      num: [0, -0, 1.5, -1e308, 5e-324, Number.MAX_SAFE_INTEGER, Infinity],
      s: ['', 'plain', 'ünï©ødé 👩‍🔬', 'a'.repeat(70_000)],
      bytes: Uint8Array.of(0, 255, 7),
      f32: Float32Array.of(-0, 1 / 3, 3.4e38),
      i32: Int32Array.of(-2147483648, 0, 2147483647),
      f64: Float64Array.of(Math.PI, -0),
      view: new Float32Array(new Float32Array([9, 8, 7, 6]).buffer, 4, 2),
      nested: { deeper: [{ empty: {} }, []] },
    };
    const back = decodeValue(encodeValue(value)) as typeof value;
    assert.deepEqual(back, value);
    assert.ok(Object.is((back.num as number[])[1], -0));
    assert.ok(Object.is(back.f32[0], -0));
    assert.ok('u' in back);
    assert.deepEqual(back.view, Float32Array.of(8, 7));
  });

  it('refuses values it cannot carry, naming where they are', () => {
    for (const [bad, kind] of [
      [{ when: new Date(0) }, 'Date'],
      [{ list: [new Map()] }, 'Map'],
      [{ f: () => 1 }, 'function'],
      [{ big: 1n }, 'bigint'],
      [{ arr: new Uint16Array(2) }, 'Uint16Array'],
    ] as const) {
      assert.throws(() => encodeValue(bad), (e: unknown) => e instanceof InvalidInputError && e.message.includes(kind) && e.message.startsWith('$.'));
    }
  });

  it('rejects hostile bytes without allocating what they claim', () => {
    const ok = encodeValue({ a: [1, 2, 3], s: 'text', v: Float32Array.of(1, 2) });
    const cases: [string, Uint8Array][] = [
      ['empty', new Uint8Array(0)],
      ['unknown tag', Uint8Array.of(99)],
      ['truncated', ok.subarray(0, ok.length - 3)],
      ['trailing bytes', Uint8Array.of(...ok, 0)],
      ['huge array', Uint8Array.of(6, 0xff, 0xff, 0xff, 0x7f)],
      ['huge string', Uint8Array.of(5, 0xff, 0xff, 0xff, 0xff)],
      ['huge Float32Array', Uint8Array.of(9, 0xff, 0xff, 0xff, 0x3f)],
      ['bad UTF-8', Uint8Array.of(5, 2, 0, 0, 0, 0xc3, 0x28)],
      ['__proto__ key', Uint8Array.of(7, 1, 0, 0, 0, 9, 0, 0, 0, ...new TextEncoder().encode('__proto__'), 0)],
      ['deep nesting', Uint8Array.from({ length: 200 }, (_, i) => (i % 5 === 0 ? 6 : i % 5 === 1 ? 1 : 0))],
    ];
    for (const [label, bytes] of cases) {
      assert.throws(() => decodeValue(bytes), (e: unknown) => e instanceof InvalidInputError && e.details?.reason === 'malformed', label);
    }
  });
});

describe('codec: bounded decoding', () => {
  const isMalformed = (pattern: RegExp) => (e: unknown): boolean =>
    e instanceof InvalidInputError && e.details?.reason === 'malformed' && pattern.test(e.message);

  it('refuses values that would take far more memory than their bytes, before building them all', () => {
    // 200,000 empty Uint8Arrays: 1 MB encoded, ~20 MB as JS objects and ArrayBuffers.
    const count = 200_000;
    const bytes = new Uint8Array(5 + count * 5);
    bytes[0] = 6;
    new DataView(bytes.buffer).setUint32(1, count, true);
    for (let i = 0; i < count; i++) bytes[5 + i * 5] = 8;
    assert.throws(() => decodeValue(bytes), isMalformed(/memory/));
    // The same values fit a budget made for them, so it is the budget that refused them.
    assert.equal((decodeValue(bytes, { budgetFactor: 256 }) as unknown[]).length, count);
  });

  it('decodes lists of records checking each one as it is read, and their lengths against the declared counts', () => {
    const bytes = encodeValue({ good: [{ a: 1 }, { a: 2 }], bad: [{ a: 1 }, 'not a record', { a: 3 }], skipped: [1, 2] });
    const seen: number[] = [];
    const record = (value: unknown, i: number): unknown => {
      seen.push(i);
      if (typeof value !== 'object') throw new InvalidInputError(`item ${i} is not a record`);
      return value;
    };
    assert.deepEqual(decodeLists(bytes, { good: { count: 2, item: record } }), { good: [{ a: 1 }, { a: 2 }] });
    seen.length = 0;
    assert.throws(() => decodeLists(bytes, { good: { count: 2, item: record }, bad: { count: 3, item: record } }), /item 1 is not a record/);
    assert.deepEqual(seen, [0, 1, 0, 1], 'the check stopped at the first bad record');
    assert.throws(() => decodeLists(bytes, { good: { count: 3, item: record } }), isMalformed(/holds 2 records but the header declares 3/));
    assert.throws(() => decodeLists(bytes, { missing: { count: 0, item: record } }), isMalformed(/no missing list/));
    assert.throws(() => decodeLists(encodeValue([1]), { good: { count: 0, item: record } }), isMalformed(/an object of lists/));
  });

  it(`refuses nesting deeper than ${MAX_DEPTH} levels with a clear error, even 200,000 levels deep`, () => {
    // [[[[ … null … ]]]] 200,000 levels: each level is an array of one item.
    const levels = 200_000;
    const bytes = new Uint8Array(levels * 5 + 1);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < levels; i++) {
      bytes[i * 5] = 6;
      view.setUint32(i * 5 + 1, 1, true);
    }
    assert.throws(() => decodeValue(bytes), isMalformed(/nested deeper than 32 levels/));
  });
});

describe('crc32', () => {
  it('matches the standard check value and is the same computed in parts', () => {
    assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
    assert.equal(crc32(new Uint8Array(0)), 0);
    const random = rng(5);
    const data = Uint8Array.from({ length: 10_007 }, () => Math.floor(random() * 256));
    const whole = crc32(data);
    for (const cut of [0, 1, 3, 4, 5, 4096, 10_006]) {
      assert.equal(crc32Update(crc32(data.subarray(0, cut)), data.subarray(cut)), whole, `cut at ${cut}`);
    }
    data[500]! ^= 1;
    assert.notEqual(crc32(data), whole);
  });
});
