/**
 * Browser stand-in for `node:assert` / `node:assert/strict`: the npm `assert` package (a port of
 * Node's module), in strict mode so `equal`/`deepEqual` behave as node:assert/strict does.
 */
// The port reads process.stderr (and process.env) while formatting a failed assertion's message; pages have no
// `process`, so without this stand-in every failure would read "process is not defined".
(globalThis as { process?: unknown }).process ??= { env: {}, stderr: undefined };

// @ts-expect-error -- the npm 'assert' port has no bundled types; the trailing slash skips Node's builtin.
import assertPort from 'assert/';

import type nodeAssert from 'node:assert';

const strict = (assertPort as { strict: typeof nodeAssert.strict }).strict;
export default strict;
export const { ok, equal, notEqual, deepEqual, notDeepEqual, throws, rejects, match, fail, doesNotThrow } = strict;
export { strict };
