// Container health check (Dockerfile HEALTHCHECK, compose): GET /healthz of the service in this
// container on LOOKALIKE_HTTP_PORT; exit 0 when it answers 200. The images have no curl or wget.
/* global AbortSignal */
'use strict';
const port = process.env.LOOKALIKE_HTTP_PORT || '8080';
fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4000) }).then(
  (res) => process.exit(res.status === 200 ? 0 : 1),
  () => process.exit(1),
);
