/** clients/: who is connected (client-registry) and their Telemetry streams (telemetry-handler). */
export { type ClientInfo, ClientRegistry, type ClientType } from './client-registry';
export { TelemetryHandler, clientIdOf } from './telemetry-handler';
