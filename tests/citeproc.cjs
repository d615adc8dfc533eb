// Render CSL-JSON items with citeproc-js (npm "citeproc", the engine of Zotero and Mendeley).
// Usage: node citeproc.cjs MODULE_DIR ITEMS.json STYLE.csl LOCALE.xml
// Prints {"ids": [...], "entries": [...], "errors": [...]} as JSON: the bibliography's entry
// ids in order, each entry as HTML, and the engine's bibliography errors.
"use strict";
const fs = require("node:fs");

function main() {
  const [moduleDir, itemsFile, styleFile, localeFile] = process.argv.slice(2);
  const CSL = require(moduleDir);
  const items = JSON.parse(fs.readFileSync(itemsFile, "utf8"));
  const byId = new Map(items.map((item) => [item.id, item]));
  const locale = fs.readFileSync(localeFile, "utf8");
  const sys = {
    retrieveLocale: () => locale,
    retrieveItem: (id) => byId.get(id),
  };
  const engine = new CSL.Engine(sys, fs.readFileSync(styleFile, "utf8"), "en-US");
  engine.updateItems(items.map((item) => item.id));
  const [meta, entries] = engine.makeBibliography();
  const ids = meta.entry_ids.map((group) => group[0]);
  process.stdout.write(JSON.stringify({ ids, entries, errors: meta.bibliography_errors }) + "\n");
}

try {
  main();
} catch (error) {
  console.error(error && error.stack ? error.stack : error);
  process.exit(2);
}
