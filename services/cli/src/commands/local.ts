import { resolve } from 'node:path';
import type { Command } from 'commander';
import { paletteFor, STOP_SIGNALS, type CliContext } from '../cli-context';
import { EXIT, UsageError } from '../errors';
import { createLogPrinter } from '../log-printer';
import { println } from '../output';
import { parseIntegerFlag } from '../submit-options';
import { processNames } from '../local-services';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../local-stack';
import type { SetExitCode } from './rebuild';
import { addStackOptions } from './stack-options';

export interface LocalFlags {
  embedders: string;
  reducers: string;
  indexers: string;
  recommenders: string;
  port: string;
  storage: string;
  redisUrl?: string;
  rawLogs?: boolean;
  /** Input folders rebuilds may read (repeatable); default the current folder. */
  allow?: string[];
}

/** Maps the `local` flags to startLocalStack options (validated, paths absolute). */
export function localStackOptions(flags: LocalFlags, cwd: string): LocalStackOptions {
  const workers = (flag: string, value: string) => {
    const n = parseIntegerFlag(flag, value);
    if (n < 0 || n > 256) throw new UsageError(`${flag}: expected 0 to 256, got ${n}`);
    return n;
  };
  const port = parseIntegerFlag('--port', flags.port);
  if (port < 0 || port > 65535) throw new UsageError(`--port: expected 0 to 65535, got ${port}`);
  return {
    embedders: workers('--embedders', flags.embedders),
    reducers: workers('--reducers', flags.reducers),
    indexers: workers('--indexers', flags.indexers),
    recommenders: workers('--recommenders', flags.recommenders),
    port,
    storageDir: resolve(cwd, flags.storage),
    allowedLocations: (flags.allow?.length ? flags.allow : ['.']).map((l) =>
      /^s3:\/\//.test(l) ? l : resolve(cwd, l),
    ),
    ...(flags.redisUrl !== undefined ? { redisUrl: flags.redisUrl } : {}),
  };
}

/** Runs the stack until SIGINT/SIGTERM; a second signal kills the processes at once. */
async function runLocal(ctx: CliContext, flags: LocalFlags): Promise<number> {
  let options: LocalStackOptions;
  try {
    options = localStackOptions(flags, ctx.cwd);
  } catch (err) {
    println(ctx.stderr, `lookalike local: ${(err as Error).message}`);
    return EXIT.usage;
  }
  const out = paletteFor(ctx.stdout, ctx.env);
  const err = paletteFor(ctx.stderr, ctx.env);
  const printer = createLogPrinter({
    out: ctx.stdout,
    palette: out,
    names: processNames(options),
    raw: flags.rawLogs === true,
  });
  const say = (text: string) => println(ctx.stderr, `${err.bold('lookalike local')} ${text}`);

  const interrupted = new AbortController();
  let stack: LocalStack | undefined;
  let signals = 0;
  let stopped!: () => void;
  const stopRequested = new Promise<void>((resolve) => (stopped = resolve));
  const onSignal = () => {
    signals += 1;
    if (signals === 1) {
      say(err.yellow('stopping: the workers finish their active jobs (Ctrl-C again to kill them now)'));
      interrupted.abort(new Error('interrupted'));
      stopped();
    } else {
      say(err.red('killing every process'));
      stack?.group.kill();
    }
  };
  for (const signal of STOP_SIGNALS) ctx.signals.on(signal, onSignal);
  try {
    say(
      `starting ${processNames(options).length} processes${options.redisUrl ? '' : ' and a Redis'} (storage ${options.storageDir})`,
    );
    try {
      stack = await startLocalStack({
        ...options,
        ...(ctx.repoRoot !== undefined ? { repoRoot: ctx.repoRoot } : {}),
        waitForWorkers: false,
        signal: interrupted.signal,
        onLine: printer.onLine,
        onEvent: printer.onEvent,
      });
    } catch (e) {
      if (interrupted.signal.aborted) return EXIT.ok;
      say(err.red(`could not start: ${(e as Error).message}`));
      return EXIT.failure;
    }
    say(
      `${err.green('API ready')} at ${err.bold(stack.apiUrl)}  (redis ${stack.redisUrl}, storage ${stack.storageUrl})`,
    );
    say(
      err.dim(`rebuild inputs allowed from the storage and ${(options.allowedLocations ?? []).join(', ')}`),
    );
    if (options.port !== 8080) say(err.dim(`for other terminals: export LOOKALIKE_API_URL=${stack.apiUrl}`));
    const readyStack = stack;
    readyStack.waitForWorkers().then(
      () => say(err.green(`all ${readyStack.processes.length - 1} workers ready`)),
      (e: Error) => say(err.yellow(`not every worker is healthy yet: ${e.message}`)),
    );
    await stopRequested;
    await stack.stop();
    say('stopped');
    return EXIT.ok;
  } finally {
    for (const signal of STOP_SIGNALS) ctx.signals.off(signal, onSignal);
  }
}

/** `lookalike local`: the whole pipeline on this machine, one terminal. */
export function addLocalCommand(program: Command, ctx: CliContext, setExitCode: SetExitCode): void {
  addStackOptions(
    program
      .command('local')
      .description(
        'run Redis, the producer and the workers on this machine as separate processes (development, demo)',
      )
      .option('--embedders <n>', 'embedder processes', '2')
      .option('--reducers <n>', 'reducer processes', '1')
      .option('--indexers <n>', 'indexer processes', '2')
      .option('--recommenders <n>', 'recommender processes', '1'),
  )
    .option('--redis-url <url>', 'use this Redis instead of starting one in <storage>/../redis')
    .option('--raw-logs', 'print the services’ JSON log lines as they are')
    .option(
      '--allow <location>',
      'a folder or s3:// prefix rebuilds may read inputs from, besides the storage (repeatable; default: the current folder)',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .action(async (flags: LocalFlags) => {
      setExitCode(await runLocal(ctx, flags));
    });
}
