// Flags for opening files in the state folder without being led elsewhere: never through
// a symbolic link (a link planted at a log's name would make rotation truncate its
// target), and temporary files created new, never reused. Windows has no O_NOFOLLOW
// (creating a symbolic link there needs a privilege), so the flag is 0 there; the one
// place this difference lives.
import { constants } from 'node:fs';

const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/** Append, creating the file if missing; fails (ELOOP) on a symbolic link. */
export const APPEND_NO_FOLLOW = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NO_FOLLOW;
/** Read; fails (ELOOP) on a symbolic link. */
export const READ_NO_FOLLOW = constants.O_RDONLY | NO_FOLLOW;
/** Write an existing file; fails (ELOOP) on a symbolic link. */
export const WRITE_NO_FOLLOW = constants.O_WRONLY | NO_FOLLOW;
/** Create a new file; fails (EEXIST) if anything, a link included, has the name. */
export const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW;
