// One finding of any lint rule, and its one-line form `file:line: message` (what editors and CI logs link).
export interface Finding {
  /** Path relative to the repository root (or whatever name the caller gave the text). */
  file: string;
  /** 1-based; 0 when the finding is about the file as a whole. */
  line: number;
  message: string;
  /** Which rule found it (e.g. `actionlint/expression`, `run-expression`), for filtering and tests. */
  rule: string;
}

export function formatFinding(finding: Finding): string {
  return `${finding.file}:${finding.line}: ${finding.message} [${finding.rule}]`;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Stable order by file (code points, not the locale), then line, then message. */
export function byLocation(a: Finding, b: Finding): number {
  return compareText(a.file, b.file) || a.line - b.line || compareText(a.message, b.message);
}
