import type { Request, Response } from 'express';
import type { z } from 'zod';
import { describeIssues, rebuildIdSchema, type ErrorResponse, type RequestIssue } from '@lookalike/core';

/** A 400 listing every problem of a request, each naming its field. */
export function badRequest(res: Response, error: z.ZodError | RequestIssue[]): void {
  const issues = Array.isArray(error) ? error : describeIssues(error);
  const body: ErrorResponse = {
    error: `invalid request: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
    issues,
  };
  res.status(400).json(body);
}

/** A route parameter's problems as issues naming it (`id`, not the zod path of the bare value). */
export function paramIssues(field: string, error: z.ZodError): RequestIssue[] {
  return error.issues.map((issue) => ({ field, message: issue.message }));
}

export function notFound(res: Response, error: string): void {
  res.status(404).json({ error } satisfies ErrorResponse);
}

/** The `:id` of a rebuild route, or a 400 naming it (never a 500 from the key layer). */
export function rebuildIdOf(req: Request, res: Response): string | undefined {
  const id = rebuildIdSchema.safeParse(String(req.params.id));
  if (id.success) return id.data;
  badRequest(res, paramIssues('id', id.error));
  return undefined;
}
