import type { Command } from 'commander';
import { ApiClient } from '../api-client';
import { resolveApiToken, resolveApiUrl } from '../api-url';
import { paletteFor, type CliContext } from '../cli-context';
import { EXIT } from '../errors';
import { exitCodeFor, followRebuild } from '../follow';
import { renderRebuildList } from '../list-view';
import { println } from '../output';
import { renderStatusSummary } from '../status-view';
import { buildSubmitBody, type SubmitFlags } from '../submit-options';

interface ApiFlags {
  api?: string;
  json?: boolean;
}

/** Sets the exit code of the command being run. */
export type SetExitCode = (code: number) => void;

export function apiClient(ctx: CliContext, flags: ApiFlags): ApiClient {
  const token = resolveApiToken(ctx.env);
  return new ApiClient(resolveApiUrl(flags.api, ctx.env), {
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(token !== undefined ? { token } : {}),
  });
}

export function addApiOptions(command: Command): Command {
  return command
    .option(
      '--api <url>',
      'producer API URL (default $LOOKALIKE_API_URL or http://127.0.0.1:$LOOKALIKE_HTTP_PORT, port 8080)',
    )
    .option('--json', 'print JSON');
}

async function follow(ctx: CliContext, client: ApiClient, rebuildId: string, json: boolean): Promise<number> {
  const final = await followRebuild({
    client,
    rebuildId,
    out: ctx.stdout,
    err: ctx.stderr,
    palette: paletteFor(ctx.stdout, ctx.env),
    json,
    tty: ctx.stdout.isTTY === true,
    ...(ctx.followIntervalMs !== undefined ? { intervalMs: ctx.followIntervalMs } : {}),
    ...(ctx.sleep ? { sleep: ctx.sleep } : {}),
  });
  return exitCodeFor(final);
}

/** `lookalike rebuild submit`: posts a spec, prints the id, optionally follows. */
function addSubmitCommand(rebuild: Command, ctx: CliContext, setExitCode: SetExitCode): void {
  addApiOptions(
    rebuild
      .command('submit')
      .description('submit a rebuild of the image corpus; prints its id')
      .option(
        '--images <loc>',
        'image folder in the H&M layout 0XX/0XXXXXXXXX.jpg: s3://bucket/prefix, file:///path or a local path',
      )
      .option('--articles <loc>', 'articles.csv (articles without an image are reported)')
      .option(
        '--transactions <loc>',
        'transactions_train.csv: also recommend and evaluate (with --customers)',
      )
      .option('--customers <loc>', 'customers.csv: every customer gets a row in submission.csv')
      .option('--holdout-days <n>', 'last days held out for evaluation (default 7; 0 = none)')
      .option('--customers-per-job <n>', 'customers per recommend job (default 250000)')
      .option('--lenient', 'count and skip malformed CSV rows instead of failing')
      .option('--shard-size <n>', 'images per embedding job (default 1000)')
      .option('--pca-dims <n>', 'PCA output dimensions, 0 for none (default 256)')
      .option('--pca-sample <n>', 'rows sampled to fit PCA (default 20000)')
      .option('--k <n>', 'neighbours per article (default 20)')
      .option('--rows-per-job <n>', 'query rows per neighbours job (default 2500)')
      .option('--model-url <url>', "embedding model (default: the workers' LOOKALIKE_MODEL_URL)")
      .option('--batch-size <n>', 'images per forward pass (default 32)')
      .option('--padding <mode>', 'letterbox sides: edge (border colour, default), white or black')
      .option('--power-norm <p>', 'signed power of the embeddings before PCA (default 0.5; 1 = none)')
      .option('--pca-whiten <p>', 'PCA whitening power (default 0.5; 0 = none, 1 = full)')
      .option(
        '--recommend <options>',
        'recommender options as name=value,… (e.g. visualWeight=0.2,trendingWeight=0.5; see @lookalike/recsys)',
      )
      .option('--no-publish', 'do not move `current` to this rebuild when it completes')
      .option(
        '--id <id>',
        'rebuild id (idempotency key: the same id and spec again adds no work; another spec is refused)',
      )
      .option('--follow', 'then follow its progress until it ends'),
  ).action(async (flags: SubmitFlags & ApiFlags & { follow?: boolean }) => {
    const body = buildSubmitBody(flags, ctx.cwd);
    const client = apiClient(ctx, flags);
    const answer = await client.submit(body);
    if (flags.json) println(ctx.stdout, JSON.stringify(answer));
    else {
      println(ctx.stdout, answer.rebuildId);
      const p = paletteFor(ctx.stderr, ctx.env);
      println(
        ctx.stderr,
        p.dim(
          answer.created
            ? `submitted rebuild ${answer.rebuildId}`
            : `rebuild ${answer.rebuildId} already exists with this spec (${answer.status ?? 'running'}): nothing added`,
        ),
      );
    }
    setExitCode(flags.follow ? await follow(ctx, client, answer.rebuildId, flags.json === true) : EXIT.ok);
  });
}

