/** Time is passed in, so tests can drive expiry deterministically. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
