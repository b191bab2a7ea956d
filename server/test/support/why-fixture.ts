import { readFileSync } from 'node:fs';
import { parseMessages, type Message } from '../../src/kernel/rtnetlink.js';

interface Recorded {
  prefix: string;
  a: Record<'routes' | 'rules' | 'neighbours' | 'stats' | 'getOnLink' | 'getOnLinkFibMatch' | 'getDefault' | 'getBlackhole' | 'getMultipath', string>;
  h: Record<'ports' | 'fdb' | 'bridge' | 'chains' | 'nftRules' | 'getForwardOff', string> & { bridgeIndex: number };
}

/** The answers recorded by server/test/record-why-fixture.ts (a bridge host `h` with Docker's rules, a source `a`). */
export const recorded = JSON.parse(readFileSync(new URL('../fixtures/why/kernel.json', import.meta.url), 'utf8')) as Recorded;

/** The messages of one recorded reply of a given type (errors kept: route get answers with them). */
export function messages(hex: string, type?: number): Message[] {
  return parseMessages(Buffer.from(hex, 'hex'), false).filter((m) => type === undefined || m.type === type);
}
