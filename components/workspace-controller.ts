/**
 * The element's workspace (its database) as a Lit reactive controller: opens it with the kernel, one
 * AbortController per open, so an open that a newer one replaced (another database, an erase) is closed
 * and dropped instead of shown; closes it when the host disconnects.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { InvalidInputError, Workspace, loadKernel, type ResidentKernel } from '../src/index.ts';

/** What the controller asks of the element that holds it. */
export interface WorkspaceCallbacks {
  /** The database to open and the clustering to show first, read when an open begins. */
  workspaceRequest(): { database: string; preferredRun: string | undefined };
  /** The latest open finished: `workspace` is shown. */
  workspaceOpened(workspace: Workspace): Promise<void> | void;
  /** The latest open failed (never called for an open a newer one replaced). */
  workspaceFailed(error: unknown): void;
}

/** Owns the workspace of one element. */
export class WorkspaceController implements ReactiveController {
  /** The open workspace, else undefined (opening, closed, or failed to open). */
  workspace: Workspace | undefined;
  private opening: { controller: AbortController; workspace: Promise<Workspace> } | undefined;
  private kernel: Promise<ResidentKernel> | undefined;

  constructor(private readonly host: ReactiveControllerHost, private readonly callbacks: WorkspaceCallbacks) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.close();
  }

  /** Closes the workspace and drops an open in flight. */
  close(): void {
    this.opening?.controller.abort();
    this.opening = undefined;
    this.workspace?.close();
    this.workspace = undefined;
    this.host.requestUpdate();
  }

  /** Opens the host's database, replacing what was open. Resolves when shown or failed (never rejects). */
  async open(): Promise<void> {
    this.close();
    const controller = new AbortController();
    const { database, preferredRun } = this.callbacks.workspaceRequest();
    const workspace = (async () => {
      this.kernel ??= loadKernel();
      return Workspace.open(database, await this.kernel, preferredRun === undefined ? {} : { preferredRun });
    })();
    this.opening = { controller, workspace };
    try {
      const opened = await workspace;
      if (controller.signal.aborted) {
        opened.close();
        return;
      }
      this.workspace = opened;
      this.host.requestUpdate();
      await this.callbacks.workspaceOpened(opened);
    } catch (error: unknown) {
      if (!controller.signal.aborted) this.callbacks.workspaceFailed(error);
    }
  }

  /**
   * The open workspace, waiting for an open under way (its failure was reported when it failed).
   * @throws InvalidInputError when nothing is open or opening, or it was closed or replaced meanwhile.
   */
  async require(): Promise<Workspace> {
    if (this.workspace) return this.workspace;
    const opening = this.opening;
    if (!opening) throw new InvalidInputError('the photo store is not open: the element must be connected to a document');
    const workspace = await opening.workspace;
    await this.host.updateComplete;
    if (opening.controller.signal.aborted || this.workspace !== workspace) {
      throw new InvalidInputError('the photo store was closed or reopened while waiting for it');
    }
    return workspace;
  }
}
