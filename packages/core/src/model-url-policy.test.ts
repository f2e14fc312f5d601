import { createLocationPolicy } from './location-policy';
import { allowedModelHostsSchema, checkModelUrl, type ModelUrlPolicy } from './model-url-policy';

const DNS: Record<string, string[]> = {
  'models.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'half-private.example.com': ['93.184.215.14', '10.0.0.7'],
  'rebind.example.com': ['::ffff:169.254.169.254'],
  'models.internal': ['10.1.2.3'],
  localhost: ['::1', '127.0.0.1'],
};

const policy = (extra: Partial<ModelUrlPolicy> = {}): ModelUrlPolicy => ({
  locations: createLocationPolicy({
    storageUrl: 'file:///srv/storage',
    allowedLocations: ['file:///srv/models'],
  }),
  allowedHosts: [],
  trusted: ['http://10.9.9.9/configured/model.json'],
  resolve: async (host) => {
    const addresses = DNS[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses;
  },
  ...extra,
});

describe('model URL policy', () => {
  it.each([
    'bundled:mobilenet_v2_140_224',
    'bundled:anything',
    'file:///srv/models/m/model.json',
    'file:///srv/storage/models/m.onnx',
    'https://models.example.com/m/model.json',
    'http://93.184.215.14/m/model.json',
    'https://[2606:4700:4700::1111]/model.onnx',
    // The operator's own LOOKALIKE_MODEL_URL is allowed as it is.
    'http://10.9.9.9/configured/model.json',
  ])('allows %s', async (url) => {
    expect(await checkModelUrl(url, policy())).toBeUndefined();
  });

  it.each([
    ['file:///etc/passwd', 'outside the allowed locations'],
    ['file:///srv/models/../secret.json', '".." segment'],
    ['http://127.0.0.1:8080/model.json', '127.0.0.1 is a loopback address'],
    ['http://localhost:8080/model.json', 'localhost resolves to ::1, a loopback address'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address'],
    ['http://2852039166/latest/meta-data/', '169.254.169.254 is a link-local address'],
    ['http://[::1]/model.json', '::1 is a loopback address'],
    ['http://[fd00::5]/model.json', 'fd00::5 is a unique-local address'],
    ['http://[::ffff:a9fe:a9fe]/model.json', 'a link-local address'],
    ['http://192.168.1.10/model.json', 'a private address'],
    [
      'https://half-private.example.com/model.json',
      'half-private.example.com resolves to 10.0.0.7, a private address',
    ],
    ['https://rebind.example.com/model.json', 'a link-local address'],
    ['https://models.internal/model.json', 'allow the host with LOOKALIKE_ALLOWED_MODEL_HOSTS'],
    ['https://nowhere.example.com/model.json', 'cannot resolve nowhere.example.com'],
    ['https://user:pw@models.example.com/model.json', 'credentials'],
    ['ftp://models.example.com/model.json', 'expected bundled:<name>'],
    ['gopher://127.0.0.1:6379/_INFO', 'expected bundled:<name>'],
    ['not a url', 'expected bundled:<name>'],
  ])('refuses %s', async (url, message) => {
    expect(await checkModelUrl(url, policy())).toContain(message);
  });

  it('allows private hosts named in LOOKALIKE_ALLOWED_MODEL_HOSTS', async () => {
    const allowedHosts = allowedModelHostsSchema.parse('Models.Internal, [::1],127.0.0.1');
    expect(allowedHosts).toEqual(['models.internal', '::1', '127.0.0.1']);
    for (const url of [
      'https://models.internal/m.onnx',
      'http://[::1]:9000/m.onnx',
      'http://127.0.0.1:1/model.json',
    ]) {
      expect(await checkModelUrl(url, policy({ allowedHosts }))).toBeUndefined();
    }
    expect(await checkModelUrl('http://169.254.169.254/', policy({ allowedHosts }))).toContain('link-local');
    expect(allowedModelHostsSchema.safeParse('http://models.internal').success).toBe(false);
    expect(allowedModelHostsSchema.safeParse('models.internal:9000').success).toBe(false);
  });
});
