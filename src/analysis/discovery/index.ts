/**
 * Attribute discovery: identity held constant (views), splits found, ranked, described and shown
 * (discover), and calibrated probes for named splits. Headless: plain typed arrays in, plain data out.
 */
export { type DiscoveryView, type DiscoveryViews, type ViewKind, type ViewOptions, buildViews } from './views.ts';
export { type CandidateOptions, type SplitMethod, minimumClusterSize } from './candidates.ts';
export { type DiscoveredSplit, type DiscoverOptions, type DroppedSplit, type ViewDiscovery, discoverSplits, splitBalance } from './discover.ts';
export { type AttributeDiscovery, type DiscoverAttributesOptions, type DiscoveryInput, type DiscoveryProgress, discoverAttributes } from './discover-all.ts';
export { type MeasurableFace, type MeasurementColumn, type MeasurementTable, measurementTable } from './measurements.ts';
export { type MeasureScore, type SplitDescription, DESCRIBE_Z, aucOf, describeSplit, fewestPointsToDescribe } from './describe.ts';
export { type Reliability, type ReliabilityBin, reliabilityOf } from './reliability.ts';
export {
  type CalibratedProbe, type CalibratedProbeOptions, type HeadLink, type ProbeAssignment, type ProbeInput, type ProbeTrainingSet,
  MIN_PROBE_PEOPLE, applyCalibratedProbe, removeIdentity, trainCalibratedProbe,
} from './calibrated-probe.ts';
export { type CarryingNumber, type Colouring, type SplitDetail, splitDetail } from './split-detail.ts';
