export { NameServerClients, type PerServer } from './namesrv-clients';
