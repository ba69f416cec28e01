// Offline check of the documentation's links (run by `npm test`): every relative link in
// README.md, docs/ and the examples' READMEs names a file that exists, and every #anchor a heading
// (GitHub's slugs, via github-slugger) or an HTML id of that file. External links are not fetched.
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import GithubSlugger from "github-slugger";
import MarkdownIt from "markdown-it";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const md = new MarkdownIt({ html: true });

/** Markdown files to check: README.md, docs/**, examples/**\/README.md (no node_modules). */
function markdownFiles() {
  const found = [path.join(root, "README.md")];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".md")) found.push(full);
    }
  };
  walk(path.join(root, "docs"));
  walk(path.join(root, "examples"));
  return found;
}

const parsed = new Map();
/** A file's links (with line numbers) and anchors. */
function parse(file) {
  if (parsed.has(file)) return parsed.get(file);
  const text = fs.readFileSync(file, "utf8");
  const tokens = md.parse(text, {});
  const slugger = new GithubSlugger();
  const anchors = new Set();
  const links = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === "heading_open") {
      const inline = tokens[i + 1];
      const words = (inline.children ?? [])
        .filter((c) => c.type === "text" || c.type === "code_inline")
        .map((c) => c.content)
        .join("");
      anchors.add(slugger.slug(words));
    }
    if (t.type === "inline" || t.type === "html_block") {
      for (const m of t.content.matchAll(/\b(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
    }
    for (const c of t.children ?? []) {
      if (c.type === "link_open")
        links.push({ href: c.attrGet("href"), line: (t.map?.[0] ?? 0) + 1 });
    }
  }
  const result = { anchors, links };
  parsed.set(file, result);
  return result;
}

const problems = [];
for (const file of markdownFiles()) {
  for (const { href, line } of parse(file).links) {
    if (!href || /^[a-z][a-z0-9+.-]*:/i.test(href)) continue; // https:, mailto:
    const [target, anchor] = href.split("#");
    const resolved = target === "" ? file : path.resolve(path.dirname(file), decodeURI(target));
    const where = `${path.relative(root, file)}:${line}`;
    if (!fs.existsSync(resolved)) {
      problems.push(`${where}: ${href}: no such file`);
      continue;
    }
    if (anchor !== undefined && anchor !== "" && resolved.endsWith(".md")) {
      if (!parse(resolved).anchors.has(anchor))
        problems.push(
          `${where}: ${href}: no heading or id "${anchor}" in ${path.relative(root, resolved)}`,
        );
    }
  }
}
if (problems.length > 0) {
  process.stderr.write(`Broken documentation links:\n  ${problems.join("\n  ")}\n`);
  process.exit(1);
}
process.stdout.write(`documentation links: ${parsed.size} files checked, all resolve\n`);
