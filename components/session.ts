/**
 * The element's working state, without any UI: the store, the faces in memory, the people, the cluster
 * runs and their names, the named groups' figures, and the operations on them (add photos, cluster, name,
 * merge, probe, export, import, erase). Every change is written to IndexedDB first, so a reload shows the
 * same state.
 */
import {
  FaceStore,
  InvalidInputError,
  assignFaces,
  type EngineInfo,
  type FaceEngineClient,
  type ImageOutcome,
  type ImageResult,
  type ResidentKernel,
  type ClusterRun,
  type FaceBatch,
  type FaceRecord,
  type ModelRecord,
  type PhotoRecord,
  type RunScope,
  type Thumbnail,
} from '../src/index.ts';
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
  type GroupFigures,
  type NamedGroup,
  type PersonView,
} from './analysis-views.ts';
import { FaceCollection } from './collection.ts';
import type { PhotoFailure, ProbeAssignment, ProbeFacesDetail, ProbeProgressDetail, ProbeStorageDetail } from './events.ts';

/** Photos per engine call and per store transaction: finished work is saved as it goes, so Cancel keeps it. */
export const INGEST_CHUNK = 24;

/** Options of {@link ProbeSession.ingest} and {@link ProbeSession.probe}. */
export interface WorkOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ProbeProgressDetail) => void;
}

/** A probed face: where it falls, and its thumbnail. */
export interface ProbedFace extends ProbeAssignment {
  thumbnail: Thumbnail | undefined;
}

/** The outcome of {@link ProbeSession.probe}. */
export interface ProbeResult {
  faces: ProbedFace[];
  failures: PhotoFailure[];
  cancelled: boolean;
}

function failureOf(outcome: ImageOutcome & { ok: false }): PhotoFailure {
  return { name: outcome.name, code: outcome.error.code ?? outcome.error.name, message: outcome.error.message };
}

/** A unique id for a run (random: runs from two tabs must not collide). */
function newRunId(): string {
  return `run:${crypto.randomUUID()}`;
}

/** The store batch for a chunk of outcomes; photos already in this drop (same content) are left out. */
function toBatch(outcomes: readonly ImageOutcome[], info: EngineInfo, now: number, seen: Set<string>): {
  batch: Required<FaceBatch>;
  vectors: Map<string, Float32Array>;
  failures: PhotoFailure[];
  /** Failures whose bytes could not even be read (no hash): listed for this session, never stored. */
  unstored: PhotoFailure[];
  repeated: number;
} {
  const photos: PhotoRecord[] = [];
  const faces: FaceRecord[] = [];
  const vectors = new Map<string, Float32Array>();
  const failures: PhotoFailure[] = [];
  const unstored: PhotoFailure[] = [];
  let repeated = 0;
  for (const o of outcomes) {
    if (!o.ok) failures.push(failureOf(o));
    if (o.hash === undefined) {
      if (!o.ok) unstored.push(failureOf(o));
      continue;
    }
    if (seen.has(o.hash)) {
      repeated++;
      continue;
    }
    seen.add(o.hash);
    if (!o.ok) {
      const error = failureOf(o);
      photos.push({ hash: o.hash, name: o.name, size: o.size ?? 0, type: '', addedAt: now, width: 0, height: 0, faceIds: [], error: { code: error.code, message: error.message } });
      continue;
    }
    const ids = o.faces.map((f) => `${o.hash}:${f.index}`);
    photos.push({ hash: o.hash, name: o.name, size: o.size, type: `image/${o.format}`, addedAt: now, width: o.width, height: o.height, faceIds: ids });
    o.faces.forEach((f, i) => {
      const id = ids[i] as string;
      faces.push({
        id, photoHash: o.hash, index: f.index, box: f.box, score: f.score, landmarks: f.landmarks, foundBy: f.foundBy,
        modelId: f.modelId,
        // The engine encodes a thumbnail whenever one is asked for; an empty one would only show as a blank tile.
        thumbnail: f.thumbnail ?? { type: 'image/jpeg', bytes: new Uint8Array(0), width: 0, height: 0 },
        ...(f.attributes ? { attributes: f.attributes } : {}),
      });
      vectors.set(id, f.embedding);
    });
  }
  const d = info.dimension;
  const faceIds = faces.map((f) => f.id);
  const matrix = new Float32Array(faceIds.length * d);
  faceIds.forEach((id, i) => matrix.set(vectors.get(id) as Float32Array, i * d));
  return {
    batch: { photos, faces, embeddings: faceIds.length ? [{ modelId: info.modelId, dimension: d, faceIds, vectors: matrix }] : [] },
    vectors,
    failures,
    unstored,
    repeated,
  };
}

/** The model whose faces to show: the one with the most vectors. */
function largestModel(models: readonly ModelRecord[]): ModelRecord | undefined {
  return [...models].sort((a, b) => b.count - a.count)[0];
}

