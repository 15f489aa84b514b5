/**
 * The `face-probe` command line (Node): embed, verify and reproduce.
 */
import { Command, CommanderError } from 'commander';

/**
 * Runs the CLI with `argv` (without the node and script paths) and resolves to the exit code.
 * Never calls process.exit itself, so tests can drive it.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('face-probe')
    .description('What a face-identity embedding encodes: embed faces, verify pairs, reproduce the paper.')
    .exitOverride()
    .showHelpAfterError();
  program.action(() => program.help());
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error: unknown) {
    if (error instanceof CommanderError) return error.exitCode;
    console.error(`face-probe: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
