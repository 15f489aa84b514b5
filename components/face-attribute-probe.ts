/**
 * `<face-attribute-probe>`: turns a folder of photos into "here is what the face model sees", on the device.
 * Photos go through the inference worker; faces, vectors, clusterings and names go into IndexedDB; the
 * analysis runs on the WebAssembly kernel in the page. See events.ts for the events it dispatches.
 */
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { customElement } from './define.ts';
import {
  BUILTIN_EMBEDDING_MODELS,
  DEFAULT_DB_NAME,
  DEFAULT_EMBEDDING_MODEL,
  InvalidInputError,
  MIN_FACES_TO_CLUSTER,
  MIN_FACES_TO_DISCOVER,
  isAbortError,
  type EngineInfo,
  type FaceEngineClient,
  type ModelComparison,
  type RunScope,
  type Workspace,
} from '../src/index.ts';
import { renderAnalysis, type AnalysisContext } from './analysis-section.ts';
import { DiscoveryController } from './discovery-controller.ts';
import { renderDiscovery } from './discovery-section.ts';
import type { SelectDetail } from './cluster-gallery.ts';
import { Download } from './download.ts';
import { assetUrls } from './asset-urls.ts';
import { EngineController } from './engine-controller.ts';
import { BACKEND_CHOICES, workerEngineFactory, type BackendChoice, type EngineFactory, type EngineRequest } from './engine-factory.ts';
import { clustersDetail, namedDetail, peopleDetail, readyDetail } from './event-details.ts';
import {
  describeError,
  emit,
  type PhotoFailure,
  type ProbeClustersDetail,
  type ProbeErrorDetail,
  type ProbeFacesDetail,
  type ProbeProgressDetail,
  type ProbeStorageDetail,
} from './events.ts';
import { faceAttributeProbeStyles } from './face-attribute-probe.styles.ts';
import type { ProbeRow } from './probe-panel.ts';
import { nextPaint } from './paint.ts';
import { rememberShownRun, shownRun } from './shown-run.ts';
import { ThumbnailUrls } from './thumbnails.ts';
import type { FaceLookup, OpenFaceDetail } from './face-thumb.ts';
import { faceViewModel } from './face-view-model.ts';
import { applyCorrection, correctionLabel, type CorrectionIntent } from './correction-intent.ts';
import { renderApp, renderProgress } from './app-view.ts';
import { WorkController, type Work } from './work-controller.ts';
import { WorkspaceController } from './workspace-controller.ts';
import { chosenModel, rememberModel } from './model-choice.ts';
import { renderModelPicker } from './model-picker.ts';
import { renderModelComparison } from './model-comparison.ts';
import './drop-zone.ts';
import './map/map-launcher.ts';
import './progress-view.ts';
import './storage-panel.ts';

/**
 * What the element is showing, reflected as its `state` attribute (for styling and tests):
 * 'loading' (opening the store), 'empty', 'working' (photos in progress), 'cancelled' (the last batch was
 * cancelled), 'error', 'ready' (faces, no clustering), 'clustered', 'named' (a cluster has a name),
 * 'probing' (probe results shown).
 */
export type ProbeState = 'loading' | 'empty' | 'working' | 'cancelled' | 'error' | 'ready' | 'clustered' | 'named' | 'probing';

/** A name typed into a cluster's field and not yet saved. */
interface PendingName {
  runId: string | undefined;
  cluster: number;
  name: string;
}

/** `k` from its attribute: 'auto' (or empty) stays 'auto'; anything else is read as a number and checked later. */
const kConverter = {
  fromAttribute: (value: string | null): number | 'auto' => (value === null || value.trim() === '' || value.trim() === 'auto' ? 'auto' : Number(value)),
  toAttribute: (value: number | 'auto'): string => String(value),
};

