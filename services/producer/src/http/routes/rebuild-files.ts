import { Router, type Response } from 'express';
import {
  galleryPageKey,
  galleryThumbKey,
  manifestKey,
  ObjectNotFoundError,
  type ObjectStore,
} from '@lookalike/storage';
import { notFound, rebuildIdOf } from '../request-errors';

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  jpg: 'image/jpeg',
  json: 'application/json',
};

/** Sends an object of the store with the content type of its extension, or a 404 naming its key. */
async function sendObject(store: ObjectStore, res: Response, key: string): Promise<void> {
  try {
    const bytes = await store.get(key);
    res.type(CONTENT_TYPES[key.slice(key.lastIndexOf('.') + 1)] ?? 'application/octet-stream').send(bytes);
  } catch (err) {
    if (err instanceof ObjectNotFoundError) res.status(404).json({ error: `not found: ${key}` });
    else throw err;
  }
}

/** A rebuild's files from the working store: `manifest.json` and the gallery (page and thumbnails). */
export function rebuildFileRoutes(store: ObjectStore | undefined): Router {
  const router = Router();
  const send = (res: Response, key: string) => sendObject(store!, res, key);
  router.get('/rebuilds/:id/manifest.json', async (req, res) => {
    const id = rebuildIdOf(req, res);
    if (id !== undefined) await send(res, manifestKey(id));
  });
  // The page's image URLs are relative: serve it only under the trailing-slash URL.
  router.get('/rebuilds/:id/gallery', (req, res, next) =>
    req.path.endsWith('/') ? next() : res.redirect(`/rebuilds/${encodeURIComponent(req.params.id)}/gallery/`),
  );
  router.get(['/rebuilds/:id/gallery/', '/rebuilds/:id/gallery/*file'], async (req, res) => {
    const id = rebuildIdOf(req, res);
    if (id === undefined) return;
    const file = (req.params as { file?: string[] }).file?.join('/') || 'index.html';
    const thumb = /^thumbs\/(\d{10})\.jpg$/.exec(file);
    if (file !== 'index.html' && !thumb) return notFound(res, `not found: gallery/${file}`);
    await send(res, thumb ? galleryThumbKey(id, thumb[1]!) : galleryPageKey(id));
  });
  return router;
}
