/**
 * PROTOCOL.md's experiment tables as data, and their resolution against parsed label sets into
 * lists of `{ imagePath, class, person }`. Class 1 is always the table's class A (the attribute
 * present, or the first column of the extra-class table); class 0 is class B.
 * Image paths are relative to the data folder, with forward slashes
 * (e.g. `utkface-balanced/images/25_0_1_….jpg.chip.jpg`).
 */
import { InvalidInputError } from '../errors.ts';
import type { CelebaSet, LabelSets, UtkGender, UtkRace, UtkfaceRow } from './datasets.ts';
import { DatasetName, LabelFile } from './datasets.ts';

/** A condition on a UTKFace row; age bounds are inclusive, `max: null` means no upper bound. */
export type UtkCondition =
  | { field: 'gender'; equals: UtkGender }
  | { field: 'race'; equals: UtkRace }
  | { field: 'age'; min: number; max: number | null };

/** Fields every experiment has. */
interface ExperimentBase {
  /** The experiment's name, as `reproduce --experiments` takes it. */
  name: string;
  /** The paper's accuracy (fraction) to print beside ours, or null where the paper has none. */
  paper: number | null;
  /** Names of class 0 and class 1. */
  classNames: readonly [string, string];
}

/** An across-people experiment on utkface-balanced. */
export interface ExtraClassDefinition extends ExperimentBase {
  kind: 'extra-class';
  dataset: typeof DatasetName.Utkface;
  /** Conditions every image must meet. */
  filter: readonly UtkCondition[];
  /** Conditions for class 0 and class 1 (applied after the filter); an image meeting neither is left out. */
  classes: readonly [readonly UtkCondition[], readonly UtkCondition[]];
}

/** Which people a within-person experiment takes. */
export type PeopleRule =
  | { rule: 'recommended'; set: CelebaSet }
  | { rule: 'person'; person: string }
  | { rule: 'min-per-class'; min: number };

/** A within-person experiment: each person is clustered on their own. */
export interface IntraClassDefinition extends ExperimentBase {
  kind: 'intra-class';
  dataset: typeof DatasetName.LfwAttributes | typeof DatasetName.CelebaIdentities;
  /** Which label file gives the classes. */
  labels: 'celeba' | 'lfw-manual' | 'lfw-binary';
  attribute: 'beard' | 'eyeglasses' | 'smiling';
  people: PeopleRule;
}

/** One experiment of PROTOCOL.md. */
export type ExperimentDefinition = ExtraClassDefinition | IntraClassDefinition;

const adults = { field: 'age', min: 18, max: 60 } as const;
const young = [{ field: 'age', min: 18, max: 30 }] as const;
const old = [{ field: 'age', min: 55, max: null }] as const;
const male = [{ field: 'gender', equals: 'male' }] as const;
const female = [{ field: 'gender', equals: 'female' }] as const;
const white = [{ field: 'race', equals: 'white' }] as const;
const black = [{ field: 'race', equals: 'black' }] as const;
const utk = DatasetName.Utkface;

