/**
 * fast-check arbitraries for the API fuzzer: requests to a route template
 * (`POST /v1/projects/:project/jobs/:jobId(re)::cancel`) with generated path
 * parameters, query strings, headers and bodies. Bodies are random JSON,
 * raw non-JSON text, deep nesting, or a valid body of the route mutated at
 * random paths (wrong types, huge numbers, long and unicode strings,
 * traversal URIs, removed and unknown keys).
 */
import fc from 'fast-check';
import { exampleJob, SEED } from './fuzz-app.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One generated request; `params` are the decoded path parameters it targets. */
export interface FuzzRequest {
  readonly method: string;
  readonly route: string;
  readonly url: string;
  readonly params: Readonly<Record<string, string>>;
  readonly token: 'admin' | 'editor' | 'viewer' | 'none' | 'garbage';
  readonly contentType?: string;
  readonly body?: string;
  /** The body before serialisation when it was JSON. */
  readonly json?: Json;
}

const ID = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;
export const isId = (value: unknown): value is string =>
  typeof value === 'string' && ID.test(value);

const validId = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,20}$/);

const nest = (depth: number, leaf: Json, asObject: boolean): Json => {
  let value = leaf;
  for (let i = 0; i < depth; i += 1) value = asObject ? { a: value } : [value];
  return value;
};

const TRAVERSAL_URIS = [
  'gs://demo/../x',
  'gs://demo/a/../../x',
  'gs://demo/%2e%2e/x',
  'gs://demo/a%2Fb',
  'gs://demo/a%5c..%5cb',
  'gs://demo//etc/passwd',
  'gs://demo/a\\..\\b',
  'gs://demo/a\u0000b',
  'gs://../x',
  'gs://demo/\ud800',
  '/etc/passwd',
  'file:///etc/passwd',
  '../../x',
  'C:\\Windows',
  'gs://',
];

/** Values that are wrong, odd or extreme for almost any field. */
const weirdValue: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  fc.constantFrom<Json>(
    null,
    true,
    0,
    -1,
    -0,
    1e308,
    -1e308,
    2 ** 53 + 1,
    1e-320,
    0.1,
    '',
    ' ',
    'NaN',
    'Infinity',
    '1e400',
    '99999999999999999999999',
    '\ud800',
    '\u0000',
    '<script>alert(1)</script>',
    '__proto__',
    [],
    {},
    [null],
    { '': '' },
  ),
  fc.constantFrom<Json>(...TRAVERSAL_URIS),
  fc.double() as fc.Arbitrary<Json>,
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer({ min: 200, max: 200_000 }).map((n) => 'x'.repeat(n)),
  fc
    .tuple(fc.integer({ min: 10, max: 200 }), fc.boolean())
    .map(([depth, asObject]) => nest(depth, 1, asObject)),
  fc.array(fc.integer(), { maxLength: 50 }),
);

type Path = readonly (string | number)[];

const pathsOf = (value: Json, path: Path = [], out: Path[] = []): Path[] => {
  out.push(path);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...path, i], out));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) pathsOf(item, [...path, key], out);
  }
  return out;
};

type Mutation = readonly ['set' | 'delete' | 'add' | 'wrap', number, Json, string];

const mutation: fc.Arbitrary<Mutation> = fc.tuple(
  fc.constantFrom('set', 'set', 'set', 'delete', 'add', 'wrap'),
  fc.nat(),
  weirdValue,
  fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('jobId', 'name', 'state', 'extra')),
) as fc.Arbitrary<Mutation>;

const applyMutation = (root: Json, [op, pick, value, key]: Mutation): Json => {
  const paths = pathsOf(root);
  const path = paths[pick % paths.length] ?? [];
  if (path.length === 0) {
    if (op === 'set') return value;
    if (op === 'wrap') return [root];
  }
  const copy = structuredClone(root);
  let parent: Json = copy;
  for (const step of path.slice(0, -1)) {
    parent = (parent as Record<string | number, Json>)[step] as Json;
  }
  const last = path[path.length - 1];
  const holder = parent as Record<string | number, Json>;
  if (last === undefined) {
    if (op === 'add' && copy !== null && typeof copy === 'object' && !Array.isArray(copy)) {
      copy[key] = value;
    }
    return copy;
  }
  const current = holder[last] as Json;
  if (op === 'set') holder[last] = value;
  else if (op === 'wrap') holder[last] = [current];
  else if (op === 'delete') {
    if (Array.isArray(holder) && typeof last === 'number') holder.splice(last, 1);
    else delete holder[last];
  } else if (current !== null && typeof current === 'object' && !Array.isArray(current)) {
    current[key] = value;
  } else holder[last] = { [key]: value };
  return copy;
};

