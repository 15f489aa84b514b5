/**
 * Every `probe-*` event detail the element dispatches about the workspace, built in one place from the
 * workspace's state, so the element and its tests agree on what each event says.
 */
import { curveOf, type ClusterView, type EngineInfo, type Workspace } from '../src/index.ts';
import type { ProbeClustersDetail, ProbeNamedDetail, ProbePeopleDetail, ProbeReadyDetail } from './events.ts';

/** `probe-ready`: the engine's backend and model. */
export function readyDetail(info: EngineInfo): ProbeReadyDetail {
  const { backend, backendReason, modelId, dimension, detector } = info;
  return { backend, backendReason, modelId, dimension, detector, ...(info.threads ? { threads: info.threads } : {}) };
}

/** `probe-people`: how many people, faces seen once, and each person's size. */
export function peopleDetail(ws: Workspace): ProbePeopleDetail {
  return { people: ws.people.length, alone: ws.alone, sizes: ws.people.map((p) => p.group.faceIds.length) };
}

/** `probe-clusters`: the clustering shown and why. */
export function clustersDetail(view: ClusterView, reason: ProbeClustersDetail['reason']): ProbeClustersDetail {
  const run = view.run;
  return {
    runId: run.id,
    scope: run.scope.kind === 'all' ? 'all' : run.scope.groupId,
    k: run.k,
    auto: run.kChoice.kind === 'auto',
    silhouette: run.scores.silhouette ?? null,
    curve: curveOf(run),
    sizes: view.members.map((m) => m.length),
    reason,
  };
}

/** `probe-named`: the names of the shown clustering and the named groups' figures; undefined when none is shown. */
export function namedDetail(ws: Workspace): ProbeNamedDetail | undefined {
  if (!ws.view) return undefined;
  const f = ws.figures;
  return {
    runId: ws.view.run.id,
    names: Object.fromEntries(ws.names),
    groups: ws.groups.map((g) => ({ name: g.name, faces: g.faceIds.length })),
    accuracy: f?.accuracy ?? null,
    chance: f?.chance ?? null,
    probeCeiling: f?.probeCeiling ?? null,
    topDimensions: f?.ranking.slice(0, 10) ?? [],
  };
}
