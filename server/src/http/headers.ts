import { createHash } from 'node:crypto';
import helmet from 'helmet';
import type express from 'express';

/**
 * The one inline style the page needs: cytoscape puts this rule in a `<style>` element of
 * its own when it starts (so that its container is positioned). Allowed by its hash, not
 * by 'unsafe-inline'; server/src/http/headers.test.ts checks cytoscape still writes it.
 */
export const CYTOSCAPE_STYLE = '.__________cytoscape_container { position: relative; }';
const cytoscapeStyleHash = `'sha256-${createHash('sha256').update(CYTOSCAPE_STYLE).digest('base64')}'`;

/**
 * Content-Security-Policy: the page's own files and nothing else. No inline script at all
 * (Vite's built index.html has none), no eval, no plugins; data: and blob: images for the
 * favicon and the PNG/SVG exports; 'self' in connect-src covers the same-origin ws: of
 * socket.io in Chromium (e2e/security.spec.ts). The page cannot be framed (clickjacking),
 * cannot post forms anywhere, and cannot have its base URL moved.
 */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", cytoscapeStyleHash],
  imgSrc: ["'self'", 'data:', 'blob:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  workerSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

/**
 * Security headers on every response, through helmet: the CSP above, nosniff,
 * X-Frame-Options DENY, Referrer-Policy no-referrer (a URL never leaves the page), and
 * helmet's cross-origin isolation defaults. Not HSTS: vethmap speaks plain HTTP; TLS and
 * its policy belong to the reverse proxy in front of it. Not upgrade-insecure-requests
 * (helmet's default): it would send the page's own requests to an https:// that is not there.
 */
export function securityHeaders(): express.RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
