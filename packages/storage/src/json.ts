import { ObjectNotFoundError, StorageError } from './errors';
import type { ObjectStore } from './object-store';

/** Validates parsed JSON, e.g. a zod schema's `parse`. */
export type JsonParser<T> = (value: unknown) => T;

/** Writes `value` as UTF-8 JSON (2-space indent, trailing newline; deterministic for a deterministic value). */
export async function putJson(store: ObjectStore, key: string, value: unknown): Promise<void> {
  const text = JSON.stringify(value, null, 2);
  if (text === undefined) throw new StorageError(`putJson ${key}: value is not JSON-serializable`);
  await store.put(key, Buffer.from(`${text}\n`, 'utf8'), { contentType: 'application/json' });
}

/** Reads JSON (throws `ObjectNotFoundError` when missing, `StorageError` on bad JSON); `parse` validates it. */
export async function getJson<T = unknown>(
  store: ObjectStore,
  key: string,
  parse?: JsonParser<T>,
): Promise<T> {
  const bytes = await store.get(key);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new StorageError(`getJson ${key}: not valid JSON`, { cause: error });
  }
  return parse ? parse(value) : (value as T);
}

/** Like `getJson`, but undefined when the object is missing. */
export async function getJsonIfExists<T = unknown>(
  store: ObjectStore,
  key: string,
  parse?: JsonParser<T>,
): Promise<T | undefined> {
  try {
    return await getJson(store, key, parse);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return undefined;
    throw error;
  }
}
