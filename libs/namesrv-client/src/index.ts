export { NameServerClients, NAMESRV_INITIAL_RECONNECT_BACKOFF_MS, NAMESRV_MAX_RECONNECT_BACKOFF_MS, type PerServer } from './namesrv-clients';
export {
  Registration,
  RegistrationEvents,
  REGISTRATION_RETRY_BACKOFF_MULTIPLIER,
  REGISTRATION_RETRY_INITIAL_BACKOFF_MS,
  REGISTRATION_RETRY_JITTER_RATIO,
  REGISTRATION_RETRY_MAX_BACKOFF_MS,
  registrationRetryDelayMs,
  type RegistrationEndpoints,
  type RegistrationEventMap,
  type RegistrationEventName,
  type RegistrationIdentity,
  type RegistrationOptions,
  type RegistrationPort,
  type RegistrationSnapshot,
  type RegistrationTimers,
} from './registration';
