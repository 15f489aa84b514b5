/**
 * The element's face engine as a Lit reactive controller: starts it through the injected factory, one
 * AbortController per start, so a start that a newer one replaced is dropped (and its engine disposed)
 * instead of overwriting it; stops it when the host disconnects.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { InvalidInputError, type DownloadProgress, type EngineInfo, type FaceEngineClient } from '../src/index.ts';
import type { EngineFactory, EngineRequest } from './engine-factory.ts';

/** Where the engine stands: not started, loading the models, running, or failed to start. */
export type EngineStatus = 'off' | 'starting' | 'ready' | 'failed';

/** What the controller asks of the element that holds it. */
export interface EngineCallbacks {
  /** The factory and the request of a start, read when it begins. */
  engineRequest(): { factory: EngineFactory; request: EngineRequest };
  /** The engine of the latest start is running. */
  engineReady(info: EngineInfo): void;
  /** The latest start failed (never called for a start a newer one replaced). */
  engineFailed(error: unknown): void;
}

/** Owns the engine of one element. */
export class EngineController implements ReactiveController {
  status: EngineStatus = 'off';
  /** The running engine's backend and model, else undefined. */
  info: EngineInfo | undefined;
  /** What the start in progress has downloaded so far (models and runtime), once it reported any. */
  download: DownloadProgress | undefined;
  private current: { controller: AbortController; engine: Promise<FaceEngineClient> } | undefined;

  constructor(private readonly host: ReactiveControllerHost, private readonly callbacks: EngineCallbacks) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** Stops the engine (disposing it once its start has finished) and drops a start in flight. */
  stop(): void {
    const old = this.current;
    this.current = undefined;
    this.info = undefined;
    this.download = undefined;
    this.status = 'off';
    if (old) {
      old.controller.abort();
      // A failed start was reported when it failed; there is nothing to dispose then.
      old.engine.then((e) => e.dispose()).catch(() => undefined);
    }
    this.host.requestUpdate();
  }

  /** Starts a new engine, replacing the current one. Resolves when it runs or has failed (never rejects). */
  async start(): Promise<void> {
    this.stop();
    const controller = new AbortController();
    let engine: Promise<FaceEngineClient>;
    try {
      const { factory, request } = this.callbacks.engineRequest();
      engine = factory({
        ...request,
        onDownload: (progress) => {
          // A start that a newer one replaced downloads for nobody.
          if (controller.signal.aborted) return;
          this.download = progress;
          this.host.requestUpdate();
        },
      });
    } catch (error: unknown) {
      engine = Promise.reject(error);
    }
    this.current = { controller, engine };
    this.status = 'starting';
    this.host.requestUpdate();
    try {
      const running = await engine;
      if (controller.signal.aborted) return;
      this.info = running.info;
      this.status = 'ready';
      this.callbacks.engineReady(running.info);
    } catch (error: unknown) {
      if (controller.signal.aborted) return;
      this.status = 'failed';
      this.callbacks.engineFailed(error);
    } finally {
      this.host.requestUpdate();
    }
  }

  /**
   * The engine of the latest start, once it runs.
   * @throws InvalidInputError when none was started (the element is not connected); the start's own error when it failed.
   */
  require(): Promise<FaceEngineClient> {
    if (!this.current) return Promise.reject(new InvalidInputError('the engine is not running: the element must be connected to a document'));
    return this.current.engine;
  }
}
