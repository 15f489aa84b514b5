/**
 * What `<face-attribute-probe>` draws, as a function of its state: while the engine starts, what it downloads;
 * errors and notices, the drop zone with progress and failures, the analysis sections, storage, the engine's
 * details in a folded footer, and the face dialog.
 * The element keeps the state and the actions; this file only turns them into a template.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { DownloadProgress, EngineInfo, Workspace } from '../src/index.ts';
import { describeThreads } from './asset-urls.ts';
import type { FilesDetail } from './drop-zone.ts';
import type { EngineStatus } from './engine-controller.ts';
import { BACKEND_CHOICES, type BackendChoice } from './engine-factory.ts';
import type { ProbeErrorDetail, ProbeStorageDetail } from './events.ts';
import type { FaceViewModel } from './face-view-model.ts';
import type { ImportDetail } from './storage-panel.ts';
import type { Work } from './work-controller.ts';

/** The element's state and actions that the view needs. */
export interface AppView {
  session: Workspace | undefined;
  work: Work | undefined;
  /** Labels of the actions in progress. */
  label: string | undefined;
  /** Controls that start other work are disabled. */
  blocked: boolean;
  error: ProbeErrorDetail | undefined;
  notice: string | undefined;
  storage: ProbeStorageDetail | undefined;
  /** Another tab holds the database open while erasing. */
  erasingBlocked: boolean;
  engineStatus: EngineStatus;
  engineInfo: EngineInfo | undefined;
  /** What the engine's start has downloaded so far (models and runtime), once it said. */
  engineDownload: DownloadProgress | undefined;
  backend: BackendChoice;
  /** The face shown in the dialog, if one is open. */
  openedFace: FaceViewModel | undefined;
  /** The people, discovery, clustering, named-groups and probe sections (called only with faces). */
  analysis: () => TemplateResult;
  /** The face-model picker (model-picker.ts). */
  modelPicker?: () => TemplateResult;
  /** The face models side by side (model-comparison.ts). */
  comparison?: () => TemplateResult | typeof nothing;
  /** The "Map of every face" opener (called only with faces). */
  map: () => TemplateResult;
  on: {
    files(files: File[]): void;
    fail(error: unknown, during: string): void;
    cancel(): void;
    dismissError(): void;
    closeFace(): void;
    restartEngine(): void;
    backend(backend: BackendChoice): void;
    exportData(): void;
    importData(file: File): void;
    erase(): void;
    cancelErase(): void;
  };
}

/** Bytes in megabytes (10^6) with one decimal, e.g. '12.3 MB'. */
export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * The top of the element before the engine runs: what it is downloading (MB so far of total, with a bar) while it
 * starts, or that it is not running (with Try again). Once it runs nothing is shown here: its details are in the
 * footer ({@link renderEngineFooter}).
 */
function renderHeader(v: AppView): TemplateResult | typeof nothing {
  if (v.engineStatus === 'ready') return nothing;
  if (v.engineStatus === 'failed') {
    return html`<header part="header"><div>Engine: <strong>not running</strong>
      <button type="button" name="restart" @click=${() => v.on.restartEngine()}>Try again</button></div></header>`;
  }
  const d = v.engineDownload;
  const downloading = d !== undefined && d.total > 0 && d.loaded < d.total;
  return html`<header part="header"><div class="download" part="download" role="status">
    ${downloading
      ? html`<span>Downloading the face models and the runtime: <span class="amount">${megabytes(d.loaded)} of ${megabytes(d.total)}</span></span>`
      : html`<span>${d ? 'Starting the face engine…' : 'Getting the face engine ready…'}</span>`}
    <progress max=${downloading ? d.total : 1} value=${downloading ? d.loaded : nothing} aria-label="Face engine download"></progress>
  </div></header>`;
}

