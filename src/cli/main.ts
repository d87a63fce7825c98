import { Command, CommanderError } from 'commander';
import { isPersonaeError } from '../core/errors.js';
import { clearProgress } from '../core/log.js';
import { packageInfo } from '../core/package-info.js';
import { registerCommands } from './commands/index.js';

/** Runs the CLI and returns the exit code; user mistakes print a message and a hint, never a stack. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('personae')
    .description('Personas, purchase-timing models and lifecycle segments from consented customer data')
    .version(packageInfo().version, '-V, --version', 'print the version of personae')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  registerCommands(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    // A progress line a stage left on the terminal would otherwise start the error message.
    clearProgress(process.stderr);
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isPersonaeError(error)) {
      const json = argv.includes('--json');
      if (json) {
        process.stderr.write(
          `${JSON.stringify({ level: 'error', code: error.code, kind: error.kind, message: error.message, hint: error.hint })}\n`,
        );
      } else {
        process.stderr.write(`error: ${error.message}\n`);
        if (error.hint) process.stderr.write(`  how to fix: ${error.hint}\n`);
      }
      return error.exitCode;
    }
    process.stderr.write(
      `internal error (a bug in personae, please report it):\n${(error as Error)?.stack ?? String(error)}\n`,
    );
    return 1;
  }
}
