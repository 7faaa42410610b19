// Prints the GraphQL schema to schema/schema.graphql, the committed API
// contract. With --check, exits 1 when the file differs from the code.
import { readFile, writeFile } from 'node:fs/promises';
import { printedSchema, schemaFile } from '../src/graphql/print.js';

const check = process.argv.includes('--check');
const current = await readFile(schemaFile, 'utf8').catch(() => '');
const printed = printedSchema();
if (check) {
  if (current !== printed) {
    console.error('schema/schema.graphql is out of date: run npm run schema:print and commit it.');
    process.exit(1);
  }
  console.log('schema/schema.graphql matches the code.');
} else {
  await writeFile(schemaFile, printed);
  console.log(current === printed ? 'schema/schema.graphql unchanged.' : 'Wrote schema/schema.graphql.');
}
