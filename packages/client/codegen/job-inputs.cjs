// @ts-check
/* global require, module */
/**
 * GraphQL Code Generator plugin: the map from each job type to its input type, read from the
 * schema's typed enqueue mutations (`importParts(input: ImportPartsInput!, options: JobOptionsInput): Job!`).
 * Run after the `typescript` plugin, which writes the input types themselves.
 */
// GraphQL Code Generator loads plugins with require(): this one is CommonJS.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getNamedType, isInputObjectType, isNonNullType, isObjectType } = require('graphql');

/** @type {import('@graphql-codegen/plugin-helpers').PluginFunction} */
function plugin(schema) {
  const mutation = schema.getMutationType();
  const entries = [];
  for (const field of Object.values(mutation ? mutation.getFields() : {})) {
    const names = field.args.map((arg) => arg.name).sort();
    if (names.join(',') !== 'input,options') continue;
    const input = field.args.find((arg) => arg.name === 'input');
    const returned = getNamedType(field.type);
    if (!input || !isNonNullType(input.type) || !isInputObjectType(input.type.ofType)) continue;
    if (!isObjectType(returned) || returned.name !== 'Job') continue;
    entries.push(`  ${field.name}: ${input.type.ofType.name};`);
  }
  entries.sort();
  return [
    '',
    '/** Every registered job type and the input its `data` must match (from the typed enqueue mutations). */',
    'export interface JobInputs {',
    ...entries,
    '}',
    '',
    '/** The name of a registered job type. */',
    'export type JobTypeName = keyof JobInputs;',
    '',
  ].join('\n');
}

module.exports = { plugin };
