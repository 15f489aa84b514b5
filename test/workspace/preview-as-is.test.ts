/**
 * previewAsIs: which photos are kept as their own preview (their bytes unchanged) and which must be re-encoded,
 * on real encoder output (sharp) and on the dataset photos where present.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { PREVIEW_MAX_SIDE } from '../../src/workspace/photo-preview.ts';
import { PREVIEW_AS_IS_MAX_BYTES, previewAsIs } from '../../src/workspace/preview-as-is.ts';
import { datasetOrSkip } from '../helpers/datasets.ts';

/** A `width` × `height` picture with some structure (so encoders have something to encode). */
function picture(width: number, height: number, channels: 3 | 4 = 3): Sharp {
  const data = Buffer.alloc(width * height * channels);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37 + (i >> 7)) & 255;
  return sharp(data, { raw: { width, height, channels } });
}
const bytesOf = async (image: Sharp): Promise<Uint8Array> => new Uint8Array(await image.toBuffer());

describe('previewAsIs', () => {
  it('keeps a small JPEG or PNG without metadata as it is, with its size', async () => {
    for (const [image, type] of [
      [picture(200, 150).jpeg({ quality: 90 }), 'image/jpeg'],
      [picture(150, 200).jpeg({ quality: 80, progressive: true }), 'image/jpeg'],
      [picture(120, 90).greyscale().jpeg(), 'image/jpeg'],
      [picture(200, 150).png(), 'image/png'],
      [picture(64, 48).png({ palette: true }), 'image/png'],
    ] as const) {
      const bytes = await bytesOf(image);
      const meta = await sharp(bytes).metadata();
      const kept = previewAsIs(bytes, PREVIEW_MAX_SIDE);
      assert.ok(kept, `${type} ${meta.width}×${meta.height} is kept`);
      assert.equal(kept.type, type);
      assert.equal(kept.bytes, bytes, 'the very bytes');
      assert.deepEqual([kept.width, kept.height], [meta.width, meta.height]);
    }
  });

  it('re-encodes a photo with EXIF (where it was taken, its orientation), a comment or text chunks', async () => {
    const exif = await bytesOf(picture(200, 150).jpeg().withMetadata({ orientation: 6 }));
    const gps = await bytesOf(picture(200, 150).jpeg().withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } }));
    const pngText = await bytesOf(picture(64, 48).png().withExif({ IFD0: { Copyright: 'someone' } }));
    for (const [label, bytes] of [['JPEG with orientation', exif], ['JPEG with GPS', gps], ['PNG with EXIF', pngText]] as const) {
      assert.equal(previewAsIs(bytes, PREVIEW_MAX_SIDE), undefined, label);
    }
    // A JPEG comment segment (FFFE) inserted after SOI.
    const plain = await bytesOf(picture(64, 48).jpeg());
    const comment = new Uint8Array([0xff, 0xfe, 0x00, 0x07, ...Buffer.from('hello')]);
    const withComment = new Uint8Array([...plain.subarray(0, 2), ...comment, ...plain.subarray(2)]);
    assert.ok(previewAsIs(plain, PREVIEW_MAX_SIDE));
    assert.equal(previewAsIs(withComment, PREVIEW_MAX_SIDE), undefined, 'JPEG with a comment');
  });

  it('re-encodes transparency, large photos, long files and what is not a JPEG or PNG', async () => {
    assert.equal(previewAsIs(await bytesOf(picture(64, 48, 4).png()), PREVIEW_MAX_SIDE), undefined, 'PNG with alpha');
    assert.equal(previewAsIs(await bytesOf(picture(PREVIEW_MAX_SIDE + 1, 10).jpeg()), PREVIEW_MAX_SIDE), undefined, 'wider than the preview');
    assert.ok(previewAsIs(await bytesOf(picture(PREVIEW_MAX_SIDE, 10).jpeg()), PREVIEW_MAX_SIDE), 'exactly the preview side');
    const long = await bytesOf(picture(1000, 1000).jpeg({ quality: 100 }));
    assert.ok(long.length > PREVIEW_AS_IS_MAX_BYTES, 'the fixture is long enough');
    assert.equal(previewAsIs(long, PREVIEW_MAX_SIDE), undefined, 'more bytes than a preview should take');
    assert.equal(previewAsIs(await bytesOf(picture(64, 48).webp()), PREVIEW_MAX_SIDE), undefined, 'WebP');
    const jpeg = await bytesOf(picture(64, 48).jpeg());
    assert.equal(previewAsIs(jpeg.subarray(0, 40), PREVIEW_MAX_SIDE), undefined, 'cut before its frame');
    assert.equal(previewAsIs(new Uint8Array([0xff, 0xd8, 0xff]), PREVIEW_MAX_SIDE), undefined);
    assert.equal(previewAsIs(new Uint8Array(0), PREVIEW_MAX_SIDE), undefined);
  });

  it('keeps a dataset photo exactly when sharp finds no EXIF, XMP, IPTC or comment in it and it fits', async (t) => {
    const dir = datasetOrSkip(t, 'smoke');
    if (!dir) return;
    const names = readdirSync(join(dir, 'images')).filter((n) => /\.(jpe?g|png)$/i.test(n));
    assert.ok(names.length > 0);
    let kept = 0;
    for (const name of names) {
      const bytes: Uint8Array = new Uint8Array(readFileSync(join(dir, 'images', name)));
      const meta: Metadata = await sharp(bytes).metadata();
      const plain: boolean = !meta.exif && !meta.xmp && !meta.iptc && !meta.comments?.length && !meta.hasAlpha;
      const fits = Math.max(meta.width, meta.height) <= PREVIEW_MAX_SIDE && bytes.length <= PREVIEW_AS_IS_MAX_BYTES;
      const preview = previewAsIs(bytes, PREVIEW_MAX_SIDE);
      assert.equal(Boolean(preview), plain && fits, `${name}: plain ${plain}, fits ${fits}`);
      if (preview) {
        kept++;
        assert.deepEqual([preview.width, preview.height], [meta.width, meta.height], name);
      }
    }
    t.diagnostic(`${kept} of ${names.length} smoke photos kept as they are`);
  });
});
