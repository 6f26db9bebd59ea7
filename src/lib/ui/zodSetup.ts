/**
 * Zod 4 probes `new Function` to decide whether to compile parsers; under the app's strict CSP
 * (no unsafe-eval) the probe is reported as a policy violation even though zod catches it.
 * Jitless mode skips the probe. Import this module before anything parses.
 */
import * as z from 'zod';

z.config({ jitless: true });
