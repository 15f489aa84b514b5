/**
 * `face-probe people <folders…> [--json] [--labels folder-names]`: groups photos by person with the engine and
 * the grouping the element uses, and prints the groups with their files; with folder-name labels, also how well
 * the grouping matches them (pairwise and BCubed precision, recall and F).
 */
import { Command, Option } from 'commander';
import type { PrecisionRecall } from '../analysis/identity.ts';
import { loadKernel } from '../kernel/index.ts';
import { embedFiles, failureSummary } from './embed-files.ts';
import { type EngineCliOptions, engineFromOptions, interruptSignal, withEngineOptions } from './engine-options.ts';
import { collectImageFiles } from './files.ts';
import { folderNameLabel, groupPhotosByPerson, type PeopleFace, type PeopleResult } from './people-grouping.ts';

interface PeopleOptions extends EngineCliOptions {
  json?: boolean;
  labels?: 'folder-names';
}

/** A face as one line: its file, and which face when the photo has several. */
function faceLine(face: PeopleFace, facesIn: Map<string, number>): string {
  return (facesIn.get(face.file) ?? 1) > 1 ? `${face.file} (face ${face.index + 1} of ${facesIn.get(face.file)})` : face.file;
}

const figures = (s: PrecisionRecall) => `precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}  F ${s.f.toFixed(3)}`;

/** The human-readable form of a result. */
export function peopleText(result: PeopleResult): string {
  const facesIn = new Map<string, number>();
  for (const f of [...result.groups.flatMap((g) => g.faces), ...result.faces_seen_once]) facesIn.set(f.file, (facesIn.get(f.file) ?? 0) + 1);
  const lines: string[] = [];
  for (const g of result.groups) {
    lines.push(`${g.name}: ${g.faces.length} faces in ${g.files.length} photo${g.files.length === 1 ? '' : 's'}`);
    for (const f of g.faces) lines.push(`  ${faceLine(f, facesIn)}`);
  }
  if (result.faces_seen_once.length) {
    lines.push(`Faces seen once: ${result.faces_seen_once.length}`);
    for (const f of result.faces_seen_once) lines.push(`  ${faceLine(f, facesIn)}`);
  }
  if (result.photos_without_faces.length) {
    lines.push(`Photos with no face found: ${result.photos_without_faces.length}`);
    for (const file of result.photos_without_faces) lines.push(`  ${file}`);
  }
  for (const f of result.failed) lines.push(`${f.file}\tFAILED\t${f.error.message}`);
  const s = result.summary;
  lines.push('');
  lines.push(`${s.photos} photos, ${s.faces} faces: ${s.people} ${s.people === 1 ? 'person' : 'people'} seen more than once, ${s.faces_seen_once} faces seen once, ${s.failed} photos failed`);
  if (result.scores) {
    const sc = result.scores;
    lines.push(`Against the folder names (${sc.faces} labelled faces of ${sc.photos} photos, ${sc.people} people, in ${sc.groups} groups):`);
    lines.push(`  BCubed    ${figures(sc.bcubed)}`);
    lines.push(`  pairwise  ${figures(sc.pairwise)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Builds the `people` command; `setExit` receives the exit code. */
export function peopleCommand(setExit: (code: number) => void): Command {
  return withEngineOptions(new Command('people'))
    .description('group the faces of photos by person and print each group with its files')
    .argument('<paths...>', 'image files or folders (searched recursively for .jpg .jpeg .png .webp)')
    .option('--json', 'print one JSON object instead of the list')
    .addOption(
      new Option('--labels <source>', "score the grouping against known people: folder-names = each photo's folder is its person (one folder per person, as LFW); the label applies to the photo's largest face")
        .choices(['folder-names']),
    )
    .action(async (paths: string[], options: PeopleOptions) => {
      const files = await collectImageFiles(paths);
      // Checked before any embedding, so a wrong layout fails at once.
      const labelOf = options.labels === 'folder-names' ? folderNameLabel : undefined;
      if (labelOf) files.forEach(labelOf);
      const engine = await engineFromOptions(options);
      const interrupt = interruptSignal();
      try {
        const { outcomes, cancelled } = await embedFiles(engine, files, {
          cacheDir: options.cache === false ? undefined : options.cache,
          signal: interrupt.signal,
          label: 'people',
          quiet: options.quiet ?? false,
        });
        if (cancelled) {
          process.stderr.write('face-probe people: cancelled before every photo was embedded; no groups printed (finished photos are cached for the next run)\n');
          setExit(130);
          return;
        }
        const kernel = await loadKernel();
        const result = groupPhotosByPerson(kernel, [...outcomes.values()], { ...(labelOf ? { labelOf } : {}), signal: interrupt.signal });
        if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else {
          process.stdout.write(peopleText(result));
          for (const [kind, n] of Object.entries(failureSummary(outcomes.values()))) process.stdout.write(`  ${n} × ${kind}\n`);
        }
        if (result.failed.length > 0) setExit(2);
      } finally {
        interrupt.dispose();
        await engine.dispose();
      }
    });
}
