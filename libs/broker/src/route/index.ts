/** route/: QueryRoute and QueryAssignment, answered from the name servers' routes. */
export { type RouteSource, RouteResolver } from './route-resolver';