/**
 * Reveals what a face-identity embedding encodes, from photos the user drops: faces grouped by person,
 * clusters with their silhouette curve, galleries and a PCA map, named groups with Fisher scores and
 * accuracy against chance and a linear-probe ceiling, and a probe for new faces. Everything is kept in
 * IndexedDB on the device; nothing is uploaded.
 *
 * @fires probe-ready - the engine is running ({@link ProbeReadyDetail}: backend, model).
 * @fires probe-progress - after each photo of a batch.
 * @fires probe-faces - a batch finished or was cancelled (photos, faces, failures).
 * @fires probe-people - faces grouped by person.
 * @fires probe-clusters - a clustering is shown (new, merged or loaded).
 * @fires probe-named - cluster names changed; figures for the named groups.
 * @fires probe-assignments - new faces probed against the named groups.
 * @fires probe-storage - storage used and quota.
 * @fires probe-export - an export file was made.
 * @fires probe-import - an export file was imported.
 * @fires probe-erased - everything was erased.
 * @fires probe-error - something failed; it is also shown in the element.
 *
 * @csspart model - the face-model picker, above the drop zone.
 * @csspart model-notice - under the picker: photos added before that the picked model has not seen.
 * @csspart comparison - "The face models side by side" (shown when two or more models have faces kept).
 * @csspart header - the top bar while the engine starts (what it downloads) or when it failed to start.
 * @csspart download - the download line and bar of a first visit (models and runtime, MB so far of total).
 * @csspart footer - the bottom line with the engine's details.
 * @csspart backend - the engine's details (backend, model) and the backend selector, folded.
 * @csspart error - the error message.
 * @csspart notice - status notices (e.g. after Cancel).
 * @csspart dropzone - the drop zone for photos.
 * @csspart progress - the progress bar with its Cancel button.
 * @csspart failures - the photos that could not be used.
 * @csspart empty - the message shown before any photo was added.
 * @csspart dropzone-zone - the drop zone's framed area (exported from the inner drop zone).
 * @csspart dropzone-button - the drop zone's "Choose photos…" and "Choose a folder…" buttons.
 * @csspart progress-bar - the progress bar of a batch.
 * @csspart progress-cancel - the Cancel button of a batch.
 * @csspart people - the people section.
 * @csspart discovery - the "What the embedding separates" section (ranked splits with their strips of faces).
 * @csspart clustering - the clustering section (controls, curve, galleries, scatter).
 * @csspart silhouette - the silhouette curve.
 * @csspart cluster - each cluster's gallery.
 * @csspart scatter - the PCA scatter plot.
 * @csspart named - the named-groups section (figures and Fisher chart).
 * @csspart probe - the probe section.
 * @csspart storage - the storage section.
 *
 * @slot intro - text shown above the drop zone, e.g. what the page is for.
 * @slot empty - replaces the message shown before any photo was added.
 *
 * @cssprop --fap-font - font family.
 * @cssprop --fap-fg - text colour.
 * @cssprop --fap-bg - background of panels.
 * @cssprop --fap-surface - background of buttons and highlighted areas.
 * @cssprop --fap-muted - secondary text colour.
 * @cssprop --fap-border - border colour.
 * @cssprop --fap-accent - accent colour (primary buttons, focus rings, charts).
 * @cssprop --fap-accent-fg - text on the accent colour.
 * @cssprop --fap-danger - colour of destructive actions.
 * @cssprop --fap-radius - corner radius.
 * @cssprop --fap-gap - space between sections.
 * @cssprop --fap-thumb-size - face thumbnail size.
 * @cssprop --fap-cluster-0 - colour of cluster 1 (through --fap-cluster-9 for cluster 10; then they repeat).
 */
@customElement('face-attribute-probe')
export class FaceAttributeProbe extends LitElement {
  static override styles = faceAttributeProbeStyles;

  /**
   * URL of the folder with face-probe-worker.js, ort/ and models/ (relative to the page). Default: the folder of
   * the script that defined the element (the standalone face-attribute-probe.js, or your bundle).
   */
  @property({ attribute: 'assets-url' }) assetsUrl: string | undefined;
  /** URL of the folder with the models' index.json and .onnx files (relative to the page); default `models/` in assets-url. */
  @property({ attribute: 'models-url' }) modelsUrl: string | undefined;
  /** URL of the folder with onnxruntime-web's .wasm/.mjs files (relative to the page); default `ort/` in assets-url. */
  @property({ attribute: 'ort-url' }) ortUrl: string | undefined;
  /** URL of the inference worker script (relative to the page); default `face-probe-worker.js` in assets-url. */
  @property({ attribute: 'worker-url' }) workerUrl: string | undefined;
  /** Number of clusters for new clusterings, or 'auto' to choose it by silhouette (2 … 8). */
  @property({ converter: kConverter }) k: number | 'auto' = 'auto';
  /** IndexedDB database name: elements with different names keep separate collections. */
  @property() database = DEFAULT_DB_NAME;
  /** Inference backend: 'auto' (WebGPU on a hardware adapter, else WebAssembly), 'wasm' or 'webgpu'. */
  @property() backend: BackendChoice = 'auto';
  /**
   * The built-in face model ('face-api-face-recognition', 'mobilefacenet'); default: the one last picked in this
   * database's picker, else the default model. Every model's faces stay stored: switching loses nothing.
   */
  @property() model: string | undefined;
  /** Starts the engine; replace it (before the element is connected) to use another engine, e.g. a fake in tests. */
  @property({ attribute: false }) engineFactory: EngineFactory = workerEngineFactory;

  private readonly engines = new EngineController(this, {
    engineRequest: () => this.engineRequest(),
    engineReady: (info) => this.engineReady(info),
    engineFailed: (error) => this.fail(error, 'engine'),
  });
  private readonly workspaces = new WorkspaceController(this, {
    workspaceRequest: () => this.workspaceRequest(),
    workspaceOpened: (workspace) => this.workspaceOpened(workspace),
    workspaceFailed: (error) => this.fail(error, 'store'),
  });
  private readonly busy = new WorkController(this);
  @state() private error: ProbeErrorDetail | undefined;
  @state() private notice: string | undefined;
  @state() private cancelled = false;
  /** Names typed but not yet saved, shown in their fields meanwhile. */
  @state() private pendingNames: readonly PendingName[] = [];
  /** The erase in progress: its Cancel, and whether another tab blocks it. */
  @state() private erasing: { controller: AbortController; blocked: boolean } | undefined;
  @state() private mergeSelection = new Set<number>();
  @state() private probeRows: ProbeRow[] = [];
  @state() private probeFailures: PhotoFailure[] = [];
  @state() private storageInfo: ProbeStorageDetail | undefined;

