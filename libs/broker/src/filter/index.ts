/**
 * filter/: what a subscription lets through. Tag filters decide in the broker; SQL92 filters are
 * compiled here (libs/filter) and evaluated by filter servers (broker -> filter server: one Match
 * call per scan window, filter-router.ts), or by the broker itself when none answers.
 */
export { type FilterServerEntry, FilterServerTable } from './filter-server-table';
export { type FilterMatchRequest, type FilterServerTransport, type FilterWireHead, NO_FILTER_TRANSPORT } from './filter-port';
export { FilterRouter, type FilterRouterObserver, type FilterRouterSettings, MAX_MATCH_REQUEST_BYTES, chunksByBytes } from './filter-router';
export { bitsetToFlags, evaluateLocally } from './local-evaluator';
export { MATCH_ALL, type MessageFilter, tagMessageFilter } from './message-filter';
export { type FilterExpressionLike, type SqlFilterSettings, SubscriptionFilters } from './subscription-filters';
