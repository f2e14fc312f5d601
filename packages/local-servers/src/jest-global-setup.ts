import { startTestServers, type TestServers } from './test-environment';

declare global {
  var __lookalikeTestServers: TestServers | undefined;
}

/** Jest global setup: one Redis + one s3rver for the whole run; test workers inherit the env. */
export default async function globalSetup(): Promise<void> {
  const servers = await startTestServers();
  globalThis.__lookalikeTestServers = servers;
  Object.assign(process.env, servers.env);
}
