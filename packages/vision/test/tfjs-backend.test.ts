import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError, initTfjsBackend, TFJS_NODE_PACKAGES } from '../src';
import { notInstalled, realRequire, recordingLogger, withoutTfjsNode } from './fixtures';

describe('backend selection', () => {
  test('auto picks wasm here (no tfjs-node installed) and logs the choice', async () => {
    const logger = recordingLogger();
    const info = await initTfjsBackend('auto', { logger, requireModule: withoutTfjsNode });
    expect(info.name).toBe('wasm');
    expect(info.provider).toMatch(/tfjs-backend-wasm/);
    expect(tf.getBackend()).toBe('wasm');
    const selected = logger.records.find((r) => r.msg === 'TF.js backend selected');
    expect(selected).toMatchObject({ level: 'info', obj: { backend: 'wasm', requested: 'auto' } });
    // A missing optional binding is normal: no warnings.
    expect(logger.records.filter((r) => r.level === 'warn' || r.level === 'error')).toEqual([]);
    expect(
      logger.records.filter((r) => r.msg === 'native TF.js binding not installed').map((r) => r.obj.package),
    ).toEqual([...TFJS_NODE_PACKAGES]);
  });

  test('explicit tensorflow fails clearly when tfjs-node is not installed', async () => {
    const err = await initTfjsBackend('tensorflow', { requireModule: withoutTfjsNode }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as BackendUnavailableError).backend).toBe('tensorflow');
    expect((err as Error).message).toMatch(/@tensorflow\/tfjs-node is not installed/);
  });

  test('a broken native binding is warned about and auto falls back', async () => {
    const logger = recordingLogger();
    const requireModule = (id: string): unknown => {
      if (id === '@tensorflow/tfjs-node-gpu')
        throw new Error('libcudart.so.11.0: cannot open shared object file');
      return withoutTfjsNode(id);
    };
    const info = await initTfjsBackend('auto', { logger, requireModule });
    expect(info.name).toBe('wasm');
    expect(logger.records.find((r) => r.level === 'warn')?.obj).toMatchObject({
      package: '@tensorflow/tfjs-node-gpu',
    });
  });

  test('a binding that loads but registers no backend is skipped', async () => {
    const requireModule = (id: string): unknown =>
      id.startsWith('@tensorflow/tfjs-node') ? {} : realRequire(id);
    await expect(initTfjsBackend('tensorflow', { requireModule })).rejects.toThrow(
      /registered no 'tensorflow' backend/,
    );
    await expect(initTfjsBackend('auto', { requireModule })).resolves.toMatchObject({ name: 'wasm' });
  });

  test('explicit wasm and cpu work; a failing wasm load is reported', async () => {
    await expect(initTfjsBackend('cpu')).resolves.toMatchObject({ name: 'cpu' });
    expect(tf.getBackend()).toBe('cpu');
    await expect(initTfjsBackend('wasm')).resolves.toMatchObject({ name: 'wasm' });
    expect(tf.getBackend()).toBe('wasm');
    const noWasm = (id: string): unknown => {
      if (id === '@tensorflow/tfjs-backend-wasm') throw notInstalled(id);
      return realRequire(id);
    };
    tf.removeBackend('wasm');
    await expect(initTfjsBackend('wasm', { requireModule: noWasm })).rejects.toThrow(BackendUnavailableError);
  });

  test('an unknown choice is refused', async () => {
    await expect(initTfjsBackend('gpu' as never)).rejects.toThrow(/unknown backend 'gpu'/);
  });
});
