/**
 * The element's working state, without any UI: the store, the faces in memory, the people, the cluster
 * runs and their names, the named groups' figures, and the operations on them (add photos, cluster, name,
 * merge, probe, export, import, erase). Every change is written to IndexedDB first, so a reload shows the
 * same state. Operations run one at a time, in the order they were called (a queue), so one never reads
 * state another is halfway through changing. Loading only reads.
 */
import { discoverAttributes, type AttributeDiscovery, type DiscoveryProgress } from '../analysis/discovery/discover-all.ts';
import { measurementTable } from '../analysis/discovery/measurements.ts';
import { type SplitDetail, splitDetail } from '../analysis/discovery/split-detail.ts';
import { discoverInWorker, type WorkerDiscoveryInput } from './discovery-client.ts';
import type { EngineInfo, FaceEngineClient, ImageOutcome, ImageResult, ImageSource } from '../embedding/types.ts';
import type { PendingAttributes } from './later-attributes.ts';
import { InvalidInputError, UnsupportedEnvironmentError, isAbortError } from '../errors.ts';
import type { ResidentKernel } from '../kernel/types.ts';
import { FaceStore } from '../store/face-store.ts';
import { hashBytes } from '../runtime/hash.ts';
import { importInWorker } from '../store/import-client.ts';
import { MapCache } from '../store/map-cache.ts';
import type { ImportResult } from '../store/transfer.ts';
import type { ClusterRun, FaceRecord, ModelRecord, PhotoRecord, ProbeRecord, RunScope, Thumbnail } from '../store/types.ts';
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
import { DEFAULT_SAME_PERSON_DISTANCE } from '../analysis/identity.ts';
import type { CorrectionKind, CorrectionRecord, PersonSnapshot } from '../store/correction-record.ts';
import type { IdentityGroup } from '../store/types.ts';
import { DEFAULT_STRICTNESS, STRICTNESS_RANGE, correctionConstraints, correctionWords, groupsAfter, groupsBefore, snapshotOf } from './corrections.ts';
import { compareModels, type ModelComparison } from './model-comparison.ts';
import type { FacePhoto, IngestSummary, PhotoFailure, StorageSummary, WorkProgress } from './types.ts';
import { failureOf, toBatch } from './ingest-batch.ts';
import {
  type NamedFaces, type NamedProbe, type NamedProbeFields, type ProbedFaceResult, applyNamedProbe, namedProbeOf, resultsOf,
  selectionGroups, splitProbeId, splitProbeRecord, trainNamedProbe,
} from './probes.ts';

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
   * embedding separates can be described by them: true while the faces are found; 'later' after them, by
   * {@link Workspace.addPendingAttributes}, where the engine can (FaceEngineClient.attributesOf; else as true),
   * so the faces are stored, grouped and clustered without waiting for the heads. Default false.
   */
  attributes?: boolean | 'later';
}

/** Options of {@link Workspace.discover}. */
export interface DiscoverOptions {
  signal?: AbortSignal;
  /** Called as each view is started and when all are done. */
  onProgress?: (progress: DiscoveryProgress) => void;
  /** The bundled discovery worker (face-probe-discovery-worker.js): the work then runs off this thread. */
  workerUrl?: string | URL;
}

/** The outcome of {@link Workspace.ingest}: what was stored, and the error that ended the batch early, if one did. */
export interface IngestResult {
  detail: IngestSummary;
  /** Set when a chunk failed (full storage, a crashed worker): `detail` counts what was stored before it. */
  failure: { error: unknown } | undefined;
}

