import type { Command } from 'commander';

/** The options of every command that runs the stack here (`local`, `demo`): producer port and storage folder. */
export function addStackOptions(command: Command): Command {
  return command
    .option('--port <port>', "producer's HTTP port", '8080')
    .option('--storage <dir>', 'storage folder (rebuild outputs)', './.lookalike/storage');
}
