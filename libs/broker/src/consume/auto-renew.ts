import type { PopService } from './pop-service';

export interface AutoRenewSettings {
  /** How far an auto-renewed delivery's invisible time is pushed each time. */
  extendMs: number;
  /** How often deliveries close to expiring are looked at. */
  sweepIntervalMs: number;
}

/**
 * PushConsumers receive with auto-renew: their deliveries stay invisible while the client is
 * connected (has a Telemetry stream), extended before they expire.
 */
export class AutoRenewSweep {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pop: PopService,
    private readonly isConnected: (clientId: string) => boolean,
    private readonly settings: AutoRenewSettings,
    private readonly onError: (error: Error) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.pop.renew(this.isConnected, this.settings.extendMs).catch((err: Error) => this.onError(err));
    }, this.settings.sweepIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
