// Durations as people write them in workflow files: `90s`, `15m`, `1h`, `1m30s`, `250ms`; a bare number is seconds.
import { ConfigurationError } from './errors.js';
import { shorten } from './input-parsing.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;

/**
 * The longest duration any input accepts: a day. GitHub-hosted jobs end after 6 h and self-hosted ones after
 * 5 days ("Usage limits", GitHub Actions docs), and Node's timers hold at most 2^31 − 1 ms (≈ 24.8 days): a
 * longer value would overflow to 1 ms.
 */
export const MAX_DURATION_MS = 24 * 3_600_000;

export interface DurationBounds {
  /** Smallest accepted value in ms (default 0). */
  min?: number;
  /** Largest accepted value in ms (default and ceiling: MAX_DURATION_MS). */
  max?: number;
}

/**
 * Parses a duration into milliseconds; `inputName` names the input in the error message. Throws a
 * ConfigurationError for a malformed value or one outside `bounds` (never more than MAX_DURATION_MS).
 */
export function parseDuration(value: string, inputName = 'duration', bounds: DurationBounds = {}): number {
  const text = value.trim();
  const bad = () =>
    new ConfigurationError(
      `invalid duration ${shorten(value)} for input "${inputName}" (use e.g. 90s, 15m, 1h)`,
    );
  if (text === '') throw bad();
  let total = 0;
  if (/^\d+(?:\.\d+)?$/.test(text)) total = Number(text) * 1000;
  else {
    PART.lastIndex = 0;
    while (PART.lastIndex < text.length) {
      const start = PART.lastIndex;
      const match = PART.exec(text);
      if (!match || match.index !== start) throw bad();
      total += Number(match[1]) * UNIT_MS[match[2] as string]!;
    }
  }
  const ms = Math.round(total);
  if (!Number.isFinite(ms)) throw bad();
  const max = Math.min(bounds.max ?? MAX_DURATION_MS, MAX_DURATION_MS);
  const min = bounds.min ?? 0;
  if (ms > max)
    throw new ConfigurationError(
      `duration ${shorten(value)} for input "${inputName}" is longer than the maximum ${formatDuration(max)}`,
    );
  if (ms < min)
    throw new ConfigurationError(
      `duration ${shorten(value)} for input "${inputName}" is shorter than the minimum ${formatDuration(min)}`,
    );
  return ms;
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
