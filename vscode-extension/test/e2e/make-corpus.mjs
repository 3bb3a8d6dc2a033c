// Writes a small C# corpus folder (train.txt, val.txt, test.txt, in the corpus folder contract) for
// the end-to-end test: short console programs built from a few templates, so that a tiny model
// trained for seconds already completes common C# (`Console.WriteLine(...)`, `for (...)`) sensibly.
// Deterministic (fixed seed); knows nothing of the model or the editor. The end-to-end test also
// imports `programs` to fill the workspace that "Train on this workspace" harvests.
// Usage: node make-corpus.mjs OUT_DIR
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

let seed = 20261125;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (items) => items[Math.floor(random() * items.length)];

const classes = ["Program", "Greeter", "Counter", "Report", "Inventory", "Calculator"];
const names = ["count", "total", "index", "value", "result", "length"];
const words = ["Hello", "Done", "Starting", "Total", "Result", "Ready", "Finished"];

function program() {
  const name = pick(names);
  const word = pick(words);
  const body = [
    `            Console.WriteLine("${word}");`,
    `            var ${name} = args.Length;`,
    `            for (int i = 0; i < ${name}; i++)`,
    "            {",
    `                Console.WriteLine(args[i]);`,
    "            }",
    `            Console.WriteLine("${pick(words)}: " + ${name});`,
  ];
  return [
    "using System;",
    "",
    `namespace ${pick(["Demo", "Samples", "Tools"])}`,
    "{",
    `    public static class ${pick(classes)}`,
    "    {",
    "        public static void Main(string[] args)",
    "        {",
    ...body,
    "        }",
    "    }",
    "}",
    "",
  ].join("\n");
}

/** `count` programs, one C# file's text each. */
export function programs(count) {
  return Array.from({ length: count }, program);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = process.argv[2];
  if (!out) {
    console.error("usage: node make-corpus.mjs OUT_DIR");
    process.exit(2);
  }
  fs.mkdirSync(out, { recursive: true });
  for (const [split, files] of [
    ["train", 240],
    ["val", 24],
    ["test", 24],
  ]) {
    fs.writeFileSync(path.join(out, `${split}.txt`), programs(files).join(""));
  }
  console.log(`corpus: ${out} (${fs.statSync(path.join(out, "train.txt")).size} bytes of training text)`);
}
