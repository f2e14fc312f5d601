import type { Command } from 'commander';
import { apiTokenEntry, ENV, generateApiToken, sha256Hex } from '@lookalike/core';
import { API_ENV, resolveApiToken } from '../api-url';
import type { CliContext } from '../cli-context';
import { CliError, EXIT, UsageError } from '../errors';
import { println } from '../output';
import type { SetExitCode } from './rebuild';

interface TokenFlags {
  name: string;
  readOnly?: boolean;
  metrics?: boolean;
}

/** What the server's configuration holds for `token`: an API token entry, or the scrape token's hash. */
function configLine(flags: TokenFlags, token: string): string {
  if (flags.metrics) return `${ENV.metricsToken}=${sha256Hex(token)}`;
  try {
    return `${ENV.apiTokens} entry: ${apiTokenEntry(flags.name, token, flags.readOnly ? 'read' : 'write')}`;
  } catch (err) {
    throw new UsageError(`--name: ${(err as Error).message}`);
  }
}

/** `lookalike token new|hash`: API and scrape tokens, and what the configuration holds for them (their SHA-256). */
export function addTokenCommands(program: Command, ctx: CliContext, setExitCode: SetExitCode): void {
  const token = program
    .command('token')
    .description('make API tokens and the configuration entries that accept them');
  const withFlags = (command: Command) =>
    command
      .option('--name <name>', 'token name (in logs and the configuration)', 'default')
      .option('--read-only', 'a token that may read (GET) but not submit or cancel')
      .option('--metrics', `a scrape token for /metrics (${ENV.metricsToken}) instead of an API token`);

  withFlags(token.command('new').description('print a new random token and its configuration entry')).action(
    (flags: TokenFlags) => {
      const value = generateApiToken();
      const line = configLine(flags, value);
      println(ctx.stdout, `${flags.metrics ? 'token' : API_ENV.token}=${value}`);
      println(ctx.stdout, line);
      println(
        ctx.stderr,
        'the token is shown once and stored nowhere; the configuration holds only its SHA-256',
      );
      setExitCode(EXIT.ok);
    },
  );

  withFlags(
    token.command('hash').description(`print the configuration entry of the token in $${API_ENV.token}`),
  ).action((flags: TokenFlags) => {
    const value = resolveApiToken(ctx.env);
    if (value === undefined) throw new CliError(`set ${API_ENV.token} to the token to hash`, EXIT.usage);
    println(ctx.stdout, configLine(flags, value));
    setExitCode(EXIT.ok);
  });
}
