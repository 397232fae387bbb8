/** admin/: what operators do to a broker (behind orbitmq.v1.BrokerAdmin and mqadmin). */
export { type AdminDeps, type AdminMessageView, BrokerAdminApi, type GroupSummary, MAX_QUERY_RESULTS, type QueueProgress } from './admin-api';
export { type DeliveryStateName, type GroupDelivery, MAX_DELIVERY_GROUPS } from './delivery-state';
export { BROWSE_LIMITS, type BrowseChunk, type BrowseFinish, type BrowseProgress, type BrowseRequest } from './browse';
export { MAX_RESEND_MESSAGES, type ResendOutcome } from './resend';
