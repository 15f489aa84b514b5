/**
 * What the engine downloads before it can run (the models, onnxruntime's WebAssembly runtime), summed into one
 * "bytes so far of bytes in all" for a first visit's progress bar. The parts that download announce their files
 * first (a plan), so the total is known before the first report and does not grow as files start.
 */

/** Bytes downloaded so far of all the engine needs. */
export interface DownloadProgress {
  /** Bytes received so far. */
  loaded: number;
  /** Bytes in all (the sizes the manifests and servers give). */
  total: number;
}

/** A file to download and its size in bytes (0 when the server does not say). */
export interface PlannedFile {
  name: string;
  bytes: number;
}

/** Reports at most once per this many bytes received (and when a file is complete). */
const REPORT_EVERY = 256 * 1024;

/** Sums the downloads of several parts; reports only once every part has announced its files. */
export class DownloadMeter {
  private readonly sizes = new Map<string, number>();
  private readonly received = new Map<string, number>();
  private waitingFor: number;
  private reported = -Infinity;

  /**
   * @param parts how many parts will call {@link plan} (e.g. 2: the models and the runtime).
   * @param onProgress called with the sums, in order, never with `loaded` above `total`.
   */
  constructor(parts: number, private readonly onProgress: (progress: DownloadProgress) => void) {
    this.waitingFor = parts;
  }

  /** A part announces its files (once). The first report comes after the last part's plan. */
  plan(files: readonly PlannedFile[]): void {
    for (const f of files) this.sizes.set(f.name, Math.max(f.bytes, this.sizes.get(f.name) ?? 0));
    this.waitingFor--;
    this.report(true);
  }

  /** `loaded` bytes of `name` have arrived so far (a running total for that file). */
  progress(name: string, loaded: number): void {
    this.received.set(name, loaded);
    // A server that did not say a size (or said too little) makes the file as large as what arrived.
    if (loaded > (this.sizes.get(name) ?? 0)) this.sizes.set(name, loaded);
    this.report(loaded === this.sizes.get(name));
  }

  /** The sums now. */
  get current(): DownloadProgress {
    let loaded = 0;
    let total = 0;
    for (const bytes of this.received.values()) loaded += bytes;
    for (const bytes of this.sizes.values()) total += bytes;
    return { loaded, total };
  }

  private report(force: boolean): void {
    if (this.waitingFor > 0) return;
    const now = this.current;
    if (!force && now.loaded - this.reported < REPORT_EVERY) return;
    this.reported = now.loaded;
    this.onProgress(now);
  }
}