/** A valid body of `base` with 0–3 mutations applied. */
const mutated = (base: fc.Arbitrary<Json>): fc.Arbitrary<Json> =>
  fc
    .tuple(base, fc.array(mutation, { minLength: 0, maxLength: 3 }))
    .map(([start, mutations]) => mutations.reduce(applyMutation, start));

const IRIS = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };

/** A valid body for each kind of write route, by route template. */
const validBody = (route: string): fc.Arbitrary<Json> => {
  if (route.endsWith('/jobs')) return validId.map((id) => exampleJob(`f_${id}`) as Json);
  if (route.endsWith('/models')) {
    return validId.map((id) => ({ name: `f_${id}`, description: 'fuzz', labels: { a: 'b' } }));
  }
  if (route.endsWith('/versions')) {
    return fc.oneof(
      validId.map((id): Json => ({ name: `f_${id}`, deploymentUri: SEED.rawUri })),
      validId.map((id): Json => ({ name: `f_${id}`, sourceJob: { jobId: SEED.job } })),
    );
  }
  if (route === '/v1/tokens') {
    return fc.constantFrom<Json>(
      { project: 'demo', role: 'viewer', description: 'fuzz' },
      { project: '*', role: 'admin' },
    );
  }
  if (route.endsWith('/infer')) {
    return fc.constant<Json>({
      inputs: [{ name: 'xy', shape: [1, 2], datatype: 'FP32', data: [1, 2] }],
    });
  }
  if (/predict|classify|regress/.test(route)) {
    return fc.oneof(
      fc.constant<Json>({ instances: [IRIS, IRIS] }),
      fc.constant<Json>({ instances: [[1, 2]] }),
      // Cloud ML's HttpBody form, as the googleapis client sends it.
      fc.constant<Json>({
        httpBody: {
          contentType: 'application/json',
          data: Buffer.from('{"instances": [[1, 2]]}').toString('base64'),
        },
      }),
      fc.constant<Json>({ inputs: { xy: [[1, 2]] } }),
      fc.constant<Json>({ examples: [{ xy: [1, 2] }] }),
    );
  }
  return fc.constant<Json>({});
};

const rawBody: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '{',
    '{"a":',
    'null',
    '[]',
    '"x"',
    '1',
    'true',
    '{"__proto__":{"x":1}}',
    '{"constructor":{"prototype":{}}}',
    '\u0000',
    '\ufeff{}',
    '{"a":1,"a":2}',
    'NaN',
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.integer({ min: 1000, max: 400_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 1000, max: 100_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
);

type Body = { body?: string; json?: Json; contentType?: string };

const bodyFor = (method: string, route: string): fc.Arbitrary<Body> => {
  if (method !== 'POST' && method !== 'PATCH' && method !== 'DELETE') {
    return fc.constant<Body>({});
  }
  const json = (arb: fc.Arbitrary<Json>): fc.Arbitrary<Body> =>
    arb.map((value) => ({
      json: value,
      body: JSON.stringify(value),
      contentType: 'application/json',
    }));
  return fc.oneof(
    { weight: 6, arbitrary: json(mutated(validBody(route))) },
    { weight: 2, arbitrary: json(fc.jsonValue({ maxDepth: 6 }) as fc.Arbitrary<Json>) },
    {
      // Deep nesting (up to 5,000 levels) in one field of a valid body, spliced in as
      // text: JSON.stringify itself overflows at that depth under fast-check's stack.
      weight: 1,
      arbitrary: fc
        .tuple(
          validBody(route),
          fc.constantFrom('trainingInput', 'labels', 'instances', 'inputs', 'name', 'x'),
          fc.integer({ min: 500, max: 5000 }),
          fc.boolean(),
        )
        .map(([base, key, depth, asObject]): Body => {
          const deep = asObject
            ? `${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}`
            : `${'['.repeat(depth)}"x"${']'.repeat(depth)}`;
          const text = JSON.stringify({ ...(base as Record<string, Json>), [key]: '\u0000DEEP' });
          return { body: text.replace('"\\u0000DEEP"', deep), contentType: 'application/json' };
        }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        body: rawBody,
        contentType: fc.constantFrom(
          'application/json',
          'application/json; charset=utf-16',
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
        ),
      }),
    },
    { weight: 1, arbitrary: fc.constant<Body>({}) },
  );
};

