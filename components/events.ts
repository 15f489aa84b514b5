/**
 * The `probe-*` events `<face-attribute-probe>` dispatches, typed through HTMLElementEventMap so
 * `element.addEventListener('probe-clusters', (e) => e.detail.k)` type-checks. Every event bubbles and is
 * composed (it crosses shadow roots); details are plain data.
 */
import type { GroupAssignment, IngestSummary, PhotoFailure, StorageSummary, WorkProgress } from '../src/index.ts';

export type { PhotoFailure };
/** Progress of a batch of photos: after each photo. */
export type ProbeProgressDetail = WorkProgress;
/** A batch of photos finished (or was cancelled). */
export type ProbeFacesDetail = IngestSummary;
/** One probe face and where it falls. */
export type ProbeAssignment = GroupAssignment;
/** Storage used by this origin, as the browser reports it. */
export type ProbeStorageDetail = StorageSummary;


/** An error as the element reports it: the project's error class name and code, and where it happened. */
export interface ProbeErrorDetail {
  /** What the element was doing: 'engine' (starting the models), 'ingest', 'store', 'analysis', 'probe', 'import'… */
  during: string;
  /** The error's class name, e.g. 'StorageError', 'ModelLoadError', 'UnsupportedEnvironmentError'. */
  name: string;
  /** The project's error code (see src/errors.ts ErrorCode) when the error is one of ours. */
  code: string | undefined;
  /**
   * The error's `details.reason` when it has one, e.g. a StorageError's 'quota-exceeded' or 'closed', or an
   * import's 'different-model'.
   */
  reason: string | undefined;
  message: string;
}

/** The engine is running: which backend and model it uses. */
export interface ProbeReadyDetail {
  backend: string;
  backendReason: string;
  modelId: string;
  dimension: number;
  detector: string;
  /** CPU threads the runtime uses (wasm gets more than one only on a cross-origin isolated page). */
  threads?: number;
}

/** Faces grouped by person. */
export interface ProbePeopleDetail {
  /** People with at least two faces. */
  people: number;
  /** Faces in no person group (seen once). */
  alone: number;
  /** Faces of each person, largest first. */
  sizes: number[];
}

/** A clustering is shown (new, merged, or loaded from the store). */
export interface ProbeClustersDetail {
  runId: string;
  /** 'all' or the id of the person whose faces were clustered. */
  scope: string;
  k: number;
  /** True when k was chosen by the silhouette. */
  auto: boolean;
  /** Mean silhouette of the chosen clustering (null for k = 1). */
  silhouette: number | null;
  /** The silhouette curve over the k range searched (empty when k was set). */
  curve: { k: number; silhouette: number }[];
  /** Faces per cluster. */
  sizes: number[];
  /** Why it was shown. */
  reason: 'clustered' | 'merged' | 'loaded';
}

/** Clusters were named; figures for the named groups when two or more names exist. */
export interface ProbeNamedDetail {
  runId: string;
  /** Cluster index → name (unnamed clusters absent). */
  names: Record<number, string>;
  /** The distinct names, each with its number of faces. */
  groups: { name: string; faces: number }[];
  /** k-means (k = number of names) matched accuracy on the named faces, or null with fewer than two names. */
  accuracy: number | null;
  /** The chance level of that accuracy (labels shuffled). */
  chance: number | null;
  /** Cross-validated linear-probe accuracy (the supervised ceiling), null when a group has under 2 faces. */
  probeCeiling: number | null;
  /** The embedding dimensions that separate the groups best (Fisher score), best first, at most 10. */
  topDimensions: number[];
}

/** New faces were probed against the named groups. */
export interface ProbeAssignmentsDetail {
  assignments: ProbeAssignment[];
  failures: PhotoFailure[];
}

/** An export file was made. */
export interface ProbeExportDetail {
  /** The file, also offered as a download. */
  blob: Blob;
  fileName: string;
}

/** An export file was imported. */
export interface ProbeImportDetail {
  photos: number;
  faces: number;
}

/** Everything was erased. */
export interface ProbeErasedDetail {
  database: string;
}

/** Every event the element dispatches, by type. */
export interface ProbeEventMap {
  'probe-ready': CustomEvent<ProbeReadyDetail>;
  'probe-progress': CustomEvent<ProbeProgressDetail>;
  'probe-faces': CustomEvent<ProbeFacesDetail>;
  'probe-people': CustomEvent<ProbePeopleDetail>;
  'probe-clusters': CustomEvent<ProbeClustersDetail>;
  'probe-named': CustomEvent<ProbeNamedDetail>;
  'probe-assignments': CustomEvent<ProbeAssignmentsDetail>;
  'probe-storage': CustomEvent<ProbeStorageDetail>;
  'probe-export': CustomEvent<ProbeExportDetail>;
  'probe-import': CustomEvent<ProbeImportDetail>;
  'probe-erased': CustomEvent<ProbeErasedDetail>;
  'probe-error': CustomEvent<ProbeErrorDetail>;
}

declare global {
  // Declaration merging is how DOM event maps are extended; an interface is required here.
  interface HTMLElementEventMap extends ProbeEventMap {}
}

/** The detail type of event `type`. */
export type ProbeEventDetail<K extends keyof ProbeEventMap> = ProbeEventMap[K] extends CustomEvent<infer D> ? D : never;

/** Dispatches a `probe-*` event from `target`, bubbling and composed. */
export function emit<K extends keyof ProbeEventMap>(target: EventTarget, type: K, detail: ProbeEventDetail<K>): void {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

/** Plain data for any thrown value: the class name, the project's code and reason when present, and the message. */
export function describeError(error: unknown, during: string): ProbeErrorDetail {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; code?: unknown; message?: unknown; details?: unknown };
  const details = (typeof e.details === 'object' && e.details !== null ? e.details : {}) as { reason?: unknown };
  return {
    during,
    name: typeof e.name === 'string' ? e.name : 'Error',
    code: typeof e.code === 'string' ? e.code : undefined,
    reason: typeof details.reason === 'string' ? details.reason : undefined,
    message: typeof e.message === 'string' ? e.message : String(error),
  };
}