/** Every attribute experiment of PROTOCOL.md, in its order. */
export const EXPERIMENTS: readonly ExperimentDefinition[] = [
  { name: 'gender', kind: 'extra-class', dataset: utk, paper: 0.993, classNames: ['female', 'male'], filter: [adults], classes: [female, male] },
  { name: 'skin_tone', kind: 'extra-class', dataset: utk, paper: 0.993, classNames: ['black', 'white'], filter: [adults], classes: [black, white] },
  { name: 'age', kind: 'extra-class', dataset: utk, paper: 0.941, classNames: ['55 and older', '18-30'], filter: [], classes: [old, young] },
  {
    name: 'gender_controlled', kind: 'extra-class', dataset: utk, paper: 0.993, classNames: ['female', 'male'],
    filter: [{ field: 'race', equals: 'white' }, { field: 'age', min: 20, max: 40 }], classes: [female, male],
  },
  {
    name: 'skin_tone_controlled', kind: 'extra-class', dataset: utk, paper: 0.993, classNames: ['black', 'white'],
    filter: [{ field: 'gender', equals: 'male' }, { field: 'age', min: 20, max: 40 }], classes: [black, white],
  },
  {
    name: 'age_controlled', kind: 'extra-class', dataset: utk, paper: 0.941, classNames: ['55 and older', '18-30'],
    filter: [{ field: 'race', equals: 'white' }, { field: 'gender', equals: 'male' }], classes: [old, young],
  },
  {
    name: 'beard', kind: 'intra-class', dataset: DatasetName.CelebaIdentities, paper: 0.9, classNames: ['no beard', 'beard'],
    labels: 'celeba', attribute: 'beard', people: { rule: 'recommended', set: 'beard' },
  },
  {
    name: 'glasses', kind: 'intra-class', dataset: DatasetName.LfwAttributes, paper: 0.76, classNames: ['no glasses', 'glasses'],
    labels: 'lfw-manual', attribute: 'eyeglasses', people: { rule: 'person', person: 'Alejandro_Toledo' },
  },
  {
    name: 'glasses_celeba', kind: 'intra-class', dataset: DatasetName.CelebaIdentities, paper: 0.76, classNames: ['no glasses', 'glasses'],
    labels: 'celeba', attribute: 'eyeglasses', people: { rule: 'recommended', set: 'eyeglasses' },
  },
  {
    name: 'smiling', kind: 'intra-class', dataset: DatasetName.LfwAttributes, paper: null, classNames: ['not smiling', 'smiling'],
    labels: 'lfw-manual', attribute: 'smiling', people: { rule: 'person', person: 'Alejandro_Toledo' },
  },
  {
    name: 'smiling_celeba', kind: 'intra-class', dataset: DatasetName.CelebaIdentities, paper: null, classNames: ['not smiling', 'smiling'],
    labels: 'celeba', attribute: 'smiling', people: { rule: 'recommended', set: 'smiling' },
  },
  {
    name: 'glasses_classifier_labels', kind: 'intra-class', dataset: DatasetName.LfwAttributes, paper: null, classNames: ['no glasses', 'glasses'],
    labels: 'lfw-binary', attribute: 'eyeglasses', people: { rule: 'min-per-class', min: 5 },
  },
  {
    name: 'smiling_classifier_labels', kind: 'intra-class', dataset: DatasetName.LfwAttributes, paper: null, classNames: ['not smiling', 'smiling'],
    labels: 'lfw-binary', attribute: 'smiling', people: { rule: 'min-per-class', min: 5 },
  },
];

/** The identity-grouping experiment: every lfw-attributes photo, grouped by person without labels. */
export const IDENTITY_GROUPING = {
  name: 'identity_grouping',
  dataset: DatasetName.LfwAttributes,
  /** Issue 6's target for BCubed F. */
  targetBcubedF: 0.95,
} as const;

/** Every experiment name `reproduce` accepts, in PROTOCOL.md's order. */
export const EXPERIMENT_NAMES: readonly string[] = [...EXPERIMENTS.map((e) => e.name), IDENTITY_GROUPING.name];

/**
 * The definitions named (in the table's order, whatever order `names` has).
 * @throws InvalidInputError for a name not in {@link EXPERIMENTS}, listing the accepted names.
 */
export function selectExperiments(names: readonly string[]): ExperimentDefinition[] {
  for (const name of names) {
    if (!EXPERIMENTS.some((e) => e.name === name)) {
      throw new InvalidInputError(`unknown experiment ${JSON.stringify(name)}; accepted: ${EXPERIMENTS.map((e) => e.name).join(', ')}`);
    }
  }
  return EXPERIMENTS.filter((e) => names.includes(e.name));
}

/** One image of an experiment. */
export interface ExperimentItem {
  /** Path relative to the data folder, forward slashes. */
  imagePath: string;
  /** 1 = class A (attribute present), 0 = class B. */
  class: 0 | 1;
  /** Who is in the photo: the LFW name or CelebA identity; for UTKFace (one photo per person) the image path. */
  person: string;
}

/**
 * A resolved experiment, or why it cannot run. `people` lists the persons a within-person
 * experiment runs (sorted); it is empty for an across-people experiment.
 */
export type ResolvedExperiment =
  | { status: 'ready'; definition: ExperimentDefinition; items: ExperimentItem[]; people: string[] }
  | { status: 'skipped'; definition: ExperimentDefinition; reason: string };

/** True when a UTKFace row meets every condition. */
export function matchesUtk(row: UtkfaceRow, conditions: readonly UtkCondition[]): boolean {
  return conditions.every((c) => {
    switch (c.field) {
      case 'gender': return row.gender === c.equals;
      case 'race': return row.race === c.equals;
      case 'age': return row.age >= c.min && (c.max === null || row.age <= c.max);
    }
  });
}

const join = (dataset: string, file: string): string => `${dataset}/${file.replace(/\\/g, '/').replace(/^\.?\//, '')}`;