  private pendingStart = true;
  private readonly download = new Download();
  private renderFailure: ProbeErrorDetail | undefined;
  /** Persistent storage is asked for once per element, after photos were first stored. */
  private persistenceAsked = false;
  private readonly thumbs = new ThumbnailUrls();
  private readonly faces: FaceLookup = {
    thumb: (id) => this.thumbs.url(id, this.session?.collection?.face(id)?.thumbnail),
    label: (id) => this.session?.faceLabel(id) ?? id,
  };
  /** Discovery, in its worker beside the inference worker. */
  private readonly discovery = new DiscoveryController(this, () => new URL('face-probe-discovery-worker.js', assetUrls(this).workerUrl));
  /** The face opened in the dialog. */
  @state() private openedFace: string | undefined;
  /** Faces kept per model id, for the model picker. */
  @state() private storedFaces: ReadonlyMap<string, number> = new Map();
  /** The next engine's model was picked: show its faces (even none) once it runs. */
  private followModel = false;
  /** The face models side by side, with the faces kept when it was made (it is shown only while they are the same). */
  @state() private comparison: { result: ModelComparison | undefined; faces: number } | undefined;

  /** The open workspace (undefined while opening). */
  private get session(): Workspace | undefined {
    return this.workspaces.workspace;
  }

  /** The batch of photos in progress. */
  private get work(): Work | undefined {
    return this.busy.work;
  }

  /** What the element is showing (also its `state` attribute). */
  get state(): ProbeState {
    if (this.work) return 'working';
    if (this.error) return 'error';
    const s = this.session;
    if (!s) return 'loading';
    if (this.cancelled) return 'cancelled';
    if (this.probeRows.length > 0) return 'probing';
    if (s.view && s.names.size > 0) return 'named';
    if (s.view) return 'clustered';
    return s.faces > 0 || s.photos > 0 ? 'ready' : 'empty';
  }

  /** The engine's backend and model once it runs, else undefined. */
  get engineDetails(): EngineInfo | undefined {
    return this.engines.info;
  }

