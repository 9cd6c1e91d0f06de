// What a folder holds, as the folder itself says (never following a symbolic link), so a
// reader of evidence can refuse anything that is not a plain file before opening it.
import { readdirSync } from 'node:fs';

export type EntryKind = 'file' | 'folder' | 'symbolic link' | 'special file';

export interface FolderEntry {
  name: string;
  kind: EntryKind;
}

/** The folder's entries in name order, each with its own kind (lstat's, not its target's). */
export function folderEntries(dir: string): FolderEntry[] {
  return readdirSync(dir, { withFileTypes: true })
    .map((entry) => ({ name: entry.name, kind: kindOf(entry) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function kindOf(entry: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryKind {
  if (entry.isSymbolicLink()) return 'symbolic link';
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'folder';
  return 'special file';
}
