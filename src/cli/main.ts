/**
 * The `face-probe` command line (Node): embed, verify and reproduce.
 */
import { Command, CommanderError } from 'commander';
import { FaceProbeError, isAbortError } from '../errors.ts';
import { embedCommand } from './embed.ts';
import { peopleCommand } from './people.ts';
import { reproduceCommand } from './reproduce.ts';
import { verifyCommand } from './verify.ts';

/**
 * Runs the CLI with `argv` (without the node and script paths) and resolves to the exit code:
 * 0 success, 1 error, 2 finished with some images failed, 130 interrupted.
 * Never calls process.exit itself, so tests can drive it.
 */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const program = new Command('face-probe')
    .description('What a face-identity embedding encodes: embed faces, verify pairs, reproduce the paper.')
    .exitOverride()
    .showHelpAfterError()
    .addCommand(embedCommand(setExit))
    .addCommand(verifyCommand(setExit))
    .addCommand(reproduceCommand(setExit))
    .addCommand(peopleCommand(setExit));
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error: unknown) {
    if (error instanceof CommanderError) return error.exitCode;
    if (isAbortError(error)) {
      console.error('face-probe: interrupted');
      return 130;
    }
    const code = error instanceof FaceProbeError ? ` [${error.code}]` : '';
    console.error(`face-probe: ${error instanceof Error ? error.message : String(error)}${code}`);
    return 1;
  }
}
