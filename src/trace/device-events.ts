/**
 * Puts the platform's device events into the trace as driver I/O (and faults), so a run's
 * trace shows every LED change and button press beside the scheduling.
 */
import type { EventLog } from '../hal/events.js';
import type { Trace } from './trace.js';

export function traceDeviceEvents(
  log: EventLog,
  trace: Trace,
  /** `faults: false` when the runtime writes faults into the trace itself (with the context). */
  options: { readonly faults?: boolean } = {},
): void {
  if (!trace.enabled) return;
  const faults = options.faults ?? true;
  log.subscribe((e) => {
    if (e.dir === 'fault') {
      if (faults && e.container !== null)
        trace.emit({ kind: 'fault', t: e.t, container: e.container, cause: e.reason ?? 'fault' });
    } else if (e.device !== undefined) {
      trace.emit({
        kind: 'driver-io',
        t: e.t,
        container: e.container,
        device: e.device,
        dir: e.dir,
        value: e.value ?? 0,
      });
    }
  });
}
