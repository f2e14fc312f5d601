/** Jest global teardown: stops the servers started by the global setup (also after failed tests). */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__lookalikeTestServers?.stop();
  globalThis.__lookalikeTestServers = undefined;
}