/** A probed face: where it falls, and its thumbnail. */
export type ProbedFace = ProbedFaceResult;

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
  /**
   * The person's corrections of the grouping by person, oldest first (see corrections.ts): every grouping
   * honours them, and {@link undo} takes back the latest.
   */
  corrections: CorrectionRecord[] = [];
  /** The probe made by naming the sides of a split (kept in the store), or undefined. */
  splitProbe: NamedProbe | undefined;
  /** The named clusters' probe, as trained for the last probing of the shown clustering (kept with its run). */
  clusterProbe: NamedProbe | undefined;
  /** The last probed faces of the probe in use (kept in the store with that probe). */
  probeResults: ProbedFace[] = [];
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
  /**
   * Photos stored with faces of another model and none of the shown one: photos are not kept, so they have to
   * be added again to be seen with the shown model (their other model's faces stay stored).
   */
  photosWithoutModel = 0;
  /** The same-person distance of the engine that last added faces (its model's manifest), when it says. */
  private samePersonDistance: number | undefined;
  /** Face ids of each stored photo (every model's), by content hash. */
  private photoFaces = new Map<string, readonly string[]>();
  /** File name of each stored photo, by content hash. */
  private photoNames = new Map<string, string>();
  /** Hashes of the stored photos that have a preview (adding them again makes none). */
  private previewed = new Set<string>();
  private unstored: PhotoFailure[] = [];
  /** Stored faces still without attributes because they were asked for 'later', by photo hash, with their file. */
  private attributesPending: PendingAttributes = new Map();
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
    this.photosWithoutModel = 0;
    this.discovery = undefined;
    this.discoveryFaces = [];
    this.splitProbe = undefined;
    this.clusterProbe = undefined;
    this.probeResults = [];
    this.people = [];
    this.corrections = [];
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
    this.corrections = await this.store.listCorrections({ modelId: chosen.modelId });
    this.photosWithoutModel = this.countPhotosWithoutModel(chosen.modelId);
    this.collection = await this.loadCollection(chosen.modelId, chosen.dimension);
    this.people = peopleFromGroups(await this.store.listIdentityGroups({ modelId: chosen.modelId }), this.collection);
    this.runs = await this.store.listRuns({ modelId: chosen.modelId });
    const splitRecord = await this.store.getProbe(splitProbeId(chosen.modelId));
    this.splitProbe = namedProbeOf(splitRecord);
    if (this.splitProbe) this.probeResults = resultsOf(splitRecord);
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
    this.photoFaces = new Map(photos.map((p) => [p.hash, p.faceIds]));
    this.photoNames = new Map(photos.map((p) => [p.hash, p.name]));
    this.previewed = new Set(photos.filter((p) => p.preview !== undefined).map((p) => p.hash));
    const failed = photos.filter((p) => p.error !== undefined);
    this.storedFailures = new Set(failed.map((p) => p.hash));
    return failed.map((p) => ({ name: p.name, code: p.error?.code ?? '', message: p.error?.message ?? '' }));
  }

  /**
   * The sources among `slice` whose photo (by content hash) has no faces of `modelId` stored. Reads no bytes while
   * no stored photo has faces of that model.
   */
  private async notYetSeen(slice: readonly ImageSource[], modelId: string): Promise<readonly ImageSource[]> {
    const holds = (hash: string) => this.photoFaces.get(hash)?.some((id) => id.startsWith(`${hash}:${modelId}:`)) ?? false;
    if (![...this.photoFaces.keys()].some(holds)) return slice;
    const fresh: ImageSource[] = [];
    for (const source of slice) {
      const hash = source instanceof Blob ? await hashBytes(new Uint8Array(await source.arrayBuffer())) : source.hash ?? await hashBytes(source.bytes);
      if (!holds(hash)) fresh.push(source);
    }
    return fresh;
  }

  /** Stored photos that have faces of another model and none of `modelId`. */
  private countPhotosWithoutModel(modelId: string): number {
    let n = 0;
    for (const [hash, ids] of this.photoFaces) {
      if (ids.length > 0 && !ids.some((id) => id.startsWith(`${hash}:${modelId}:`))) n++;
    }
    return n;
  }

  /**
   * Shows `model`'s faces, people and clusterings (an empty collection when it has none yet). Every model's faces
   * stay stored, so showing another one and coming back loses nothing. Reads only.
   * @returns whether the shown model changed.
   */
  showModel(model: { modelId: string; dimension: number; samePersonDistance?: number }, options: { preferredRun?: string } = {}): Promise<boolean> {
    return this.serial(async () => {
      if (model.samePersonDistance !== undefined) this.samePersonDistance = model.samePersonDistance;
      if (this.collection?.modelId === model.modelId) return false;
      await this.load(model, options.preferredRun);
      this.collection ??= new FaceCollection(model.modelId, model.dimension);
      return true;
    });
  }

  /**
   * Every model with stored faces side by side on the photos they all have: each one's ranked splits across and
   * within people (model-comparison.ts). Undefined when fewer than two models have enough faces there. Reads only.
   */
  compareModels(options: { signal?: AbortSignal } = {}): Promise<ModelComparison | undefined> {
    return this.serial(async () => {
      const models = (await this.store.models()).filter((m) => m.count > 0);
      // The shown model first, then the others by faces kept.
      models.sort((a, b) => Number(b.modelId === this.collection?.modelId) - Number(a.modelId === this.collection?.modelId) || b.count - a.count);
      return models.length < 2 ? undefined : compareModels(this.kernel, this.store, models, options);
    });
  }

  /** Every model with stored faces, and how many. */
  storedModels(): Promise<ModelRecord[]> {
    return this.store.models();
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
    const later = options.attributes === 'later' && typeof engine.attributesOf === 'function';
    const seen = new Set<string>();
    const failures: PhotoFailure[] = [];
    let photos = 0, faces = 0, duplicates = 0, done = 0, failed = 0;
    let cancelled = false;
    let failure: { error: unknown } | undefined;
    try {
      for (let start = 0; start < files.length && !cancelled; start += INGEST_CHUNK) {
        if (signal?.aborted) {
          cancelled = true;
          break;
        }
        const slice = files.slice(start, start + INGEST_CHUNK);
        // Photos this model has already seen are not embedded again (a switch back to a model re-embeds only what it lacks).
        const fresh = await this.notYetSeen(slice, collection.modelId);
        if (fresh.length < slice.length) {
          duplicates += slice.length - fresh.length;
          done += slice.length - fresh.length;
          onProgress?.({ done, total: files.length, faces, failed, name: slice.at(-1)?.name ?? '' });
          if (fresh.length === 0) continue;
        }
        const result = await engine.process(fresh, {
          thumbnails: true,
          ...(options.attributes && !later ? { attributes: true } : {}),
          ...(signal ? { signal } : {}),
          // Faces are counted as kept, not as found: the progress line then says what storage and people say.
          onProgress: (p) => onProgress?.({ done: done + p.done, total: files.length, faces, failed: failed + p.failed, name: p.name }),
        });
        const chunk = toBatch(result.outcomes, info, Date.now(), seen, this.storedFailures);
        // The file each photo of the chunk came from (outcomes come in the order of their sources).
        const sourceOf = new Map<string, ImageSource>();
        result.outcomes.forEach((o, i) => {
          if (o.ok && fresh[i]) sourceOf.set(o.hash, fresh[i]!);
        });
        await this.addPreviews(chunk.batch.photos, sourceOf);
        // Not given the signal: a chunk that finished is kept even when Cancel comes during the write.
        // A failure record that works this time is replaced in the batch's own transaction (all or nothing).
        const written = chunk.batch.photos.length ? await this.store.addBatch(chunk.batch, { replacing: chunk.replaced }) : undefined;
        const storedPhotos = written ? await this.store.countPhotos() : this.photos;
        // From here to the progress report nothing awaits: whatever is drawn meanwhile sees the photos, the faces and
        // the progress of one moment, so the counts shown agree.
        this.photos = storedPhotos;
        for (const hash of chunk.replaced) this.storedFailures.delete(hash);
        const added = new Set([...(written?.addedPhotos ?? []), ...(written?.extendedPhotos ?? [])]);
        for (const face of chunk.batch.faces) {
          if (added.has(face.photoHash)) collection.add(face, chunk.vectors.get(face.id) as Float32Array);
        }
        if (later) this.noteAttributesPending(chunk.batch.faces.filter((f) => added.has(f.photoHash)), sourceOf);
        for (const hash of chunk.failed) if (added.has(hash)) this.storedFailures.add(hash);
        photos += added.size;
        faces += written?.faces ?? 0;
        duplicates += chunk.repeated + (written?.skippedPhotos.filter((h) => !chunk.failed.has(h)).length ?? 0);
        failures.push(...chunk.failures);
        this.unstored.push(...chunk.unstored);
        for (const o of result.outcomes) {
          done++;
          if (!o.ok) failed++;
        }
        const last = result.outcomes.at(-1);
        if (last) onProgress?.({ done, total: files.length, faces, failed, name: last.name });
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
      this.photosWithoutModel = this.countPhotosWithoutModel(collection.modelId);
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

  /** Remembers the faces just stored without attributes, with the file each came from (`sourceOf`, by photo hash). */
  private noteAttributesPending(faces: readonly FaceRecord[], sourceOf: ReadonlyMap<string, ImageSource>): void {
    for (const face of faces) {
      const source = sourceOf.get(face.photoHash);
      if (!source) continue;
      const entry = this.attributesPending.get(face.photoHash) ?? { source, faces: [] };
      entry.faces.push({ id: face.id, box: face.box });
      this.attributesPending.set(face.photoHash, entry);
    }
  }

  /** Faces added with attributes 'later' that do not have them yet. */
  get pendingAttributes(): number {
    let n = 0;
    for (const entry of this.attributesPending.values()) n += entry.faces.length;
    return n;
  }

  /**
   * Runs the attribute heads on the faces added with attributes 'later' (their photos read again from the files
   * they were added from) and stores what they find, a chunk of photos at a time, so what finished is kept when
   * the signal cancels; the rest stay pending for a later call. A photo that cannot be read again keeps its faces
   * without attributes (it is no longer pending).
   * @returns faces given attributes, photos that could not be read again, and whether it was cancelled.
   */
  addPendingAttributes(
    engine: FaceEngineClient,
    options: { signal?: AbortSignal; onProgress?: (progress: { done: number; total: number }) => void } = {},
  ): Promise<{ faces: number; failed: number; cancelled: boolean }> {
    return this.serial(async () => {
      // Loaded with the first photos' clustering, not with the page.
      const { findPendingAttributes } = await import('./later-attributes.ts');
      return findPendingAttributes(engine, this.attributesPending, this.store, this.collection, options);
    });
  }

  /** The model's faces from the store, without the detections a correction said are not faces. */
  private async loadCollection(modelId: string, dimension: number): Promise<FaceCollection> {
    const loaded = await FaceCollection.load(this.store, modelId, dimension);
    const { excluded } = correctionConstraints(this.corrections);
    return excluded.size > 0 ? loaded.without(excluded) : loaded;
  }

  /**
   * Gives each new photo of a chunk its preview (see photo-preview.ts), made from the file it came from (`sourceOf`, by
   * photo hash), one at a time so a drop of large photos never holds many decoded at once.
   * Where previews cannot be made (Node) photos are kept without one.
   */
  private async addPreviews(photos: PhotoRecord[], sourceOf: ReadonlyMap<string, ImageSource>): Promise<void> {
    // The preview code loads with the first photos, not with the page.
    const { canMakePreviews, makePhotoPreview } = await import('./photo-preview.ts');
    if (!canMakePreviews()) return;
    for (const photo of photos) {
      const source = sourceOf.get(photo.hash);
      if (!source || photo.error || this.previewed.has(photo.hash)) continue;
      try {
        photo.preview = await makePhotoPreview(source);
      } catch (error: unknown) {
        // The engine read this photo but the page's decoder did not (or the file is gone): its faces are kept
        // all the same, and the face dialog shows the face alone, saying why.
        console.warn(`face-attribute-probe: no preview of ${photo.name}: ${(error as Error)?.message ?? String(error)}`);
      }
    }
  }

  /**
   * The photo face `faceId` was found in, with its preview when one was kept, for showing the face in it.
   * Reads only; undefined for a face or photo that is not stored.
   */
  async facePhoto(faceId: string): Promise<FacePhoto | undefined> {
    const face = this.collection?.face(faceId);
    if (!face) return undefined;
    const photo = await this.store.getPhoto(face.photoHash);
    if (!photo) return undefined;
    return { name: photo.name, width: photo.width, height: photo.height, box: face.box, ...(photo.preview ? { preview: photo.preview } : {}) };
  }

  /**
   * Groups all faces by person again, honouring the corrections, and replaces the stored groups. New groups
   * take the ids and names of `previous` (default: the people now) by the faces they share.
   */
  private async regroupPeople(previous: readonly IdentityGroup[] = this.people.map((p) => p.group)): Promise<void> {
    const collection = this.collection;
    if (!collection) return;
    const { mustLink, cannotLink, strictness } = correctionConstraints(this.corrections);
    const threshold = (this.samePersonDistance ?? DEFAULT_SAME_PERSON_DISTANCE) * strictness;
    const people = groupPeople(this.kernel, collection, Date.now(), previous, threshold, { mustLink, cannotLink });
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

  /**
   * The embedding model's same-person distance (its manifest's), which the grouping and its strictness start
   * from; the engine that adds photos sets it too. Undefined: the default model's.
   */
  setSamePersonDistance(distance: number | undefined): void {
    this.samePersonDistance = distance;
  }

  /** How strict the grouping is: a multiplier of the model's same-person distance (1 unless changed). */
  get strictness(): number {
    return this.corrections.filter((c) => c.kind === 'strictness').at(-1)?.scale ?? DEFAULT_STRICTNESS;
  }

  /** The latest correction in words ("not Colin Powell", "merge Person 3 into Ada"), or undefined when there is none. */
  get undoLabel(): string | undefined {
    const last = this.corrections.at(-1);
    return last ? correctionWords(last, this.people.map((p) => p.group), this.corrections.slice(0, -1)) : undefined;
  }

  /** The person a face belongs to, or undefined when it was seen once. */
  personOf(faceId: string): PersonView | undefined {
    return this.people.find((p) => p.group.faceIds.includes(faceId));
  }

  /**
   * "Not this person": takes the face out of its person, and keeps it out of every later grouping.
   * @throws InvalidInputError when the face belongs to no person.
   */
  notThisPerson(faceId: string): Promise<void> {
    return this.serial(async () => {
      const person = this.personOf(faceId);
      if (!person) throw new InvalidInputError(`${this.faceLabel(faceId)} belongs to no person, so it cannot be taken out of one`);
      await this.correct('not-person', { faceId, people: [snapshotOf(person.group)] });
    });
  }

  /**
   * Moves a face to another person, in this grouping and every later one.
   * @throws InvalidInputError for an unknown face or person, or when the face is already theirs.
   */
  moveFace(faceId: string, groupId: string): Promise<void> {
    return this.serial(async () => {
      this.requireFace(faceId);
      const target = this.requirePerson(groupId);
      const from = this.personOf(faceId);
      if (from === target) throw new InvalidInputError(`${this.faceLabel(faceId)} already belongs to ${target.group.name}`);
      await this.correct('move', { faceId, people: [snapshotOf(target.group), ...(from ? [snapshotOf(from.group)] : [])] });
    });
  }

  /**
   * "Not a face": the detection leaves every view (people, clusters, discovery, counts) and every later grouping.
   * @throws InvalidInputError for an unknown face.
   */
  notAFace(faceId: string): Promise<void> {
    return this.serial(async () => {
      this.requireFace(faceId);
      const person = this.personOf(faceId);
      await this.correct('not-face', { faceId, ...(person ? { people: [snapshotOf(person.group)] } : {}) });
    });
  }

  /**
   * Merges two people into one, who keeps `keepId`'s id and name, in this grouping and every later one.
   * @throws InvalidInputError for an unknown person or the same person twice.
   */
  mergePeople(keepId: string, otherId: string): Promise<void> {
    return this.serial(async () => {
      const keep = this.requirePerson(keepId);
      const other = this.requirePerson(otherId);
      if (keep === other) throw new InvalidInputError(`merging needs two different people; both are ${keep.group.name}`);
      await this.correct('merge', { people: [snapshotOf(keep.group), snapshotOf(other.group)] });
    });
  }

  /**
   * Sets how strict the grouping is (a multiplier of the model's same-person distance: below 1 stricter,
   * more people; above 1 looser, fewer people) and groups again at once; corrections keep applying.
   * @throws InvalidInputError for a value outside {@link STRICTNESS_RANGE}.
   */
  setStrictness(scale: number): Promise<void> {
    return this.serial(async () => {
      if (!(scale >= STRICTNESS_RANGE.min && scale <= STRICTNESS_RANGE.max)) {
        throw new InvalidInputError(`strictness must be between ${STRICTNESS_RANGE.min} and ${STRICTNESS_RANGE.max}; got ${scale}`);
      }
      if (Math.abs(scale - this.strictness) < 1e-9) return;
      await this.correct('strictness', { scale });
    });
  }

  /**
   * Takes back the latest correction and groups again (a person merged away comes back with their name).
   * @returns the correction undone, in words. @throws InvalidInputError when there is nothing to undo.
   */
  undo(): Promise<string> {
    return this.serial(async () => {
      const last = this.corrections.at(-1);
      const collection = this.collection;
      if (!last || !collection) throw new InvalidInputError('there is no correction to undo');
      const words = this.undoLabel as string;
      await this.store.deleteCorrection(last.id);
      this.corrections = this.corrections.slice(0, -1);
      const previous = groupsBefore(this.people.map((p) => p.group), last, collection.modelId);
      if (last.kind === 'not-face') this.collection = await this.loadCollection(collection.modelId, collection.dimension);
      await this.afterCorrection(previous, last.kind === 'not-face');
      return words;
    });
  }

  private requireFace(faceId: string): void {
    if (!this.collection?.face(faceId)) throw new InvalidInputError(`there is no face '${faceId}' among the ${this.faces} faces`);
  }

  private requirePerson(groupId: string): PersonView {
    const person = this.people.find((p) => p.group.id === groupId);
    if (!person) throw new InvalidInputError(`there is no person '${groupId}' among ${this.people.length} people`);
    return person;
  }

  /** Stores a correction, then applies it: the faces (for "not a face") and the grouping. */
  private async correct(kind: CorrectionKind, fields: { faceId?: string; people?: PersonSnapshot[]; scale?: number }): Promise<void> {
    const collection = this.collection;
    if (!collection) throw new InvalidInputError('there are no faces to correct yet: add photos first');
    // Strictly increasing times keep the order corrections apply and are undone in, even within one millisecond.
    const createdAt = Math.max(Date.now(), (this.corrections.at(-1)?.createdAt ?? 0) + 1);
    const correction: CorrectionRecord = { id: `correction:${crypto.randomUUID()}`, modelId: collection.modelId, createdAt, kind, ...fields };
    await this.store.saveCorrection(correction);
    this.corrections = [...this.corrections, correction];
    const previous = groupsAfter(this.people.map((p) => p.group), correction);
    if (kind === 'not-face') this.collection = collection.without(new Set([fields.faceId as string]));
    await this.afterCorrection(previous, kind === 'not-face');
  }

  /** Groups again after a correction or its undo; when the faces changed, the clustering shown and discovery follow. */
  private async afterCorrection(previous: readonly IdentityGroup[], facesChanged: boolean): Promise<void> {
    await this.regroupPeople(previous);
    // Discovery holds each person constant: with new people, what it found no longer holds.
    this.discovery = undefined;
    this.discoveryFaces = [];
    if (!facesChanged) return;
    const view = this.view;
    if (view && this.collection) {
      this.view = clusterView(this.kernel, this.collection, view.run);
      this.refreshFigures();
    }
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
    const record = await this.store.getProbe(`probe:${run.id}`);
    this.clusterProbe = namedProbeOf(record);
    if (!this.splitProbe) this.probeResults = resultsOf(record);
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
    // New names: the named clusters' probe and what it probed are of the old names.
    this.clusterProbe = undefined;
    if (!this.splitProbe) this.probeResults = [];
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
    const collection = this.collection;
    const split = this.splitProbe;
    const modelId = collection?.modelId;
    if (!collection || modelId === undefined || (!split && (!this.view || this.groups.length < 2))) {
      throw new InvalidInputError('name the two sides of a split, or at least two clusters, before probing new faces');
    }
    const view = this.view;
    const result = await engine.process(files, {
      thumbnails: true,
      attributes: true,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const ok = result.outcomes.filter((o): o is ImageResult => o.ok);
    const faces = ok.flatMap((o) => o.faces.map((f) => ({ photo: o.name, face: f })));
    const d = collection.dimension;
    for (const { photo, face } of faces) {
      // Vectors of two models are not comparable even when their dimensions agree.
      if (face.modelId !== modelId) {
        throw new InvalidInputError(`${photo}: its face comes from model '${face.modelId}'; the named faces are of model '${modelId}'`);
      }
      if (face.embedding.length !== d) {
        throw new InvalidInputError(`a probe face has ${face.embedding.length} dimensions; the named faces have ${d}`);
      }
    }
    // Named clusters are trained when probed (their names change often); a named split was trained when named.
    const probe = split ?? trainNamedProbe(this.kernel, collection, this.people, this.groups, { source: 'clusters', identityRemoved: false });
    const assigned = applyNamedProbe(this.kernel, probe, collection, this.people, faces.map(({ face }) => face), this.samePersonDistance);
    const probed = faces.map(({ photo, face }, i): ProbedFace => {
      const a = assigned[i] as (typeof assigned)[number];
      const top = face.attributes ? Object.entries(face.attributes.expressions).sort((x, y) => y[1] - x[1])[0] : undefined;
      return {
        photo,
        face: face.index,
        ...a,
        age: face.attributes?.age,
        gender: face.attributes?.gender,
        genderProbability: face.attributes?.genderProbability,
        expression: top?.[0],
        expressionProbability: top?.[1],
        thumbnail: face.thumbnail,
      };
    });
    this.probeResults = probed;
    // Kept with the probe they came from, so a reload shows them again.
    const recordId = split ? splitProbeId(modelId) : `probe:${(view as ClusterView).run.id}`;
    const record = await this.store.getProbe(recordId);
    if (!split) this.clusterProbe = probe;
    if (record) await this.store.saveProbe({ ...record, ...(split ? {} : { named: probe }), results: probed } as ProbeRecord & NamedProbeFields);
    return {
      faces: probed,
      failures: result.outcomes.filter((o): o is ImageOutcome & { ok: false } => !o.ok).map(failureOf),
      cancelled: result.cancelled,
    };
  }

  /**
   * Names the two sides of a discovered split: trains its calibrated probe (on identity-removed vectors for a
   * within-people split) and keeps it in the store, replacing an earlier named split. New faces are then
   * probed against these names.
   * @throws InvalidInputError for an unknown view or split, an empty name, or a side with fewer than 2 faces;
   *   StorageError when it cannot be stored.
   */
  nameSplit(view: 'across-people' | 'within-people', splitId: string, names: readonly [string, string]): Promise<NamedProbe> {
    return this.serial(async () => {
      const collection = this.collection;
      const found = view === 'across-people' ? this.discovery?.across : this.discovery?.within;
      const points = view === 'across-people' ? this.discovery?.views.across : this.discovery?.views.within;
      const split = found?.splits.find((s) => s.id === splitId);
      if (!collection || !split || !points) throw new InvalidInputError(`there is no split '${splitId}' in the ${view} view: look for splits first`);
      const trimmed = names.map((n) => n.trim());
      if (trimmed.some((n) => n === '' || n.length > 200) || trimmed[0] === trimmed[1]) {
        throw new InvalidInputError('give each side its own name (1 to 200 characters)');
      }
      const sides = this.splitSides(view, splitId) as [string[], string[]];
      const groups = trimmed.map((name, s) => ({ name, faceIds: sides[s] as string[] }));
      const probe = trainNamedProbe(this.kernel, collection, this.people, groups, {
        source: 'split', identityRemoved: view === 'within-people', split: { view, id: splitId },
      });
      await this.store.saveProbe(splitProbeRecord(collection.modelId, probe, groups, Date.now()));
      this.splitProbe = probe;
      this.probeResults = [];
      return probe;
    });
  }

  /**
   * What is shown for a chosen split of the last discovery (its view's scatter and colourings, the numbers
   * that carry it), with the face id of each point; undefined for an unknown split. Reads only.
   */
  splitDetail(view: 'across-people' | 'within-people', splitId: string): (SplitDetail & { faceIds: string[] }) | undefined {
    const found = view === 'across-people' ? this.discovery?.across : this.discovery?.within;
    const points = view === 'across-people' ? this.discovery?.views.across : this.discovery?.views.within;
    const split = found?.splits.find((s) => s.id === splitId);
    const collection = this.collection;
    if (!split || !points || !collection) return undefined;
    const faces = this.discoveryFaces.map((id) => collection.face(id));
    if (faces.some((f) => f === undefined)) return undefined;
    const detail = splitDetail(this.kernel, points, split.sides, measurementTable(faces as FaceRecord[]));
    return { ...detail, faceIds: Array.from(detail.faces, (i) => this.discoveryFaces[i] as string) };
  }

  /** The face ids on each side of a split of the last discovery, or undefined for an unknown split. Reads only. */
  splitSides(view: 'across-people' | 'within-people', splitId: string): [string[], string[]] | undefined {
    const found = view === 'across-people' ? this.discovery?.across : this.discovery?.within;
    const points = view === 'across-people' ? this.discovery?.views.across : this.discovery?.views.within;
    const split = found?.splits.find((s) => s.id === splitId);
    if (!split || !points) return undefined;
    const sides: [string[], string[]] = [[], []];
    split.sides.forEach((side, point) => {
      for (const face of points.faces[point] as number[]) sides[side as 0 | 1].push(this.discoveryFaces[face] as string);
    });
    return sides;
  }

  /**
   * Names a group of faces picked by hand (on the map): against a second picked group, or against every other
   * face ("not NAME"). Trained and kept as a named split is (see {@link nameSplit}), replacing it: new faces
   * are then probed against these names. Identity is not removed: faces picked by where they lie are
   * picked with their person.
   * @throws InvalidInputError for an empty name, the same name twice, or a side with fewer than 2 faces;
   *   StorageError when it cannot be stored.
   */
  nameGroup(group: NamedFaces, against?: NamedFaces): Promise<NamedProbe> {
    return this.serial(async () => {
      const collection = this.collection;
      if (!collection) throw new InvalidInputError('there are no faces to name yet: add photos first');
      const groups = selectionGroups(collection, group, against);
      const probe = trainNamedProbe(this.kernel, collection, this.people, groups, { source: 'selection', identityRemoved: false });
      await this.store.saveProbe(splitProbeRecord(collection.modelId, probe, groups, Date.now()));
      this.splitProbe = probe;
      this.probeResults = [];
      return probe;
    });
  }

  /** Drops the named split's probe (probing goes back to named clusters). */
  forgetSplitProbe(): Promise<void> {
    return this.serial(async () => {
      const modelId = this.collection?.modelId;
      if (modelId === undefined || !this.splitProbe) return;
      await this.store.deleteProbe(splitProbeId(modelId));
      this.splitProbe = undefined;
      this.probeResults = this.view ? resultsOf(await this.store.getProbe(`probe:${this.view.run.id}`)) : [];
    });
  }

  /**
   * Finds what the embedding separates among the faces: ranked, described splits across people (one point
   * per person) and within people (each face minus its person's mean). People are the identity groups; a face
   * seen once is its own person. Needs at least 8 faces; reads only. With `workerUrl` (and Web Workers) the
   * work runs in the discovery worker, off this thread; a worker that cannot start leaves it to this
   * thread, with a warning.
   * @throws AbortError when `signal` aborts.
   */
  async discover(options: DiscoverOptions = {}): Promise<AttributeDiscovery | undefined> {
    // The faces are read in the queue; the work itself runs outside it, so naming or clustering meanwhile
    // does not wait for it. Its result is kept only when the faces and people are still the ones it saw.
    const seen = await this.serial(async () => {
      const collection = this.collection;
      this.discovery = undefined;
      this.discoveryFaces = [];
      if (!collection || collection.size < MIN_FACES_TO_DISCOVER) return undefined;
      const personOf = new Map<string, string>();
      for (const p of this.people) for (const id of p.group.faceIds) personOf.set(id, p.group.id);
      const faces = collection.faces;
      const input = { vectors: collection.vectors.slice(), d: collection.dimension, persons: faces.map((f) => personOf.get(f.id) ?? f.id), faces };
      return { input, collection, size: collection.size, people: this.membership(), ids: faces.map((f) => f.id) };
    });
    if (!seen) return undefined;
    const settings = {
      seed: 0,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    };
    const discovery = await this.discoverOffThread(seen.input, settings, options.workerUrl)
      ?? await discoverAttributes(this.kernel, seen.input, settings);
    if (this.collection === seen.collection && this.faces === seen.size && this.membership() === seen.people) {
      this.discovery = discovery;
      this.discoveryFaces = seen.ids;
    }
    return discovery;
  }

  /** Who is grouped with whom, as one string (a renamed person keeps it). */
  private membership(): string {
    return this.people.map((p) => p.group.faceIds.join(',')).join('|');
  }

  /** Discovery in the worker, or undefined when there is no worker to run it in. */
  private async discoverOffThread(
    input: WorkerDiscoveryInput, settings: { seed: number; signal?: AbortSignal; onProgress?: (p: DiscoveryProgress) => void }, workerUrl: string | URL | undefined,
  ): Promise<AttributeDiscovery | undefined> {
    if (workerUrl === undefined || typeof Worker === 'undefined') return undefined;
    try {
      // The worker takes a copy: the vectors are transferred, and this thread may need them when it fails.
      return await discoverInWorker({ ...input, vectors: input.vectors.slice() }, { workerUrl, ...settings });
    } catch (error: unknown) {
      if (!(error instanceof UnsupportedEnvironmentError)) throw error;
      console.warn(`face-attribute-probe: finding what the embedding separates on the page instead (${error.message})`);
      return undefined;
    }
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
      // Their faces are gone: nothing is left to read attributes for.
      this.attributesPending.clear();
      await this.load();
    });
  }

  /** Closes the database connection. */
  close(): void {
    this.store.close();
  }
}
