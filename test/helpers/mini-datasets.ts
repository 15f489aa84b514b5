/**
 * Lays out a small copy of ../shared/datasets for end-to-end CLI tests, outside the repository (a temp folder):
 * the same layout and label files, filtered to a few images per class of every experiment, with the images
 * symlinked from ../shared (read at test time, never copied into the project).
 */
import { mkdir, readFile, symlink, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EXPERIMENTS, loadLabelSets, resolveExperiment } from '../../src/reproduce/index.ts';

const LABEL_FILES = [
  'utkface-balanced/labels.csv',
  'celeba-identities/labels.csv',
  'lfw-attributes/labels_binary.csv',
  'lfw-attributes/manual_labels_Alejandro_Toledo.csv',
];

/**
 * Creates the mini data folder and returns its path.
 * @param perClass images kept per class (per person for within-person experiments).
 * @param maxPeople people kept per within-person experiment.
 */
export async function layOutMiniDatasets(sharedDir: string, perClass = 6, maxPeople = 2): Promise<string> {
  const labels = await loadLabelSets(async (p) => readFile(join(sharedDir, p), 'utf8').catch(() => undefined));
  const keep = new Set<string>();
  for (const definition of EXPERIMENTS) {
    const r = resolveExperiment(definition, labels);
    if (r.status !== 'ready') continue;
    const people = definition.kind === 'intra-class' ? r.people.slice(0, maxPeople) : [''];
    for (const person of people) {
      for (const cls of [0, 1]) {
        r.items
          .filter((i) => i.class === cls && (person === '' || i.person === person))
          .slice(0, perClass)
          .forEach((i) => keep.add(i.imagePath));
      }
    }
  }
  const out = await mkdtemp(join(tmpdir(), 'fap-mini-datasets-'));
  for (const file of LABEL_FILES) {
    const text = await readFile(join(sharedDir, file), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const dataset = file.split('/')[0]!;
    const [header, ...rows] = text.split(/\r?\n/).filter((l) => l.length > 0);
    const kept = rows.filter((row) => keep.has(`${dataset}/${row.split(',')[0]}`));
    await mkdir(join(out, dataset), { recursive: true });
    await writeFile(join(out, file), `${[header, ...kept].join('\n')}\n`);
  }
  for (const path of keep) {
    await mkdir(dirname(join(out, path)), { recursive: true });
    await symlink(join(sharedDir, path), join(out, path));
  }
  return out;
}
