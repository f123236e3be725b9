// Durations as people write them in workflow files: `90s`, `15m`, `1h`, `1m30s`, `250ms`; a bare number is seconds.
import { ConfigurationError } from './errors.js';
import { shorten } from './input-parsing.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;

/** Parses a duration into milliseconds; `inputName` names the input in the error message. */
export function parseDuration(value: string, inputName = 'duration'): number {
  const text = value.trim();
  const bad = () =>
    new ConfigurationError(
      `invalid duration ${shorten(value)} for input "${inputName}" (use e.g. 90s, 15m, 1h)`,
    );
  if (text === '') throw bad();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const match = PART.exec(text);
    if (!match || match.index !== start) throw bad();
    total += Number(match[1]) * UNIT_MS[match[2] as string]!;
  }
  return Math.round(total);
}

/** Formats milliseconds for people: `850ms`, `12.3s`, `4m05s`, `1h02m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${Math.round(abs)}ms`;
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(abs < 10_000 ? 2 : 1)}s`;
  const totalSeconds = Math.round(abs / 1000);
  if (totalSeconds < 3600) {
    const m = Math.floor(totalSeconds / 60);
    const s = totalSeconds % 60;
    return `${sign}${m}m${String(s).padStart(2, '0')}s`;
  }
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  return `${sign}${h}h${String(m).padStart(2, '0')}m`;
}
