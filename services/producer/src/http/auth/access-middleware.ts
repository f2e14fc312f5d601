import type { Request, RequestHandler, Response } from 'express';
import {
  authChallenges,
  decideApiAccess,
  decideMetricsAccess,
  type AccessDecision,
  type AccessRequest,
  type CredentialVerifier,
  type Principal,
} from '@lookalike/core';

function accessRequest(req: Request): AccessRequest {
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return {
    method: req.method,
    authorization: header('authorization'),
    peer: req.socket.remoteAddress,
    origin: header('origin'),
    host: header('host'),
    secFetchSite: header('sec-fetch-site'),
  };
}

function middleware(verifier: CredentialVerifier, decide: typeof decideApiAccess): RequestHandler {
  return (req, res, next) => {
    const decision: AccessDecision = decide(verifier, accessRequest(req));
    if (decision.ok) {
      if (decision.principal) res.locals.principal = decision.principal;
      return next();
    }
    if (decision.challenge)
      for (const challenge of authChallenges(verifier)) res.append('WWW-Authenticate', challenge);
    res.status(decision.status).json({ error: decision.error });
  };
}

/** Every route but `/healthz` and `/metrics`: see `decideApiAccess`. */
export const requireApiAccess = (verifier: CredentialVerifier): RequestHandler =>
  middleware(verifier, decideApiAccess);

/** `/metrics`: the scrape token, an API credential, or a loopback peer when no scrape token is configured. */
export const requireMetricsAccess = (verifier: CredentialVerifier): RequestHandler =>
  middleware(verifier, decideMetricsAccess);

/** Who made the request, for logs (undefined in open local mode). */
export function principalOf(res: Response): string | undefined {
  return (res.locals.principal as Principal | undefined)?.name;
}
