/**
 * The components' public entry: importing it defines `<face-attribute-probe>` (and the small elements it is
 * built from). Everything a page needs to configure the element, inject an engine or type its events is
 * exported here.
 */
export { FaceAttributeProbe, type ProbeState } from './face-attribute-probe.ts';
export { BACKEND_CHOICES, workerEngineFactory, type BackendChoice, type EngineFactory, type EngineRequest, type FaceEngineClient } from './engine-factory.ts';
export type {
  PhotoFailure,
  ProbeAssignment,
  ProbeAssignmentsDetail,
  ProbeClustersDetail,
  ProbeErasedDetail,
  ProbeErrorDetail,
  ProbeEventDetail,
  ProbeEventMap,
  ProbeExportDetail,
  ProbeFacesDetail,
  ProbeImportDetail,
  ProbeNamedDetail,
  ProbePeopleDetail,
  ProbeProgressDetail,
  ProbeReadyDetail,
  ProbeStorageDetail,
} from './events.ts';
