import { Ajv, type AnySchema, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';

type Compile = (route: { schema: AnySchema; httpPart?: string }) => ValidateFunction;
type Serialize = (data: unknown) => string;
type SerializerCompile = (route: { schema: unknown; method: string; url: string; httpStatus: string; contentType?: string }) => Serialize;

// Schemas are compiled on a route's first use, not when the app starts. Fastify compiles every
// route's validators (Ajv) and response serializers (fast-json-stringify) at startup, which for
// Yiwang's few hundred routes is about 1.5 s of one core: paid by every CLI command that builds the
// app, every server start and every test app, for routes most of them never call. A route's first
// request pays its own few milliseconds instead. A schema that cannot compile would then fail on
// first use rather than at startup; `compileAllSchemas` (run by the test suite) compiles them all.

/**
 * Request validation with two rules: a JSON body is taken as sent (`{"username": 42}` is an error,
 * not the string "42"), while the querystring, path parameters and headers — which are always text
 * on the wire — are coerced to the schema's types (`?lon=121.5` becomes a number). Unknown body
 * fields are refused (schemas say `additionalProperties: false`), never silently dropped.
 *
 * Given to Fastify as `schemaController.compilersFactory.buildValidator`, so that every
 * encapsulated plugin, including one that adds shared schemas, gets the same rules.
 */
export function buildValidator(externalSchemas: Record<string, unknown> = {}): Compile {
  const make = (coerceTypes: boolean | 'array') => {
    const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false, strict: false });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    for (const [id, schema] of Object.entries(externalSchemas)) ajv.addSchema(schema as AnySchema, id);
    return ajv;
  };
  let strictBody: Ajv | undefined;
  let coercing: Ajv | undefined;
  const shared = Object.keys(externalSchemas).length === 0;
  const compile: Compile = ({ schema, httpPart }) => {
    const body = httpPart === 'body';
    const build = () => (body ? (strictBody ??= make(false)) : (coercing ??= make('array'))).compile(schema);
    return shared ? cached(validators, `${body ? 'body' : 'text'}\0${JSON.stringify(schema)}`, build) : build();
  };
  return (route) => {
    const get = onFirstUse(() => compile(route));
    // Fastify reads a failed validation's reasons from the function it was given.
    const validate = ((...args: Parameters<ValidateFunction>) => {
      const fn = get();
      const ok = fn(...args);
      validate.errors = fn.errors;
      return ok;
    }) as ValidateFunction;
    return validate;
  };
}

/** Response serialization as Fastify's default (fast-json-stringify), compiled on first use. */
export function buildSerializer(externalSchemas: unknown, options: unknown): SerializerCompile {
  const factory = (SerializerSelector as unknown as () => (s: unknown, o: unknown) => SerializerCompile)()(externalSchemas, options);
  const shared = externalSchemas === undefined || Object.keys(externalSchemas as object).length === 0;
  const compile: SerializerCompile = (route) => (shared ? cached(serializers, `${JSON.stringify(options ?? {})}\0${JSON.stringify(route.schema)}`, () => factory(route)) : factory(route));
  return (route) => {
    const get = onFirstUse(() => compile(route));
    return (data) => get()(data);
  };
}

/** A function that compiles once, when first asked (or when a test compiles everything). */
function onFirstUse<T>(compile: () => T): () => T {
  let fn: T | undefined;
  const get = () => (fn ??= compile());
  tracked?.push(get);
  return get;
}

// Compiled functions by schema text, shared by the apps of one process (a test file builds one per
// database; the CLI's commands build theirs): a server has one app, and this changes nothing for it.
// Only for apps without shared schemas ($id references), where the schema alone decides the result.
const validators = new Map<string, ValidateFunction>();
const serializers = new Map<string, Serialize>();
function cached<T>(cache: Map<string, T>, key: string, build: () => T): T {
  let fn = cache.get(key);
  if (!fn) cache.set(key, (fn = build()));
  return fn;
}

// For the test that compiles every schema: the compilers handed out while tracking is on.
let tracked: Array<() => unknown> | null = null;

/** Starts remembering the schemas handed to Fastify from now on (a test, before building the app). */
export function trackSchemas(): void {
  tracked = [];
}

/** Compiles every schema remembered since `trackSchemas()` (after the app's `ready()`): a broken one throws. */
export function compileAllSchemas(): number {
  const all = tracked ?? [];
  tracked = null;
  for (const c of all) c();
  return all.length;
}
