/**
 * `<fap-drop-zone>`: where photos come in, by drag and drop (files or whole folders) or by the keyboard
 * reachable "Choose photos…" / "Choose a folder…" buttons. Dispatches `fap-files` with the files found
 * (folders are walked; each file is named by its path inside the dropped folder). Hidden files (dot
 * files such as .DS_Store) are left out; anything else goes on to the engine, which reports what it
 * cannot read.
 */
import { LitElement, html, css } from 'lit';
import { property, state } from 'lit/decorators.js';
import { customElement } from './define.ts';
import { baseStyles } from './styles.ts';

/** Detail of the `fap-files` event. */
export interface FilesDetail {
  files: File[];
}

/** Reads every entry of a directory (readEntries returns them in batches until an empty one). */
async function readDirectory(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((ok, fail) => reader.readEntries(ok, fail));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/** The files under `entry`, named by their path below the drop (without the leading '/'). */
async function filesOf(entry: FileSystemEntry): Promise<File[]> {
  if (entry.name.startsWith('.')) return [];
  if (entry.isFile) {
    const file = await new Promise<File>((ok, fail) => (entry as FileSystemFileEntry).file(ok, fail));
    const path = entry.fullPath.replace(/^\//, '');
    return path === file.name ? [file] : [new File([file], path, { type: file.type, lastModified: file.lastModified })];
  }
  if (entry.isDirectory) {
    const children = await readDirectory(entry as FileSystemDirectoryEntry);
    const nested = await Promise.all(children.map(filesOf));
    return nested.flat().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  return [];
}

/**
 * The files of a drop. Entries must be taken from the DataTransfer synchronously, inside the event
 * handler (the browser empties it afterwards); the directory walk then runs asynchronously.
 */
export function filesFromDrop(transfer: DataTransfer): Promise<File[]> {
  const entries = [...transfer.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.() ?? null);
  if (entries.length === 0 || entries.some((e) => e === null)) {
    return Promise.resolve([...transfer.files].filter((f) => !f.name.startsWith('.')));
  }
  return Promise.all((entries as FileSystemEntry[]).map(filesOf)).then((lists) => lists.flat());
}

/** A file input's files, named by their relative path when a folder was chosen. */
function filesOfInput(input: HTMLInputElement): File[] {
  return [...(input.files ?? [])]
    .filter((f) => !f.name.startsWith('.'))
    .map((f) => (f.webkitRelativePath && f.webkitRelativePath !== f.name
      ? new File([f], f.webkitRelativePath, { type: f.type, lastModified: f.lastModified })
      : f));
}

/** Drop target and file pickers for photos. Fires `fap-files` ({@link FilesDetail}) and, when a dropped folder cannot be read, `fap-files-error`. */
@customElement('fap-drop-zone')
export class FapDropZone extends LitElement {
  static override styles = [baseStyles, css`
    .zone {
      border: 2px dashed var(--fap-border, #c9c9d1);
      border-radius: var(--fap-radius, 6px);
      padding: 1em;
      display: flex; flex-wrap: wrap; gap: 0.5em; align-items: center; justify-content: center;
      background: var(--fap-bg, #fff);
      text-align: center;
    }
    .zone.over { border-color: var(--fap-accent, #2255cc); background: var(--fap-surface, #f3f3f5); }
    .zone[aria-disabled='true'] { opacity: 0.6; }
    p { margin: 0; flex-basis: 100%; }
  `];

  /** What the zone says, e.g. 'Drop photos or a folder here'. */
  @property() label = 'Drop photos or a folder here';
  /** The name of the file inputs (tests and forms find them by it). */
  @property() name = 'photos';
  /** Offer a folder picker too. */
  @property({ type: Boolean }) folders = true;
  @property({ type: Boolean, reflect: true }) disabled = false;
  @state() private over = false;

  override render() {
    return html`
      <div class="zone ${this.over ? 'over' : ''}" part="zone" role="group" aria-label=${this.label}
        aria-disabled=${this.disabled ? 'true' : 'false'}
        @dragenter=${this.onDragOver} @dragover=${this.onDragOver} @dragleave=${this.onDragLeave} @drop=${this.onDrop}>
        <p>${this.label}</p>
        <button type="button" part="button" ?disabled=${this.disabled} @click=${() => this.pick('files')}>Choose photos…</button>
        ${this.folders ? html`<button type="button" part="button" ?disabled=${this.disabled} @click=${() => this.pick('folder')}>Choose a folder…</button>` : ''}
        <input class="visually-hidden" tabindex="-1" aria-hidden="true" type="file" name=${this.name} multiple
          accept="image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif,.jpg,.jpeg,.png,.webp,.gif,.heic,.heif" @change=${this.onInput}>
        ${this.folders ? html`<input class="visually-hidden" tabindex="-1" aria-hidden="true" type="file"
          name="${this.name}-folder" webkitdirectory multiple @change=${this.onInput}>` : ''}
      </div>`;
  }

  private pick(kind: 'files' | 'folder'): void {
    const selector = kind === 'files' ? `input[name="${this.name}"]` : `input[name="${this.name}-folder"]`;
    this.renderRoot.querySelector<HTMLInputElement>(selector)?.click();
  }

  private onDragOver(event: DragEvent): void {
    if (this.disabled) return;
    // Without preventDefault the browser would open the dropped file instead of handing it to us.
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    this.over = true;
  }

  private onDragLeave(): void {
    this.over = false;
  }

  private onDrop(event: DragEvent): void {
    event.preventDefault();
    this.over = false;
    if (this.disabled || !event.dataTransfer) return;
    filesFromDrop(event.dataTransfer).then(
      (files) => this.deliver(files),
      (error: unknown) => this.dispatchEvent(new CustomEvent<{ error: unknown }>('fap-files-error', { detail: { error } })),
    );
  }

  private onInput(event: Event): void {
    const input = event.target as HTMLInputElement;
    const files = filesOfInput(input);
    // Cleared so choosing the same files again fires another change.
    input.value = '';
    this.deliver(files);
  }

  private deliver(files: File[]): void {
    if (files.length === 0) return;
    this.dispatchEvent(new CustomEvent<FilesDetail>('fap-files', { detail: { files } }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fap-drop-zone': FapDropZone;
  }
}
