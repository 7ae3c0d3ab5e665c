// Garbage-collector settings for every Yiwang process, applied when the app is first imported.
import v8 from 'node:v8';

/**
 * V8's allocation-site pretenuring is off. V8 watches where objects are made, and when most of
 * one site's objects survive a young-generation collection it makes the site's later objects in
 * the old generation directly. A request that builds a thousand component views is still running
 * when such a collection comes, so its sites look long-lived, although each page dies as soon as
 * it is sent. From then on every page went to the old generation: at 15 million components a
 * district-zoom box query spent 1.3 ms a query collecting instead of 0.35–0.4 ms, and its p99 was
 * 15–19 ms instead of 10.5–12 ms (docs/decisions/0009-pg-callback-queries.md).
 * V8 checks the flag at each collection, so setting it at start-up is enough.
 */
v8.setFlagsFromString('--no-allocation-site-pretenuring');
