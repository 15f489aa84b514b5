/**
 * The element's working state, without any UI: the store, the faces in memory, the people, the cluster
 * runs and their names, the named groups' figures, and the operations on them (add photos, cluster, name,
 * merge, probe, export, import, erase). Every change is written to IndexedDB first, so a reload shows the
 * same state. Operations run one at a time, in the order they were called (a queue), so one never reads
 * state another is halfway through changing. Loading only reads.
 */
import { discoverAttributes, type AttributeDiscovery } from '../analysis/discovery/discover-all.ts';
import { assignFaces } from '../analysis/named-clusters.ts';
import type { EngineInfo, FaceEngineClient, ImageOutcome, ImageResult, ImageSource } from '../embedding/types.ts';
import { InvalidInputError, UnsupportedEnvironmentError, isAbortError } from '../errors.ts';
import type { ResidentKernel } from '../kernel/types.ts';
import { FaceStore } from '../store/face-store.ts';
import { importInWorker } from '../store/import-client.ts';
import { MapCache } from '../store/map-cache.ts';
import type { ImportResult } from '../store/transfer.ts';
import type { ClusterRun, ModelRecord, RunScope, Thumbnail } from '../store/types.ts';
import {
  clusterView,
  groupFigures,
  groupPeople,
  mergeClusters,
  namedGroups,
  peopleFromGroups,
  probeRecord,
  runClustering,
  type ClusterView,
  type NamedGroupFigures,
  type NamedClusters,
  type PersonView,
} from './views.ts';
import { FaceCollection } from './collection.ts';
import type { GroupAssignment, IngestSummary, PhotoFailure, StorageSummary, WorkProgress } from './types.ts';
import { failureOf, toBatch } from './ingest-batch.ts';

/** Fewest faces discovery looks at (a view needs 8 points). */
export const MIN_FACES_TO_DISCOVER = 8;

/** Photos per engine call and per store transaction: finished work is saved as it goes, so Cancel keeps it. */
export const INGEST_CHUNK = 24;

/** Options of {@link Workspace.ingest} and {@link Workspace.probe}. */
export interface WorkOptions {
  signal?: AbortSignal;
  onProgress?: (progress: WorkProgress) => void;
  /**
   * Called when a batch moves on from the engine to work in this thread ('Grouping people'); awaited, so
   * the caller can let the page paint before that synchronous work.
   */
  onPhase?: (phase: string) => Promise<void> | void;
  /**
   * Run the age, gender and expression heads on every added face (the engine must have them), so what the
   * embedding separates can be described by them. Default false.
   */
  attributes?: boolean;
}

/** The outcome of {@link Workspace.ingest}: what was stored, and the error that ended the batch early, if one did. */
export interface IngestResult {
  detail: IngestSummary;
  /** Set when a chunk failed (full storage, a crashed worker): `detail` counts what was stored before it. */
  failure: { error: unknown } | undefined;
}

/** A probed face: where it falls, and its thumbnail. */
export interface ProbedFace extends GroupAssignment {
  thumbnail: Thumbnail | undefined;
}

/** The outcome of {@link Workspace.probe}. */
export interface ProbeResult {
  faces: ProbedFace[];
  failures: PhotoFailure[];
  cancelled: boolean;
}

/** A unique id for a run (random: runs from two tabs must not collide). */
function newRunId(): string {
  return `run:${crypto.randomUUID()}`;
}

/** The model whose faces to show: the one with the most vectors. */
function largestModel(models: readonly ModelRecord[]): ModelRecord | undefined {
  return [...models].sort((a, b) => b.count - a.count)[0];
}

/** Options of {@link Workspace.rename} and {@link Workspace.merge}. */
export interface ShownRunOptions {
  /** The run the caller saw: the call is refused when another run is shown by the time it runs. */
  runId?: string;
}

