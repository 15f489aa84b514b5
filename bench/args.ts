/**
 * The command line of a benchmark: `--json` and `--name value` options, read the same way by every bench.
 */
const argv = process.argv.slice(2);

/** The arguments after the script's name. */
export const benchArgv: readonly string[] = argv;

/** Whether `--json` was given (print one JSON object on stdout). */
export const json: boolean = argv.includes('--json');

/** The value after `--name`, or undefined when the option is absent. */
export function option(name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}
