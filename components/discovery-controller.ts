/**
 * Runs discovery for the element, as a Lit reactive controller: in the discovery worker (beside the
 * inference worker), with its progress view by view and a Cancel of its own; a newer run or the element
 * leaving the page cancels the one in progress.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DiscoveryProgress, SplitDetail, Workspace } from '../src/index.ts';

/** A split a person chose to look at, with what is shown for it. */
export interface ChosenSplit {
  view: 'across-people' | 'within-people';
  id: string;
  detail: SplitDetail & { faceIds: string[] };
  /** The colouring of the scatter (a colouring key: 'side', 'person', 'smiling', …). */
  colourBy: string;
}

/** Tracks the discovery in progress. */
export class DiscoveryController implements ReactiveController {
  /** The run in progress, with what it is looking at; undefined when none runs. */
  progress: DiscoveryProgress | undefined;
  /** True after the person cancelled the last run (until the next one starts). */
  cancelled = false;
  /** The split shown in full, if one is chosen. */
  chosen: ChosenSplit | undefined;
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
    this.chosen = undefined;
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

  /** Shows split `id` of `view` in full (its sides, its scatter, the numbers that carry it), or hides it when shown. */
  choose(session: Workspace, view: ChosenSplit['view'], id: string): void {
    if (this.chosen?.view === view && this.chosen.id === id) {
      this.chosen = undefined;
    } else {
      const detail = session.splitDetail(view, id);
      this.chosen = detail ? { view, id, detail, colourBy: 'side' } : undefined;
    }
    this.host.requestUpdate();
  }

  /** Colours the chosen split's scatter by another colouring. */
  colourBy(key: string): void {
    if (!this.chosen) return;
    this.chosen = { ...this.chosen, colourBy: key };
    this.host.requestUpdate();
  }

  /** What the discovery section shows of this controller, and its actions. */
  state(session: Workspace) {
    return {
      progress: this.progress, cancelled: this.cancelled, chosen: this.chosen,
      onCancel: () => this.cancel(),
      onChoose: (view: ChosenSplit['view'], id: string) => this.choose(session, view, id),
      onColour: (key: string) => this.colourBy(key),
    };
  }

  /** Stops the discovery in progress (the splits shown before it stay away: they were of other faces). */
  cancel(): void {
    if (!this.controller) return;
    this.cancelled = true;
    this.controller.abort();
  }
}
