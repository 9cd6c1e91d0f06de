// Every relative link and #anchor in the README and docs/ leads somewhere.
// The README was split into docs/ and files move between layers; a link that
// rots there sends the 3 a.m. reader to a 404.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { anchorsOf, brokenLinks } from "../helpers/doc-links.ts";

const root = resolve(import.meta.dirname, "../..");
const pages = [
  join(root, "README.md"),
  join(root, "fleet/README.md"),
  ...readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => join(root, "docs", name)),
];

describe("documentation links", () => {
  it.each(pages.map((page) => [page.slice(root.length + 1), page]))("%s: every relative link resolves", (_name, page) => {
    expect(brokenLinks(page)).toEqual([]);
  });

  it("the README links to every page in docs/", () => {
    const readme = join(root, "README.md");
    const missing = readdirSync(join(root, "docs"))
      .filter((name) => name.endsWith(".md"))
      .filter((name) => !readFileSync(readme, "utf8").includes(`](docs/${name})`));
    expect(missing).toEqual([]);
  });
});

describe("the link checker itself", () => {
  const dir = mkdtempSync(join(tmpdir(), "evident-doc-links-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("slugs headings the way GitHub does, duplicates numbered", () => {
    const anchors = anchorsOf("# Verifying a bundle\n\n## `evident zombies` — who survived\n\n## Verifying a bundle\n");
    expect([...anchors]).toEqual(["verifying-a-bundle", "evident-zombies--who-survived", "verifying-a-bundle-1"]);
  });

  it("reports a missing file, a missing anchor and an anchor on a non-Markdown file; passes good links", () => {
    writeFileSync(join(dir, "other.md"), "# Other page\n\n## A section\n");
    writeFileSync(join(dir, "code.ts"), "export {};\n");
    const page = join(dir, "page.md");
    writeFileSync(
      page,
      [
        "# Page",
        "[ok](other.md) [ok](other.md#a-section) [ok](#page) [ok](code.ts) [ext](https://example.org/x#y)",
        "[gone](missing.md) [bad anchor](other.md#no-such) [self](#nowhere) [code anchor](code.ts#L3)",
        "",
        "| a | b |",
        "|---|---|",
        "| [in table](gone-too.md) | x |",
        "",
        "- [in list](other.md#a-sectio)",
      ].join("\n"),
    );
    expect(brokenLinks(page).map((b) => b.href)).toEqual([
      "missing.md",
      "other.md#no-such",
      "#nowhere",
      "code.ts#L3",
      "gone-too.md",
      "other.md#a-sectio",
    ]);
  });
});
