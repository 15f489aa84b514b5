import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { decodeImageNode } from '../../src/vision/decode-node.ts';
import { MAX_DECODED_SIDE, sniffFormat } from '../../src/vision/decode.ts';
import { DecodeError } from '../../src/errors.ts';

/** A width×height image: left half red, right half blue (so orientation mistakes show). */
function halves(width: number, height: number, channels: 3 | 4 = 3): Buffer {
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * channels;
      if (x < width / 2) data[o] = 255;
      else data[o + 2] = 255;
      if (channels === 4) data[o + 3] = 255;
    }
  }
  return data;
}

const raw = (width: number, height: number, channels: 3 | 4 = 3) =>
  sharp(halves(width, height, channels), { raw: { width, height, channels } });

function pixel(image: { width: number; data: Uint8Array | Uint8ClampedArray }, x: number, y: number): number[] {
  const o = (y * image.width + x) * 3;
  return [image.data[o]!, image.data[o + 1]!, image.data[o + 2]!];
}

function near(actual: number[], expected: number[], tolerance = 12): boolean {
  return actual.every((v, i) => Math.abs(v - expected[i]!) <= tolerance);
}

/** A PNG whose header claims `width`×`height` (CRCs computed; the pixel data is one empty row). */
function pngWithHeader(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(body.length);
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), body]);
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc(typed));
    return Buffer.concat([head, typed, tail]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('decodeImageNode', () => {
  let jpeg: Buffer;
  before(async () => {
    jpeg = await raw(64, 48).jpeg({ quality: 95 }).toBuffer();
  });

  it('decodes a JPEG to packed RGB at its size', async () => {
    const { image, format, scale } = await decodeImageNode(jpeg, 'a.jpg');
    assert.equal(format, 'jpeg');
    assert.equal(scale, 1);
    assert.deepEqual([image.width, image.height, image.data.length], [64, 48, 64 * 48 * 3]);
    assert.ok(near(pixel(image, 5, 5), [255, 0, 0]), `left is red: ${pixel(image, 5, 5)}`);
    assert.ok(near(pixel(image, 60, 5), [0, 0, 255]), `right is blue: ${pixel(image, 60, 5)}`);
  });

  it('decodes PNG and WebP', async () => {
    for (const [format, bytes] of [
      ['png', await raw(20, 10).png().toBuffer()],
      ['webp', await raw(20, 10).webp({ lossless: true }).toBuffer()],
    ] as const) {
      const { image, format: found } = await decodeImageNode(bytes);
      assert.equal(found, format);
      assert.deepEqual(pixel(image, 1, 1), [255, 0, 0]);
    }
  });

  it('applies EXIF orientation (6: rotate 90° clockwise)', async () => {
    const rotated = await raw(64, 48).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
    const { image, sourceWidth, sourceHeight } = await decodeImageNode(rotated);
    assert.deepEqual([image.width, image.height, sourceWidth, sourceHeight], [48, 64, 48, 64]);
    assert.ok(near(pixel(image, 24, 3), [255, 0, 0]), `top is red after rotation: ${pixel(image, 24, 3)}`);
    assert.ok(near(pixel(image, 24, 60), [0, 0, 255]), `bottom is blue: ${pixel(image, 24, 60)}`);
  });

  it('converts CMYK JPEGs to RGB', async () => {
    const cmyk = await raw(32, 32).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer();
    assert.equal((await sharp(cmyk).metadata()).space, 'cmyk');
    const { image } = await decodeImageNode(cmyk);
    assert.equal(image.data.length, 32 * 32 * 3);
    assert.ok(near(pixel(image, 3, 16), [255, 0, 0], 40), `red survives CMYK: ${pixel(image, 3, 16)}`);
  });

  it('reduces 16-bit PNGs to 8 bits', async () => {
    const png16 = await raw(16, 16).toColourspace('rgb16').png().toBuffer();
    assert.equal((await sharp(png16).metadata()).depth, 'ushort');
    const { image } = await decodeImageNode(png16);
    assert.deepEqual(pixel(image, 1, 1), [255, 0, 0]);
  });

  it('expands palette PNGs', async () => {
    const palette = await raw(16, 16).png({ palette: true, colours: 4 }).toBuffer();
    assert.equal((await sharp(palette).metadata()).isPalette, true);
    const { image } = await decodeImageNode(palette);
    assert.deepEqual(pixel(image, 12, 1), [0, 0, 255]);
  });

  it('flattens transparency onto white', async () => {
    const rgba = halves(8, 8, 4);
    for (let i = 3; i < rgba.length; i += 4) rgba[i] = 0;
    const png = await sharp(rgba, { raw: { width: 8, height: 8, channels: 4 } }).png().toBuffer();
    const { image } = await decodeImageNode(png);
    assert.deepEqual(pixel(image, 1, 1), [255, 255, 255]);
  });

  it(`downscales images whose longer side exceeds ${MAX_DECODED_SIDE} px, keeping the aspect`, async () => {
    const big = await sharp({ create: { width: 4100, height: 1000, channels: 3, background: '#808080' } }).jpeg().toBuffer();
    const { image, sourceWidth, scale } = await decodeImageNode(big);
    assert.equal(sourceWidth, 4100);
    assert.equal(image.width, MAX_DECODED_SIDE);
    assert.equal(image.height, Math.round(1000 * MAX_DECODED_SIDE / 4100));
    assert.ok(Math.abs(scale - MAX_DECODED_SIDE / 4100) < 1e-9);
  });

  describe(`every EXIF orientation of a photo above ${MAX_DECODED_SIDE} px`, () => {
    // Stored 2400×1200 with four coloured quadrants; each orientation moves the stored corners to known places.
    const [W, H] = [2400, 1200];
    const colours = { red: [255, 0, 0], blue: [0, 0, 255], green: [0, 255, 0], white: [255, 255, 255] } as const;
    type Colour = keyof typeof colours;
    const stored: Record<'tl' | 'tr' | 'bl' | 'br', Colour> = { tl: 'red', tr: 'blue', bl: 'green', br: 'white' };
    // Where each stored corner is displayed (EXIF 2.3, tag 0x0112), as [top-left, top-right, bottom-left, bottom-right].
    const displayed: Record<number, Colour[]> = {
      1: [stored.tl, stored.tr, stored.bl, stored.br],
      2: [stored.tr, stored.tl, stored.br, stored.bl],
      3: [stored.br, stored.bl, stored.tr, stored.tl],
      4: [stored.bl, stored.br, stored.tl, stored.tr],
      5: [stored.tl, stored.bl, stored.tr, stored.br],
      6: [stored.bl, stored.tl, stored.br, stored.tr],
      7: [stored.br, stored.tr, stored.bl, stored.tl],
      8: [stored.tr, stored.br, stored.tl, stored.bl],
    };
    let base: Buffer;
    before(() => {
      base = Buffer.alloc(W * H * 3);
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const corner = `${y < H / 2 ? 't' : 'b'}${x < W / 2 ? 'l' : 'r'}` as keyof typeof stored;
          base.set(colours[stored[corner]], (y * W + x) * 3);
        }
      }
    });

    for (const orientation of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const swaps = orientation >= 5;
      it(`orientation ${orientation}: ${swaps ? 'width and height swap' : 'width and height stay'}, downscaled, corners where EXIF puts them`, async () => {
        const bytes = await sharp(base, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: 90 }).withMetadata({ orientation }).toBuffer();
        assert.equal((await sharp(bytes).metadata()).orientation, orientation);
        const { image, sourceWidth, sourceHeight, scale } = await decodeImageNode(bytes);
        const [sw, sh] = swaps ? [H, W] : [W, H];
        assert.deepEqual([sourceWidth, sourceHeight], [sw, sh], 'source size after orientation');
        const expected = swaps ? [MAX_DECODED_SIDE / 2, MAX_DECODED_SIDE] : [MAX_DECODED_SIDE, MAX_DECODED_SIDE / 2];
        assert.deepEqual([image.width, image.height], expected, 'decoded size: the longer side at the limit, aspect kept');
        assert.ok(Math.abs(scale - MAX_DECODED_SIDE / W) < 1e-9);
        const inset = 40;
        const at = [[inset, inset], [image.width - inset, inset], [inset, image.height - inset], [image.width - inset, image.height - inset]] as const;
        at.forEach(([x, y], i) => {
          const want = displayed[orientation]![i]!;
          assert.ok(near(pixel(image, x, y), [...colours[want]], 30), `corner ${i} (${x}, ${y}) is ${want}: ${pixel(image, x, y)}`);
        });
      });
    }
  });

  const reason = (expected: string, pattern?: RegExp) => (error: unknown) => {
    assert.ok(error instanceof DecodeError, `a DecodeError, got ${String(error)}`);
    assert.equal(error.code, 'decode');
    assert.equal(error.details?.reason, expected);
    if (pattern) assert.match(error.message, pattern);
    return true;
  };

  it('names an empty file', async () => {
    await assert.rejects(decodeImageNode(new Uint8Array(0), 'empty.jpg'), reason('empty', /^empty\.jpg: .*empty/));
  });

  it('names a truncated JPEG', async () => {
    await assert.rejects(decodeImageNode(jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'cut.jpg'), reason('truncated', /cut\.jpg/));
  });

  it('names a text file with an image extension', async () => {
    await assert.rejects(decodeImageNode(new TextEncoder().encode('hello, I am not a photo\n'), 'notes.jpg'), reason('not-an-image', /text/));
  });

  it('names unsupported formats and lists the accepted ones', async () => {
    const tiff = await raw(8, 8).tiff().toBuffer();
    await assert.rejects(decodeImageNode(tiff, 'scan.tif'), reason('unsupported-format', /TIFF.*jpeg, png, webp, gif/));
  });

  it('decodes a GIF, and the first frame of an animated one', async () => {
    const still = await raw(20, 10).gif().toBuffer();
    const decoded = await decodeImageNode(still, 'still.gif');
    assert.equal(decoded.format, 'gif');
    assert.deepEqual([decoded.image.width, decoded.image.height], [20, 10]);
    assert.ok(near(pixel(decoded.image, 1, 1), [255, 0, 0]) && near(pixel(decoded.image, 18, 1), [0, 0, 255]));
    // Two 16×8 frames: all green, then all red.
    const frames = Buffer.alloc(16 * 16 * 3);
    for (let i = 0; i < frames.length; i += 3) frames[i + (i < frames.length / 2 ? 1 : 0)] = 255;
    const animated = await sharp(frames, { raw: { width: 16, height: 16, channels: 3, pageHeight: 8 } }).gif({ delay: [100, 100] }).toBuffer();
    assert.equal((await sharp(animated).metadata()).pages, 2);
    const first = await decodeImageNode(animated, 'anim.gif');
    assert.deepEqual([first.image.width, first.image.height, first.sourceWidth, first.sourceHeight], [16, 8, 16, 8]);
    assert.ok(near(pixel(first.image, 8, 4), [0, 255, 0]), `the first frame (green): ${pixel(first.image, 8, 4)}`);
  });

  it('refuses HEIC (iPhone) photos and says how to convert them', async () => {
    // The start of an iPhone photo: an ISO-BMFF 'ftyp' box with the heic brand.
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'), Buffer.alloc(64)]);
    await assert.rejects(decodeImageNode(heic, 'IMG_0001.HEIC'), reason('unsupported-format', /^IMG_0001\.HEIC: HEIC photos \(iPhone\) cannot be read here yet: .*JPEG.*Most Compatible/));
    for (const brand of ['heix', 'hevc', 'mif1']) {
      const other = Buffer.concat([Buffer.from([0, 0, 0, 0x10]), Buffer.from(`ftyp${brand}\0\0\0\0`, 'latin1'), Buffer.alloc(32)]);
      assert.throws(() => sniffFormat(other), /HEIC photos \(iPhone\)/, brand);
    }
  });

  it('refuses zero-size and absurdly large dimensions', async () => {
    await assert.rejects(decodeImageNode(pngWithHeader(0, 10), 'zero.png'), (e: unknown) => {
      assert.ok(e instanceof DecodeError);
      assert.ok(['zero-size', 'corrupt'].includes(String(e.details?.reason)), String(e.details?.reason));
      return true;
    });
    await assert.rejects(decodeImageNode(pngWithHeader(100_000, 100_000), 'huge.png'), reason('too-large', /megapixels/));
  });

  it('sniffs formats from magic bytes, not names', () => {
    assert.equal(sniffFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])), 'jpeg');
    assert.equal(sniffFormat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d])), 'png');
    assert.equal(sniffFormat(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 ')), 'webp');
    assert.equal(sniffFormat(new TextEncoder().encode('GIF89a\x10\0')), 'gif');
  });
});
