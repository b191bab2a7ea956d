/**
 * Defaults the command line shows in `--help` and the server applies. Kept apart so that
 * `cli.ts` can name them without loading the modules that use them (express, zod).
 */

/**
 * Captures bigger than this are refused (`--max-capture-mb`). A capture of 1000 namespaces
 * is ~1 MB; serving one takes 5 (idle) to 8 (while encoding) times its size: 225 MB
 * measured 1.1 GB and 1.8 GB.
 */
export const DEFAULT_MAX_CAPTURE_MB = 256;

/** The environment variable holding the access token (`--token-file` is the other way). */
export const TOKEN_ENV = 'VETHMAP_TOKEN';

/** socket.io clients served at once (`--max-clients`). */
export const DEFAULT_MAX_CLIENTS = 100;