/** The element's state over one database. Open with {@link ProbeSession.open}. */
export class ProbeSession {
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
  /** Names of the shown run's clusters. */
  names = new Map<number, string>();
  /** The distinct names of the shown run and their faces. */
  groups: NamedGroup[] = [];
  /** Figures for two or more named groups. */
  figures: GroupFigures | undefined;
  private unstored: PhotoFailure[] = [];

  private constructor(private store: FaceStore, readonly kernel: ResidentKernel) {}

  /**
   * Opens (creating if needed) the database and loads what it holds.
   * @throws StorageError when IndexedDB is unavailable, blocked or newer than this code.
   */
  static async open(database: string, kernel: ResidentKernel): Promise<ProbeSession> {
    const session = new ProbeSession(await FaceStore.open(database), kernel);
    await session.load();
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

  /** Faces in no person group. */
  get alone(): number {
    return this.faces - this.people.reduce((n, p) => n + p.group.faceIds.length, 0);
  }

  /** Reloads everything for `model` (default: the stored model with the most vectors). */
  async load(model?: { modelId: string; dimension: number }): Promise<void> {
    const chosen = model ?? largestModel(await this.store.models());
    this.photos = await this.store.countPhotos();
    this.failures = [...(await this.storedFailures()), ...this.unstored];
    this.view = undefined;
    this.names = new Map();
    this.groups = [];
    this.figures = undefined;
    if (!chosen) {
      this.collection = undefined;
      this.people = [];
      this.runs = [];
      return;
    }
    this.collection = await FaceCollection.load(this.store, chosen.modelId, chosen.dimension);
    this.people = peopleFromGroups(await this.store.listIdentityGroups({ modelId: chosen.modelId }), this.collection);
    this.runs = await this.store.listRuns({ modelId: chosen.modelId });
    const latest = this.runs.at(-1);
    if (latest) await this.show(latest);
  }

  private async storedFailures(): Promise<PhotoFailure[]> {
    return (await this.store.listPhotos())
      .filter((p) => p.error !== undefined)
      .map((p) => ({ name: p.name, code: p.error?.code ?? '', message: p.error?.message ?? '' }));
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
   * atomically), so what finished is kept when the signal cancels. Then regroups people when faces were added.
   * @throws StorageError when a chunk cannot be written (earlier chunks stay stored).
   */
  async ingest(engine: FaceEngineClient, files: readonly File[], options: WorkOptions = {}): Promise<ProbeFacesDetail> {
    const { signal, onProgress } = options;
    const info = engine.info;
    const collection = await this.useModel(info);
    const seen = new Set<string>();
    const failures: PhotoFailure[] = [];
    let photos = 0, faces = 0, duplicates = 0, done = 0, found = 0, failed = 0;
    let cancelled = false;
    // A failed chunk (full storage, a crashed worker) ends the batch, but what was stored before it still
    // counts: the people are regrouped with it before the error goes on to the caller.
    let failure: { error: unknown } | undefined;
    try {
      for (let start = 0; start < files.length && !cancelled; start += INGEST_CHUNK) {
        if (signal?.aborted) {
          cancelled = true;
          break;
        }
        const result = await engine.process(files.slice(start, start + INGEST_CHUNK), {
          thumbnails: true,
          ...(signal ? { signal } : {}),
          onProgress: (p) => onProgress?.({ done: done + p.done, total: files.length, faces: found + p.faces, failed: failed + p.failed, name: p.name }),
        });
        const { batch, vectors, failures: chunkFailures, unstored, repeated } = toBatch(result.outcomes, info, Date.now(), seen);
        // Not given the signal: a chunk that finished is kept even when Cancel comes during the write.
        const written = batch.photos.length ? await this.store.addBatch(batch) : undefined;
        const added = new Set(written?.addedPhotos ?? []);
        for (const face of batch.faces) {
          if (added.has(face.photoHash)) collection.add(face, vectors.get(face.id) as Float32Array);
        }
        photos += added.size;
        faces += written?.faces ?? 0;
        duplicates += repeated + (written?.skippedPhotos.length ?? 0);
        failures.push(...chunkFailures);
        this.unstored.push(...unstored);
        for (const o of result.outcomes) {
          done++;
          if (o.ok) found += o.faces.length;
          else failed++;
        }
        cancelled = result.cancelled;
      }
    } catch (error: unknown) {
      failure = { error };
    }
    this.photos = await this.store.countPhotos();
    this.failures = [...(await this.storedFailures()), ...this.unstored];
    if (faces > 0) await this.regroupPeople();
    if (failure) throw failure.error;
    return { processed: done, photos, faces, duplicates, failures, cancelled, totalFaces: collection.size };
  }

  /** Groups all faces by person again and replaces the stored groups. */
  async regroupPeople(): Promise<void> {
    const collection = this.collection;
    if (!collection) return;
    const people = groupPeople(this.kernel, collection, Date.now());
    const keep = new Set(people.map((p) => p.group.id));
    for (const old of await this.store.listIdentityGroups({ modelId: collection.modelId })) {
      if (!keep.has(old.id)) await this.store.deleteIdentityGroup(old.id);
    }
    for (const p of people) await this.store.saveIdentityGroup(p.group);
    this.people = people;
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
   * @throws InvalidInputError with too few faces, a bad k or an unknown person.
   */
  async cluster(scope: RunScope, k: number | 'auto'): Promise<ClusterRun> {
    const collection = this.collection;
    if (!collection) throw new InvalidInputError('there are no faces to cluster yet: add photos first');
    const run = runClustering(this.kernel, collection, {
      scope, faceIds: this.scopeFaces(scope), k, seed: this.runs.length, id: newRunId(), now: Date.now(),
    });
    await this.store.saveRun(run);
    this.runs.push(run);
    await this.show(run);
    return run;
  }

  /** Shows a stored run. @throws InvalidInputError for an unknown run id. */
  async select(runId: string): Promise<void> {
    const run = this.runs.find((r) => r.id === runId);
    if (!run) throw new InvalidInputError(`there is no cluster run '${runId}'`);
    await this.show(run);
  }

  private async show(run: ClusterRun): Promise<void> {
    const collection = this.collection as FaceCollection;
    this.view = clusterView(this.kernel, collection, run);
    this.names = await this.store.clusterNames(run.id);
    await this.refreshFigures();
  }

  /** Recomputes the named groups' figures and stores them with the trained probe. */
  private async refreshFigures(): Promise<void> {
    const view = this.view;
    const collection = this.collection;
    this.groups = view ? namedGroups(view, this.names) : [];
    this.figures = undefined;
    if (!view || !collection || this.groups.length < 2) return;
    this.figures = groupFigures(this.kernel, collection, this.groups, view.run.seed);
    await this.store.saveProbe(probeRecord(view.run, this.groups, this.figures, Date.now()));
  }

  /**
   * Names (or, with '', unnames) a cluster of the shown run.
   * @throws InvalidInputError when no run is shown or the cluster is out of range.
   */
  async rename(cluster: number, name: string): Promise<void> {
    const view = this.view;
    if (!view) throw new InvalidInputError('there is no clustering to name yet');
    const trimmed = name.trim();
    await this.store.nameCluster(view.run.id, cluster, trimmed === '' ? null : trimmed);
    if (trimmed === '') this.names.delete(cluster);
    else this.names.set(cluster, trimmed);
    await this.refreshFigures();
  }

  /**
   * Merges clusters of the shown run into a new run that replaces it (names carried over).
   * @throws InvalidInputError for fewer than two clusters or none shown.
   */
  async merge(clusters: readonly number[]): Promise<ClusterRun> {
    const view = this.view;
    const collection = this.collection;
    if (!view || !collection) throw new InvalidInputError('there is no clustering to merge yet');
    const merged = mergeClusters(this.kernel, collection, view.run, clusters, this.names, { id: newRunId(), now: Date.now() });
    await this.store.saveRun(merged.run);
    for (const [c, name] of merged.names) await this.store.nameCluster(merged.run.id, c, name);
    await this.store.deleteRun(view.run.id);
    await this.store.deleteProbe(`probe:${view.run.id}`);
    this.runs = [...this.runs.filter((r) => r.id !== view.run.id), merged.run];
    await this.show(merged.run);
    return merged.run;
  }

  /**
   * Runs new photos through the engine (with the age/gender/expression heads) and assigns each face to the
   * named groups. The faces are not stored.
   * @throws InvalidInputError when fewer than two groups are named.
   */
  async probe(engine: FaceEngineClient, files: readonly File[], options: WorkOptions = {}): Promise<ProbeResult> {
    const figures = this.figures;
    if (!figures) throw new InvalidInputError('name at least two clusters before probing new faces');
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
    faces.forEach(({ face }, i) => {
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

  /** Storage figures for the panel. */
  async storage(): Promise<ProbeStorageDetail> {
    const estimate = await this.store.estimate();
    return { ...estimate, photos: this.photos, faces: this.faces };
  }

  /** The export file of the shown model. @throws InvalidInputError when there is nothing to export. */
  async exportBlob(): Promise<Blob> {
    const modelId = this.collection?.modelId;
    if (!modelId || this.faces === 0) throw new InvalidInputError('there is nothing to export yet: add photos first');
    return this.store.exportToBlob({ modelId });
  }

  /**
   * Imports an export file (validated whole before anything is written) and reloads.
   * @throws InvalidInputError for a malformed file; StorageError when it cannot be written.
   */
  async importBlob(blob: Blob): Promise<{ photos: number; faces: number }> {
    const result = await this.store.importFromBlob(blob);
    await this.load({ modelId: result.modelId, dimension: result.dimension });
    return { photos: result.added.photos, faces: result.added.faces };
  }

  /** Deletes the whole database and starts again with an empty one. */
  async erase(options: { onBlocked?: () => void } = {}): Promise<void> {
    const name = this.store.name;
    await this.store.erase(options.onBlocked ? { onBlocked: options.onBlocked } : {});
    this.store = await FaceStore.open(name);
    this.unstored = [];
    await this.load();
  }

  /** Closes the database connection. */
  close(): void {
    this.store.close();
  }
}
