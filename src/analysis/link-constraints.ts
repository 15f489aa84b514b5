/**
 * A person's corrections as constraints on the identity grouping: a must-link says two faces are the same
 * person (a face moved to a person, two people merged), a cannot-link says they are not ("not this
 * person"). Must-linked faces are contracted into one node of the threshold graph (their edges summed, the
 * edges among them kept as a vote for the node's own class), so the grouping moves them together; cannot-links between the contracted nodes are kept as a per-node list
 * that Chinese whispers consults before a node takes a class (see identity.ts). A cannot-link inside one
 * must-linked set contradicts it and is dropped: the must-link wins.
 */
import { InvalidInputError } from '../errors.ts';
import type { AdjacencyGraph } from './identity.ts';

/** Pairs of row indices that must be, or must not be, in one group. */
export interface LinkConstraints {
  mustLink?: ReadonlyArray<readonly [number, number]>;
  cannotLink?: ReadonlyArray<readonly [number, number]>;
}

/** A graph whose nodes are sets of must-linked rows, with the cannot-links between those sets. */
export interface ContractedGraph {
  graph: AdjacencyGraph;
  /** Node of each original row. */
  nodeOf: Int32Array;
  /** Cannot-linked nodes of each node (both directions), in the same compressed form as the graph. */
  cannot: { offsets: Int32Array; neighbours: Int32Array };
  /**
   * Per node, the weight of the edges inside it (each counted from both ends, as its rows would vote): a
   * vote for the node's own class, so a contracted set is held together by its own edges as its rows were.
   */
  selfWeights: Float64Array;
}

function checkPair(pair: readonly [number, number], n: number, what: string): void {
  for (const v of pair) {
    if (!Number.isInteger(v) || v < 0 || v >= n) throw new InvalidInputError(`${what} names row ${v}; rows are 0 to ${n - 1}`);
  }
}

/** Compressed adjacency from per-node lists. */
function compress(lists: ReadonlyArray<ReadonlyMap<number, number>>): { offsets: Int32Array; neighbours: Int32Array; weights: Float32Array } {
  const offsets = new Int32Array(lists.length + 1);
  lists.forEach((l, v) => { offsets[v + 1] = (offsets[v] as number) + l.size; });
  const neighbours = new Int32Array(offsets[lists.length] as number);
  const weights = new Float32Array(neighbours.length);
  lists.forEach((l, v) => {
    let e = offsets[v] as number;
    for (const [u, w] of [...l.entries()].sort((a, b) => a[0] - b[0])) {
      neighbours[e] = u;
      weights[e++] = w;
    }
  });
  return { offsets, neighbours, weights };
}

/**
 * Contracts every must-linked set of rows into one node (edge weights between sets summed, edges inside a
 * set dropped) and lists the cannot-links between nodes. Nodes are numbered by their first row.
 * @throws InvalidInputError for a pair naming a row outside the graph.
 */
export function contractGraph(graph: AdjacencyGraph, constraints: LinkConstraints): ContractedGraph {
  const n = graph.offsets.length - 1;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x] as number] as number;
      x = parent[x] as number;
    }
    return x;
  };
  for (const pair of constraints.mustLink ?? []) {
    checkPair(pair, n, 'a must-link');
    const a = find(pair[0]);
    const b = find(pair[1]);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  const nodeOfRoot = new Map<number, number>();
  const nodeOf = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    const root = find(v);
    let node = nodeOfRoot.get(root);
    if (node === undefined) nodeOfRoot.set(root, (node = nodeOfRoot.size));
    nodeOf[v] = node;
  }
  const nodes = nodeOfRoot.size;
  const edges = Array.from({ length: nodes }, () => new Map<number, number>());
  const selfWeights = new Float64Array(nodes);
  for (let v = 0; v < n; v++) {
    const a = nodeOf[v] as number;
    for (let e = graph.offsets[v] as number; e < (graph.offsets[v + 1] as number); e++) {
      const b = nodeOf[graph.neighbours[e] as number] as number;
      const w = graph.weights ? (graph.weights[e] as number) : 1;
      if (a === b) {
        selfWeights[a] = (selfWeights[a] as number) + w;
        continue;
      }
      const map = edges[a] as Map<number, number>;
      map.set(b, (map.get(b) ?? 0) + w);
    }
  }
  const cannot = Array.from({ length: nodes }, () => new Map<number, number>());
  for (const pair of constraints.cannotLink ?? []) {
    checkPair(pair, n, 'a cannot-link');
    const a = nodeOf[pair[0]] as number;
    const b = nodeOf[pair[1]] as number;
    if (a === b) continue;
    (cannot[a] as Map<number, number>).set(b, 1);
    (cannot[b] as Map<number, number>).set(a, 1);
  }
  const forbidden = compress(cannot);
  return { graph: compress(edges), nodeOf, cannot: { offsets: forbidden.offsets, neighbours: forbidden.neighbours }, selfWeights };
}
