/**
 * The package as a consumer gets it: `npm pack` of the built repository, installed with `npm install <tarball>`
 * into a fresh folder under os.tmpdir() (outside the repository). npm reaches only the npm registry, and with
 * --prefer-offline it takes what its cache already holds (the repository's own install filled it).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../helpers/datasets.ts';

/** What a command printed and how it ended. */
export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell and collects its output (never throws on a non-zero exit). */
export function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Throws with the command's output unless it exited 0. */
export function ok(ran: Ran, what: string): Ran {
  if (ran.code !== 0) throw new Error(`${what} exited ${ran.code}:\n${ran.stdout.slice(-4000)}\n${ran.stderr.slice(-4000)}`);
  return ran;
}

/** npm without the registry's update check, audit or funding calls. */
const npmEnv = { npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };

/** The built files `npm pack` ships; missing ones mean the build has not run. */
export const BUILT = ['dist/src/index.js', 'dist/src/node.js', 'dist/components/index.js', 'dist/custom-elements.json',
  'dist/standalone/face-attribute-probe.js', 'dist/standalone/face-probe-worker.js', 'dist/standalone/models/index.json'];

/** A packed and installed copy of the package. */
export interface Consumer {
  /** The consumer project's folder (its node_modules holds the installed package). */
  dir: string;
  /** The tarball `npm pack` wrote. */
  tarball: string;
  /** What `npm pack --json` reported: size, unpacked size and the files. */
  pack: { size: number; unpackedSize: number; files: { path: string; size: number }[] };
  /** The installed package's folder. */
  installed: string;
  remove(): Promise<void>;
}

/**
 * Packs the repository (its build must be up to date: `npm test` builds first) and installs the tarball, with
 * `extra` packages (e.g. sharp, an optional peer), into a new consumer project of `type: module`.
 */
export async function packAndInstall(extra: readonly string[] = []): Promise<Consumer> {
  const missing = BUILT.filter((f) => !existsSync(join(projectRoot, f)));
  if (missing.length) throw new Error(`${missing.join(', ')} missing: run \`npm run build\` first`);
  const dir = await mkdtemp(join(tmpdir(), 'fap-consumer-'));
  try {
    // The build ran already (npm test builds first), so the pack skips prepack/prepare.
    const packed = ok(await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir],
      { cwd: projectRoot, env: npmEnv }), 'npm pack');
    const [pack] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as (Consumer['pack'] & { filename: string })[];
    if (!pack) throw new Error(`npm pack printed no result: ${packed.stdout}`);
    const tarball = join(dir, (await readdir(dir)).find((f) => f.endsWith('.tgz')) ?? pack.filename);
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'fap-consumer', private: true, type: 'module' }, null, 2));
    ok(await run('npm', ['install', tarball, ...extra, '--prefer-offline', '--ignore-scripts', '--no-package-lock'],
      { cwd: dir, env: npmEnv }), 'npm install <tarball>');
    return {
      dir,
      tarball,
      pack,
      installed: join(dir, 'node_modules', 'face-attribute-probe'),
      remove: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The version of a package installed in the repository (to install the same one in the consumer). */
export function repoVersion(name: string): string {
  return (JSON.parse(readFileSync(join(projectRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}