/** A path parameter: a real name most of the time, else a random or hostile one. */
const paramValue = (name: string, project: string): fc.Arbitrary<string> => {
  const known: Record<string, readonly string[]> = {
    project: [project, project, 'demo', 'other'],
    jobId: [SEED.job],
    model: [SEED.model],
    version: [SEED.irisVersion, SEED.rawVersion],
  };
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...(known[name] ?? ['x1'])) },
    { weight: 2, arbitrary: validId },
    {
      weight: 3,
      arbitrary: fc.oneof(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
        fc.integer({ min: 129, max: 400 }).map((n) => `a${'b'.repeat(n)}`),
        fc.constantFrom('..', '.', '%2e%2e', '../..', 'a/b', '9abc', '_x', 'a-b', 'a:b', ' '),
      ),
    },
  );
};

/** Encode a parameter for a path: usually percent-encoded, sometimes raw (hostile). */
const encodeParam = (value: string, raw: boolean): string => {
  if (!raw) return encodeURIComponent(value).replace(/%25(2e|2f|5c)/gi, '%$1');
  return value;
};

const QUERY_KEYS = [
  'pageSize',
  'pageToken',
  'filter',
  'updateMask',
  'trial',
  'follow',
  'after',
  'x',
];

const queryString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  {
    weight: 3,
    arbitrary: fc
      .array(
        fc.tuple(
          fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 8 })),
          fc.oneof(
            fc.constantFrom(
              '-1',
              '0',
              '1e400',
              '99999999999999999999',
              'NaN',
              'state=RUNNING',
              'labels.team=x',
              'state=',
              '((((',
              'labels.=',
              'labels',
              'description,labels',
              'manualScaling.nodes,autoScaling.minNodes',
              'false',
              'maybe',
            ),
            fc.string({ unit: 'grapheme', maxLength: 30 }),
            fc.integer({ min: 200, max: 5000 }).map((n) => 'z'.repeat(n)),
          ),
        ),
        { minLength: 1, maxLength: 4 },
      )
      // A true `follow` streams until the client goes away: not a fuzz case.
      .map((pairs) =>
        pairs
          .filter(([key]) => key !== 'follow')
          .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
          .join('&'),
      ),
  },
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '&&&', '=', 'a=%00', 'a[b]=1', 'a=1&a=2') },
);

/** Requests to one route template. */
export const requestTo = (route: string, project: string): fc.Arbitrary<FuzzRequest> => {
  const [method = 'GET', spec = '/'] = route.split(' ');
  // `::cancel` is a literal `:cancel` after the id, not a parameter.
  const template = spec.replace('::', '\u0001');
  const names = [...template.matchAll(/:([A-Za-z]+)(?:\([^)]*\))?/g)].map((m) => m[1] ?? '');
  return fc
    .record({
      values: fc.tuple(...names.map((name) => paramValue(name, project))),
      raw: fc.array(fc.boolean(), { minLength: names.length, maxLength: names.length }),
      query: queryString,
      body: bodyFor(method, template),
      token: fc.constantFrom<FuzzRequest['token']>(
        ...Array<'admin'>(14).fill('admin'),
        'editor',
        'editor',
        'editor',
        'viewer',
        'none',
        'garbage',
      ),
    })
    .map(({ values, raw, query, body, token }) => {
      const params: Record<string, string> = {};
      let i = 0;
      const path = template
        .replace(/:([A-Za-z]+)(?:\([^)]*\))?/g, (_whole, name: string) => {
          const value = values[i] ?? '';
          params[name] = value;
          const encoded = encodeParam(value, raw[i] === true && i % 2 === 0);
          i += 1;
          return encoded;
        })
        .replace('\u0001', ':');
      return {
        method,
        route,
        url: query === '' ? path : `${path}?${query}`,
        params,
        token,
        ...body,
      };
    });
};
