import type { Command } from 'commander';
import { paletteFor, type CliContext } from '../cli-context';
import { EXIT } from '../errors';
import { renderSimilar } from '../list-view';
import { println } from '../output';
import { parseIntegerFlag } from '../submit-options';
import { addApiOptions, apiClient, type SetExitCode } from './rebuild';

/** `lookalike similar <articleId> [--k N]`: neighbours from the published rebuild. */
export function addSimilarCommand(program: Command, ctx: CliContext, setExitCode: SetExitCode): void {
  addApiOptions(
    program
      .command('similar')
      .description('articles that look like <articleId>, from the published rebuild')
      .argument('<articleId>', '10-digit article id, e.g. 0108775015')
      .option('--k <n>', 'how many (default 20)'),
  ).action(async (articleId: string, flags: { k?: string; api?: string; json?: boolean }) => {
    const k = flags.k === undefined ? undefined : parseIntegerFlag('--k', flags.k);
    const answer = await apiClient(ctx, flags).similar(articleId, k);
    println(
      ctx.stdout,
      flags.json ? JSON.stringify(answer, null, 2) : renderSimilar(answer, paletteFor(ctx.stdout, ctx.env)),
    );
    setExitCode(EXIT.ok);
  });
}
