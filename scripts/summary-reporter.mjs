// A node:test reporter that prints one closing line, "N passed, N failed, N skipped", counting
// leaf tests only (a test whose subtests ran is counted through them), so browser results
// reported as subtests count one each and suites are not counted at all.
export default async function* summary(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const failures = [];
  // childSeen[n] is true when a test at nesting n finished since its parent at n - 1 began.
  const childSeen = [];
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const d = event.data;
    const n = d.nesting ?? 0;
    const leaf = !childSeen[n + 1];
    childSeen[n + 1] = false;
    childSeen[n] = true;
    if (!leaf || d.details?.type === 'suite') {
      // A parent that failed with no failing child (e.g. a hook or its own code threw) still counts.
      if (event.type === 'test:fail' && d.details?.error?.failureType !== 'subtestsFailed') {
        failed++;
        failures.push(`${d.file ?? ''} › ${d.name}`);
      }
      continue;
    }
    if (d.skip !== undefined || d.todo !== undefined) skipped++;
    else if (event.type === 'test:pass') passed++;
    else {
      failed++;
      failures.push(`${d.file ?? ''} › ${d.name}`);
    }
  }
  if (failures.length) yield `\nFailed:\n${failures.map((f) => `  ✖ ${f}`).join('\n')}\n`;
  yield `\n${passed} passed, ${failed} failed, ${skipped} skipped\n`;
}
