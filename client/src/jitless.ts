import { config } from 'zod';

// The server's Content-Security-Policy forbids eval (script-src 'self'). zod 4 compiles
// parsers with `new Function` when it can, and probes for it on the first parse: the
// probe fails quietly but Chromium reports a CSP violation for it. jitless skips both.
// Imported first by main.tsx, before anything parses.
config({ jitless: true });
