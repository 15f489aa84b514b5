/**
 * Runs discovery for the element, as a Lit reactive controller: in the discovery worker (beside the
 * inference worker), with its progress view by view and a Cancel of its own; a newer run or the element
 * leaving the page cancels the one in progress.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DiscoveryProgress, Workspace } from '../src/index.ts';

/** Tracks the discovery in progress. */
export class DiscoveryController implements ReactiveController {
  /** The run in progress, with what it is looking at; undefined when none runs. */
  progress: DiscoveryProgress | undefined;
  /** True after the person cancelled the last run (until the next one starts). */
  cancelled = false;
  private controller: AbortController | undefined;

  /** @param workerUrl where the discovery worker is (face-probe-discovery-worker.js beside the inference worker). */
  constructor(private readonly host: ReactiveControllerHost, private readonly workerUrl: () => string | URL) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.controller?.abort();
  }

  /** Whether a discovery runs. */
  get running(): boolean {
    return this.progress !== undefined;
  }

  /**
   * Discovers what the embedding separates in `session`'s faces (cancelling a run in progress). Resolves
   * when done; rejects with an AbortError when cancelled (by `signal`, {@link cancel} or a newer run).
   */
  async run(session: Workspace, signal?: AbortSignal): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const stop = (): void => controller.abort();
    signal?.addEventListener('abort', stop, { once: true });
    if (signal?.aborted) controller.abort();
    this.cancelled = false;
    this.progress = { done: 0, total: 2, view: null };
    this.host.requestUpdate();
    try {
      await session.discover({
        signal: controller.signal,
        workerUrl: this.workerUrl(),
        onProgress: (p) => {
          if (this.controller !== controller) return;
          this.progress = p;
          this.host.requestUpdate();
        },
      });
    } finally {
      signal?.removeEventListener('abort', stop);
      if (this.controller === controller) {
        this.controller = undefined;
        this.progress = undefined;
        this.host.requestUpdate();
      }
    }
  }

  /** Stops the discovery in progress (the splits shown before it stay away: they were of other faces). */
  cancel(): void {
    if (!this.controller) return;
    this.cancelled = true;
    this.controller.abort();
  }
}
