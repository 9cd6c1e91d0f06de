// Finds the links in a Markdown file that lead nowhere: a relative path that
// does not exist, or a #fragment that names no heading in the target file.
// Headings are slugged the way GitHub does (github-slugger), so a link that
// passes here also works when the docs are read on the forge.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import GithubSlugger from "github-slugger";
import { lexer, type Token, type Tokens } from "marked";

export interface BrokenLink {
  file: string;
  href: string;
  reason: string;
}

function walk(tokens: Token[], visit: (token: Token) => void): void {
  for (const token of tokens) {
    visit(token);
    const nested = (token as { tokens?: Token[] }).tokens;
    if (nested) walk(nested, visit);
    if (token.type === "list") for (const item of (token as Tokens.List).items) walk(item.tokens, visit);
    if (token.type === "table") {
      const table = token as Tokens.Table;
      for (const cell of table.header) walk(cell.tokens, visit);
      for (const row of table.rows) for (const cell of row) walk(cell.tokens, visit);
    }
  }
}

export function anchorsOf(markdown: string): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  walk(lexer(markdown), (token) => {
    if (token.type === "heading") anchors.add(slugger.slug((token as Tokens.Heading).text.replace(/`/g, "")));
  });
  return anchors;
}

export function hrefsOf(markdown: string): string[] {
  const hrefs: string[] = [];
  walk(lexer(markdown), (token) => {
    if (token.type === "link" || token.type === "image") hrefs.push((token as Tokens.Link).href);
  });
  return hrefs;
}

const external = /^[a-z][a-z0-9+.-]*:/i; // http:, https:, mailto: — not checked offline

export function brokenLinks(file: string): BrokenLink[] {
  const broken: BrokenLink[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchorsIn = (path: string) => {
    let anchors = anchorCache.get(path);
    if (!anchors) anchorCache.set(path, (anchors = anchorsOf(readFileSync(path, "utf8"))));
    return anchors;
  };
  for (const href of hrefsOf(readFileSync(file, "utf8"))) {
    if (external.test(href)) continue;
    const [pathPart, fragment] = href.split("#", 2) as [string, string | undefined];
    const target = pathPart === "" ? file : resolve(dirname(file), decodeURIComponent(pathPart));
    if (!existsSync(target)) {
      broken.push({ file, href, reason: "no such file" });
      continue;
    }
    if (fragment === undefined) continue;
    if (statSync(target).isDirectory() || !target.endsWith(".md")) {
      broken.push({ file, href, reason: "a #fragment on a file that is not Markdown" });
    } else if (!anchorsIn(target).has(decodeURIComponent(fragment))) {
      broken.push({ file, href, reason: `no heading #${fragment} in ${target}` });
    }
  }
  return broken;
}
