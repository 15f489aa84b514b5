/**
 * Offers a Blob as a file download from inside a shadow root. The object URL is kept until the next
 * download or {@link Download.revoke}: revoking right after click() can cut the download short.
 */

/** One element's downloads. */
export class Download {
  private url: string | undefined;

  /** Starts downloading `blob` as `fileName` through a link appended to `root` for the click. */
  offer(root: HTMLElement | ShadowRoot | DocumentFragment, blob: Blob, fileName: string): void {
    this.revoke();
    this.url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = this.url;
    link.download = fileName;
    root.appendChild(link);
    link.click();
    link.remove();
  }

  /** Releases the last download's URL. */
  revoke(): void {
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = undefined;
  }
}
