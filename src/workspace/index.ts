/**
 * The workspace: the session a UI drives over one database (ingest, people, clustering, naming, probes,
 * export, import, erase), with no UI of its own. It runs the same in the browser (behind
 * `<face-attribute-probe>`) and headless in Node with the real engine and fake-indexeddb.
 */
export { Workspace, INGEST_CHUNK, MIN_FACES_TO_DISCOVER, type IngestResult, type ProbeResult, type ProbedFace, type ShownRunOptions, type WorkOptions, type DiscoverOptions as WorkspaceDiscoverOptions } from './workspace.ts';
export { discoverInWorker, type DiscoverInWorkerOptions, type WorkerDiscoveryInput } from './discovery-client.ts';
export { FaceCollection } from './collection.ts';
export { MIN_FACES_TO_COMPARE, compareModels, type ComparedSplit, type ModelComparison, type ModelSplits } from './model-comparison.ts';
export { type NamedFaces, type NamedProbe, type ProbedFaceResult, applyNamedProbe, probeStoredFaces, trainNamedProbe } from './probes.ts';
export { faceMap, type FaceMap, type FaceMapOptions, type FaceMapSource } from './face-map.ts';
export { MapCache, mapDatabaseName } from '../store/map-cache.ts';
export {
  MIN_FACES_TO_CLUSTER,
  clusterView,
  curveOf,
  groupFigures,
  groupPeople,
  mergeClusters,
  namedGroups,
  peopleFromGroups,
  probeRecord,
  runClustering,
  type ClusterView,
  type ClusteringRequest,
  type NamedGroupFigures,
  type NamedClusters,
  type PersonView,
} from './views.ts';
export { DEFAULT_STRICTNESS, STRICTNESS_RANGE, correctionConstraints, correctionWords, type CorrectionConstraints } from './corrections.ts';
export type * from './types.ts';
