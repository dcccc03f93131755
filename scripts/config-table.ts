/**
 * `npm run config-doc`: writes docs/configuration.md from the configuration schema
 * (src/config/schema.ts), so the table cannot drift from the code. CI fails when it is stale.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { groups } from '../src/config/schema';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const lines = [
  '# Configuration',
  '',
  '<!-- Generated from src/config/schema.ts by `npm run config-doc`: edit the schema, not this file. -->',
  '',
  'Jobgate reads these environment variables at start (an empty value counts as unset; booleans take 1/0, true/false, yes/no or on/off) and refuses to start, naming the variable, when one is invalid.',
];
for (const [group, variables] of Object.entries(groups)) {
  lines.push('', `## ${group}`, '', '| variable | default | description |', '| --- | --- | --- |');
  for (const [name, { kind, description }] of Object.entries(variables)) {
    lines.push(`| \`${name}\` | ${cell(kind.shown)} | ${cell(kind.bounds ? `${description} ${kind.bounds}` : description)} |`);
  }
}
const file = path.join(__dirname, '..', 'docs', 'configuration.md');
writeFileSync(file, `${lines.join('\n')}\n`);
