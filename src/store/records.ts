/**
 * The analyses the store keeps per model (cluster runs, probes, identity groups): one generic
 * save/get/list/delete, and the compound writes that must stand or fall together, each in ONE
 * transaction (replace a run with its names, replace a model's identity groups).
 */
import { unwrap } from 'idb';
import { InvalidInputError } from '../errors.ts';
import type { FaceDb, FaceDbSchema, WriteTx } from './schema.ts';
import { runRead, runWrite } from './transaction.ts';
import type { ClusterRun, IdentityGroup } from './types.ts';
import { validateIdentityGroup, validateModelId, validateRun } from './validate.ts';

/** The stores of per-model analyses, each keyed by `id` with a `byModel` index and a `createdAt`. */
export type AnalysisStore = 'runs' | 'probes' | 'identityGroups' | 'corrections';

/** A record of an {@link AnalysisStore}. */
export type AnalysisRecord<S extends AnalysisStore> = FaceDbSchema[S]['value'];

/** What the store calls a record of each kind, in messages. */
const NOUN: Record<AnalysisStore, string> = { runs: 'cluster run', probes: 'probe', identityGroups: 'identity group', corrections: 'correction' };

/** Save/get/list/delete over one {@link AnalysisStore}; `validate` checks a record before it is saved. */
export class AnalysisTable<S extends AnalysisStore> {
  constructor(
    private readonly db: () => FaceDb,
    private readonly store: S,
    private readonly validate: (value: unknown) => AnalysisRecord<S>,
  ) {}

  /** Saves (or replaces) a record. @throws InvalidInputError for a malformed one. */
  async save(record: AnalysisRecord<S>): Promise<void> {
    this.validate(record);
    await runWrite(this.db(), [this.store], `save a ${NOUN[this.store]}`, undefined, async (tx) => {
      unwrap(tx.objectStore(this.store)).put(record);
    });
  }

  /** The record with this id, or undefined. */
  get(id: string): Promise<AnalysisRecord<S> | undefined> {
    return runRead(`read a ${NOUN[this.store]}`, () => this.db().get(this.store, id));
  }

  /** Records (of one model, if given), oldest first. */
  async list(modelId?: string): Promise<AnalysisRecord<S>[]> {
    const records: AnalysisRecord<S>[] = await runRead(`list ${NOUN[this.store]}s`, () =>
      // Every analysis store has a byModel index on a string (see schema.ts); TypeScript cannot see that through S.
      modelId === undefined ? this.db().getAll(this.store) : this.db().getAllFromIndex(this.store as AnalysisStore, 'byModel', modelId),
    );
    return records.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Deletes a record (and, for a run, the names of its clusters). */
  async delete(id: string): Promise<void> {
    const stores = this.store === 'runs' ? (['runs', 'clusterNames'] as const) : ([this.store] as const);
    await runWrite(this.db(), [...stores], `delete a ${NOUN[this.store]}`, undefined, async (tx) => {
      if (this.store === 'runs') await deleteNamesIn(tx, id);
      unwrap(tx.objectStore(this.store)).delete(id);
    });
  }
}

async function deleteNamesIn(tx: WriteTx, runId: string): Promise<void> {
  const names = unwrap(tx.objectStore('clusterNames'));
  for (const key of await tx.objectStore('clusterNames').index('byRun').getAllKeys(runId)) names.delete(key);
}

/** Options for {@link replaceRunIn}. */
export interface ReplaceRunOptions {
  /** Names of the new run's clusters: cluster index in [0, k) → non-empty name. */
  names?: ReadonlyMap<number, string>;
  /** Ids of runs the new one replaces: deleted with their cluster names and the probes trained on them. */
  replaces?: readonly string[];
  signal?: AbortSignal;
}

/**
 * Saves `run` with its cluster names (replacing any it had) and deletes the runs it replaces, their
 * names and probes, in ONE transaction: all of it or nothing.
 * @throws InvalidInputError for a malformed run, a name outside [0, k) or empty, or `replaces` naming `run` itself.
 */
export async function replaceRun(db: FaceDb, run: ClusterRun, options: ReplaceRunOptions = {}): Promise<void> {
  validateRun(run);
  const names = [...(options.names ?? new Map<number, string>())];
  for (const [cluster, name] of names) {
    if (!Number.isInteger(cluster) || cluster < 0 || cluster >= run.k) {
      throw new InvalidInputError(`replaceRun: a name is given for cluster ${cluster}; run '${run.id}' has clusters 0 to ${run.k - 1}`);
    }
    if (typeof name !== 'string' || name === '') throw new InvalidInputError(`replaceRun: the name of cluster ${cluster} is ${JSON.stringify(name)}; expected a non-empty string`);
  }
  const replaces = [...new Set(options.replaces ?? [])];
  if (replaces.includes(run.id)) throw new InvalidInputError(`replaceRun: run '${run.id}' cannot replace itself`);
  await runWrite(db, ['runs', 'clusterNames', 'probes'], 'replace a cluster run', options.signal, async (tx) => {
    const runs = tx.objectStore('runs');
    const replaced = (await Promise.all(replaces.map((id) => runs.get(id)))).filter((r) => r !== undefined);
    const models = new Set(replaced.map((r) => r.modelId));
    const probes = (await Promise.all([...models].map((m) => tx.objectStore('probes').index('byModel').getAll(m)))).flat();
    for (const old of replaced) {
      await deleteNamesIn(tx, old.id);
      await runs.delete(old.id);
    }
    const gone = new Set(replaced.map((r) => r.id));
    for (const probe of probes) if (probe.runId !== undefined && gone.has(probe.runId)) await tx.objectStore('probes').delete(probe.id);
    await deleteNamesIn(tx, run.id);
    await runs.put(run);
    for (const [cluster, name] of names) await tx.objectStore('clusterNames').put({ runId: run.id, cluster, name });
  });
}

/**
 * Replaces all identity groups of `modelId` with `groups` in ONE transaction: all of it or nothing.
 * @throws InvalidInputError for a malformed group, one of another model, or two with the same id.
 */
export async function replaceIdentityGroups(db: FaceDb, modelId: string, groups: readonly IdentityGroup[], signal?: AbortSignal): Promise<void> {
  validateModelId(modelId);
  const ids = new Set<string>();
  groups.forEach((group, i) => {
    validateIdentityGroup(group, `groups[${i}]`);
    if (group.modelId !== modelId) throw new InvalidInputError(`groups[${i}] belongs to model '${group.modelId}', not '${modelId}'`);
    if (ids.has(group.id)) throw new InvalidInputError(`groups[${i}].id '${group.id}' is used by another group of the list`);
    ids.add(group.id);
  });
  await runWrite(db, ['identityGroups'], 'replace the identity groups', signal, async (tx) => {
    const store = tx.objectStore('identityGroups');
    for (const key of await store.index('byModel').getAllKeys(modelId)) await store.delete(key);
    for (const group of groups) await store.put(group);
  });
}