/** The engine's details and the backend choice, small and folded, at the bottom of the element. */
function renderEngineFooter(v: AppView): TemplateResult {
  const info = v.engineInfo;
  const summary = v.engineStatus === 'ready' && info
    ? html`Engine: <strong class="backend-name">${info.backend}</strong>`
    : v.engineStatus === 'failed' ? html`Engine: not running` : html`Engine: starting…`;
  return html`<footer part="footer"><details part="backend">
    <summary>${summary}</summary>
    ${v.engineStatus === 'ready' && info
      ? html`<p class="muted">${info.backend} (${info.backendReason}; ${[describeThreads(info.backend, info.threads), info.modelId].filter(Boolean).join('; ')})</p>`
      : nothing}
    <label>Backend <select name="backend" .value=${v.backend} ?disabled=${v.work !== undefined}
      @change=${(e: Event) => v.on.backend((e.target as HTMLSelectElement).value as BackendChoice)}>
      ${BACKEND_CHOICES.map((b) => html`<option value=${b} ?selected=${b === v.backend}>${b === 'auto' ? 'automatic' : b}</option>`)}
    </select></label>
  </details></footer>`;
}

/** The progress bar of a batch, with its Cancel button. */
export function renderProgress(work: Work, onCancel: () => void): TemplateResult {
  return html`<fap-progress part="progress" exportparts="bar: progress-bar, cancel: progress-cancel" .phase=${work.phase} .done=${work.progress.done}
    .total=${work.progress.total} .faces=${work.progress.faces} .failed=${work.progress.failed}
    .current=${work.progress.name} ?indeterminate=${!work.counting} ?cancelling=${work.controller.signal.aborted}
    @fap-cancel=${onCancel}></fap-progress>`;
}

/** The whole element. */
export function renderApp(v: AppView): TemplateResult {
  const s = v.session;
  const work = v.work;
  const label = v.label;
  return html`
    <fap-face-view .face=${v.openedFace} @fap-close=${() => v.on.closeFace()}></fap-face-view>
    ${renderHeader(v)}
    ${v.error ? html`<div class="error" role="alert" part="error">
      <p><strong>${v.error.name}</strong>${v.error.code ? html` (${v.error.code})` : nothing}: ${v.error.message}</p>
      <button type="button" @click=${() => v.on.dismissError()}>Dismiss</button></div>` : nothing}
    <section aria-label="Add photos">
      <slot name="intro"></slot>
      ${v.modelPicker?.() ?? nothing}
      <fap-drop-zone part="dropzone" exportparts="zone: dropzone-zone, button: dropzone-button" ?disabled=${v.blocked || !s}
        @fap-files=${(e: CustomEvent<FilesDetail>) => v.on.files(e.detail.files)}
        @fap-files-error=${(e: CustomEvent<{ error: unknown }>) => v.on.fail(e.detail.error, 'ingest')}></fap-drop-zone>
      ${work && (work.kind === 'ingest' || !s || s.faces === 0) ? renderProgress(work, () => v.on.cancel()) : nothing}
      ${label || v.notice ? html`<p class="notice" role="status" part="notice">${label ?? ''}${label && v.notice ? ' ' : ''}${v.notice ?? ''}</p>` : nothing}
      <fap-failures part="failures" .failures=${s?.failures ?? []}></fap-failures>
      ${s && s.photos === 0 && !work ? html`<slot name="empty"><p part="empty" class="muted">No photos yet. Photos stay in this browser: nothing is uploaded.</p></slot>` : nothing}
      ${!s && !v.error ? html`<p class="muted">Opening the photo store…</p>` : nothing}
    </section>
    ${s && s.faces > 0 ? v.analysis() : nothing}
    ${s ? v.comparison?.() ?? nothing : nothing}
    ${s && s.faces > 0 ? html`<section aria-labelledby="map-h"><h2 id="map-h">Map of every face</h2>${v.map()}</section>` : nothing}
    ${s ? html`<section part="storage" aria-labelledby="storage-h"><h2 id="storage-h">Kept on this device</h2>
      <fap-storage-panel .photos=${s.photos} .faces=${s.faces} .usage=${v.storage?.usage} .quota=${v.storage?.quota} .databaseUsage=${v.storage?.databaseUsage}
        .persisted=${v.storage?.persisted} ?busy=${v.blocked}
        @fap-export=${() => v.on.exportData()} @fap-import=${(e: CustomEvent<ImportDetail>) => v.on.importData(e.detail.file)}
        @fap-erase=${() => v.on.erase()}></fap-storage-panel>
      ${v.erasingBlocked ? html`<p class="notice" role="status" part="notice">Erasing… Close the other tabs of this page to finish erasing.
        <button type="button" name="cancel-erase" @click=${() => v.on.cancelErase()}>Cancel</button></p>` : nothing}</section>` : nothing}
    ${renderEngineFooter(v)}`;
}
