/**
 * What the element is busy with, as a Lit reactive controller: at most one batch of photos (with its
 * AbortController, progress and phase) and any number of short actions (each with a label), so the
 * element knows what to show and which controls to disable while they run.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ProbeProgressDetail } from './events.ts';
import { nextPaint } from './paint.ts';

/** A batch of photos in progress. */
export interface Work {
  kind: 'ingest' | 'probe';
  controller: AbortController;
  progress: ProbeProgressDetail;
  phase: string;
  /** False once the photos are done and work in this thread follows (grouping, clustering): no count to show. */
  counting: boolean;
}

/** A short action in progress. */
export interface Task {
  label: string;
  /** Whether the controls that start other actions are disabled meanwhile (a rename does not block them). */
  blocking: boolean;
}

/** Tracks the host's batch and actions. */
export class WorkController implements ReactiveController {
  /** The batch in progress, if any. */
  work: Work | undefined;
  /** Actions in progress, oldest first. */
  tasks: readonly Task[] = [];

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.work?.controller.abort();
  }

  /** Whether a batch or a blocking action runs: the controls that start others are disabled meanwhile. */
  get blocked(): boolean {
    return this.work !== undefined || this.tasks.some((t) => t.blocking);
  }

  /** The labels of the actions in progress, once each, or undefined. */
  get label(): string | undefined {
    return [...new Set(this.tasks.map((t) => t.label))].join(' ') || undefined;
  }

  /** Starts a batch of `total` photos in `phase`; undefined when one is already running. */
  begin(kind: Work['kind'], total: number, phase: string): Work | undefined {
    if (this.work) return undefined;
    this.work = { kind, controller: new AbortController(), progress: { done: 0, total, faces: 0, failed: 0, name: '' }, phase, counting: true };
    this.host.requestUpdate();
    return this.work;
  }

  /** Shows `phase` for `work`, unless it ended or was cancelled. */
  setPhase(work: Work, phase: string, counting = true): void {
    if (this.work?.controller !== work.controller || work.controller.signal.aborted) return;
    this.work = { ...this.work, phase, counting };
    this.host.requestUpdate();
  }

  /** Shows a phase of work in this thread (no photo count) and lets it paint before that synchronous work. */
  async enterPhase(work: Work, phase: string): Promise<void> {
    this.setPhase(work, phase, false);
    await nextPaint();
  }

  /** Records `work`'s progress; false when `work` is no longer the batch shown. */
  progress(work: Work, progress: ProbeProgressDetail): boolean {
    if (this.work?.controller !== work.controller) return false;
    this.work = { ...this.work, progress };
    this.host.requestUpdate();
    return true;
  }

  /** Stops the batch in progress; the photo in flight finishes and everything finished is kept. */
  cancel(): void {
    if (!this.work) return;
    this.work.controller.abort();
    this.work = { ...this.work, phase: 'Cancelling…' };
    this.host.requestUpdate();
  }

  /** Ends `work` (a newer batch is left alone). */
  end(work: Work): void {
    if (this.work?.controller !== work.controller) return;
    this.work = undefined;
    this.host.requestUpdate();
  }

  /** Runs `action` as a labelled task: shown while it runs, removed however it ends. */
  async track<T>(task: Task, action: () => Promise<T>): Promise<T> {
    this.tasks = [...this.tasks, task];
    this.host.requestUpdate();
    try {
      return await action();
    } finally {
      this.tasks = this.tasks.filter((t) => t !== task);
      this.host.requestUpdate();
    }
  }
}