/**
 * Resolves one experiment against the label sets: applies its filters and class rules and, for
 * within-person experiments, its people rule. A set that is missing skips the experiment with a reason.
 */
export function resolveExperiment(definition: ExperimentDefinition, labels: LabelSets): ResolvedExperiment {
  const skip = (file: string): ResolvedExperiment => ({ status: 'skipped', definition, reason: `${file} not found: ${definition.name} needs it` });
  let items: ExperimentItem[];
  if (definition.kind === 'extra-class') {
    if (!labels.utkface) return skip(LabelFile.utkface);
    items = [];
    for (const row of labels.utkface) {
      if (!matchesUtk(row, definition.filter)) continue;
      const cls = matchesUtk(row, definition.classes[1]) ? 1 : matchesUtk(row, definition.classes[0]) ? 0 : undefined;
      if (cls === undefined) continue;
      const imagePath = join(definition.dataset, row.file);
      items.push({ imagePath, class: cls, person: imagePath });
    }
    return { status: 'ready', definition, items, people: [] };
  }
  const candidates = intraCandidates(definition, labels);
  if (candidates === undefined) {
    return skip(definition.labels === 'celeba' ? LabelFile.celeba : definition.labels === 'lfw-manual' ? LabelFile.toledo : LabelFile.lfwBinary);
  }
  const byPerson = groupByPerson(candidates);
  const rule = definition.people;
  const people = [...byPerson.keys()].sort().filter((person) => {
    const own = byPerson.get(person) ?? [];
    if (rule.rule === 'person') return person === rule.person;
    if (rule.rule === 'min-per-class') {
      const ones = own.filter((item) => item.class === 1).length;
      return ones >= rule.min && own.length - ones >= rule.min;
    }
    return true; // 'recommended' was applied while collecting candidates.
  });
  items = people.flatMap((person) => byPerson.get(person) ?? []);
  return { status: 'ready', definition, items, people };
}

/** Labelled images of a within-person experiment before the people rule, or undefined if its labels are missing. */
function intraCandidates(definition: IntraClassDefinition, labels: LabelSets): ExperimentItem[] | undefined {
  const dataset = definition.dataset;
  switch (definition.labels) {
    case 'celeba': {
      if (!labels.celeba) return undefined;
      const rule = definition.people;
      const set = rule.rule === 'recommended' ? rule.set : undefined;
      return labels.celeba
        .filter((row) => set === undefined || row.recommendedSets.includes(set))
        .map((row) => ({ imagePath: join(dataset, row.file), class: row[definition.attribute], person: row.identity }));
    }
    case 'lfw-manual': {
      if (!labels.toledo) return undefined;
      const attribute = definition.attribute;
      if (attribute === 'beard') throw new InvalidInputError(`${LabelFile.toledo} has no beard labels (accepted: eyeglasses, smiling)`);
      const person = definition.people.rule === 'person' ? definition.people.person : 'Alejandro_Toledo';
      return labels.toledo.flatMap((row) => {
        const cls = row[attribute];
        // '?' rows (ambiguous by eye) are left out, as PROTOCOL.md says.
        return cls === null ? [] : [{ imagePath: join(dataset, row.file), class: cls, person }];
      });
    }
    case 'lfw-binary': {
      if (!labels.lfwBinary) return undefined;
      const attribute = definition.attribute;
      return labels.lfwBinary.map((row) => {
        const cls = row.attributes[attribute];
        if (cls === undefined) throw new InvalidInputError(`${LabelFile.lfwBinary} has no column ${attribute}`);
        return { imagePath: join(dataset, row.file), class: cls, person: row.person };
      });
    }
  }
}

/** Items grouped by person, in first-seen order. */
export function groupByPerson<T extends { person: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(item.person);
    if (list) list.push(item);
    else groups.set(item.person, [item]);
  }
  return groups;
}

/**
 * The identity-grouping experiment's images: every lfw-attributes photo with its person, or a
 * skip reason when labels_binary.csv is missing.
 */
export function resolveIdentityGrouping(labels: LabelSets):
  | { status: 'ready'; items: Array<{ imagePath: string; person: string }>; people: string[] }
  | { status: 'skipped'; reason: string } {
  if (!labels.lfwBinary) return { status: 'skipped', reason: `${LabelFile.lfwBinary} not found: ${IDENTITY_GROUPING.name} needs it` };
  const items = labels.lfwBinary.map((row) => ({ imagePath: join(IDENTITY_GROUPING.dataset, row.file), person: row.person }));
  return { status: 'ready', items, people: [...new Set(items.map((item) => item.person))].sort() };
}