/** `lookalike rebuild status <id>`: the summary (or JSON), or follows it. */
function addStatusCommand(rebuild: Command, ctx: CliContext, setExitCode: SetExitCode): void {
  addApiOptions(
    rebuild
      .command('status')
      .description('show a rebuild: stages, counts, failures, PCA; exits 1 when it failed or was cancelled')
      .argument('<id>', 'rebuild id')
      .option('--follow', 'poll every second until the rebuild ends, showing progress'),
  ).action(async (id: string, flags: ApiFlags & { follow?: boolean }) => {
    const client = apiClient(ctx, flags);
    if (flags.follow) {
      setExitCode(await follow(ctx, client, id, flags.json === true));
      return;
    }
    const status = await client.status(id);
    println(
      ctx.stdout,
      flags.json
        ? JSON.stringify(status, null, 2)
        : renderStatusSummary(status, { palette: paletteFor(ctx.stdout, ctx.env) }),
    );
    setExitCode(exitCodeFor(status));
  });
}

/** `lookalike rebuild cancel <id>`. */
function addCancelCommand(rebuild: Command, ctx: CliContext, setExitCode: SetExitCode): void {
  addApiOptions(
    rebuild.command('cancel').description('cancel a running rebuild').argument('<id>', 'rebuild id'),
  ).action(async (id: string, flags: ApiFlags) => {
    const answer = await apiClient(ctx, flags).cancel(id);
    println(
      ctx.stdout,
      flags.json
        ? JSON.stringify(answer)
        : answer.cancelling
          ? `cancelling rebuild ${answer.rebuildId}`
          : `rebuild ${answer.rebuildId} is ${answer.status ?? 'over'}: nothing to cancel`,
    );
    setExitCode(EXIT.ok);
  });
}

/** `lookalike rebuild retry <id>`: runs it again from the step where it stopped. */
function addRetryCommand(rebuild: Command, ctx: CliContext, setExitCode: SetExitCode): void {
  addApiOptions(
    rebuild
      .command('retry')
      .description(
        'run a failed or cancelled rebuild again from the step where it stopped, keeping the outputs it made',
      )
      .argument('<id>', 'rebuild id')
      .option('--follow', 'then follow its progress until it ends'),
  ).action(async (id: string, flags: ApiFlags & { follow?: boolean }) => {
    const client = apiClient(ctx, flags);
    const answer = await client.retry(id);
    if (flags.json) println(ctx.stdout, JSON.stringify(answer));
    else {
      const kept = answer.keptShards > 0 ? `, keeping ${answer.keptShards} embedded shards` : '';
      println(ctx.stdout, `retrying rebuild ${answer.rebuildId} from step ${answer.step}${kept}`);
    }
    setExitCode(flags.follow ? await follow(ctx, client, answer.rebuildId, flags.json === true) : EXIT.ok);
  });
}

/** `lookalike rebuild list`. */
function addListCommand(rebuild: Command, ctx: CliContext, setExitCode: SetExitCode): void {
  addApiOptions(rebuild.command('list').description('list rebuilds, newest first')).action(
    async (flags: ApiFlags) => {
      const rebuilds = await apiClient(ctx, flags).list();
      println(
        ctx.stdout,
        flags.json
          ? JSON.stringify(rebuilds, null, 2)
          : renderRebuildList(rebuilds, paletteFor(ctx.stdout, ctx.env)),
      );
      setExitCode(EXIT.ok);
    },
  );
}

/** `lookalike rebuild submit|status|cancel|retry|list`. */
export function addRebuildCommands(program: Command, ctx: CliContext, setExitCode: SetExitCode): void {
  const rebuild = program
    .command('rebuild')
    .description('submit, follow, cancel, retry and list corpus rebuilds');
  for (const add of [addSubmitCommand, addStatusCommand, addCancelCommand, addRetryCommand, addListCommand])
    add(rebuild, ctx, setExitCode);
}
