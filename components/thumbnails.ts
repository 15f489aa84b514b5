/**
 * Object URLs for face thumbnails (encoded bytes in the store), made once per face and revoked together,
 * so galleries, the scatter plot and the people list share one URL per face and nothing leaks.
 */
import type { Thumbnail } from '../src/index.ts';

/** Looks up a face's thumbnail URL by id. */
export type ThumbnailLookup = (faceId: string) => string | undefined;

/** A cache of object URLs keyed by face id. */
export class ThumbnailUrls {
  private readonly urls = new Map<string, string>();

  /** The URL of `thumbnail` under `id`, created on first use; undefined for an empty thumbnail. */
  url(id: string, thumbnail: Thumbnail | undefined): string | undefined {
    const cached = this.urls.get(id);
    if (cached !== undefined) return cached;
    if (!thumbnail || thumbnail.bytes.length === 0) return undefined;
    const url = URL.createObjectURL(new Blob([thumbnail.bytes as BlobPart], { type: thumbnail.type }));
    this.urls.set(id, url);
    return url;
  }

  /** Revokes the URLs whose id starts with `prefix` (all of them when omitted). */
  revoke(prefix = ''): void {
    for (const [id, url] of this.urls) {
      if (!id.startsWith(prefix)) continue;
      URL.revokeObjectURL(url);
      this.urls.delete(id);
    }
  }
}
