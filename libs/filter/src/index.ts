// RocketMQ's SQL92 message filter: grammar (src/sql92.peggy, generated parser checked in), RocketMQ's
// parse-time rules and three-valued evaluation, limits, and a compiled-expression cache.
export { type CompiledFilter, type Tristate, compileSql92 } from './sql92';
export { FilterCache } from './cache';
export { FilterExpressionError } from './errors';
export { type FilterHead, type PropertyLookup, headLookup } from './head';
export { DEFAULT_FILTER_LIMITS, type FilterLimits } from './limits';
