// Evidence's own DuckDB datasource (@evidence-dev/duckdb) reading the serving file as an Evidence project
// would: the filename from the source's connection.yaml, relative to that source's folder, which
// Evidence passes as `directory`. Prints one JSON object.
// node evidence_source.mjs <source folder> <filename as in connection.yaml> <queries.json>
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const duckdbSource = require("@evidence-dev/duckdb");
const { batchedAsyncGeneratorToArray } = require("@evidence-dev/db-commons");
const nodeApi = require("@duckdb/node-api/package.json");

const [directory, filename, queriesFile] = process.argv.slice(2);
const options = { filename };
const runner = await duckdbSource.getRunner(options, directory);
const rows = async (sql) => {
  const result = await runner(sql, `${directory}/query.sql`, 100000);
  return await batchedAsyncGeneratorToArray(result.rows);
};
const tables = await rows(
  "SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'marts' ORDER BY table_name"
);
const described = await rows(
  "SELECT count(*) AS n FROM duckdb_columns() WHERE schema_name = 'marts' AND comment IS NOT NULL"
);
const answers = [];
for (const sql of JSON.parse(readFileSync(queriesFile, "utf8"))) answers.push((await rows(sql)).length);
console.log(
  JSON.stringify({
    connection_test: await duckdbSource.testConnection(options, directory),
    duckdb_version: (await rows("SELECT version() AS v"))[0].v,
    node_api_version: nodeApi.version,
    tables: tables.map((t) => [t.table_name, t.comment]),
    described_columns: Number(described[0].n),
    publish_log: (await rows("SELECT version, published_at_utc FROM meta.publish_log")).length,
    answers,
  })
);
