/**
 * Turning the CLI's arguments into image files: named files are taken as they are (so a text file named
 * .jpg is reported, not skipped); folders are walked recursively for image extensions, sorted.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { InvalidInputError } from '../errors.ts';

/** Extensions taken from folders (case-insensitive); HEIC is taken so that it is reported with how to convert it. */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.gif', '.heic', '.heif'] as const;

/**
 * Expands files and folders into a sorted, de-duplicated list of file paths.
 * @throws InvalidInputError naming a path that does not exist.
 */
export async function collectImageFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new InvalidInputError(`${path}: no such file or folder`);
    }
    if (info.isDirectory()) {
      const entries = await readdir(path, { recursive: true, withFileTypes: true });
      const found: string[] = [];
      for (const e of entries) {
        if (!(IMAGE_EXTENSIONS as readonly string[]).includes(extname(e.name).toLowerCase())) continue;
        const file = join(e.parentPath ?? e.path, e.name);
        // Symbolic links count when they point at a file.
        if (e.isFile() || (e.isSymbolicLink() && (await stat(file).catch(() => undefined))?.isFile())) found.push(file);
      }
      out.push(...found.sort());
    } else {
      out.push(path);
    }
  }
  return [...new Set(out)];
}