/** The element's state over one database. Open with {@link Workspace.open}. */
export class Workspace {
  /** Faces of the shown model (undefined until a model has faces or the engine names one). */
  collection: FaceCollection | undefined;
  /** Photos stored (including those that failed). */
  photos = 0;
  /** Stored photos that failed, with their reasons, then this session's failures that could not be stored. */
  failures: PhotoFailure[] = [];
  people: PersonView[] = [];
  /** Cluster runs of the model, oldest first. */
  runs: ClusterRun[] = [];
  /** The run shown, with its galleries and projection. */
  view: ClusterView | undefined;
  /**
   * What the embedding separates in these faces, with who someone is held constant (see
   * src/analysis/discovery), or undefined until {@link discover} ran on the current faces.
   */
  discovery: AttributeDiscovery | undefined;
  /** Face ids in the order discovery saw them: a split's strips index into this. */
  discoveryFaces: string[] = [];
  /** Names of the shown run's clusters. */
  names = new Map<number, string>();
  /** Counts changes of {@link names}, so a caller can tell whether a rename was applied. */
  namesRevision = 0;
  /** The distinct names of the shown run and their faces. */
  groups: NamedClusters[] = [];
  /** Figures for two or more named groups. */
  figures: NamedGroupFigures | undefined;
  /**
   * Why the last load could not show everything (the stored clustering or its figures could not be read
   * or computed), or undefined. The session stays usable: Export, Import and Erase still work.
   */
  problem: unknown;
  /** The same-person distance of the engine that last added faces (its model's manifest), when it says. */
  private samePersonDistance: number | undefined;
  /** File name of each stored photo, by content hash. */
  private photoNames = new Map<string, string>();
  private unstored: PhotoFailure[] = [];
  /** Hashes of the photos stored as failures. */
  private storedFailures = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private store: FaceStore, readonly kernel: ResidentKernel) {}

  /**
   * Opens (creating if needed) the database and loads what it holds, showing `preferredRun` when it is
   * one of the model's runs, else the newest. A failure to load after the store opened does not reject:
   * the session is returned empty with {@link problem} set, so the data can still be exported or erased.
   * @throws StorageError when IndexedDB is unavailable, blocked or newer than this code.
   */
  static async open(database: string, kernel: ResidentKernel, options: { preferredRun?: string } = {}): Promise<Workspace> {
    const session = new Workspace(await FaceStore.open(database), kernel);
    try {
      await session.load(undefined, options.preferredRun);
    } catch (error: unknown) {
      session.clear();
      session.problem = error;
    }
    return session;
  }

  /** The database name. */
  get database(): string {
    return this.store.name;
  }

  /** Faces in the collection. */
  get faces(): number {
    return this.collection?.size ?? 0;
  }

  /**
   * What a person calls a face: its photo's file name, with the face's number when the photo holds several.
   * Unknown ids give the id itself.
   */
  faceLabel(faceId: string): string {
    const face = this.collection?.face(faceId);
    if (!face) return faceId;
    const name = this.photoNames.get(face.photoHash) ?? 'a photo';
    return face.index > 0 ? `${name} (face ${face.index + 1})` : name;
  }

  /** Ids of the faces in no person group (seen once), in collection order. */
  get aloneFaces(): string[] {
    const grouped = new Set(this.people.flatMap((p) => p.group.faceIds));
    return (this.collection?.faces ?? []).filter((f) => !grouped.has(f.id)).map((f) => f.id);
  }

  /** Faces in no person group. */
  get alone(): number {
    return this.faces - this.people.reduce((n, p) => n + p.group.faceIds.length, 0);
  }

  /** Runs `task` after every operation called before it has finished (however it ended). */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    // The next operation waits for this one whichever way it ends; its outcome is this caller's.
    this.queue = run.catch(() => undefined);
    return run;
  }

  private clear(): void {
    this.collection = undefined;
    this.discovery = undefined;
    this.discoveryFaces = [];
    this.people = [];
    this.runs = [];
    this.view = undefined;
    this.names = new Map();
    this.namesRevision++;
    this.groups = [];
    this.figures = undefined;
  }

  /** Reloads everything for `model` (default: the stored model with the most vectors). Reads only. */
  private async load(model?: { modelId: string; dimension: number }, preferredRun?: string): Promise<void> {
    this.problem = undefined;
    const chosen = model ?? largestModel(await this.store.models());
    this.photos = await this.store.countPhotos();
    this.failures = [...(await this.listStoredFailures()), ...this.unstored];
    this.clear();
    if (!chosen) return;
    this.collection = await FaceCollection.load(this.store, chosen.modelId, chosen.dimension);
    this.people = peopleFromGroups(await this.store.listIdentityGroups({ modelId: chosen.modelId }), this.collection);
    this.runs = await this.store.listRuns({ modelId: chosen.modelId });
    const shown = this.runs.find((r) => r.id === preferredRun) ?? this.runs.at(-1);
    if (!shown) return;
    // The faces and people are loaded: a clustering that cannot be shown, or figures that cannot be
    // computed, leave them shown, and the caller reports the problem.
    try {
      await this.showRun(shown);
    } catch (error: unknown) {
      this.view = undefined;
      this.names = new Map();
      this.problem = error;
      return;
    }
    try {
      this.refreshFigures();
    } catch (error: unknown) {
      this.figures = undefined;
      this.problem = error;
    }
  }

  private async listStoredFailures(): Promise<PhotoFailure[]> {
    const photos = await this.store.listPhotos();
    this.photoNames = new Map(photos.map((p) => [p.hash, p.name]));
    const failed = photos.filter((p) => p.error !== undefined);
    this.storedFailures = new Set(failed.map((p) => p.hash));
    return failed.map((p) => ({ name: p.name, code: p.error?.code ?? '', message: p.error?.message ?? '' }));
  }

  /** Makes sure the collection holds `modelId`'s faces (the engine may use another model than the store). */
  private async useModel(info: EngineInfo): Promise<FaceCollection> {
    if (this.collection?.modelId === info.modelId) return this.collection;
    await this.load({ modelId: info.modelId, dimension: info.dimension });
    this.collection ??= new FaceCollection(info.modelId, info.dimension);
    return this.collection;
  }

  /**
   * Runs photos through the engine in chunks and stores each chunk at once (photo, faces and vectors
   * atomically), so what finished is kept when the signal cancels. Then regroups people when faces were
   * added. A photo stored as a failure that works this time replaces its failure record. A chunk that
   * cannot be stored ends the batch: the result counts what was stored before it and carries the error.
   */
  ingest(engine: FaceEngineClient, files: readonly ImageSource[], options: WorkOptions = {}): Promise<IngestResult> {
    return this.serial(() => this.ingestNow(engine, files, options));
  }

  private async ingestNow(engine: FaceEngineClient, files: readonly ImageSource[], options: WorkOptions): Promise<IngestResult> {
    const { signal, onProgress } = options;
    const info = engine.info;
    const collection = await this.useModel(info);
    this.samePersonDistance = info.samePersonDistance;
    const seen = new Set<string>();
    const failures: PhotoFailure[] = [];
    let photos = 0, faces = 0, duplicates = 0, done = 0, found = 0, failed = 0;
    let cancelled = false;
    let failure: { error: unknown } | undefined;
    try {
      for (let start = 0; start < files.length && !cancelled; start += INGEST_CHUNK) {
        if (signal?.aborted) {
          cancelled = true;
          break;
        }
        const result = await engine.process(files.slice(start, start + INGEST_CHUNK), {
          thumbnails: true,
          ...(options.attributes ? { attributes: true } : {}),
          ...(signal ? { signal } : {}),
          onProgress: (p) => onProgress?.({ done: done + p.done, total: files.length, faces: found + p.faces, failed: failed + p.failed, name: p.name }),
        });
        const chunk = toBatch(result.outcomes, info, Date.now(), seen, this.storedFailures);
        // Not given the signal: a chunk that finished is kept even when Cancel comes during the write.
        // A failure record that works this time is replaced in the batch's own transaction (all or nothing).
        const written = chunk.batch.photos.length ? await this.store.addBatch(chunk.batch, { replacing: chunk.replaced }) : undefined;
        for (const hash of chunk.replaced) this.storedFailures.delete(hash);
        const added = new Set([...(written?.addedPhotos ?? []), ...(written?.extendedPhotos ?? [])]);
        for (const face of chunk.batch.faces) {
          if (added.has(face.photoHash)) collection.add(face, chunk.vectors.get(face.id) as Float32Array);
        }
        for (const hash of chunk.failed) if (added.has(hash)) this.storedFailures.add(hash);
        photos += added.size;
        faces += written?.faces ?? 0;
        duplicates += chunk.repeated + (written?.skippedPhotos.filter((h) => !chunk.failed.has(h)).length ?? 0);
        failures.push(...chunk.failures);
        this.unstored.push(...chunk.unstored);
        for (const o of result.outcomes) {
          done++;
          if (o.ok) found += o.faces.length;
          else failed++;
        }
        cancelled = result.cancelled;
      }
    } catch (error: unknown) {
      // An engine that stops at the signal by throwing was cancelled, like one that returns early.
      if (isAbortError(error) && signal?.aborted) cancelled = true;
      else failure = { error };
    }
    try {
      this.photos = await this.store.countPhotos();
      this.failures = [...(await this.listStoredFailures()), ...this.unstored];
      if (faces > 0) {
        // What was discovered is about the faces before this batch.
        this.discovery = undefined;
        this.discoveryFaces = [];
        await options.onPhase?.('Grouping people');
        await this.regroupPeople();
      }
    } catch (error: unknown) {
      failure ??= { error };
    }
    return { detail: { processed: done, photos, faces, duplicates, failures, cancelled, totalFaces: collection.size }, failure };
  }

  /** Groups all faces by person again and replaces the stored groups. */
  private async regroupPeople(): Promise<void> {
    const collection = this.collection;
    if (!collection) return;
    const previous = this.people.map((p) => p.group);
    const people = groupPeople(this.kernel, collection, Date.now(), previous, this.samePersonDistance);
    await this.store.replaceIdentityGroups(collection.modelId, people.map((p) => p.group));
    this.people = people;
  }

  /**
   * Gives a person a name (kept across added photos, regrouping and reloads); '' gives back "Person N".
   * @throws InvalidInputError for an unknown person or a name longer than 200 characters; StorageError when it
   *   cannot be stored (the person keeps the old name then).
   */
  renamePerson(groupId: string, name: string): Promise<void> {
    return this.serial(async () => {
      const index = this.people.findIndex((p) => p.group.id === groupId);
      const person = this.people[index];
      if (!person) throw new InvalidInputError(`there is no person '${groupId}' among ${this.people.length} people`);
      const trimmed = name.trim();
      if (trimmed.length > 200) throw new InvalidInputError(`a person's name may have at most 200 characters; this one has ${trimmed.length}`);
      const taken = new Set(this.people.filter((p) => p !== person).map((p) => p.group.name));
      let fallback = 1;
      while (taken.has(`Person ${fallback}`)) fallback++;
      const group = { ...person.group, name: trimmed === '' ? `Person ${fallback}` : trimmed };
      await this.store.saveIdentityGroup(group);
      this.people = this.people.map((p, i) => (i === index ? { ...p, group } : p));
    });
  }

  /** The face ids a scope covers. @throws InvalidInputError for an unknown person. */
  private scopeFaces(scope: RunScope): string[] {
    const collection = this.collection;
    if (!collection) return [];
    if (scope.kind === 'all') return collection.faces.map((f) => f.id);
    const person = this.people.find((p) => p.group.id === scope.groupId);
    if (!person) throw new InvalidInputError(`there is no person '${scope.groupId}' among ${this.people.length} people`);
    return person.group.faceIds;
  }

  /**
   * Clusters everyone's or one person's faces into a new run (k set, or chosen by silhouette) and shows it.
   * @throws InvalidInputError with too few faces, a bad k or an unknown person; AbortError when `signal` aborts first.
   */
  cluster(scope: RunScope, k: number | 'auto', options: { signal?: AbortSignal } = {}): Promise<ClusterRun> {
    return this.serial(async () => {
      const collection = this.collection;
      if (!collection) throw new InvalidInputError('there are no faces to cluster yet: add photos first');
      const run = runClustering(this.kernel, collection, {
        scope, faceIds: this.scopeFaces(scope), k, seed: this.runs.length, id: newRunId(), now: Date.now(),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      await this.store.saveRun(run);
      this.runs.push(run);
      await this.show(run);
      return run;
    });
  }

  /** Shows a stored run. @throws InvalidInputError for an unknown run id. */
  select(runId: string): Promise<void> {
    return this.serial(async () => {
      const run = this.runs.find((r) => r.id === runId);
      if (!run) throw new InvalidInputError(`there is no cluster run '${runId}'`);
      await this.show(run);
    });
  }

  /** Shows `run` with its stored names and their figures. Reads only. */
  private async show(run: ClusterRun): Promise<void> {
    await this.showRun(run);
    this.refreshFigures();
  }

  /** Shows `run` with its stored names, without figures. */
  private async showRun(run: ClusterRun): Promise<void> {
    const collection = this.collection as FaceCollection;
    this.groups = [];
    this.figures = undefined;
    this.view = clusterView(this.kernel, collection, run);
    this.names = await this.store.clusterNames(run.id);
    this.namesRevision++;
  }

  /** Recomputes the named groups and their figures (in memory only). */
  private refreshFigures(): void {
    const view = this.view;
    const collection = this.collection;
    this.groups = view ? namedGroups(view, this.names) : [];
    this.figures = undefined;
    if (!view || !collection || this.groups.length < 2) return;
    this.figures = groupFigures(this.kernel, collection, this.groups, view.run.seed);
  }

  /** Stores the shown run's trained probe, or deletes it when fewer than two groups are named. */
  private async saveFigures(): Promise<void> {
    const view = this.view;
    if (!view) return;
    if (this.figures) await this.store.saveProbe(probeRecord(view.run, this.groups, this.figures, Date.now()));
    else await this.store.deleteProbe(`probe:${view.run.id}`);
  }

  /** The shown view, checked against the run the caller saw. */
  private shownView(what: string, runId: string | undefined): ClusterView {
    const view = this.view;
    if (!view) throw new InvalidInputError(`there is no clustering to ${what} yet`);
    if (runId !== undefined && view.run.id !== runId) {
      throw new InvalidInputError(`the clustering to ${what} is no longer shown (another one replaced it meanwhile): try again on the one shown`);
    }
    return view;
  }

  /**
   * Names (or, with '', unnames) a cluster of the shown run and stores the named groups' trained probe.
   * @throws InvalidInputError when no run is shown, `runId` is not the one shown, or the cluster is out of
   *   range; StorageError when the name or the probe cannot be stored (the name is applied when it was).
   */
  rename(cluster: number, name: string, options: ShownRunOptions = {}): Promise<void> {
    return this.serial(async () => {
      const view = this.shownView('name', options.runId);
      const trimmed = name.trim();
      await this.store.nameCluster(view.run.id, cluster, trimmed === '' ? null : trimmed);
      // Defensive: operations are queued, so nothing should have replaced the view meanwhile.
      if (this.view !== view) return;
      if (trimmed === '') this.names.delete(cluster);
      else this.names.set(cluster, trimmed);
      this.namesRevision++;
      this.refreshFigures();
      await this.saveFigures();
    });
  }

  /**
   * Merges clusters of the shown run into a new run that replaces it (names carried over).
   * @throws InvalidInputError for fewer than two clusters, none shown, or `runId` not the one shown.
   */
  merge(clusters: readonly number[], options: ShownRunOptions = {}): Promise<ClusterRun> {
    return this.serial(async () => {
      const view = this.shownView('merge', options.runId);
      const collection = this.collection as FaceCollection;
      const merged = mergeClusters(this.kernel, collection, view.run, clusters, this.names, { id: newRunId(), now: Date.now() });
      // One transaction: the merged run with its names replaces the shown run, its names and its probe.
      await this.store.replaceRun(merged.run, { names: merged.names, replaces: [view.run.id] });
      this.runs = [...this.runs.filter((r) => r.id !== view.run.id), merged.run];
      await this.show(merged.run);
      await this.saveFigures();
      return merged.run;
    });
  }

  /**
   * Runs new photos through the engine (with the age/gender/expression heads) and assigns each face to the
   * named groups. The faces are not stored.
   * @throws InvalidInputError when fewer than two groups are named, or a face comes from another model or
   *   has another dimension than the named faces.
   */
  probe(engine: FaceEngineClient, files: readonly ImageSource[], options: WorkOptions = {}): Promise<ProbeResult> {
    return this.serial(() => this.probeNow(engine, files, options));
  }

  private async probeNow(engine: FaceEngineClient, files: readonly ImageSource[], options: WorkOptions): Promise<ProbeResult> {
    const figures = this.figures;
    const modelId = this.view?.run.modelId;
    if (!figures || modelId === undefined) throw new InvalidInputError('name at least two clusters before probing new faces');
    const result = await engine.process(files, {
      thumbnails: true,
      attributes: true,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const ok = result.outcomes.filter((o): o is ImageResult => o.ok);
    const faces = ok.flatMap((o) => o.faces.map((f) => ({ photo: o.name, face: f })));
    const d = figures.assigner.d;
    const matrix = new Float32Array(faces.length * d);
    faces.forEach(({ photo, face }, i) => {
      // Vectors of two models are not comparable even when their dimensions agree.
      if (face.modelId !== modelId) {
        throw new InvalidInputError(`${photo}: its face comes from model '${face.modelId}'; the named groups are of model '${modelId}'`);
      }
      if (face.embedding.length !== d) {
        throw new InvalidInputError(`a probe face has ${face.embedding.length} dimensions; the named groups have ${d}`);
      }
      matrix.set(face.embedding, i * d);
    });
    const assigned = faces.length ? assignFaces(this.kernel, figures.assigner, matrix) : [];
    return {
      faces: faces.map(({ photo, face }, i) => {
        const a = assigned[i] as (typeof assigned)[number];
        const top = face.attributes ? Object.entries(face.attributes.expressions).sort((x, y) => y[1] - x[1])[0] : undefined;
        return {
          photo,
          face: face.index,
          group: a.probe.name,
          confidence: a.probe.confidence,
          nearest: a.nearestCentroid.name,
          nearestConfidence: a.nearestCentroid.confidence,
          age: face.attributes?.age,
          gender: face.attributes?.gender,
          genderProbability: face.attributes?.genderProbability,
          expression: top?.[0],
          expressionProbability: top?.[1],
          thumbnail: face.thumbnail,
        };
      }),
      failures: result.outcomes.filter((o): o is ImageOutcome & { ok: false } => !o.ok).map(failureOf),
      cancelled: result.cancelled,
    };
  }

  /**
   * Finds what the embedding separates among the faces: ranked, described splits across people (one point
   * per person) and within people (each face minus its person's mean). People are the identity groups; a face
   * seen once is its own person. Needs at least 8 faces; reads only.
   * @throws AbortError when `signal` aborts.
   */
  discover(options: { signal?: AbortSignal } = {}): Promise<AttributeDiscovery | undefined> {
    return this.serial(async () => {
      const collection = this.collection;
      this.discovery = undefined;
      this.discoveryFaces = [];
      if (!collection || collection.size < MIN_FACES_TO_DISCOVER) return undefined;
      const personOf = new Map<string, string>();
      for (const p of this.people) for (const id of p.group.faceIds) personOf.set(id, p.group.id);
      const faces = collection.faces;
      const discovery = await discoverAttributes(this.kernel, {
        vectors: collection.vectors.slice(),
        d: collection.dimension,
        persons: faces.map((f) => personOf.get(f.id) ?? f.id),
        faces,
      }, { seed: 0, ...(options.signal ? { signal: options.signal } : {}) });
      this.discovery = discovery;
      this.discoveryFaces = faces.map((f) => f.id);
      return discovery;
    });
  }

  /** Storage figures for the panel. */
  async storage(): Promise<StorageSummary> {
    const estimate = await this.store.estimate();
    return { ...estimate, photos: this.photos, faces: this.faces };
  }

  /**
   * Asks the browser to keep this origin's data under storage pressure.
   * @returns true when storage is (now) persistent.
   */
  requestPersistence(): Promise<boolean> {
    return this.store.requestPersistence();
  }

  /** The export file of the shown model. @throws InvalidInputError when there is nothing to export. */
  exportBlob(): Promise<Blob> {
    return this.serial(async () => {
      const modelId = this.collection?.modelId;
      if (!modelId || this.faces === 0) throw new InvalidInputError('there is nothing to export yet: add photos first');
      return this.store.exportToBlob({ modelId });
    });
  }

  /**
   * Imports an export file (validated whole before anything is written) and reloads.
   * @param options.modelId refuse a file of another model (InvalidInputError, details.reason 'different-model').
   * @throws InvalidInputError for a malformed file; StorageError when it cannot be written.
   */
  importBlob(blob: Blob, options: { modelId?: string; workerUrl?: string | URL; signal?: AbortSignal } = {}): Promise<{ photos: number; faces: number }> {
    return this.serial(async () => {
      const { workerUrl, ...rest } = options;
      const result = workerUrl !== undefined && typeof Worker !== 'undefined'
        ? await this.importOffThread(blob, workerUrl, rest)
        : await this.store.importFromBlob(blob, rest);
      await this.load({ modelId: result.modelId, dimension: result.dimension });
      return { photos: result.added.photos, faces: result.added.faces };
    });
  }

  /**
   * Imports in the import worker, so decoding and checking a large file never blocks the page. A worker that
   * cannot start (its script missing, workers refused) leaves the import to this thread, with a warning.
   */
  private async importOffThread(blob: Blob, workerUrl: string | URL, options: { modelId?: string; signal?: AbortSignal }): Promise<ImportResult> {
    try {
      return await importInWorker(blob, { workerUrl, dbName: this.store.name, chunkSize: this.store.chunkSize, ...options });
    } catch (error: unknown) {
      if (!(error instanceof UnsupportedEnvironmentError)) throw error;
      console.warn(`face-attribute-probe: importing on the page instead (${error.message})`);
      return this.store.importFromBlob(blob, options);
    }
  }

  /**
   * Deletes the whole database and starts again with an empty one.
   * @throws AbortError when `signal` aborts while another tab blocks the deletion: this session's store is
   *   closed then, and the browser still deletes the database once that tab closes.
   */
  erase(options: { onBlocked?: () => void; signal?: AbortSignal } = {}): Promise<void> {
    return this.serial(async () => {
      const name = this.store.name;
      await this.store.erase({
        ...(options.onBlocked ? { onBlocked: options.onBlocked } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      // The map's positions are derived from the faces: they go with them.
      await MapCache.erase(name);
      this.store = await FaceStore.open(name);
      this.unstored = [];
      await this.load();
    });
  }

  /** Closes the database connection. */
  close(): void {
    this.store.close();
  }
}
