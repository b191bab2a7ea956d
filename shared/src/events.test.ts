import { describe, expect, it } from 'vitest';
import { MAX_CLIENT_MESSAGE_BYTES } from './events.js';
import { MAX_WATCH_ID_LENGTH, MAX_WATCHED_INTERFACES, StatsWatch } from './stats.js';
import { WhyRequest } from './why.js';

/** A socket.io event as it goes on the wire (engine.io "4" message, socket.io "2" event, ack id). */
const frameBytes = (event: string, payload: unknown): number => new TextEncoder().encode(`42999999${JSON.stringify([event, payload])}`).length;

describe('the client message bound', () => {
  it('holds the largest watch and "why" the schemas accept, however JSON writes their characters', () => {
    // A control character is written as six bytes (\u0001): the worst case per character.
    const worstId = '\u0001'.repeat(MAX_WATCH_ID_LENGTH);
    const watch = { interfaces: Array.from({ length: MAX_WATCHED_INTERFACES }, () => worstId) };
    expect(StatsWatch.safeParse(watch).success).toBe(true);
    expect(frameBytes('stats:watch', watch)).toBeLessThanOrEqual(MAX_CLIENT_MESSAGE_BYTES);
    // One more character or one more id is not a valid watch any more.
    expect(StatsWatch.safeParse({ interfaces: [...watch.interfaces, 'x'] }).success).toBe(false);
    expect(StatsWatch.safeParse({ interfaces: [`${worstId}x`] }).success).toBe(false);
    const why = { from: '\u0001'.repeat(300), to: '\u0001'.repeat(300) };
    expect(WhyRequest.safeParse(why).success).toBe(true);
    expect(frameBytes('why', why)).toBeLessThanOrEqual(MAX_CLIENT_MESSAGE_BYTES);
  });
});
