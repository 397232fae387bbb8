import { CONNECTION_CONFIG, type ConfigSchema } from '@orbitmq/runtime';

/** Name server settings (flags, ORBITMQ_* environment variables, or a -c properties file). */
export const NAMESRV_CONFIG = {
  listenHost: { kind: 'string', default: '0.0.0.0', describe: 'address the gRPC server binds to', nonEmpty: true },
  listenPort: { kind: 'int', default: 9876, min: 0, max: 65535, describe: 'gRPC port (0: any free port)' },
  brokerExpiryMs: { kind: 'int', default: 120_000, min: 1_000, max: 3_600_000, describe: 'a registration expires after this long without a heartbeat' },
  scanIntervalMs: { kind: 'int', default: 5_000, min: 100, max: 600_000, describe: 'how often expired registrations are dropped' },
  ...CONNECTION_CONFIG,
} as const satisfies ConfigSchema;
