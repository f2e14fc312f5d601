import { Command, CommanderError } from 'commander';
import { ApiError, ApiUnreachableError } from './api-client';
import { API_ENV } from './api-url';
import { defaultContext, type CliContext } from './cli-context';
import { addLocalCommand } from './commands/local';
import { addRebuildCommands } from './commands/rebuild';
import { addSampleCommand } from './commands/sample';
import { addDemoCommand } from './commands/demo';
import { addSimilarCommand } from './commands/similar';
import { addTokenCommands } from './commands/token';
import { CliError, EXIT } from './errors';
import { println } from './output';

const VERSION = '0.1.0';

/** The `lookalike` command tree. `setExitCode` receives each command's result. */
export function createProgram(ctx: CliContext, setExitCode: (code: number) => void): Command {
  const program = new Command('lookalike')
    .description('lookalike: rebuild which catalogue articles look alike, and query the result')
    .version(VERSION)
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (text) => void ctx.stdout.write(text),
      writeErr: (text) => void ctx.stderr.write(text),
    })
    // Throw instead of calling process.exit, so that runCli decides the exit code (and tests can run it).
    .exitOverride();
  addRebuildCommands(program, ctx, setExitCode);
  addSimilarCommand(program, ctx, setExitCode);
  addLocalCommand(program, ctx, setExitCode);
  addSampleCommand(program, ctx, setExitCode);
  addDemoCommand(program, ctx, setExitCode);
  addTokenCommands(program, ctx, setExitCode);
  return program;
}

/** Reports an error the way the CLI does and returns the exit code for it. */
export function reportError(err: unknown, ctx: Pick<CliContext, 'stderr'>): number {
  if (err instanceof CommanderError) {
    // Commander has printed the message (or the help) already.
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof CliError) {
    println(ctx.stderr, `lookalike: ${err.message}`);
    return err.exitCode;
  }
  if (err instanceof ApiError) {
    const hint =
      err.status === 401
        ? `\n  the API wants a credential: set ${API_ENV.token} to an API token (\`lookalike token new\` makes one)`
        : err.status === 403
          ? `\n  the token in ${API_ENV.token} may not do this`
          : '';
    println(ctx.stderr, `lookalike: ${err.message}${hint}`);
    return err.status === 400 ? EXIT.usage : EXIT.failure;
  }
  if (err instanceof ApiUnreachableError) {
    println(
      ctx.stderr,
      `lookalike: ${err.message}\n  is the producer running? (\`lookalike local\`, or point --api / LOOKALIKE_API_URL at it)`,
    );
    return EXIT.failure;
  }
  const e = err as Error;
  println(ctx.stderr, `lookalike: ${e?.stack ?? String(err)}`);
  return EXIT.failure;
}

/** Runs the CLI on `args` (the user's arguments, without `node` and the script) and returns the exit code. */
export async function runCli(args: string[], context: Partial<CliContext> = {}): Promise<number> {
  const ctx: CliContext = { ...defaultContext(), ...context };
  let exitCode: number = EXIT.ok;
  const program = createProgram(ctx, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    return exitCode;
  } catch (err) {
    return reportError(err, ctx);
  }
}
