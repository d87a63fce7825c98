import type { Command } from 'commander';

/** Every subcommand registers itself here. */
export function registerCommands(program: Command): void {
  void program;
}
