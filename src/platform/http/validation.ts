import { Ajv, type AnySchema, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Compile = (route: { schema: AnySchema; httpPart?: string }) => ValidateFunction;

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
  const strictBody = make(false);
  const coercing = make('array');
  return ({ schema, httpPart }) => (httpPart === 'body' ? strictBody : coercing).compile(schema);
}
