// Prints the plain closing line CI reads ("N passed, N failed, N skipped") as the very last line of a jest run.
export default class CountReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `jest: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`;
    // After jest's own summary, which is written later in the same tick.
    process.once('exit', () => process.stderr.write(line));
  }
}
