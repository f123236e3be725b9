// The simulation's clock and timers: simulated time only moves in advanceTo(), which runs every scheduled change
// due by then in time order (ties in the order they were scheduled).

interface Timer {
  at: number;
  seq: number;
  run: () => void;
}

export class TimerQueue {
  private readonly timers: Timer[] = [];
  private seq = 0;

  /** Schedules `run` at simulated time `time` (epoch ms). */
  at(time: number, run: () => void): void {
    this.timers.push({ at: time, seq: this.seq++, run });
  }

  /** The earliest scheduled time, if any. */
  nextAt(): number | undefined {
    let next: number | undefined;
    for (const t of this.timers) if (next === undefined || t.at < next) next = t.at;
    return next;
  }

  /** Removes and returns the earliest timer due at or before `time` (earliest first, then first scheduled). */
  takeDue(time: number): { at: number; run: () => void } | undefined {
    let index = -1;
    for (let i = 0; i < this.timers.length; i++) {
      const t = this.timers[i]!;
      if (t.at > time) continue;
      const best = index >= 0 ? this.timers[index]! : undefined;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) index = i;
    }
    if (index < 0) return undefined;
    return this.timers.splice(index, 1)[0];
  }
}
