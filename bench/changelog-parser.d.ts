// changelog-parser 3.x ships no types (4.x does, but asks for Node 22): what the bench uses.
declare module "changelog-parser" {
  interface ParsedChangelog {
    title: string;
    description: string;
    versions: { version: string | null; title: string; date: string | null; body: string }[];
  }
  export default function changelogParser(
    options: { text: string } | { filePath: string },
  ): Promise<ParsedChangelog>;
}