  constructor() {
    super();
    // A face thumbnail anywhere inside (galleries, people, the scatter plot) asks for its face to open.
    this.addEventListener('fap-open-face', (event) => {
      event.stopPropagation();
      this.loadFaceView();
      this.openedFace = (event as CustomEvent<OpenFaceDetail>).detail.faceId;
    });
    // A probe made elsewhere (a group named on the map) is the one new faces are probed against now.
    this.addEventListener('fap-probe-made', (event) => {
      event.stopPropagation();
      this.showStoredProbe();
      this.requestUpdate();
    });
    // A correction of the people (the face dialog, the people tools) is applied to the workspace.
    this.addEventListener('fap-correct', (event) => {
      event.stopPropagation();
      void this.correct((event as CustomEvent<CorrectionIntent>).detail);
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Reconnecting after a disconnect starts the engine and store again.
    this.pendingStart = true;
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    // The controllers cancel the batch, stop the engine and close the workspace.
    super.disconnectedCallback();
    this.erasing?.controller.abort();
    this.thumbs.revoke();
    this.download.revoke();
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (!this.isConnected) return;
    const first = this.pendingStart;
    this.pendingStart = false;
    if (changed.has('k') && this.k !== 'auto' && !(Number.isInteger(this.k) && this.k >= 1)) {
      this.fail(new InvalidInputError(`k is ${String(this.k)}; expected 'auto' or an integer of at least 1`), 'configuration');
      this.k = 'auto';
    }
    if (changed.has('backend') && !BACKEND_CHOICES.includes(this.backend)) {
      this.fail(new InvalidInputError(`backend is ${JSON.stringify(this.backend)}; expected one of ${BACKEND_CHOICES.join(', ')}`), 'configuration');
      this.backend = 'auto';
    }
    if (changed.has('model') && this.model !== undefined && !(this.model in BUILTIN_EMBEDDING_MODELS)) {
      this.fail(new InvalidInputError(`model is ${JSON.stringify(this.model)}; expected one of ${Object.keys(BUILTIN_EMBEDDING_MODELS).join(', ')}`), 'configuration');
      this.model = undefined;
    }
    // A model asked for (picked, or set by the page) is the one whose faces are shown once it runs.
    if (changed.has('model') && this.model !== undefined) this.followModel = true;
    if (first || changed.has('database')) void this.workspaces.open();
    const engineProps = ['engineFactory', 'backend', 'assetsUrl', 'modelsUrl', 'ortUrl', 'workerUrl', 'model'] as const;
    if (first || engineProps.some((p) => changed.has(p))) {
      void this.engines.start();
    }
  }

  override updated(): void {
    if ((this.session?.faces ?? 0) > 0) this.loadFaceView();
    this.setAttribute('state', this.state);
    if (this.renderFailure) {
      const failure = this.renderFailure;
      this.renderFailure = undefined;
      emit(this, 'probe-error', failure);
    }
  }

  private faceView: Promise<unknown> | undefined;

  /**
   * Loads the face dialog (`<fap-face-view>`: the photo, the face, its corrections) once there are faces to open, not
   * with the page; until it is defined its tag renders nothing.
   */
  private loadFaceView(): void {
    this.faceView ??= (async () => {
      try {
        await import('./face-view.ts');
      } catch (error: unknown) {
        this.faceView = undefined;
        console.warn('face-attribute-probe: the face dialog could not be loaded', error);
      }
    })();
  }

  // ── Public methods ───────────────────────────────────────────────────────────────────────────────

  /**
   * Adds photos: finds and embeds their faces, stores them, groups people, and clusters when there is no
   * clustering yet. Failures are listed per file; the rest go on. Resolves when done (also on Cancel or
   * error, which are shown and dispatched rather than thrown).
   */
  async addFiles(files: Iterable<File> | ArrayLike<File>): Promise<ProbeFacesDetail | undefined> {
    const list = Array.from(files);
    if (list.length === 0) return undefined;
    const work = this.beginWork('ingest', list.length);
    if (!work) return undefined;
    const signal = work.controller.signal;
    try {
      const session = await this.workspaces.require();
      const engine = await this.engines.require();
      this.busy.setPhase(work, 'Finding faces');
      // Age, gender and expression after the clustering is drawn (below): the faces are stored, grouped and
      // clustered without waiting for those heads, which took a fifth of the time from drop to clusters.
      const { detail: stored, failure } = await session.ingest(engine, list, {
        signal,
        attributes: 'later',
        onProgress: (p) => this.progress(work, p),
        onPhase: (phase) => this.busy.enterPhase(work, phase),
      });
      // Cancel pressed after the last photo (while people were grouped) still skips the clustering.
      const detail: ProbeFacesDetail = { ...stored, cancelled: stored.cancelled || signal.aborted };
      // What was stored before a failing chunk is reported before the failure.
      emit(this, 'probe-faces', detail);
      if (detail.faces > 0) emit(this, 'probe-people', peopleDetail(session));
      if (failure) throw failure.error;
      // Not awaited: a browser that asks the user (Firefox) would hold the clustering until they answer.
      if (detail.photos > 0) void this.keepStorage(session);
      this.cancelled = detail.cancelled;
      this.notice = detail.cancelled
        ? `Cancelled after ${detail.processed} of ${list.length} photos; the finished ones were kept.`
          + (!session.view && session.faces >= MIN_FACES_TO_CLUSTER ? ' Choose Cluster to group them.' : '')
        : undefined;
      if (!detail.cancelled && !session.view && session.faces >= MIN_FACES_TO_CLUSTER) {
        await this.busy.enterPhase(work, 'Clustering');
        try {
          await session.cluster({ kind: 'all' }, this.k, { signal });
          this.afterClustering('clustered');
        } catch (error: unknown) {
          if (!isAbortError(error)) throw error;
          this.cancelled = true;
          this.notice = 'Cancelled before clustering; the photos were kept. Choose Cluster to group them.';
        }
      } else if (session.view && detail.faces > 0 && !detail.cancelled) {
        this.notice = `${detail.faces} new ${detail.faces === 1 ? 'face is' : 'faces are'} not in the clustering shown: choose Cluster to include them.`;
      }
      if (!this.cancelled && session.pendingAttributes > 0) await this.addAttributes(session, engine, work);
      if (!this.cancelled && detail.faces > 0 && session.faces >= MIN_FACES_TO_DISCOVER) {
        await this.busy.enterPhase(work, 'Finding what the embedding separates');
        try {
          await this.discovery.run(session, signal);
        } catch (error: unknown) {
          if (!isAbortError(error)) throw error;
          this.notice = 'Cancelled while looking for what the embedding separates; the photos were kept.';
        }
      }
      await this.refreshStorage();
      return detail;
    } catch (error: unknown) {
      this.fail(error, 'ingest');
      return undefined;
    } finally {
      this.busy.end(work);
    }
  }

  /**
   * Runs the age, gender and expression heads on the faces just added (their photos read again), with progress.
   * Cancel keeps what was found; the rest of the faces stay without attributes until the next photos are added.
   */
  private async addAttributes(session: Workspace, engine: FaceEngineClient, work: Work): Promise<void> {
    const total = session.pendingAttributes;
    this.busy.setPhase(work, 'Reading age, gender and expression');
    try {
      const result = await session.addPendingAttributes(engine, {
        signal: work.controller.signal,
        onProgress: (p) => void this.busy.progress(work, { done: p.done, total: p.total, faces: total, failed: 0, name: '' }),
      });
      if (result.cancelled) {
        this.cancelled = true;
        this.notice = 'Cancelled while reading age, gender and expression; the photos and the clustering were kept.';
      }
    } catch (error: unknown) {
      if (!isAbortError(error)) throw error;
      this.cancelled = true;
    }
  }

  /** Asks once for persistent storage (the browser may evict data otherwise) and shows the answer. */
  private async keepStorage(session: Workspace): Promise<void> {
    if (this.persistenceAsked || this.storageInfo?.persisted === true) return;
    this.persistenceAsked = true;
    try {
      await session.requestPersistence();
    } catch (error: unknown) {
      // Not being granted persistence loses nothing now; the storage panel shows the state either way.
      console.warn('face-attribute-probe: could not ask for persistent storage', error);
    }
    await this.refreshStorage();
  }

  /** Stops the batch in progress; the photo in flight finishes and everything finished is kept. */
  cancel(): void {
    this.busy.cancel();
  }

  /**
   * Clusters all faces (or one person's: `person` is the id from `probe-people`/the people list) with `k`
   * (default: the element's k), stores the run and shows it.
   */
  async cluster(options: { person?: string; k?: number | 'auto' } = {}): Promise<void> {
    const scope: RunScope = options.person && options.person !== 'all' ? { kind: 'person', groupId: options.person } : { kind: 'all' };
    await this.act('analysis', 'Clustering…', async (session) => {
      await session.cluster(scope, options.k ?? this.k);
      this.mergeSelection = new Set();
      this.afterClustering('clustered');
    });
  }

  /**
   * Names cluster `cluster` (0-based) of the clustering shown when called; '' removes the name. Refused
   * (shown and dispatched) when another clustering is shown by the time earlier actions finished.
   */
  async nameCluster(cluster: number, name: string): Promise<void> {
    const pending: PendingName = { runId: this.session?.view?.run.id, cluster, name: name.trim() };
    this.pendingNames = [...this.pendingNames, pending];
    await this.act('store', 'Saving the name…', async (session) => {
      const revision = session.namesRevision;
      try {
        await session.rename(cluster, name, pending.runId === undefined ? {} : { runId: pending.runId });
      } finally {
        // Probe results and the named figures follow the names, also when only the probe could not be saved.
        if (session.namesRevision !== revision) {
          this.clearProbe();
          this.emitNamed();
        }
      }
    }, { blocking: false });
    // Saved or not, the field shows the stored name again.
    this.pendingNames = this.pendingNames.filter((p) => p !== pending);
  }

  /**
   * Finds what the embedding separates among the faces (ranked, described splits across and within people)
   * and shows it. Runs by itself after photos are added and when the element opens its store.
   */
  async findSplits(): Promise<void> {
    const session = this.session;
    if (!session || session.faces < MIN_FACES_TO_DISCOVER) return;
    await this.act('analysis', 'Finding what the embedding separates…', async (ws) => {
      try {
        await this.discovery.run(ws);
      } catch (error: unknown) {
        // Cancelled by the person or replaced by a newer run: nothing went wrong.
        if (!isAbortError(error)) throw error;
      }
    }, { blocking: false });
  }

  /**
   * Names the two sides of a discovered split (`view` and `splitId` as shown), which makes the probe new faces are
   * probed against: trained on identity-removed faces for a within-people split, with calibrated confidence.
   */
  async nameSplit(view: 'across-people' | 'within-people', splitId: string, names: [string, string]): Promise<void> {
    await this.act('store', 'Making the probe…', async (session) => {
      await session.nameSplit(view, splitId, names);
      this.showStoredProbe();
    });
  }

  /** Names a person (`person` is the id from the people list); '' gives back "Person N". */
  async renamePerson(person: string, name: string): Promise<void> {
    await this.act('store', 'Saving the name…', async (session) => {
      await session.renamePerson(person, name);
      emit(this, 'probe-people', peopleDetail(session));
    }, { blocking: false });
  }

  /** Applies a correction of the people (or undoes the latest) and shows the people grouped again. */
  private async correct(intent: CorrectionIntent): Promise<void> {
    let facesChanged = false;
    await this.act('analysis', correctionLabel(intent), async (session) => {
      if (this.engines.info) session.setSamePersonDistance(this.engines.info.samePersonDistance);
      facesChanged = await applyCorrection(session, intent);
      // A detection that is not a face is no longer shown; an undo must not open it again.
      if (intent.kind === 'not-face') this.openedFace = undefined;
      emit(this, 'probe-people', peopleDetail(session));
    });
    if (facesChanged) void this.refreshStorage();
    // Discovery holds each person constant: a correction changes who is grouped with whom, so it runs again.
    void this.findSplits();
  }

  /** Merges clusters (0-based indices) of the clustering shown when called into one. */
  async mergeClusters(clusters: readonly number[]): Promise<void> {
    const runId = this.session?.view?.run.id;
    await this.act('analysis', 'Merging…', async (session) => {
      try {
        await session.merge(clusters, runId === undefined ? {} : { runId });
      } finally {
        // The merged clustering replaced the old one even when only its probe could not be saved.
        if (session.view && session.view.run.id !== runId) {
          this.mergeSelection = new Set();
          this.afterClustering('merged');
        }
      }
    });
  }

  /** Probes new photos against the named split, or else the named groups (two or more names needed); their faces are not stored. */
  async probeFiles(files: Iterable<File> | ArrayLike<File>): Promise<void> {
    const list = Array.from(files);
    if (list.length === 0) return;
    const work = this.beginWork('probe', list.length);
    if (!work) return;
    try {
      const session = await this.workspaces.require();
      const engine = await this.engines.require();
      this.busy.setPhase(work, 'Probing faces');
      const result = await session.probe(engine, list, { signal: work.controller.signal, onProgress: (p) => this.progress(work, p) });
      this.thumbs.revoke('probe:');
      this.probeRows = result.faces.map((f, i) => ({ ...f, thumbnail: this.thumbs.url(`probe:${i}`, f.thumbnail) }));
      this.probeFailures = result.failures;
      const assignments = result.faces.map(({ thumbnail: _omitted, ...a }) => a);
      emit(this, 'probe-assignments', { assignments, failures: result.failures });
    } catch (error: unknown) {
      this.fail(error, 'probe');
    } finally {
      this.busy.end(work);
    }
  }

  /** Makes the export file, offers it as a download, and resolves to it (undefined on failure). */
  async exportData(): Promise<Blob | undefined> {
    let blob: Blob | undefined;
    await this.act('export', 'Exporting…', async (session) => {
      blob = await session.exportBlob();
      const fileName = `${session.database}-${new Date().toISOString().slice(0, 10)}.fap`;
      this.download.offer(this.renderRoot, blob, fileName);
      emit(this, 'probe-export', { blob, fileName });
    });
    return blob;
  }

  /** Imports an export file (validated before anything is written) and shows what it holds. */
  async importData(file: Blob): Promise<void> {
    await this.act('import', 'Importing…', async (session) => {
      // With the engine known, a file of another model is refused (its vectors would not compare).
      const info = this.engines.info;
      // The import worker sits beside the inference worker (the demo's build/web, the standalone build).
      const workerUrl = new URL('face-probe-import-worker.js', assetUrls(this).workerUrl);
      const added = await session.importBlob(file, { workerUrl, ...(info ? { modelId: info.modelId } : {}) });
      this.thumbs.revoke();
      emit(this, 'probe-import', added);
      this.afterLoad();
      if (session.problem !== undefined) this.fail(session.problem, 'import');
      await this.refreshStorage();
    });
    void this.findSplits();
  }

  /**
   * Erases every photo, face, clustering and name in this element's database (no confirmation: the UI asks
   * first). While another tab blocks the deletion, the element says so and offers Cancel.
   */
  async eraseAll(): Promise<void> {
    const erasing = { controller: new AbortController(), blocked: false };
    this.erasing = erasing;
    this.notice = undefined;
    await this.act('store', 'Erasing…', async (session) => {
      try {
        await session.erase({
          signal: erasing.controller.signal,
          onBlocked: () => { if (this.erasing === erasing) this.erasing = { ...erasing, blocked: true }; },
        });
      } catch (error: unknown) {
        if (!isAbortError(error)) throw error;
        // The browser cannot withdraw a deletion: it happens once the other tabs close, and the store reopens then.
        this.notice = 'Erasing was cancelled here, but the browser still deletes the data once the other tabs of this page close; '
          + 'this page opens the emptied store then.';
        void this.workspaces.open();
        return;
      }
      this.thumbs.revoke();
      this.clearProbe();
      this.mergeSelection = new Set();
      rememberShownRun(session.database, undefined);
      this.notice = 'Everything was erased.';
      emit(this, 'probe-erased', { database: session.database });
      await this.refreshStorage();
    });
    if (this.erasing?.controller === erasing.controller) this.erasing = undefined;
  }

  /** Stops waiting for a blocked erase (the deletion still happens once the other tabs close). */
  private cancelErase(): void {
    this.erasing?.controller.abort();
  }

  // ── Engine and workspace (their controllers call these) ──────────────────────────────────────────

  /** The engine to start, read by the engine controller. */
  private engineRequest(): { factory: EngineFactory; request: EngineRequest } {
    return {
      factory: this.engineFactory,
      request: {
        ...assetUrls(this),
        backend: this.backend,
        attributes: true,
        model: this.pickedModel,
      },
    };
  }

  /** The engine runs. */
  private engineReady(info: EngineInfo): void {
    // The engine's earlier failure is resolved by this start.
    if (this.error?.during === 'engine') this.error = undefined;
    emit(this, 'probe-ready', readyDetail(info));
    void this.showEngineModel(info);
  }

  /** The built-in model the engine is asked for: the `model` property, else the one picked before, else the default. */
  private get pickedModel(): string {
    const remembered = chosenModel(this.database);
    return this.model ?? (remembered !== undefined && remembered in BUILTIN_EMBEDDING_MODELS ? remembered : DEFAULT_EMBEDDING_MODEL);
  }

  /** Switches to another built-in face model (remembered for this database); its faces are shown once it runs. */
  chooseModel(modelId: string): void {
    if (modelId === this.pickedModel && this.model !== undefined) return;
    rememberModel(this.database, modelId);
    this.model = modelId;
  }

  /** Compares every face model with faces kept, on the photos they all have seen, and shows them side by side. */
  async compareModels(): Promise<void> {
    await this.act('analysis', 'Comparing the face models…', async (session) => {
      const result = await session.compareModels();
      this.comparison = { result, faces: [...this.storedFaces.values()].reduce((a, b) => a + b, 0) };
    }, { blocking: false });
  }

  /**
   * Shows the faces of the engine's model once it runs: always after a pick, else when that model has stored
   * faces. When it has none, nothing was picked and the store shows another built-in model's faces (kept from
   * before a change of the default model), the element switches to that model instead, so they stay in use.
   */
  private async showEngineModel(info: EngineInfo): Promise<void> {
    const follow = this.followModel;
    this.followModel = false;
    try {
      const session = await this.workspaces.require();
      const stored = (await session.storedModels()).some((m) => m.modelId === info.modelId && m.count > 0);
      const kept = session.collection?.modelId;
      if (!follow && !stored && this.model === undefined && chosenModel(this.database) === undefined && kept !== undefined && kept in BUILTIN_EMBEDDING_MODELS) {
        this.chooseModel(kept);
        return;
      }
      if (!(follow || stored) || !(await session.showModel(info, { preferredRun: shownRun(this.database) }))) return;
      this.clearProbe();
      this.afterLoad();
      await this.refreshStorage();
      void this.findSplits();
    } catch (error: unknown) {
      this.fail(error, 'store');
    }
  }

  /** The database to open, read by the workspace controller. */
  private workspaceRequest(): { database: string; preferredRun: string | undefined } {
    this.thumbs.revoke();
    return { database: this.database, preferredRun: shownRun(this.database) };
  }

  /** The workspace opened: show what it holds. */
  private async workspaceOpened(workspace: Workspace): Promise<void> {
    this.afterLoad();
    if (workspace.problem !== undefined) this.fail(workspace.problem, 'store');
    await this.refreshStorage();
    void this.findSplits();
  }

  // ── Work, progress and errors ────────────────────────────────────────────────────────────────────

  private beginWork(kind: Work['kind'], total: number): Work | undefined {
    if (this.work) {
      this.fail(new InvalidInputError('photos are already being processed: wait for them or press Cancel first'), kind);
      return undefined;
    }
    this.error = undefined;
    this.notice = undefined;
    this.cancelled = false;
    return this.busy.begin(kind, total, this.engines.status === 'ready' ? 'Starting' : 'Loading the models…');
  }

  private progress(work: Work, progress: ProbeProgressDetail): void {
    if (this.busy.progress(work, progress)) emit(this, 'probe-progress', progress);
  }

  /**
   * Runs a short action on the open session, showing `label` while it runs and any error after. Actions
   * may overlap (the session runs its operations one at a time); each one is counted until it ends.
   */
  private async act(during: string, label: string, action: (session: Workspace) => Promise<void>, options: { blocking?: boolean } = {}): Promise<void> {
    this.error = undefined;
    this.cancelled = false;
    try {
      // The workspace changes in place (names, runs): the controller's update when the task ends redraws it.
      await this.busy.track({ label, blocking: options.blocking ?? true }, async () => {
        // Let the label paint before a synchronous analysis blocks the page for a moment.
        await this.updateComplete;
        await nextPaint();
        await action(await this.workspaces.require());
      });
    } catch (error: unknown) {
      this.fail(error, during);
    }
  }

  /** Whether a batch or a blocking action runs: the controls that start others are disabled meanwhile. */
  private get blocked(): boolean {
    return this.busy.blocked;
  }

  private fail(error: unknown, during: string): void {
    // A cancelled batch is not an error: its outcome is reported through probe-faces.
    if (isAbortError(error)) return;
    this.error = describeError(error, during);
    emit(this, 'probe-error', this.error);
  }

  private async refreshStorage(): Promise<void> {
    const session = this.session;
    if (!session) return;
    try {
      this.storageInfo = await session.storage();
      this.storedFaces = new Map((await session.storedModels()).map((m) => [m.modelId, m.count]));
      emit(this, 'probe-storage', this.storageInfo);
    } catch (error: unknown) {
      this.fail(error, 'store');
    }
  }

  // ── Event details ────────────────────────────────────────────────────────────────────────────────

  private afterLoad(): void {
    const session = this.session;
    if (!session) return;
    this.mergeSelection = new Set();
    if (session.faces > 0) emit(this, 'probe-people', peopleDetail(session));
    if (session.view) this.afterClustering('loaded');
    else this.showStoredProbe();
  }

  private clearProbe(): void {
    this.probeRows = [];
    this.probeFailures = [];
    this.thumbs.revoke('probe:');
  }

  /** Shows the probed faces the session keeps for the probe in use (stored with it, so also after a reload). */
  private showStoredProbe(): void {
    this.clearProbe();
    const results = this.session?.probeResults ?? [];
    this.probeRows = results.map((f, i) => ({ ...f, thumbnail: this.thumbs.url(`probe:${i}`, f.thumbnail) }));
  }

  private afterClustering(reason: ProbeClustersDetail['reason']): void {
    const view = this.session?.view;
    // Probe results belong to the probe they were made with: a named split's, or this clustering's named groups'.
    this.showStoredProbe();
    if (!view) return;
    rememberShownRun(this.database, view.run.id);
    emit(this, 'probe-clusters', clustersDetail(view, reason));
    if (this.session && this.session.names.size > 0) this.emitNamed();
  }

  private emitNamed(): void {
    const detail = this.session ? namedDetail(this.session) : undefined;
    if (detail) emit(this, 'probe-named', detail);
  }

  // ── Rendering ────────────────────────────────────────────────────────────────────────────────────

  override render(): TemplateResult {
    try {
      return this.renderApp();
    } catch (error: unknown) {
      // Never throw from render: show what broke, and report it once the update is done.
      this.renderFailure = describeError(error, 'render');
      return html`<div class="error" role="alert" part="error"><p>This view could not be drawn: ${this.renderFailure.message}</p></div>`;
    }
  }

  private renderApp(): TemplateResult {
    return renderApp({
      session: this.session,
      work: this.work,
      label: this.busy.label,
      blocked: this.blocked,
      error: this.error,
      notice: this.notice,
      storage: this.storageInfo,
      erasingBlocked: this.erasing?.blocked ?? false,
      engineStatus: this.engines.status,
      engineInfo: this.engines.info,
      engineDownload: this.engines.download,
      backend: this.backend,
      openedFace: this.session && this.openedFace !== undefined ? faceViewModel(this.session, this.faces, this.openedFace) : undefined,
      analysis: () => renderAnalysis(this.session as Workspace, this.analysisContext()),
      modelPicker: () => renderModelPicker({
        value: this.engines.info?.modelId ?? this.pickedModel, stored: this.storedFaces, photosWithoutModel: this.session?.photosWithoutModel ?? 0,
        shown: this.session?.collection?.modelId, disabled: this.work !== undefined, pick: (id) => this.chooseModel(id),
      }),
      comparison: () => renderModelComparison({
        available: [...this.storedFaces.values()].filter((n) => n > 0).length >= 2,
        comparison: this.comparison?.faces === [...this.storedFaces.values()].reduce((a, b) => a + b, 0) ? this.comparison.result : undefined,
        busy: this.busy.label?.includes('Comparing the face models') ?? false, compare: () => void this.compareModels(),
      }),
      map: () => html`<fap-map-launcher .session=${this.session} .faceCount=${this.session?.faces ?? 0} .lookup=${this.faces}
        .workerUrl=${new URL('face-probe-map-worker.js', assetUrls(this).workerUrl).href}></fap-map-launcher>`,
      on: {
        files: (files) => void this.addFiles(files),
        fail: (error, during) => this.fail(error, during),
        cancel: () => this.cancel(),
        dismissError: () => { this.error = undefined; },
        closeFace: () => { this.openedFace = undefined; },
        restartEngine: () => void this.engines.start(),
        backend: (backend) => { this.backend = backend; },
        exportData: () => void this.exportData(),
        importData: (file) => void this.importData(file),
        erase: () => void this.eraseAll(),
        cancelErase: () => this.cancelErase(),
      },
    });
  }

  private analysisContext(): AnalysisContext {
    const runId = this.session?.view?.run.id;
    return {
      blocked: this.blocked,
      k: this.k,
      mergeSelection: this.mergeSelection,
      faces: this.faces,
      probeProgress: () => (this.work?.kind === 'probe' ? renderProgress(this.work, () => this.cancel()) : nothing),
      discovery: () => (this.session ? renderDiscovery(this.session, {
        faces: this.faces, host: this, ...this.discovery.state(this.session),
        onFind: () => void this.findSplits(),
        onNameSplit: (view, id, names) => void this.nameSplit(view, id, names),
      }) : html``),
      nameOf: (cluster) => this.pendingNames.filter((p) => p.cluster === cluster && p.runId === runId).at(-1)?.name
        ?? this.session?.names.get(cluster) ?? '',
      probeRows: this.probeRows,
      probeFailures: this.probeFailures,
      onPerson: (e) => void this.cluster({ person: e.detail.groupId }),
      onRenamePerson: (e) => void this.renamePerson(e.detail.groupId, e.detail.name),
      onClusterSubmit: (e) => this.onClusterSubmit(e),
      onRunChange: (e) => this.onRunChange(e),
      onName: (e) => void this.nameCluster(e.detail.cluster, e.detail.name),
      onSelect: (e) => this.onSelect(e),
      onMerge: () => void this.mergeClusters([...this.mergeSelection]),
      onProbeFiles: (e) => void this.probeFiles(e.detail.files),
    };
  }

  private onClusterSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const raw = String(data.get('k') ?? '').trim();
    const k = raw === '' ? 'auto' : Number(raw);
    if (k !== 'auto' && !(Number.isInteger(k) && k >= 1)) {
      this.fail(new InvalidInputError(`k is ${JSON.stringify(raw)}; leave it empty for automatic or give a whole number of at least 1`), 'analysis');
      return;
    }
    this.k = k;
    void this.cluster({ person: String(data.get('scope') ?? 'all'), k });
  }

  private onRunChange(event: Event): void {
    const runId = (event.target as HTMLSelectElement).value;
    void this.act('store', 'Loading the clustering…', async (session) => {
      await session.select(runId);
      this.mergeSelection = new Set();
      this.afterClustering('loaded');
    });
  }

  private onSelect(event: CustomEvent<SelectDetail>): void {
    const next = new Set(this.mergeSelection);
    if (event.detail.selected) next.add(event.detail.cluster);
    else next.delete(event.detail.cluster);
    this.mergeSelection = next;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'face-attribute-probe': FaceAttributeProbe;
  }
}
